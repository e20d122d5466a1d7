import { AppError, unprocessable } from '../../core/errors.js';

/**
 * The time window of a summary report, as Chatwoot's DateRangeHelper reads it: `since` and `until`
 * are Unix seconds and the window is [since, until) — until excluded. When either is missing there
 * is no window (`range` is nil upstream). Chatwoot's `DateTime.strptime(x, '%s')` raises on text
 * that is not a number (a 500 there); here that, an `until` before `since` and an absurd span are
 * a 422 `{"error": …}`.
 */
export interface Window {
  since: Date;
  until: Date;
}

/** The widest window a report reads: ten years and a few leap days. */
export const MAX_WINDOW_DAYS = 3_660;
/** Year 9999's last second, the latest a Unix-seconds parameter may name. */
const MAX_SECONDS = 253_402_300_799;
const DAY_MS = 86_400_000;

const blank = (raw: string | undefined) => raw === undefined || raw.trim() === '';

/** One Unix-seconds parameter, or a 422 naming it. */
export function unixSeconds(name: string, raw: string): Date {
  const text = raw.trim();
  if (!/^-?\d{1,12}$/.test(text) || Math.abs(Number(text)) > MAX_SECONDS) {
    throw unprocessable(`${name} must be a Unix timestamp in seconds`);
  }
  return new Date(Number(text) * 1000);
}

/** `since`/`until` → a window, null when either is blank; bad values are a 422. */
export function parseWindow(q: { since?: string | undefined; until?: string | undefined }): Window | null {
  if (blank(q.since) || blank(q.until)) {
    // a lone malformed value is still refused: it is a mistake, not an absent filter
    if (!blank(q.since)) unixSeconds('since', q.since!);
    if (!blank(q.until)) unixSeconds('until', q.until!);
    return null;
  }
  const since = unixSeconds('since', q.since!);
  const until = unixSeconds('until', q.until!);
  if (until.getTime() < since.getTime()) throw unprocessable('until must not be before since');
  if (until.getTime() - since.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw unprocessable(`The date range cannot exceed ${MAX_WINDOW_DAYS} days`);
  }
  return { since, until };
}

/** CustomExceptions::Report::InvalidDateRange, rendered by render_error_response: 422 `{message}`. */
export const dateRangeTooLong = () =>
  new AppError('unprocessable', 422, { message: 'Date range cannot exceed 6 months' });

/**
 * ChannelSummaryBuilder's limit: the days between the two UTC dates exceed 6.months (ActiveSupport's
 * 6 × 30.436875 days), so 182 days pass and 183 do not.
 */
export function exceedsSixMonths(window: Window): boolean {
  const day = (d: Date) => Math.floor(d.getTime() / DAY_MS);
  return (day(window.until) - day(window.since)) * 86_400 > 6 * 2_629_746;
}

/** ActiveModel::Type::Boolean: blank is nil, these strings are false, anything else is true. */
export function castBoolean(raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false;
  return !['0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF'].includes(raw);
}

/** An id filter as Rails casts it: blank is no filter, text that is not a number matches nothing (0). */
export function idFilter(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = raw.trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : 0;
}

/** An id list (`inbox_ids[]=1&inbox_ids[]=2`, or one value), blanks dropped, non-numbers as 0. */
export function idList(raw: string | string[] | undefined): number[] {
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return values.filter((v) => v !== '').map((v) => idFilter(v) ?? 0);
}
