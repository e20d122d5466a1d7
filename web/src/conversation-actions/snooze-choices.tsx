import { useState } from 'preact/hooks';
import { SNOOZE_PRESETS } from './snooze.js';

/** A `datetime-local` value (local time, minutes) for a date. */
const localInput = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/**
 * The snooze presets and, below them, a date and time of the agent's choosing (Chatwoot's custom
 * snooze): each calls `onPick` with unix seconds, or null for "until the next reply". A time in
 * the past is refused here, as the server would.
 */
export function SnoozeChoices({ idPrefix, onPick }: { idPrefix: string; onPick(until: number | null): void }) {
  const [error, setError] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget as HTMLFormElement).get('until') ?? '');
    const until = value ? new Date(value).getTime() : Number.NaN;
    if (!Number.isFinite(until) || until <= Date.now()) return setError('Choose a time in the future');
    setError('');
    onPick(Math.floor(until / 1000));
  };
  const id = `${idPrefix}-snooze-until`;
  return (
    <>
      <p class="menu-heading">Snooze</p>
      {SNOOZE_PRESETS.map((preset) => (
        <button
          key={preset.key}
          type="button"
          data-snooze={preset.key}
          onClick={() => onPick(preset.until(new Date()))}
        >
          {preset.label}
        </button>
      ))}
      <form class="snooze-custom" aria-label="Snooze until a date and time" onSubmit={submit}>
        <label for={id}>Until</label>
        <input id={id} name="until" type="datetime-local" min={localInput(new Date())} required />
        <button type="submit" data-snooze="custom">
          Snooze
        </button>
        {error && <span role="alert">{error}</span>}
      </form>
    </>
  );
}
