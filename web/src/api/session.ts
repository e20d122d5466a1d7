/**
 * devise_token_auth's session headers, kept in localStorage as Chatwoot's dashboard keeps its
 * auth data (it stores the same five values), and replaced by any fresher ones a response carries.
 */
export interface SessionHeaders {
  'access-token': string;
  client: string;
  uid: string;
  expiry: string;
  'token-type': string;
}

const KEY = 'confab.auth';
const NAMES = ['access-token', 'client', 'uid', 'expiry', 'token-type'] as const;

export function loadSession(): SessionHeaders | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<SessionHeaders> | null;
    if (stored?.['access-token'] && stored.client && stored.uid)
      return { 'token-type': 'Bearer', expiry: '', ...stored } as SessionHeaders;
  } catch {
    /* unreadable: signed out */
  }
  return undefined;
}

export function saveSession(session: SessionHeaders) {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  localStorage.removeItem(KEY);
}

/** The session a response hands back (sign-in, or a rotated token), if it carries one. */
export function sessionFrom(headers: Headers): SessionHeaders | undefined {
  const token = headers.get('access-token');
  const client = headers.get('client');
  const uid = headers.get('uid');
  if (!token || !client || !uid) return undefined;
  const values = Object.fromEntries(NAMES.map((name) => [name, headers.get(name) ?? '']));
  return { ...values, 'token-type': values['token-type'] || 'Bearer' } as SessionHeaders;
}
