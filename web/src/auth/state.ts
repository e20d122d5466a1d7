import { fetchProfile, signIn, signOut } from '../api/auth.js';
import { whenSignedOut } from '../api/http.js';
import { loadSession } from '../api/session.js';
import type { Profile } from '../api/types.js';
import { navigate } from '../lib/router.js';
import { createStore } from '../lib/store.js';

export type AuthState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; profile: Profile };

export const auth = createStore<AuthState>({ status: 'loading' });

/** The account the user is in: the one asked for when the user belongs to it, else the default. */
export function pickAccount(profile: Profile, wanted?: number): number | undefined {
  if (wanted && profile.accounts.some((a) => a.id === wanted)) return wanted;
  if (profile.account_id && profile.accounts.some((a) => a.id === profile.account_id)) return profile.account_id;
  return profile.accounts[0]?.id;
}

whenSignedOut(() => auth.set({ status: 'signed-out' }));

/** At start: a stored session is checked with GET /api/v1/profile (it survives a reload). */
export async function restoreSession() {
  if (!loadSession()) return auth.set({ status: 'signed-out' });
  try {
    auth.set({ status: 'signed-in', profile: await fetchProfile() });
  } catch {
    auth.set({ status: 'signed-out' });
  }
}

export async function signInWith(credentials: { email: string; password?: string; sso_auth_token?: string }) {
  // sign-in answers with the profile (the same serializer as GET /api/v1/profile): no second request
  enterWith(await signIn(credentials));
}

/** Signed in with `profile` (a sign-in, a new password or a confirmed address answered with it): into the app. */
export function enterWith(profile: Profile) {
  auth.set({ status: 'signed-in', profile });
  const account = pickAccount(profile);
  navigate(account ? `/accounts/${account}/conversations` : '/', { replace: true });
}

export async function signOutNow() {
  await signOut().catch(() => undefined);
  auth.set({ status: 'signed-out' });
  navigate('/login', { replace: true });
}
