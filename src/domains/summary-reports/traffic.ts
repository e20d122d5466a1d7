import { sql } from 'kysely';
import { spreadsheetCsv } from '../../core/csv/spreadsheet.js';
import { unprocessable } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import type { TrafficQuery } from './schemas.js';

/**
 * ReportsController#conversation_traffic (Api::V2::Accounts::HeatmapHelper): conversations created
 * per hour over the `days_before` (default 6) whole days before today, today being the current day
 * at `timezone_offset` hours from UTC. A row per hour of the day ("00:00" … "23:00"), a column per
 * date in that zone, after a "Timezone" line.
 *
 * The offset is applied as a fixed offset (5.5 is +05:30 all year): the dashboard sends the
 * browser's current offset, and a fixed offset has no DST gaps, so every day has 24 hours.
 * Upstream's ActiveSupport::TimeZone[offset] picks a named zone for the offset; its name is not
 * reproduced, the label is the offset "(GMT+05:30)".
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const MAX_DAYS_BEFORE = 366;

/** timezone_offset in hours: -12 to +14 in quarter hours (every offset in use); blank is 0. */
export function parseOffsetHours(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 0;
  const text = raw.trim();
  const hours = /^[-+]?\d{1,2}(\.\d{1,4})?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(hours) || hours < -12 || hours > 14 || !Number.isInteger(hours * 4)) {
    throw unprocessable('timezone_offset must be hours from UTC between -12 and 14');
  }
  return hours;
}

function parseDaysBefore(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 6;
  const text = raw.trim();
  if (!/^\d{1,4}$/.test(text) || Number(text) > MAX_DAYS_BEFORE) {
    throw unprocessable(`days_before must be a whole number of days up to ${MAX_DAYS_BEFORE}`);
  }
  return Number(text);
}

/** "(GMT+05:30)", "(GMT-08:00)", "(GMT+00:00)". */
export function offsetLabel(hours: number): string {
  const minutes = Math.round(Math.abs(hours) * 60);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `(GMT${hours < 0 ? '-' : '+'}${hh}:${mm})`;
}

/** The heatmap's rows: the header of dates, then one row per hour of the day. */
export async function trafficRows(ctx: AccountCtx, q: TrafficQuery, now: Date): Promise<(string | number)[][]> {
  const offsetMs = parseOffsetHours(q.timezone_offset) * HOUR_MS;
  const days = parseDaysBefore(q.days_before);
  const todayStart = Math.floor((now.getTime() + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  const since = todayStart - days * DAY_MS;
  // one grouped read; hour buckets are counted from `since`, which is a local midnight
  const { rows } = await sql<{ bucket: number; n: string }>`
    select floor(extract(epoch from (c.created_at - ${new Date(since)}::timestamptz)) / 3600)::int as bucket,
      count(*) as n
    from conversations c
    where c.account_id = ${ctx.account.id} and c.created_at >= ${new Date(since)} and c.created_at < ${new Date(todayStart)}
    group by 1`.execute(ctx.db);
  const counts = new Map(rows.map((r) => [Number(r.bucket), Number(r.n)]));
  const dates = Array.from({ length: days }, (_, d) =>
    new Date(since + offsetMs + d * DAY_MS).toISOString().slice(0, 10),
  );
  const table: (string | number)[][] = [['Start of the hour', ...dates]];
  for (let hour = 0; hour < 24; hour++) {
    table.push([`${String(hour).padStart(2, '0')}:00`, ...dates.map((_, d) => counts.get(d * 24 + hour) ?? 0)]);
  }
  return table;
}

/** GET /reports/conversation_traffic (conversation_traffic_reports.csv). */
export async function conversationTrafficCsv(ctx: AccountCtx, q: TrafficQuery, now = new Date()) {
  requireAdministrator(ctx);
  const rows = await trafficRows(ctx, q, now);
  return `${spreadsheetCsv(null, [['Timezone', offsetLabel(parseOffsetHours(q.timezone_offset))]])}\n${spreadsheetCsv(null, rows)}`;
}
