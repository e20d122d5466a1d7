/**
 * What the report downloads print around their figures, as Chatwoot's `*.csv.erb` views do: times
 * through Reports::TimeFormatPresenter, and the reports.period line.
 */
import { unprocessable } from '../errors.js';
import { parseWindow, type Window } from './range.js';

const UNITS: [number, string][] = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** Reports::TimeFormatPresenter#format: "--" for none, else the two largest non-zero units. */
export function formatDuration(seconds: number | null | undefined): string {
  const total = Math.trunc(seconds ?? 0);
  if (total === 0) return '--';
  let rest = Math.abs(total);
  const parts: string[] = [];
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  }
  return parts.slice(0, 2).join(' ');
}

/** `Date.strptime(x, '%s')`: the UTC date of an instant. */
export const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/** reports.period: "Reporting period 2024-01-15 to 2024-01-16". */
export const reportingPeriod = (w: Window) => `Reporting period ${utcDate(w.since)} to ${utcDate(w.until)}`;

/**
 * The window of a download whose view prints the period from `since` and `until`: both required
 * (Chatwoot's Date.strptime(nil) is a 500), refused as every report refuses a window.
 */
export function requiredWindow(input: {
  since?: string | number | undefined;
  until?: string | number | undefined;
}): Window {
  const window = parseWindow(input);
  if (!window) throw unprocessable('since and until are required');
  return window;
}
