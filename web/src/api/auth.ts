import { request, requestSession, settleInFlight } from './http.js';
import { clearSession } from './session.js';
import type { Profile } from './types.js';

/** POST /auth/sign_in with a password, or with the Platform API's one-time sso_auth_token. */
export const signIn = (credentials: { email: string; password?: string; sso_auth_token?: string }) =>
  requestSession<{ data: Profile }>('/auth/sign_in', credentials).then((body) => body.data);

/**
 * DELETE /auth/sign_out, once the requests on their way have answered (up to a second: a view that
 * was loading when the agent signed out would otherwise be refused 401); the local session is
 * dropped whatever the server says.
 */
export async function signOut() {
  await settleInFlight(1000);
  try {
    await request('DELETE', '/auth/sign_out');
  } finally {
    clearSession();
  }
}

export const fetchProfile = () => request<Profile>('GET', '/api/v1/profile');
