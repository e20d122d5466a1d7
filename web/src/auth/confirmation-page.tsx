import { useEffect, useState } from 'preact/hooks';
import { confirmWithToken } from '../api/auth.js';
import { AuthCard, AuthError, AuthLink } from './auth-form.js';
import { BackToSignIn, RESET_PAGE } from './password-pages.js';
import { enterWith } from './state.js';

/** What the server's 422 messages (DeviseOverrides::ConfirmationsController) mean to the person who clicked. */
const FAILURES: Record<string, string> = {
  'Already confirmed': 'Your e-mail is confirmed already: sign in.',
  Failure: 'This confirmation link has expired: sign in, or set a password from a new link.',
  'Invalid token': 'This confirmation link is not valid: sign in, or set a password from a new link.',
};

/** The tokens already sent: a confirmation token works once, and a second mount must not spend it again. */
const sent = new Set<string>();

/**
 * /app/auth/confirmation?confirmation_token=… (Chatwoot's Confirmation screen): the link of a
 * confirmation mail. Confirms the address and signs in; a used or expired link says so.
 */
export function ConfirmationPage({ search }: { search: URLSearchParams }) {
  const token = search.get('confirmation_token') ?? '';
  const [error, setError] = useState(token ? '' : 'This link is incomplete: open the one in your e-mail.');

  useEffect(() => {
    if (!token || sent.has(token)) return;
    sent.add(token);
    confirmWithToken(token).then(enterWith, (e: Error) => setError(FAILURES[e.message] ?? e.message));
  }, [token]);

  return (
    <AuthCard title="Confirming your e-mail">
      {error ? <AuthError error={error} /> : <p role="status">One moment…</p>}
      {error && <AuthLink href={RESET_PAGE}>Send me a new link</AuthLink>}
      <BackToSignIn />
    </AuthCard>
  );
}
