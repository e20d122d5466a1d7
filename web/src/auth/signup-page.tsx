import { useState } from 'preact/hooks';
import { signUp } from '../api/auth.js';
import { AuthCard, AuthError, AuthField, useSubmission } from './auth-form.js';
import { BackToSignIn } from './password-pages.js';
import { enterWith } from './state.js';

/** Chatwoot's sign-up form, with the names POST /api/v1/accounts takes. */
const FIELDS = [
  { label: 'Your name', name: 'user_full_name', type: 'text', autocomplete: 'name', minLength: 2 },
  { label: 'Company name', name: 'account_name', type: 'text', autocomplete: 'organization', minLength: 2 },
  { label: 'Work e-mail', name: 'email', type: 'email', autocomplete: 'email' },
  { label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password' },
] as const;

/**
 * /app/auth/signup (Chatwoot's Signup screen), offered when the installation takes sign-ups: a new
 * account and its administrator. The server mails a confirmation link, which signs in; an API-only
 * installation signs in at once.
 */
export function SignupPage() {
  const [fields, setFields] = useState({ user_full_name: '', account_name: '', email: '', password: '' });
  const [mailedTo, setMailedTo] = useState('');
  const { error, busy, run } = useSubmission();
  const field = (name: (typeof FIELDS)[number]['name']) => (value: string) =>
    setFields((f) => ({ ...f, [name]: value }));

  const submit = () =>
    void run(async () => {
      const answer = await signUp({
        user_full_name: fields.user_full_name.trim(),
        account_name: fields.account_name.trim(),
        email: fields.email.trim(),
        password: fields.password,
      });
      if ('profile' in answer) enterWith(answer.profile);
      else setMailedTo(answer.email);
    });

  if (mailedTo) {
    return (
      <AuthCard title="Check your e-mail">
        <p role="status">We sent a confirmation link to {mailedTo}. Open it to confirm the address and sign in.</p>
        <BackToSignIn />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create a new account" label="Sign up" onSubmit={submit}>
      {FIELDS.map((f) => (
        <AuthField key={f.name} {...f} value={fields[f.name]} onInput={field(f.name)} />
      ))}
      <AuthError error={error} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create the account'}
      </button>
      <BackToSignIn />
    </AuthCard>
  );
}
