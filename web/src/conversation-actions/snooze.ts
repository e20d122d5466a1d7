/**
 * Chatwoot's snooze presets (the dashboard's SNOOZE_OPTIONS): until the next reply (no time), an
 * hour from now, tomorrow at 9:00, next Monday at 9:00, the first of next month at 9:00 — local time.
 */
export interface SnoozePreset {
  key: string;
  label: string;
  /** Unix seconds, or null for "until the contact replies". */
  until(now: Date): number | null;
}

const at9 = (date: Date) => {
  const copy = new Date(date);
  copy.setHours(9, 0, 0, 0);
  return Math.floor(copy.getTime() / 1000);
};

export const SNOOZE_PRESETS: SnoozePreset[] = [
  { key: 'next-reply', label: 'Until next reply', until: () => null },
  { key: 'hour', label: 'For an hour', until: (now) => Math.floor(now.getTime() / 1000) + 3600 },
  {
    key: 'tomorrow',
    label: 'Until tomorrow',
    until: (now) => at9(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)),
  },
  {
    key: 'next-week',
    label: 'Until next week',
    // the Monday after this week (Monday counts as the week's first day, as date-fns' weekStartsOn: 1)
    until: (now) => at9(new Date(now.getFullYear(), now.getMonth(), now.getDate() + ((8 - now.getDay()) % 7 || 7))),
  },
  {
    key: 'next-month',
    label: 'Until next month',
    until: (now) => at9(new Date(now.getFullYear(), now.getMonth() + 1, 1)),
  },
];

/** "Snoozed until Tue 9:00" for the header, or "until next reply". */
export function snoozedLabel(until: string | null | undefined): string {
  if (!until) return 'Snoozed until next reply';
  const date = new Date(until);
  return `Snoozed until ${date.toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}`;
}
