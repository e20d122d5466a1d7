import { request, requestMaybeSession, requestSession, settleInFlight } from './http.js';
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

/** POST /auth/password: mails a reset link; the same answer whether the address is known or not. */
export const requestPasswordReset = (email: string) =>
  request<{ message: string }>('POST', '/auth/password', { email }).then((body) => body.message);

/** PUT /auth/password with the token of a reset or invitation mail: sets the password and signs in. */
export const setPasswordWithToken = (input: {
  reset_password_token: string;
  password: string;
  password_confirmation: string;
}) => requestSession<{ data: Profile }>('/auth/password', input, 'PUT').then((body) => body.data);

/** POST /auth/confirmation with the token of a confirmation mail: confirms the address and signs in. */
export const confirmWithToken = (confirmation_token: string) =>
  requestSession<{ data: Profile }>('/auth/confirmation', { confirmation_token }).then((body) => body.data);

/** Whether this installation takes sign-ups: the server says so in the page (core/http/web-app.ts). */
export const signupEnabled = () => document.querySelector('meta[name="confab-signup"]') !== null;

/**
 * POST /api/v1/accounts: a new account and its administrator. An installation that answers with a
 * session (API-only) has signed the user in: the profile follows. Otherwise the user must follow
 * the confirmation mail first: the address it went to.
 */
export async function signUp(input: {
  account_name: string;
  user_full_name: string;
  email: string;
  password: string;
}): Promise<{ profile: Profile } | { email: string }> {
  const answer = await requestMaybeSession<{ email?: string }>('/api/v1/accounts', input);
  if (answer.signedIn) return { profile: await fetchProfile() };
  return { email: answer.body.email ?? input.email };
}
