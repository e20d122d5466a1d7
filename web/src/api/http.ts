import { clearSession, loadSession, saveSession, sessionFrom } from './session.js';

/** A non-2xx answer, with Chatwoot's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(ApiError.describe(status, body));
  }

  static describe(status: number, body: unknown): string {
    if (body && typeof body === 'object') {
      const b = body as { error?: unknown; message?: unknown; errors?: unknown };
      if (typeof b.error === 'string') return b.error;
      if (typeof b.message === 'string') return b.message;
      if (Array.isArray(b.errors) && typeof b.errors[0] === 'string') return b.errors[0];
    }
    return `Request failed (${status})`;
  }
}

/** Called when the server no longer knows the session (401): the app goes back to sign-in. */
let onSignedOut: () => void = () => undefined;
export const whenSignedOut = (callback: () => void) => {
  onSignedOut = callback;
};

/** Requests on their way: signing out lets them finish first (sent after, they would be refused 401). */
const inFlight = new Set<Promise<unknown>>();

/** Resolves when the requests now on their way have answered, or after `ms`. */
export function settleInFlight(ms: number): Promise<void> {
  const waiting = Promise.allSettled([...inFlight]).then(() => undefined);
  return Promise.race([waiting, new Promise<void>((resolve) => setTimeout(resolve, ms))]);
}

/** A JSON request to the server's own origin, with the session's headers. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const sending = send<T>(method, path, body);
  inFlight.add(sending);
  return sending.finally(() => inFlight.delete(sending));
}

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const session = loadSession();
  if (session) Object.assign(headers, session);
  // FormData (attachments) goes as multipart: the browser writes its content-type with the boundary
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  const payload = body === undefined ? undefined : form ? body : JSON.stringify(body);
  const response = await fetch(path, { method, headers, body: payload });
  const fresh = sessionFrom(response.headers);
  if (fresh && session) saveSession(fresh);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!response.ok) {
    if (response.status === 401 && session && path !== '/auth/sign_in') {
      clearSession();
      onSignedOut();
    }
    throw new ApiError(response.status, parsed);
  }
  return parsed as T;
}

/**
 * A request that may start a session (sign-up): the session, when the response headers carry one,
 * is kept. Answers the body and whether it did.
 */
export async function requestMaybeSession<T>(
  path: string,
  body: unknown,
  method: 'POST' | 'PUT' = 'POST',
): Promise<{ body: T; signedIn: boolean }> {
  const response = await fetch(path, {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const parsed = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(response.status, parsed);
  const session = sessionFrom(response.headers);
  if (session) saveSession(session);
  return { body: parsed as T, signedIn: session !== undefined };
}

/** Sign-in (or a new password, a confirmed address): the session comes back in the response headers. */
export async function requestSession<T>(path: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<T> {
  const answer = await requestMaybeSession<T>(path, body, method);
  if (!answer.signedIn) throw new ApiError(200, { error: 'The server sent no session' });
  return answer.body;
}
