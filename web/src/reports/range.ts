import type { GroupBy, Range } from '../api/reports.js';

// The dashboard's date ranges and groupings (Chatwoot's reports DateRange / DateGroupBy filters):
// whole local days from the first day's midnight to the end of today, in the browser's zone.

export type Preset = '7d' | '30d' | '3m' | '6m' | '1y' | 'custom';

/** The presets, with the number of days each covers up to and including today. */
export const PRESETS: Array<[Preset, string, number]> = [
  ['7d', 'Last 7 days', 7],
  ['30d', 'Last 30 days', 30],
  ['3m', 'Last 3 months', 90],
  ['6m', 'Last 6 months', 180],
  ['1y', 'Last year', 365],
  ['custom', 'Custom range', 0],
];

/** Local midnight of a date. */
const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());

/** The browser's offset from UTC in hours now, as Chatwoot's dashboard sends it (5.5 for India). */
export const browserOffset = () => -new Date().getTimezoneOffset() / 60;

/** `yyyy-mm-dd` of a local date, for date inputs. */
export const isoDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** A local `yyyy-mm-dd` as the Date of its midnight. */
export const parseDay = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
};

/** The range a preset covers (from its first day's midnight to the next midnight after today). */
export function presetRange(preset: Preset, custom: { from: string; to: string }, now = new Date()): Range {
  const days = PRESETS.find(([p]) => p === preset)?.[2] ?? 7;
  // calendar days, not 24-hour steps: a DST change in the range moves no boundary off midnight
  const first =
    preset === 'custom'
      ? parseDay(custom.from)
      : new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  const last = preset === 'custom' ? parseDay(custom.to) : startOfDay(now);
  // the day after the last one, by the calendar (a DST day is not 24 hours)
  const end = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  return {
    since: Math.floor(first.getTime() / 1000),
    until: Math.floor(end.getTime() / 1000),
    timezone_offset: browserOffset(),
  };
}

/** The groupings that make sense for a range (Chatwoot offers week from 30 days, month from 3 months). */
export function groupings(range: Range): GroupBy[] {
  const days = (range.until - range.since) / 86_400;
  const options: GroupBy[] = ['day'];
  if (days > 7) options.push('week');
  if (days > 31) options.push('month');
  if (days > 366) options.push('year');
  return options;
}

/** Durations as the dashboard shows them: "45s", "3m 20s", "2h 5m", "3d 4h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3_600)}h ${Math.floor((s % 3_600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3_600)}h`;
}

/** A bucket's label: the day, the week's first day, the month or the year. */
export function bucketLabel(timestamp: number, groupBy: GroupBy): string {
  const date = new Date(timestamp * 1000);
  if (groupBy === 'year') return String(date.getFullYear());
  if (groupBy === 'month') return date.toLocaleDateString(undefined, { month: 'short', year: 'numeric' });
  if (groupBy === 'hour') return date.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit' });
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Saves text as a file through a temporary link (the API needs the session's headers, so no plain link). */
export function saveFile(name: string, text: string, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
