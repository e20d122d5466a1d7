import { sql, type RawBuilder } from 'kysely';
import { CONVERSATION_STATUS } from '../../core/db/enums.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { castBoolean, parseWindow, type Window } from '../../core/reports/range.js';
import {
  eventsByName,
  executeSerially,
  rolledRows,
  type RollupDimension,
  type TimeWindow,
} from '../../core/reports/rollups.js';
import { dateRangeTooLong, exceedsSixMonths } from './params.js';
import type { SummaryQuery } from './schemas.js';

/**
 * SummaryReportsController (V2::Reports::{Agent,Team,Inbox,Label,Channel}SummaryBuilder): one row
 * per agent, team, inbox or label of the account with its conversations and reporting_events in
 * the window, each report one statement. ReportPolicy#view?: administrators only.
 */

/** `created_at` within [since, until); without a window Chatwoot's `where(created_at: nil)` matches nothing. */
export function within(column: string, window: Window | null, whenOpen: 'none' | 'all' = 'none'): RawBuilder<boolean> {
  if (!window) return whenOpen === 'none' ? sql<boolean>`false` : sql<boolean>`true`;
  return sql<boolean>`(${sql.ref(column)} >= ${window.since} and ${sql.ref(column)} < ${window.until})`;
}

/** The averaged column: value_in_business_hours when business_hours is true. */
const valueColumn = (q: SummaryQuery) =>
  sql.ref(castBoolean(q.business_hours) ? 'e.value_in_business_hours' : 'e.value');

/** The four per-group reporting_events aggregates BaseSummaryBuilder selects. */
function eventAggregates(q: SummaryQuery) {
  const v = valueColumn(q);
  return sql`count(*) filter (where e.name = 'conversation_resolved') as resolved,
    avg(${v}) filter (where e.name = 'conversation_resolved') as avg_resolution_time,
    avg(${v}) filter (where e.name = 'first_response') as avg_first_response_time,
    avg(${v}) filter (where e.name = 'reply_time') as avg_reply_time`;
}

/** The reporting events a summary reads, as a list and as SQL's `in (…)`. */
const SUMMARY_EVENTS = ['conversation_resolved', 'first_response', 'reply_time'];
const EVENT_NAMES = sql`(${sql.join(SUMMARY_EVENTS.map((name) => sql.lit(name)))})`;

export interface SummaryRow {
  id: number;
  conversations_count: number;
  resolved_conversations_count: number;
  avg_resolution_time: number | null;
  avg_first_response_time: number | null;
  avg_reply_time: number | null;
}

interface RawSummary {
  id: string | number;
  conversations_count: string | number | null;
  resolved: string | number | null;
  avg_resolution_time: number | null;
  avg_first_response_time: number | null;
  avg_reply_time: number | null;
}

const toRow = (r: RawSummary): SummaryRow => ({
  id: Number(r.id),
  conversations_count: Number(r.conversations_count ?? 0),
  resolved_conversations_count: Number(r.resolved ?? 0),
  avg_resolution_time: r.avg_resolution_time,
  avg_first_response_time: r.avg_first_response_time,
  avg_reply_time: r.avg_reply_time,
});

type Dimension = 'agent' | 'team' | 'inbox';

/**
 * Agents (account_users, by user_id), teams (the event's conversation's team) and inboxes (the
 * event's inbox): conversations created in the window grouped by assignee / team / inbox, events
 * created in the window grouped by the same key. Agents and inboxes are read from the rollups
 * (migration 0100) unless they are off; teams from the raw rows (a conversation's current team decides).
 */
async function groupedSummary(ctx: AccountCtx, q: SummaryQuery, dimension: Dimension): Promise<SummaryRow[]> {
  const window = parseWindow(q);
  const account = ctx.account.id;
  const subjects = {
    agent: sql`select au.user_id as id, au.id as ord from account_users au where au.account_id = ${account}`,
    team: sql`select t.id, t.id as ord from teams t where t.account_id = ${account}`,
    inbox: sql`select i.id, i.id as ord from inboxes i where i.account_id = ${account}`,
  }[dimension];
  const rolled = window && dimension !== 'team' && ctx.config.reportRollups;
  if (rolled) {
    const groups = rolledGroups(account, q, dimension === 'agent' ? 'user' : 'inbox', {
      from: window.since,
      to: window.until,
    });
    const { rows } = await executeSerially(
      ctx.db,
      sql<RawSummary>`
        with subjects as (${subjects}), g as (${groups})
        select s.id, g.n as conversations_count, g.resolved, g.avg_resolution_time, g.avg_first_response_time,
          g.avg_reply_time
        from subjects s left join g on g.k = s.id
        order by s.ord`,
    );
    return rows.map(toRow);
  }
  const { conv, ev } = rawGroups(account, q, dimension, window);
  const { rows } = await sql<RawSummary>`
    with subjects as (${subjects}), conv as (${conv}), ev as (${ev})
    select s.id, conv.n as conversations_count, ev.resolved, ev.avg_resolution_time,
      ev.avg_first_response_time, ev.avg_reply_time
    from subjects s left join conv on conv.k = s.id left join ev on ev.k = s.id
    order by s.ord`.execute(ctx.db);
  return rows.map(toRow);
}

/** Conversations and events by key, counted from the raw rows. */
function rawGroups(account: number, q: SummaryQuery, dimension: Dimension, window: Window | null) {
  const conversationKey = { agent: 'c.assignee_id', team: 'c.team_id', inbox: 'c.inbox_id' }[dimension];
  const eventKey = { agent: 'e.user_id', team: 'ec.team_id', inbox: 'e.inbox_id' }[dimension];
  const eventJoin =
    dimension === 'team'
      ? sql`join conversations ec on ec.id = e.conversation_id and ec.account_id = ${account}`
      : sql``;
  return {
    conv: sql`select ${sql.ref(conversationKey)} as k, count(*) as n from conversations c
      where c.account_id = ${account} and ${within('c.created_at', window)}
      group by 1`,
    ev: sql`select ${sql.ref(eventKey)} as k, ${eventAggregates(q)}
      from reporting_events e ${eventJoin}
      where e.account_id = ${account} and e.name in ${EVENT_NAMES} and ${within('e.created_at', window)}
      group by 1`,
  };
}

/** The same from the rollups: whole days from day rows, the rest from slots, deltas and raw edges. */
function rolledGroups(account: number, q: SummaryQuery, dimension: RollupDimension, window: TimeWindow) {
  const [conversationKey, eventKey] =
    dimension === 'user' ? ['c.assignee_id', 'e.user_id'] : ['c.inbox_id', 'e.inbox_id'];
  const rows = rolledRows({
    accountId: account,
    sources: ['conversations', 'conversation_resolved', 'first_response', 'reply_time'],
    dimension,
    window,
    businessHours: castBoolean(q.business_hours),
    days: true,
    raw: (
      w,
    ) => sql`select 'conversations' as source, c.created_at as at, null::float8 as v, ${sql.ref(conversationKey)} as key
        from conversations c where c.account_id = ${account} and c.created_at >= ${w.from} and c.created_at < ${w.to}
      union all
      select e.name, e.created_at, ${valueColumn(q)}, ${sql.ref(eventKey)}
        from ${eventsByName(SUMMARY_EVENTS)}
        where e.account_id = ${account} and e.created_at >= ${w.from} and e.created_at < ${w.to}`,
  });
  const average = (name: string) =>
    sql`(sum(s.total) filter (where s.source = ${name}) / nullif(sum(s.valued) filter (where s.source = ${name}), 0))::float8`;
  // the rows summed by key and source first (three sums a row, not six filtered ones: at 200
  // agents over 30 days, tens of thousands of rows), then a key's sources side by side
  return sql`select s.k, sum(s.n) filter (where s.source = 'conversations')::int8 as n,
      sum(s.n) filter (where s.source = 'conversation_resolved')::int8 as resolved,
      ${average('conversation_resolved')} as avg_resolution_time,
      ${average('first_response')} as avg_first_response_time,
      ${average('reply_time')} as avg_reply_time
    from (select r.key as k, r.source, sum(r.n) as n, sum(r.total) as total, sum(r.valued) as valued
      from (${rows}) r group by 1, 2) s
    group by 1`;
}

/** GET /summary_reports/agent|team|inbox (rows without access checks, for the CSV downloads too). */
export const summaryRows = groupedSummary;

export async function agentSummary(ctx: AccountCtx, q: SummaryQuery) {
  requireAdministrator(ctx);
  return groupedSummary(ctx, q, 'agent');
}

export async function teamSummary(ctx: AccountCtx, q: SummaryQuery) {
  requireAdministrator(ctx);
  return groupedSummary(ctx, q, 'team');
}

export async function inboxSummary(ctx: AccountCtx, q: SummaryQuery) {
  requireAdministrator(ctx);
  return groupedSummary(ctx, q, 'inbox');
}

export interface LabelRow {
  id: number;
  name: string;
  conversations_count: number;
  avg_resolution_time: number;
  avg_first_response_time: number;
  avg_reply_time: number;
  resolved_conversations_count: number;
}

/**
 * LabelSummaryBuilder: per label (by title), its taggings on conversations created in the window;
 * resolutions are conversation_resolved events created in the window on a labelled conversation;
 * the averages are over events of conversations created in the window (upstream filters those by
 * the conversation's date). Without a window nothing is filtered by date. Missing averages are 0.
 */
export async function labelRows(ctx: AccountCtx, q: SummaryQuery): Promise<LabelRow[]> {
  const window = parseWindow(q);
  const account = ctx.account.id;
  const tagged = sql`join taggings t on t.taggable_id = c.id and t.taggable_type = 'Conversation' and t.account_id = ${account}`;
  const { rows } = await sql<{
    id: string;
    name: string;
    n: string | null;
    resolved: string | null;
    avg_resolution_time: number | null;
    avg_first_response_time: number | null;
    avg_reply_time: number | null;
  }>`
    with counts as (
      select t.name, count(*) as n from conversations c ${tagged}
      where c.account_id = ${account} and ${within('c.created_at', window, 'all')}
      group by t.name
    ),
    resolved as (
      select t.name, count(*) as n from reporting_events e
      join conversations c on c.id = e.conversation_id ${tagged}
      where e.account_id = ${account} and e.name = 'conversation_resolved' and ${within('e.created_at', window, 'all')}
      group by t.name
    ),
    metrics as (
      select t.name, ${eventAggregates(q)} from reporting_events e
      join conversations c on c.id = e.conversation_id ${tagged}
      where e.account_id = ${account} and c.account_id = ${account} and e.name in ${EVENT_NAMES}
        and ${within('c.created_at', window, 'all')}
      group by t.name
    )
    select l.id, l.title as name, counts.n, resolved.n as resolved, metrics.avg_resolution_time,
      metrics.avg_first_response_time, metrics.avg_reply_time
    from labels l
    left join counts on counts.name = l.title
    left join resolved on resolved.name = l.title
    left join metrics on metrics.name = l.title
    where l.account_id = ${account}
    order by l.id`.execute(ctx.db);
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    conversations_count: Number(r.n ?? 0),
    avg_resolution_time: r.avg_resolution_time ?? 0,
    avg_first_response_time: r.avg_first_response_time ?? 0,
    avg_reply_time: r.avg_reply_time ?? 0,
    resolved_conversations_count: Number(r.resolved ?? 0),
  }));
}

/** GET /summary_reports/label. */
export async function labelSummary(ctx: AccountCtx, q: SummaryQuery) {
  requireAdministrator(ctx);
  return labelRows(ctx, q);
}

/**
 * GET /summary_reports/channel (ChannelSummaryBuilder): conversations created in the window by
 * their inbox's channel type and status; a window over 6 months is refused; no window, no rows.
 */
export async function channelSummary(ctx: AccountCtx, q: SummaryQuery) {
  requireAdministrator(ctx);
  const window = parseWindow(q);
  if (window && exceedsSixMonths(window)) throw dateRangeTooLong();
  const account = ctx.account.id;
  const { rows } = await sql<{
    channel_type: string;
    open: string;
    resolved: string;
    pending: string;
    snoozed: string;
  }>`
    select i.channel_type,
      count(*) filter (where c.status = ${CONVERSATION_STATUS.open}) as open,
      count(*) filter (where c.status = ${CONVERSATION_STATUS.resolved}) as resolved,
      count(*) filter (where c.status = ${CONVERSATION_STATUS.pending}) as pending,
      count(*) filter (where c.status = ${CONVERSATION_STATUS.snoozed}) as snoozed
    from conversations c join inboxes i on i.id = c.inbox_id and i.account_id = ${account}
    where c.account_id = ${account} and ${within('c.created_at', window)}
    group by i.channel_type
    order by i.channel_type`.execute(ctx.db);
  const out: Record<string, { open: number; resolved: number; pending: number; snoozed: number; total: number }> = {};
  for (const r of rows) {
    const [open, resolved, pending, snoozed] = [r.open, r.resolved, r.pending, r.snoozed].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    out[r.channel_type] = { open, resolved, pending, snoozed, total: open + resolved + pending + snoozed };
  }
  return out;
}
