import { useState } from 'preact/hooks';

/** A token or secret, hidden until asked for, with a copy button. */
export function Secret({ label, value }: { label: string; value: string }) {
  const [shown, setShown] = useState(false);
  return (
    <span class="secret">
      <code data-secret={label}>{shown ? value : '••••••••••••'}</code>
      <button type="button" aria-pressed={shown} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'}
        <span class="visually-hidden"> {label}</span>
      </button>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(value).catch(() => undefined)}>
        Copy<span class="visually-hidden"> {label}</span>
      </button>
    </span>
  );
}
