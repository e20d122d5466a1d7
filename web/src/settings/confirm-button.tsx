import { useState } from 'preact/hooks';

/**
 * A destructive action that asks once more on the same button ("Delete", then "Confirm delete"):
 * no modal to trap focus in, and leaving the button disarms it. An error is announced beside it.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  subject,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  subject?: string;
  onConfirm(): Promise<unknown>;
}) {
  const [armed, setArmed] = useState(false);
  const [error, setError] = useState('');
  const click = async () => {
    if (!armed) return setArmed(true);
    setError('');
    try {
      await onConfirm();
    } catch (e) {
      setError((e as Error).message);
    }
    setArmed(false);
  };
  const shown = armed ? confirmLabel : label;
  return (
    <>
      <button
        type="button"
        class={armed ? 'danger' : ''}
        aria-label={subject ? `${shown} ${subject}` : undefined}
        onClick={() => void click()}
        onBlur={() => setArmed(false)}
      >
        {shown}
      </button>
      {error && <span role="alert">{error}</span>}
    </>
  );
}
