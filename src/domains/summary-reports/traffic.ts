import { sql } from 'kysely';
import { systemClock, type Clock } from '../../core/clock.js';
import { spreadsheetCsv } from '../../core/csv/spreadsheet.js';
import { unprocessable } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseOffset } from '../../core/reports/range.js';
import { UTC_ZONE, zoneForOffset, zoneLabel, type ReportZone } from '../../core/reports/zones.js';
import type { TrafficQuery } from './schemas.js';

/**
 * ReportsController#conversation_traffic (Api::V2::Accounts::HeatmapHelper): conversations created
 * per hour over the `days_before` (default 6) whole days before today. The offset names a zone as
 * every report's does (TimezoneHelper#timezone_name_from_offset, zones.ts): the zone whose offset
 * is that one now, with its DST rules, so "today" and each day start at that zone's midnights and
 * each conversation lands on its local wall-clock hour (a day across a DST change has 23 or 25
 * hours: the missing hour's row is 0, the repeated hour's row counts both). A row per hour of the
 * day ("00:00" … "23:00"), a column per local date, after a "Timezone" line naming the zone as
 * ActiveSupport::TimeZone#to_s does ("(GMT+05:30) Chennai").
 */
export const MAX_DAYS_BEFORE = 366;

function parseDaysBefore(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 6;
  const text = raw.trim();
  if (!/^\d{1,4}$/.test(text) || Number(text) > MAX_DAYS_BEFORE) {
    throw unprocessable(`days_before must be a whole number of days up to ${MAX_DAYS_BEFORE}`);
  }
  return Number(text);
}

/** The offset's zone now; blank is UTC, as for every report. */
export function trafficZone(q: TrafficQuery, now: Date): ReportZone {
  const offset = parseOffset(q.timezone_offset);
  return offset === undefined ? UTC_ZONE : zoneForOffset(offset, now);
}

/** The local calendar date `days` before `today` (YYYY-MM-DD), by date arithmetic, not by 24 hours. */
const dateBefore = (today: string, days: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** The heatmap's rows: the header of dates, then one row per hour of the day. */
export async function trafficRows(
  ctx: AccountCtx,
  q: TrafficQuery,
  zone: ReportZone,
  now: Date,
): Promise<(string | number)[][]> {
  const days = parseDaysBefore(q.days_before);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone.zone }).format(now);
  const first = dateBefore(today, days);
  // the window is [first local midnight, today's local midnight): one grouped read by local date and hour
  const { rows } = await sql<{ day: string; hour: number; n: string }>`
    select to_char(c.created_at at time zone ${zone.zone}, 'YYYY-MM-DD') as day,
      extract(hour from c.created_at at time zone ${zone.zone})::int as hour, count(*) as n
    from conversations c
    where c.account_id = ${ctx.account.id}
      and c.created_at >= (${first}::date::timestamp at time zone ${zone.zone})
      and c.created_at < (${today}::date::timestamp at time zone ${zone.zone})
    group by 1, 2`.execute(ctx.db);
  const counts = new Map(rows.map((r) => [`${r.day} ${Number(r.hour)}`, Number(r.n)]));
  const dates = Array.from({ length: days }, (_, d) => dateBefore(today, days - d));
  const table: (string | number)[][] = [['Start of the hour', ...dates]];
  for (let hour = 0; hour < 24; hour++) {
    table.push([`${String(hour).padStart(2, '0')}:00`, ...dates.map((date) => counts.get(`${date} ${hour}`) ?? 0)]);
  }
  return table;
}

/** GET /reports/conversation_traffic (conversation_traffic_reports.csv). */
export async function conversationTrafficCsv(ctx: AccountCtx & { clock?: Clock }, q: TrafficQuery) {
  requireAdministrator(ctx);
  const now = (ctx.clock ?? systemClock).now();
  const zone = trafficZone(q, now);
  const rows = await trafficRows(ctx, q, zone, now);
  return `${spreadsheetCsv(null, [['Timezone', zoneLabel(zone, now)]])}\n${spreadsheetCsv(null, rows)}`;
}
