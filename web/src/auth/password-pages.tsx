import { useState } from 'preact/hooks';
import { requestPasswordReset, setPasswordWithToken } from '../api/auth.js';
import { AuthCard, AuthError, AuthField, AuthLink, useSubmission } from './auth-form.js';
import { enterWith } from './state.js';

export const RESET_PAGE = '/app/auth/reset/password';

/** The way back from these pages. */
export const BackToSignIn = () => <AuthLink href="/app/login">Back to sign in</AuthLink>;

/**
 * /app/auth/reset/password (Chatwoot's ResetPassword screen): asks for a reset mail. The server
 * answers the same whether the address is known or not, and so does this page.
 */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState('');
  const { error, busy, run } = useSubmission();

  return (
    <AuthCard
      title="Reset your password"
      label="Reset password"
      onSubmit={() => void run(async () => setSent(await requestPasswordReset(email.trim())))}
    >
      {sent ? (
        <p role="status">{sent}</p>
      ) : (
        <>
          <p>Enter the e-mail you sign in with: a link to choose a new password will be sent to it.</p>
          <AuthField
            label="E-mail"
            name="email"
            type="email"
            autocomplete="username"
            value={email}
            onInput={setEmail}
          />
          <AuthError error={error} />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send the reset link'}
          </button>
        </>
      )}
      <BackToSignIn />
    </AuthCard>
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
  const { error, setError, busy, run } = useSubmission();

  const submit = () => {
    if (password !== confirmation) return setError('The two passwords differ');
    void run(async () =>
      enterWith(
        await setPasswordWithToken({ reset_password_token: token, password, password_confirmation: confirmation }),
      ),
    );
  };

  if (!token) {
    return (
      <AuthCard title="Choose a password">
        <AuthError error="This link is incomplete: open the one in your e-mail, or ask for a new one." />
        <AuthLink href={RESET_PAGE}>Send me a new link</AuthLink>
        <BackToSignIn />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a password" onSubmit={submit}>
      <AuthField
        label="New password"
        name="password"
        type="password"
        autocomplete="new-password"
        value={password}
        onInput={setPassword}
      />
      <AuthField
        label="Confirm the password"
        name="password_confirmation"
        type="password"
        autocomplete="new-password"
        value={confirmation}
        onInput={setConfirmation}
      />
      <AuthError error={error}>
        {error === 'Invalid token' && (
          <>
            {' '}
            (used already, or expired): <a href={RESET_PAGE}>send me a new link</a>
          </>
        )}
      </AuthError>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Set the password and sign in'}
      </button>
      <BackToSignIn />
    </AuthCard>
  );
}
