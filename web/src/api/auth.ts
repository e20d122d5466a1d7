import { request, requestSession } from './http.js';
import { clearSession } from './session.js';
import type { Profile } from './types.js';

/** POST /auth/sign_in with a password, or with the Platform API's one-time sso_auth_token. */
export const signIn = (credentials: { email: string; password?: string; sso_auth_token?: string }) =>
  requestSession<{ data: Profile }>('/auth/sign_in', credentials).then((body) => body.data);

/** DELETE /auth/sign_out; the local session is dropped whatever the server says. */
export async function signOut() {
  try {
    await request('DELETE', '/auth/sign_out');
  } finally {
    clearSession();
  }
}

export const fetchProfile = () => request<Profile>('GET', '/api/v1/profile');
