import { useState } from 'preact/hooks';
import { requestPasswordReset, setPasswordWithToken } from '../api/auth.js';
import { enterWith } from './state.js';

/** The way back from these pages. */
export function BackToSignIn() {
  return (
    <p class="auth-links">
      <a href="/app/login">Back to sign in</a>
    </p>
  );
}

/**
 * /app/auth/reset/password (Chatwoot's ResetPassword screen): asks for a reset mail. The server
 * answers the same whether the address is known or not, and so does this page.
 */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError('');
    try {
      setSent(await requestPasswordReset(email.trim()));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login-page">
      <form
        class="login-form"
        aria-label="Reset password"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>Reset your password</h1>
        {sent ? (
          <p role="status">{sent}</p>
        ) : (
          <>
            <p>Enter the e-mail you sign in with: a link to choose a new password will be sent to it.</p>
            <label>
              E-mail
              <input
                type="email"
                name="email"
                autocomplete="username"
                required
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            </label>
            {error && (
              <p role="alert" class="error">
                {error}
              </p>
            )}
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Sending…' : 'Send the reset link'}
            </button>
          </>
        )}
        <BackToSignIn />
      </form>
    </main>
  );
}

/**
 * /app/auth/password/edit?reset_password_token=… (Chatwoot's PasswordEdit screen): the link of a
 * reset mail, and of an invited agent's mail, who has no password yet. A new password signs in.
 */
export function SetPasswordPage({ search }: { search: URLSearchParams }) {
  const token = search.get('reset_password_token') ?? '';
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (password !== confirmation) return setError('The two passwords differ');
    setBusy(true);
    setError('');
    try {
      enterWith(
        await setPasswordWithToken({
          reset_password_token: token,
          password,
          password_confirmation: confirmation,
        }),
      );
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <main class="login-page">
        <div class="login-form">
          <h1>Choose a password</h1>
          <p role="alert" class="error">
            This link is incomplete: open the one in your e-mail, or ask for a new one.
          </p>
          <p class="auth-links">
            <a href="/app/auth/reset/password">Send me a new link</a>
          </p>
          <BackToSignIn />
        </div>
      </main>
    );
  }
  return (
    <main class="login-page">
      <form
        class="login-form"
        aria-label="Choose a password"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>Choose a password</h1>
        <label>
          New password
          <input
            type="password"
            name="password"
            autocomplete="new-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <label>
          Confirm the password
          <input
            type="password"
            name="password_confirmation"
            autocomplete="new-password"
            required
            value={confirmation}
            onInput={(e) => setConfirmation(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p role="alert" class="error">
            {error}
            {error === 'Invalid token' && (
              <>
                {' '}
                (used already, or expired): <a href="/app/auth/reset/password">send me a new link</a>
              </>
            )}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Set the password and sign in'}
        </button>
        <BackToSignIn />
      </form>
    </main>
  );
}
