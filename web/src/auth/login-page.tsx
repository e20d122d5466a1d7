import { useEffect, useState } from 'preact/hooks';
import { signupEnabled } from '../api/auth.js';
import { AuthCard, AuthError, AuthField, AuthLink, useSubmission } from './auth-form.js';
import { signInWith } from './state.js';

/**
 * /app/login: e-mail and password, or the Platform API's one-time link
 * (`/app/login?email=…&sso_auth_token=…`), which signs in at once and leaves the URL. Links to
 * the reset of a forgotten password (password-pages.tsx), and to sign-up when the installation takes them.
 */
export function LoginPage({ search }: { search: URLSearchParams }) {
  const [email, setEmail] = useState(search.get('email') ?? '');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useSubmission();
  // where GET /auth/confirmation (a confirmation mail's link, opened on the server) sends the browser
  const confirmed = search.get('account_confirmation_success');

  const attempt = (credentials: { email: string; password?: string; sso_auth_token?: string }) =>
    run(() => signInWith(credentials));

  useEffect(() => {
    const token = search.get('sso_auth_token');
    const linkEmail = search.get('email');
    if (!token || !linkEmail) return;
    // the token is used once: it leaves the address bar and the history before the request
    window.history.replaceState(null, '', '/app/login');
    void attempt({ email: linkEmail, sso_auth_token: token });
  }, []);

  return (
    <AuthCard
      title="Sign in to Confab"
      label="Sign in"
      onSubmit={() => void attempt({ email: email.trim(), password })}
    >
      {confirmed === 'true' && <p role="status">Your e-mail is confirmed: sign in.</p>}
      <AuthError error={confirmed === 'false' ? 'That confirmation link has been used already or has expired.' : ''} />
      <AuthField label="E-mail" name="email" type="email" autocomplete="username" value={email} onInput={setEmail} />
      <AuthField
        label="Password"
        name="password"
        type="password"
        autocomplete="current-password"
        value={password}
        onInput={setPassword}
      />
      <AuthError error={error} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <AuthLink href="/app/auth/reset/password">Forgot your password?</AuthLink>
      {signupEnabled() && <AuthLink href="/app/auth/signup">Create a new account</AuthLink>}
    </AuthCard>
  );
}
