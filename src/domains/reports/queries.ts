/**
 * The statements behind /api/v2/accounts/:id/reports: each report is one statement that counts or
 * averages in PostgreSQL (never rows loaded into Node), over rows an index finds by account and time:
 * conversations by (account_id, created_at), messages by (account_id, message_type, created_at)
 * (migration 0085), reporting_events by (account_id, name, created_at).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { MESSAGE_TYPE } from '../../core/db/enums.js';
import { bucketOf, bucketSeries, type ReportRange } from '../../core/reports/range.js';
import { UTC_ZONE } from '../../core/reports/zones.js';
import {
  eventsByName,
  executeSerially,
  rolledRows,
  SLOT_SECONDS,
  type RollupDimension,
} from '../../core/reports/rollups.js';

/** What a report is about (Chatwoot's `type` and `id`), already found in the account. */
export type ReportScope =
  | { type: 'account' }
  | { type: 'agent'; id: number }
  | { type: 'inbox'; id: number }
  | { type: 'team'; id: number }
  | { type: 'label'; id: number; title: string };

/** The metrics V2::Reports::Conversations::BaseReportBuilder knows, and how each is measured. */
export const METRICS = {
  conversations_count: { source: 'conversations', aggregate: 'count' },
  incoming_messages_count: { source: 'incoming_messages', aggregate: 'count' },
  outgoing_messages_count: { source: 'outgoing_messages', aggregate: 'count' },
  avg_first_response_time: { source: 'first_response', aggregate: 'average' },
  avg_resolution_time: { source: 'conversation_resolved', aggregate: 'average' },
  reply_time: { source: 'reply_time', aggregate: 'average' },
  resolutions_count: { source: 'conversation_resolved', aggregate: 'count' },
  bot_resolutions_count: { source: 'conversation_bot_resolved', aggregate: 'count' },
  // distinct conversations, and only those that still exist (`joins(:conversation)...distinct`)
  bot_handoffs_count: { source: 'conversation_bot_handoff', aggregate: 'distinct_conversations' },
} as const;
export type Metric = keyof typeof METRICS;
export const isMetric = (name: string | undefined): name is Metric =>
  name !== undefined && Object.hasOwn(METRICS, name);
const isAverage = (metric: Metric) => METRICS[metric].aggregate === 'average';

/** A conversation `c` in the scope (Inbox#conversations, User#assigned_conversations, …). */
function conversationFilter(accountId: number, scope: ReportScope): RawBuilder<boolean> {
  switch (scope.type) {
    case 'account':
      return sql<boolean>`true`;
    case 'inbox':
      return sql<boolean>`c.inbox_id = ${scope.id}`;
    case 'agent':
      return sql<boolean>`c.assignee_id = ${scope.id}`;
    case 'team':
      return sql<boolean>`c.team_id = ${scope.id}`;
    case 'label':
      // Label#conversations: account.conversations.tagged_with(title)
      return sql<boolean>`exists (select 1 from taggings t where t.account_id = ${accountId}
        and t.taggable_type = 'Conversation' and t.taggable_id = c.id and t.name = ${scope.title})`;
  }
}

/** Team#messages and Label#messages / #reporting_events: rows of the scope's conversations. */
function inScopeConversations(alias: string, accountId: number, scope: ReportScope): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.conversation_id`)} in (select c.id from conversations c
    where c.account_id = ${accountId} and ${conversationFilter(accountId, scope)})`;
}

/** A message `m` in the scope: its inbox, its sender (User#messages), or its conversation. */
function messageFilter(accountId: number, scope: ReportScope): RawBuilder<boolean> {
  switch (scope.type) {
    case 'account':
      return sql<boolean>`true`;
    case 'inbox':
      return sql<boolean>`m.inbox_id = ${scope.id}`;
    case 'agent':
      return sql<boolean>`m.sender_type = 'User' and m.sender_id = ${scope.id}`;
    default:
      return inScopeConversations('m', accountId, scope);
  }
}

/** A reporting event `e` in the scope (Inbox/User has_many :reporting_events; teams and labels by conversation). */
function eventFilter(accountId: number, scope: ReportScope): RawBuilder<boolean> {
  switch (scope.type) {
    case 'account':
      return sql<boolean>`true`;
    case 'inbox':
      return sql<boolean>`e.inbox_id = ${scope.id}`;
    case 'agent':
      return sql<boolean>`e.user_id = ${scope.id}`;
    default:
      return inScopeConversations('e', accountId, scope);
  }
}

interface Window {
  from: Date;
  to: Date;
}

/** The measured rows of a metric in [from, to): `at` (the time bucketed), `v` (the value averaged), `k` (the conversation). */
function metricRows(
  accountId: number,
  scope: ReportScope,
  metric: Metric,
  window: Window,
  businessHours: boolean,
): RawBuilder<unknown> {
  const from = sql`${window.from.toISOString()}::timestamptz`;
  const to = sql`${window.to.toISOString()}::timestamptz`;
  const source = METRICS[metric].source;
  if (source === 'conversations') {
    return sql`select c.created_at as at, null::float8 as v, c.id as k from conversations c
      where c.account_id = ${accountId} and c.created_at >= ${from} and c.created_at < ${to}
        and ${conversationFilter(accountId, scope)}`;
  }
  if (source === 'incoming_messages' || source === 'outgoing_messages') {
    const type = source === 'incoming_messages' ? MESSAGE_TYPE.incoming : MESSAGE_TYPE.outgoing;
    return sql`select m.created_at as at, null::float8 as v, m.conversation_id as k from messages m
      where m.account_id = ${accountId} and m.message_type = ${type}
        and m.created_at >= ${from} and m.created_at < ${to} and ${messageFilter(accountId, scope)}`;
  }
  const value = sql.ref(businessHours ? 'e.value_in_business_hours' : 'e.value');
  const existing =
    METRICS[metric].aggregate === 'distinct_conversations'
      ? sql`and exists (select 1 from conversations c where c.id = e.conversation_id)`
      : sql``;
  return sql`select e.created_at as at, ${value} as v, e.conversation_id as k from reporting_events e
    where e.account_id = ${accountId} and e.name = ${source}
      and e.created_at >= ${from} and e.created_at < ${to} ${existing} and ${eventFilter(accountId, scope)}`;
}

/** The metric's aggregate over rows `r`, optionally restricted by `where`. */
function aggregate(metric: Metric, where?: RawBuilder<boolean>): RawBuilder<number | null> {
  const filter = where ? sql` filter (where ${where})` : sql``;
  switch (METRICS[metric].aggregate) {
    case 'count':
      return sql<number>`count(*)${filter}`;
    case 'distinct_conversations':
      return sql<number>`count(distinct r.k)${filter}`;
    case 'average':
      return sql<number | null>`avg(r.v)${filter}`;
  }
}

/**
 * The rollup (migration 0100) that answers a metric in a scope, or null where the raw rows must:
 * teams and labels (a conversation's current team and labels decide), distinct conversations.
 */
function rollupOf(scope: ReportScope, metric: Metric): { dimension: RollupDimension; key?: number } | null {
  if (METRICS[metric].aggregate === 'distinct_conversations') return null;
  switch (scope.type) {
    case 'account':
      return { dimension: 'account' };
    case 'inbox':
      return { dimension: 'inbox', key: scope.id };
    case 'agent':
      return { dimension: 'user', key: scope.id };
    default:
      return null;
  }
}

/**
 * The raw rows `(source, at, v, key)` of several sources in a scope over a window, a statement per
 * table: rolledRows reads them for the partial quarter hours at a window's ends.
 */
function rawSourceRows(
  accountId: number,
  scope: ReportScope,
  sources: readonly string[],
  window: Window,
  businessHours: boolean,
): RawBuilder<unknown> {
  const from = sql`${window.from.toISOString()}::timestamptz`;
  const to = sql`${window.to.toISOString()}::timestamptz`;
  const parts: RawBuilder<unknown>[] = [];
  if (sources.includes('conversations'))
    parts.push(sql`select 'conversations' as source, c.created_at as at, null::float8 as v, 0 as key from conversations c
      where c.account_id = ${accountId} and c.created_at >= ${from} and c.created_at < ${to}
        and ${conversationFilter(accountId, scope)}`);
  const types = [
    ...(sources.includes('incoming_messages') ? [MESSAGE_TYPE.incoming] : []),
    ...(sources.includes('outgoing_messages') ? [MESSAGE_TYPE.outgoing] : []),
  ];
  if (types.length)
    parts.push(sql`select case m.message_type when ${MESSAGE_TYPE.incoming} then 'incoming_messages' else 'outgoing_messages' end as source,
        m.created_at as at, null::float8 as v, 0 as key from messages m
      where m.account_id = ${accountId} and m.message_type = any(${types}::smallint[])
        and m.created_at >= ${from} and m.created_at < ${to} and ${messageFilter(accountId, scope)}`);
  const names = sources.filter((s) => !['conversations', 'incoming_messages', 'outgoing_messages'].includes(s));
  // one index range a name (eventsByName), not `name = any(…)`
  if (names.length)
    parts.push(sql`select e.name as source, e.created_at as at,
        ${sql.ref(businessHours ? 'e.value_in_business_hours' : 'e.value')} as v, 0 as key
      from ${eventsByName(names)}
      where e.account_id = ${accountId} and e.created_at >= ${from} and e.created_at < ${to}
        and ${eventFilter(accountId, scope)}`);
  return sql.join(parts, sql` union all `);
}

/** Metrics' rows `(source, at, key, n, total, valued)` over a window from the rollups (see rolledRows). */
function rolledMetricRows(
  accountId: number,
  scope: ReportScope,
  metrics: readonly Metric[],
  window: Window,
  businessHours: boolean,
  days: boolean,
): RawBuilder<unknown> | null {
  const rollup = rollupOf(scope, metrics[0]!);
  if (!rollup || metrics.some((m) => !rollupOf(scope, m))) return null;
  const sources = [...new Set(metrics.map((m) => METRICS[m].source))];
  return rolledRows({
    accountId,
    sources,
    ...rollup,
    window: { from: window.from, to: window.to },
    businessHours,
    days,
    raw: (w) => rawSourceRows(accountId, scope, sources, { from: w.from, to: w.to }, businessHours),
  });
}

/** One timeseries point: Chatwoot's `{ value, timestamp }`, with `count` for averages. */
export interface Point {
  value: number | null;
  timestamp: number;
  count?: number;
}

/**
 * Rows are first counted (and their values summed) per quarter hour of UTC time, and only those
 * slots are placed into the zone's buckets: a bucket of any report zone starts on a quarter hour
 * (every offset and DST change of the zones offered since well before 2000 is a multiple of 15
 * minutes), so a slot lies wholly in one bucket, and the time-zone arithmetic runs once a slot
 * (35,040 a year at most) instead of once a row (millions of messages over a year); date_bin finds
 * a row's slot in integer arithmetic (extract(epoch …) would divide numerics). Ranges that
 * start earlier, when some zones still had odd offsets, bucket each row.
 */
const SLOTS_SAFE_SINCE = Date.UTC(2000, 0, 1);

/** A metric's timeseries over every bucket of the range, empty buckets as 0. */
export async function timeseries(
  db: Db,
  accountId: number,
  scope: ReportScope,
  metric: Metric,
  range: ReportRange,
  rollups = true,
): Promise<Point[]> {
  const window = { from: range.since, to: range.until };
  // distinct conversations cannot be summed across slots: those are bucketed row by row
  const bySlot = METRICS[metric].aggregate !== 'distinct_conversations' && range.since.getTime() >= SLOTS_SAFE_SINCE;
  // buckets of whole UTC days (UTC days, weeks, months, years) can take the day rows
  const utcDays = range.zone.zone === UTC_ZONE.zone && range.groupBy !== 'hour';
  const rolled =
    bySlot && rollups ? rolledMetricRows(accountId, scope, [metric], window, range.businessHours, utcDays) : null;
  const slotOf = (at: RawBuilder<unknown>) =>
    sql`date_bin(${sql.lit(`${SLOT_SECONDS} seconds`)}::interval, ${at}, timestamptz '1970-01-01 00:00:00+00')`;
  const averaged = (rows: string) =>
    isAverage(metric)
      ? sql`sum(${sql.ref(`${rows}.total`)}) / nullif(sum(${sql.ref(`${rows}.valued`)}), 0)`
      : sql`sum(${sql.ref(`${rows}.n`)})`;
  const grouped = rolled
    ? // rolled rows each lie in one bucket (a slot's, a UTC day's, a row's); a bucket whose changes
      // cancelled out (n 0) is no bucket: it stays 0, not a null average
      sql`r as (${rolled}),
        g as (select ${bucketOf(sql`r.at`, range)} as bucket, ${averaged('r')} as value, sum(r.n) as n
          from r group by 1 having sum(r.n) <> 0)`
    : bySlot
      ? sql`r as (${metricRows(accountId, scope, metric, window, range.businessHours)}),
        slots as (select ${slotOf(sql`r.at`)} as slot, count(*) as n, sum(r.v) as total, count(r.v) as valued from r group by 1),
        g as (select ${bucketOf(sql`slots.slot`, range)} as bucket, ${averaged('slots')} as value, sum(slots.n) as n
          from slots group by 1)`
      : sql`r as (${metricRows(accountId, scope, metric, window, range.businessHours)}),
        g as (select ${bucketOf(sql`r.at`, range)} as bucket, ${aggregate(metric)} as value, count(*) as n from r group by 1)`;
  const statement = sql<{ value: number | null; timestamp: number; count: number }>`
    with ${grouped}
    -- an empty bucket is 0 (default_value); a bucket whose events have no value averages to null
    select (case when g.bucket is null then 0 else g.value end)::float8 as value, extract(epoch from s.bucket)::int8 as timestamp,
      coalesce(g.n, 0)::int8 as count
    from (${bucketSeries(range)}) s left join g on g.bucket = s.bucket
    order by s.bucket`;
  const { rows: points } = await statement.execute(db);
  return points.map((p) =>
    isAverage(metric)
      ? { value: p.value, timestamp: p.timestamp, count: p.count }
      : { value: p.value, timestamp: p.timestamp },
  );
}

/**
 * Aggregates of several metrics over a current range and the equally long one before it, in one
 * statement: each metric's rows are read once over both periods and split by a filter.
 */
export async function aggregates(
  db: Db,
  accountId: number,
  scope: ReportScope,
  metrics: readonly Metric[],
  current: Window,
  previous: Window,
  businessHours: boolean,
  rollups = true,
): Promise<{ current: Record<string, number | null>; previous: Record<string, number | null> }> {
  const split = sql`${current.from.toISOString()}::timestamptz`;
  // every metric from one read of the rollups a period (the metrics' sources together)
  const rolled = rollups
    ? [previous, current].map((w) => rolledMetricRows(accountId, scope, metrics, w, businessHours, true))
    : [null];
  if (rolled.every((r) => r !== null)) {
    // each period's rows lie inside it: the current one's from `split` on, the previous one's before
    const value = (metric: Metric, period: RawBuilder<boolean>) => {
      const when = sql`r.source = ${METRICS[metric].source} and ${period}`;
      return isAverage(metric)
        ? sql`(sum(r.total) filter (where ${when}) / nullif(sum(r.valued) filter (where ${when}), 0))::float8`
        : sql`coalesce(sum(r.n) filter (where ${when}), 0)::int8`;
    };
    const columns = metrics.flatMap((metric, i) => [
      sql`${value(metric, sql<boolean>`r.at >= ${split}`)} as ${sql.ref(`c${i}`)}`,
      sql`${value(metric, sql<boolean>`r.at < ${split}`)} as ${sql.ref(`p${i}`)}`,
    ]);
    const { rows } = await executeSerially(
      db,
      sql<Record<string, number | null>>`select ${sql.join(columns, sql`, `)}
        from (${sql.join(rolled, sql` union all `)}) r`,
    );
    return picked(metrics, rows[0]!);
  }
  const parts = metrics.map(
    (metric, i) => sql`(select ${aggregate(metric, sql<boolean>`r.at >= ${split}`)} as ${sql.ref(`c${i}`)},
        ${aggregate(metric, sql<boolean>`r.at < ${split}`)} as ${sql.ref(`p${i}`)}
      from (${metricRows(accountId, scope, metric, { from: previous.from, to: current.to }, businessHours)}) r) as ${sql.ref(`m${i}`)}`,
  );
  const { rows } = await sql<Record<string, number | null>>`select * from ${sql.join(parts, sql`, `)}`.execute(db);
  return picked(metrics, rows[0]!);
}

/** The current (`c0`, `c1`, …) and previous (`p0`, …) figures of a row by metric; a missing count is 0. */
function picked(metrics: readonly Metric[], row: Record<string, number | null>) {
  const pick = (prefix: string) =>
    Object.fromEntries(metrics.map((metric, i) => [metric, row[`${prefix}${i}`] ?? (isAverage(metric) ? null : 0)]));
  return { current: pick('c'), previous: pick('p') };
}

/** BotMetricsBuilder's counts: conversations and outgoing messages in inboxes with an active bot, and bot outcomes. */
export async function botCounts(
  db: Db,
  accountId: number,
  window: Window,
): Promise<{ conversations: number; messages: number; resolved: number; handoffs: number }> {
  const from = sql`${window.from.toISOString()}::timestamptz`;
  const to = sql`${window.to.toISOString()}::timestamptz`;
  const outcome = (name: string) => sql`(select count(distinct e.conversation_id) from reporting_events e
      where e.account_id = ${accountId} and e.name = ${name} and e.created_at >= ${from} and e.created_at < ${to}
        and exists (select 1 from conversations c where c.id = e.conversation_id))`;
  const { rows } = await sql<{ conversations: number; messages: number; resolved: number; handoffs: number }>`
    with bot_conversations as (
      select c.id from conversations c
      where c.account_id = ${accountId} and c.created_at >= ${from} and c.created_at < ${to}
        and c.inbox_id in (select abi.inbox_id from agent_bot_inboxes abi where abi.account_id = ${accountId} and abi.status = 0)
    )
    select (select count(*) from bot_conversations) as conversations,
      (select count(*) from messages m where m.account_id = ${accountId} and m.message_type = ${MESSAGE_TYPE.outgoing}
        and m.created_at >= ${from} and m.created_at < ${to}
        and m.conversation_id in (select id from bot_conversations)) as messages,
      ${outcome('conversation_bot_resolved')} as resolved,
      ${outcome('conversation_bot_handoff')} as handoffs`.execute(db);
  return rows[0]!;
}
