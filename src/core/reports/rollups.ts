/**
 * Reading report rollups (migration 0100): a source's rows over a window as the rollups have them
 * — whole days and whole quarter hours from report_rollups, the changes not yet folded from
 * report_rollup_deltas, and the raw rows of the partial quarter hours at either end — so that
 * their sums are exactly the source's count, value sum and count of values over the window.
 */
import { sql, type QueryResult, type RawBuilder } from 'kysely';
import type { Db } from '../db/kysely.js';
import { prepared } from '../db/prepared.js';

/** A rollup slot: a quarter hour of UTC time (every report zone's buckets start on one). */
export const SLOT_SECONDS = 900;
const DAY_SECONDS = 86_400;

export type RollupDimension = 'account' | 'inbox' | 'user';
const DIMENSION_CODE: Record<RollupDimension, number> = { account: 0, inbox: 1, user: 2 };
/** The delta column that holds a dimension's key. */
const DELTA_KEY: Record<RollupDimension, string | null> = { account: null, inbox: 'd.inbox_id', user: 'd.user_id' };

export interface TimeWindow {
  from: Date;
  to: Date;
}

export interface RolledInput {
  accountId: number;
  /** 'conversations', 'incoming_messages', 'outgoing_messages' or reporting events' names. */
  sources: readonly string[];
  dimension: RollupDimension;
  /** One inbox or user; every key of the dimension when undefined (summaries grouped by it). */
  key?: number | undefined;
  window: TimeWindow;
  /** Sum value_in_business_hours rather than value. */
  businessHours: boolean;
  /** Read whole UTC days from day rows: for totals, or buckets made of whole UTC days. */
  days?: boolean;
  /**
   * The sources' raw rows in the scope over a (sub-quarter-hour) window, as `source`, `at` (the
   * time), `v` (the value summed, already the business-hours one when asked) and `key` (the
   * dimension's key).
   */
  raw: (window: TimeWindow) => RawBuilder<unknown>;
}

const ms = (seconds: number) => seconds * 1000;
const floorTo = (at: Date, seconds: number) => new Date(Math.floor(at.getTime() / ms(seconds)) * ms(seconds));
const ceilTo = (at: Date, seconds: number) => new Date(Math.ceil(at.getTime() / ms(seconds)) * ms(seconds));
const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * Rows `(source, at, key, n, total, valued)` whose sums over any grouping by source and key, or by
 * the quarter hour of `at` (by its UTC day when `days`), are each source's count, sum of values
 * (numeric) and count of non-null values over the window. `at` is a slot's (or day's) start for
 * rolled rows and the row's own time otherwise, always inside the window.
 */
export function rolledRows(input: RolledInput): RawBuilder<unknown> {
  const { from, to } = input.window;
  const slotsFrom = ceilTo(from, SLOT_SECONDS);
  const slotsTo = floorTo(to, SLOT_SECONDS);
  const raw = (window: TimeWindow) => sql`select r.source::text as source, r.at, r.key::int8 as key, 1::int8 as n,
      r.v::text::numeric as total, (r.v is not null)::int::int8 as valued from (${input.raw(window)}) r`;
  if (slotsFrom >= slotsTo) return raw(input.window);
  const parts: RawBuilder<unknown>[] = [];
  if (from < slotsFrom) parts.push(raw({ from, to: slotsFrom }));
  if (slotsTo < to) parts.push(raw({ from: slotsTo, to }));
  const daysFrom = ceilTo(slotsFrom, DAY_SECONDS);
  const daysTo = floorTo(slotsTo, DAY_SECONDS);
  if (input.days && daysFrom < daysTo) {
    if (slotsFrom < daysFrom) parts.push(rollups(input, SLOT_SECONDS, slotsFrom, daysFrom));
    parts.push(rollups(input, DAY_SECONDS, daysFrom, daysTo));
    if (daysTo < slotsTo) parts.push(rollups(input, SLOT_SECONDS, daysTo, slotsTo));
  } else {
    parts.push(rollups(input, SLOT_SECONDS, slotsFrom, slotsTo));
  }
  parts.push(deltas(input, slotsFrom, slotsTo));
  return sql.join(parts, sql` union all `);
}

const sourceIn = (column: string, sources: readonly string[]) =>
  sources.length === 1 ? sql`${sql.ref(column)} = ${sources[0]}` : sql`${sql.ref(column)} = any(${sources}::text[])`;

/** The folded rows of one grain over [from, to) (slot starts). */
function rollups(input: RolledInput, grain: number, from: Date, to: Date): RawBuilder<unknown> {
  const [total, valued] = input.businessHours ? ['ro.total_bh', 'ro.valued_bh'] : ['ro.total', 'ro.valued'];
  const key = input.key === undefined ? sql`` : sql`and ro.key = ${input.key}`;
  return sql`select ro.source, ro.slot as at, ro.key, ro.n, ${sql.ref(total)} as total, ${sql.ref(valued)} as valued
    from report_rollups ro
    where ro.account_id = ${input.accountId} and ${sourceIn('ro.source', input.sources)}
      and ro.dimension = ${DIMENSION_CODE[input.dimension]} and ro.grain = ${grain} ${key}
      and ro.slot >= ${ts(from)} and ro.slot < ${ts(to)}`;
}

/** The changes not yet folded, with `at` in [from, to). */
function deltas(input: RolledInput, from: Date, to: Date): RawBuilder<unknown> {
  const column = DELTA_KEY[input.dimension];
  const value = sql.ref(input.businessHours ? 'd.value_bh' : 'd.value');
  const keyOf = column ? sql.ref(column) : sql`0::int8`;
  const key = !column
    ? sql``
    : input.key === undefined
      ? sql`and ${keyOf} is not null`
      : sql`and ${keyOf} = ${input.key}`;
  return sql`select d.source, d.at, ${keyOf} as key, d.n::int8 as n, d.n * ${value}::text::numeric as total,
      (case when ${value} is null then 0 else d.n end)::int8 as valued
    from report_rollup_deltas d
    where d.account_id = ${input.accountId} and ${sourceIn('d.source', input.sources)} ${key}
      and d.at >= ${ts(from)} and d.at < ${ts(to)}`;
}

/**
 * `reporting_events e` of the given names, joined name by name: each name is one range of the
 * (account_id, name, created_at) index. With `e.name = any(…)` PostgreSQL 17 read the index on from
 * one name's range to the next instead of descending again: the 30-day summary's quarter hour at its
 * end read 28,000 pages of the index for 5 rows at a million conversations (200 ms a report).
 */
export function eventsByName(names: readonly string[]): RawBuilder<unknown> {
  return sql`unnest(${names}::text[]) as event_names(name) join reporting_events e on e.name = event_names.name`;
}

/**
 * Runs a statement over rolled rows as a prepared statement with a generic plan and no parallel
 * workers. Its text varies only with the window's shape (which partial days and quarter hours it
 * has), the metrics and the scope's kind, never with the values, and planning its dozen unions
 * took longer than running them (the 30-day summary: 11-27 ms to plan, 1-8 ms to run). It reads a
 * few thousand rows, and PostgreSQL, which estimates the union's parts by their tables' sizes,
 * would start workers (tens of milliseconds on a busy machine, for about one of work).
 */
export function executeSerially<T>(db: Db, query: RawBuilder<T>): Promise<QueryResult<T>> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('max_parallel_workers_per_gather', '0', true),
      set_config('plan_cache_mode', 'force_generic_plan', true)`.execute(tx);
    return prepared(query).execute(tx);
  });
}
