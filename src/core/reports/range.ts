/**
 * The time window every report reads (reports, summary reports, CSV downloads, CSAT responses) and
 * the timeseries' buckets; in core so that each report domain uses this one parser. A report's
 * time range and buckets, as Chatwoot's reports read `since`, `until`, `group_by`,
 * `timezone_offset` and `business_hours` (DateRangeHelper, TimezoneHelper, groupdate):
 *
 * - `since`/`until` are unix seconds; the range is `since...until` (until excluded). Either one
 *   missing is Chatwoot's nil range: the report counts nothing (null here).
 * - `group_by` is day, week, month, year or hour; anything else is day (BaseTimeseriesBuilder).
 * - Buckets start at local midnights (hours for `hour`) in the zone chosen from the offset
 *   (zones.ts); weeks start on Sunday, groupdate's default, which Chatwoot keeps.
 * - The series holds the bucket containing `since` and every later bucket that starts before
 *   `until`, empty ones included (groupdate's `range:` with `default_value: 0`).
 *
 * Where Chatwoot answers nonsense with a 500 or a silently empty report, Confab refuses with a 422:
 * timestamps that are not integers, `since` after `until`, an offset that is not a number of hours
 * between -12 and +14, and ranges longer than a report can show (MAX_RANGE_DAYS, MAX_BUCKETS).
 */
import { sql, type RawBuilder } from 'kysely';
import { unprocessable } from '../errors.js';
import { epochDate, isBlank } from '../http/values.js';
import { UTC_ZONE, zoneForOffset, type ReportZone } from './zones.js';

export const GROUP_BYS = ['day', 'week', 'month', 'year', 'hour'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The longest range a report covers: ten years and a few days (a "last year" preset fits with room). */
export const MAX_RANGE_DAYS = 3_660;
/** The most buckets one timeseries returns (an hourly report over a leap year). */
export const MAX_BUCKETS = 8_784;

const SECONDS: Record<GroupBy, number> = {
  hour: 3_600,
  day: 86_400,
  week: 7 * 86_400,
  month: 28 * 86_400,
  year: 365 * 86_400,
};

/** What a report request says about time (query-string values, unparsed). */
export interface RangeInput {
  since?: string | number | undefined;
  until?: string | number | undefined;
  group_by?: string | undefined;
  timezone_offset?: string | number | undefined;
  business_hours?: string | boolean | undefined;
}

/** A validated report range. */
export interface ReportRange extends Window {
  groupBy: GroupBy;
  zone: ReportZone;
  /** Average value_in_business_hours instead of value. */
  businessHours: boolean;
}

/** ActiveModel::Type::Boolean#cast: blank is nil (false here), FALSE_VALUES are false, the rest true. */
export function castBoolean(value: string | boolean | undefined): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === '') return false;
  return !['0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF'].includes(value);
}

/** Hours east of UTC ("5.5", "-8"); blank is undefined (UTC). */
export function parseOffset(raw: string | number | undefined): number | undefined {
  if (raw === undefined || (typeof raw === 'string' && isBlank(raw))) return undefined;
  const text = String(raw).trim();
  const hours = /^[+-]?\d{1,2}(\.\d{1,4})?$/.test(text) ? Number(text) : Number.NaN;
  if (!(hours >= -12 && hours <= 14)) {
    throw unprocessable('timezone_offset must be a number of hours between -12 and 14');
  }
  return hours;
}

/** A validated `since...until` window (until excluded). */
export interface Window {
  since: Date;
  until: Date;
}

const missing = (value: string | number | undefined) =>
  value === undefined || (typeof value === 'string' && isBlank(value));

function parseTime(raw: string | number, name: string): Date {
  const at = epochDate(raw);
  if (!at) throw unprocessable(`${name} must be a Unix timestamp in seconds`);
  return at;
}

/**
 * `since`/`until` as every report reads them (DateRangeHelper#range): null when either is blank
 * (Chatwoot's nil range). The one place a report's window is refused, so every endpoint words the
 * same mistake the same way: a value that is not Unix seconds (even a lone one: it is a mistake,
 * not an absent filter), `since` after `until`, a window longer than `maxDays`.
 */
export function parseWindow(
  input: { since?: string | number | undefined; until?: string | number | undefined },
  maxDays: number = MAX_RANGE_DAYS,
): Window | null {
  const since = missing(input.since) ? undefined : parseTime(input.since!, 'since');
  const until = missing(input.until) ? undefined : parseTime(input.until!, 'until');
  if (!since || !until) return null;
  if (since > until) throw unprocessable('since must not be after until');
  if (until.getTime() - since.getTime() > maxDays * 86_400_000) {
    throw unprocessable(`The range between since and until is limited to ${maxDays} days`);
  }
  return { since, until };
}

/**
 * Validates a report's range. Null when `since` or `until` is missing (Chatwoot's nil range, which
 * counts nothing); throws a 422 for values no report can answer. `now` picks the zone (zones.ts).
 */
export function parseReportRange(input: RangeInput, now: Date): ReportRange | null {
  const offset = parseOffset(input.timezone_offset);
  const zone = offset === undefined ? UTC_ZONE : zoneForOffset(offset, now);
  const groupBy = GROUP_BYS.find((g) => g === input.group_by) ?? 'day';
  const window = parseWindow(input);
  if (!window) return null;
  const seconds = (window.until.getTime() - window.since.getTime()) / 1000;
  if (seconds / SECONDS[groupBy] > MAX_BUCKETS) {
    throw unprocessable(`A report has at most ${MAX_BUCKETS} buckets; choose a shorter range or a larger group_by`);
  }
  return { ...window, groupBy, zone, businessHours: castBoolean(input.business_hours) };
}

/**
 * Chatwoot's previous period for /reports/summary: as long as the current one, ending at its start
 * (ReportsController#range computes it from the raw seconds).
 */
export function previousRange(range: ReportRange): ReportRange {
  const length = range.until.getTime() - range.since.getTime();
  return { ...range, since: new Date(range.since.getTime() - length), until: range.since };
}

/** The local wall-clock bucket start (timestamp without time zone) of a timestamptz expression. */
function localBucket(at: RawBuilder<unknown>, range: ReportRange): RawBuilder<unknown> {
  const local = sql`(${at} at time zone ${range.zone.zone})`;
  if (range.groupBy === 'week') {
    // PostgreSQL's weeks start on Monday; groupdate's on Sunday: shift a day there and back
    return sql`(date_trunc('week', ${local} + interval '1 day') - interval '1 day')`;
  }
  return sql`date_trunc(${sql.lit(range.groupBy)}, ${local})`;
}

/** The instant a bucket starts at, for each value of a timestamptz column (the grouping key). */
export function bucketOf(column: RawBuilder<unknown>, range: ReportRange): RawBuilder<Date> {
  return sql<Date>`(${localBucket(column, range)} at time zone ${range.zone.zone})`;
}

/**
 * One row per bucket of the series, `bucket` being its start instant (equal to bucketOf's key for
 * a row in it): the bucket containing `since`, then each one that starts before `until`.
 * Days and longer step in local time (a day across a DST change is 23 or 25 hours); hours step in
 * real time, as groupdate adds 1.hour to a zoned time.
 */
export function bucketSeries(range: ReportRange): RawBuilder<{ bucket: Date }> {
  const since = sql`${range.since.toISOString()}::timestamptz`;
  const until = sql`${range.until.toISOString()}::timestamptz`;
  const zone = range.zone.zone;
  if (range.groupBy === 'hour') {
    const first = bucketOf(since, range);
    return sql`select s.b as bucket from generate_series(${first}, ${until}, interval '1 hour') as s(b)
      where s.b = ${first} or s.b < ${until}`;
  }
  const first = localBucket(since, range);
  const step = sql.raw(`interval '1 ${range.groupBy}'`);
  return sql`select (s.b at time zone ${zone}) as bucket
      from generate_series(${first}, (${until} at time zone ${zone}), ${step}) as s(b)
      where s.b = ${first} or (s.b at time zone ${zone}) < ${until}`;
}

/** The range's bounds as SQL values, for `created_at >= since and created_at < until`. */
export function rangeBounds(range: ReportRange): { since: RawBuilder<Date>; until: RawBuilder<Date> } {
  return {
    since: sql<Date>`${range.since.toISOString()}::timestamptz`,
    until: sql<Date>`${range.until.toISOString()}::timestamptz`,
  };
}
