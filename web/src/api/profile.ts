import { request } from './http.js';
import type { Profile } from './types.js';

/** GET /api/v1/profile with what the profile screen shows (`_user.json.jbuilder`). */
export interface FullProfile extends Profile {
  display_name: string | null;
  access_token: string | null;
  availability_status?: string;
  accounts: Array<Profile['accounts'][number] & { availability?: string }>;
}

export interface ProfileInput {
  name?: string;
  display_name?: string | null;
  current_password?: string;
  password?: string;
  password_confirmation?: string;
}

export const getFullProfile = () => request<FullProfile>('GET', '/api/v1/profile');
export const updateProfile = (profile: ProfileInput) => request<FullProfile>('PUT', '/api/v1/profile', { profile });
export const resetAccessToken = () => request<FullProfile>('POST', '/api/v1/profile/reset_access_token');
export const setAvailability = (accountId: number, availability: string) =>
  request<FullProfile>('POST', '/api/v1/profile/availability', { profile: { account_id: accountId, availability } });
