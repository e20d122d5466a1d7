import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * The frame of the signed-out pages (sign-in, password, confirmation): a centred card, a form when
 * `onSubmit` is given (named `label` for assistive technology), else a plain card.
 */
export function AuthCard(props: { title: string; label?: string; onSubmit?: () => void; children: ComponentChildren }) {
  const body = (
    <>
      <h1>{props.title}</h1>
      {props.children}
    </>
  );
  return (
    <main class="login-page">
      {props.onSubmit ? (
        <form
          class="login-form"
          aria-label={props.label ?? props.title}
          onSubmit={(e) => {
            e.preventDefault();
            props.onSubmit?.();
          }}
        >
          {body}
        </form>
      ) : (
        <div class="login-form">{body}</div>
      )}
    </main>
  );
}

/** A labelled input of these pages, required. */
export function AuthField(props: {
  label: string;
  name: string;
  type: 'text' | 'email' | 'password';
  autocomplete: string;
  minLength?: number;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        // Preact's typings tie each input type to its own attributes; these three take the same ones
        type={props.type as 'email'}
        name={props.name}
        autocomplete={props.autocomplete}
        required
        minLength={props.minLength}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}

/** What went wrong, announced; nothing when there is nothing. */
export function AuthError({ error, children }: { error: string; children?: ComponentChildren }) {
  if (!error) return null;
  return (
    <p role="alert" class="error">
      {error}
      {children}
    </p>
  );
}

/** A line of links under the form (the way back, a new link). */
export function AuthLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <p class="auth-links">
      <a href={href}>{children}</a>
    </p>
  );
}

/** A request of the signed-out pages: busy meanwhile, its failure's message kept. */
export function useSubmission() {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}
