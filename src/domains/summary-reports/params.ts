import { AppError } from '../../core/errors.js';
import type { Window } from '../../core/reports/range.js';

const DAY_MS = 86_400_000;

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
