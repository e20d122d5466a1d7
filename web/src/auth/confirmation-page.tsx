import { useEffect, useState } from 'preact/hooks';
import { confirmWithToken } from '../api/auth.js';
import { BackToSignIn } from './password-pages.js';
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
    <main class="login-page">
      <div class="login-form">
        <h1>Confirming your e-mail</h1>
        {error ? (
          <p role="alert" class="error">
            {error}
          </p>
        ) : (
          <p role="status">One moment…</p>
        )}
        {error && (
          <p class="auth-links">
            <a href="/app/auth/reset/password">Send me a new link</a>
          </p>
        )}
        <BackToSignIn />
      </div>
    </main>
  );
}
