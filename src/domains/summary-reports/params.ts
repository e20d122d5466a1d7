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
