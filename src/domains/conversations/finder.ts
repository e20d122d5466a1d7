import { sql, type SelectQueryBuilder, type SqlBool, type Expression } from 'kysely';
import type { Conversation, Database } from '../../core/db/schema.js';
import { recordNotFound } from '../../core/errors.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { LIMITS } from '../../core/http/schemas.js';
import { STATUS } from './status.js';
import { visibilityOf, visiblePredicate, type Visibility } from './access.js';

/**
 * Chatwoot's ConversationFinder (app/finders/conversation_finder.rb): the filters, the counts taken
 * before the assignee filter, the sort options and 25-a-page paging.
 */
export const CONVERSATIONS_PER_PAGE = 25;

export interface FinderParams {
  status?: string;
  assignee_type?: string;
  inbox_id?: string;
  team_id?: string;
  labels?: string[];
  q?: string;
  page?: number;
  sort_by?: string;
  source_id?: string;
  conversation_type?: string;
  updated_within?: string;
}

export interface Counts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}

type ConversationQuery = SelectQueryBuilder<Database, 'conversations', object>;
type Order = Array<[string, 'asc' | 'desc', 'nulls last'?]>;

const ACTIVITY_DESC: Order = [
  ['last_activity_at', 'desc'],
  ['id', 'desc'],
];
/** sort_by values and Chatwoot's legacy aliases; anything else sorts by latest activity. */
const SORTS: Record<string, Order> = {
  latest: ACTIVITY_DESC,
  last_activity_at_desc: ACTIVITY_DESC,
  last_activity_at_asc: [
    ['last_activity_at', 'asc'],
    ['id', 'asc'],
  ],
  sort_on_created_at: [
    ['created_at', 'asc'],
    ['id', 'asc'],
  ],
  created_at_asc: [
    ['created_at', 'asc'],
    ['id', 'asc'],
  ],
  created_at_desc: [
    ['created_at', 'desc'],
    ['id', 'desc'],
  ],
  sort_on_priority: [['priority', 'desc', 'nulls last'], ...ACTIVITY_DESC],
  priority_desc: [['priority', 'desc', 'nulls last'], ...ACTIVITY_DESC],
  priority_asc: [['priority', 'asc', 'nulls last'], ...ACTIVITY_DESC],
  priority_desc_created_at_asc: [
    ['priority', 'desc', 'nulls last'],
    ['created_at', 'asc'],
    ['id', 'asc'],
  ],
  sort_on_waiting_since: [
    ['waiting_since', 'asc', 'nulls last'],
    ['created_at', 'asc'],
    ['id', 'asc'],
  ],
  waiting_since_asc: [
    ['waiting_since', 'asc', 'nulls last'],
    ['created_at', 'asc'],
    ['id', 'asc'],
  ],
  waiting_since_desc: [
    ['waiting_since', 'desc', 'nulls last'],
    ['created_at', 'asc'],
    ['id', 'asc'],
  ],
};

export function applyOrder(query: ConversationQuery, sortBy: string | undefined): ConversationQuery {
  const order = (sortBy && Object.hasOwn(SORTS, sortBy) ? SORTS[sortBy] : undefined) ?? ACTIVITY_DESC;
  return order.reduce(
    (q, [column, direction, nulls]) =>
      q.orderBy(
        sql`${sql.ref(`conversations.${column}`)} ${sql.raw(direction)}${nulls ? sql.raw(' nulls last') : sql``}`,
      ),
    query,
  );
}

/** status=open when absent; `all` for every status; Chatwoot ignores status when searching. */
function statusValue(params: FinderParams): number | undefined {
  if (params.q?.trim()) return undefined;
  const status = params.status ?? 'open';
  if (status === 'all') return undefined;
  return Object.hasOwn(STATUS, status) ? STATUS[status as keyof typeof STATUS] : STATUS.open;
}

/**
 * Which maintained counters can answer the counts: the plain ones, the one label's, or none (other
 * filters force counting rows).
 */
function countersFor(params: FinderParams): { label?: string } | undefined {
  if (params.q?.trim() || params.source_id || params.conversation_type || params.updated_within) return undefined;
  if (!params.labels?.length) return {};
  return params.labels.length === 1 ? { label: params.labels[0]! } : undefined;
}

interface Scope {
  visibility: Visibility;
  status?: number;
  inboxId?: number;
  teamId?: number;
  empty: boolean;
}

async function scopeOf(ctx: AccountCtx, params: FinderParams): Promise<Scope> {
  const visibility = await visibilityOf(ctx);
  let inboxId: number | undefined;
  let empty = false;
  if (params.inbox_id !== undefined && params.inbox_id !== '') {
    inboxId = parseId(params.inbox_id);
    // an inbox the agent cannot see intersects to nothing, as Chatwoot's finder does
    if (inboxId === undefined) empty = true;
  }
  let teamId: number | undefined;
  if (params.team_id !== undefined && params.team_id !== '') {
    teamId = parseId(params.team_id);
    const team =
      teamId === undefined
        ? undefined
        : await ctx.db
            .selectFrom('teams')
            .select('id')
            .where('account_id', '=', ctx.account.id)
            .where('id', '=', teamId)
            .executeTakeFirst();
    if (!team) throw recordNotFound();
  }
  return { visibility, status: statusValue(params), inboxId, teamId, empty };
}

/** The conversations matching everything but the assignee filter. */
function baseQuery(ctx: AccountCtx, scope: Scope, params: FinderParams, userId: number | undefined): ConversationQuery {
  let query = ctx.db
    .selectFrom('conversations')
    .where('conversations.account_id', '=', ctx.account.id)
    .where(visiblePredicate(scope.visibility, 'conversations'));
  if (scope.empty) query = query.where(sql<SqlBool>`false`);
  if (scope.status !== undefined) query = query.where('conversations.status', '=', scope.status);
  if (scope.inboxId !== undefined) query = query.where('conversations.inbox_id', '=', scope.inboxId);
  if (scope.teamId !== undefined) query = query.where('conversations.team_id', '=', scope.teamId);
  if (params.labels?.length) {
    query = query.where(sql<SqlBool>`exists (select 1 from taggings t where t.taggable_type = 'Conversation'
      and t.taggable_id = conversations.id and t.name = any(${params.labels}::text[]))`);
  }
  const q = params.q?.trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<SqlBool>`exists (select 1 from messages m where m.conversation_id = conversations.id
      and m.message_type in (0, 1) and m.content ilike ${pattern})`);
  }
  if (params.source_id) {
    query = query.where(
      sql<SqlBool>`exists (select 1 from contact_inboxes ci where ci.id = conversations.contact_inbox_id and ci.source_id = ${params.source_id})`,
    );
  }
  if (params.conversation_type) query = query.where(conversationType(params.conversation_type, userId));
  const within = Number(params.updated_within);
  if (params.updated_within && Number.isFinite(within)) {
    // a window past the years PostgreSQL and Date hold means "since ever" (or "from the far future")
    const since = Math.min(Math.max(Date.now() - within * 1000, LIMITS.epochMin * 1000), LIMITS.epochMax * 1000);
    query = query.where('conversations.updated_at', '>', new Date(since));
  }
  return query;
}

/** Newer Chatwoot's conversation_type: mentions of me, conversations I participate in, unattended. */
function conversationType(type: string, userId: number | undefined): Expression<SqlBool> {
  if (type === 'mention') {
    return sql<SqlBool>`exists (select 1 from messages m where m.conversation_id = conversations.id and m.private
      and m.content like ${`%(mention://user/${userId ?? 0}/%`})`;
  }
  if (type === 'participating') {
    return sql<SqlBool>`exists (select 1 from conversation_participants p where p.conversation_id = conversations.id and p.user_id = ${userId ?? 0})`;
  }
  if (type === 'unattended')
    return sql<SqlBool>`(conversations.first_reply_created_at is null or conversations.waiting_since is not null)`;
  return sql<SqlBool>`true`;
}

function withAssignee(
  query: ConversationQuery,
  assigneeType: string | undefined,
  userId: number | undefined,
): ConversationQuery {
  if (assigneeType === 'me') return query.where('conversations.assignee_id', '=', userId ?? 0);
  if (assigneeType === 'unassigned') return query.where('conversations.assignee_id', 'is', null);
  if (assigneeType === 'assigned') return query.where('conversations.assignee_id', 'is not', null);
  return query;
}

/**
 * The counts: from the maintained per-(status, inbox, team, assignee) counters when only those
 * filters apply (a few index probes however large the account), by counting rows otherwise.
 */
async function countsOf(
  ctx: AccountCtx,
  scope: Scope,
  params: FinderParams,
  userId: number | undefined,
): Promise<Counts> {
  const me = userId ?? 0;
  const counters = countersFor(params);
  if (!counters) return rowCounts(baseQuery(ctx, scope, params, userId), me);
  if (scope.empty) return { mine_count: 0, assigned_count: 0, unassigned_count: 0, all_count: 0 };
  return counterTotals(ctx, scope, me, counters.label);
}

type Totals = { all: string | null; mine: string | null; unassigned: string | null } | undefined;

function countsFrom(row: Totals): Counts {
  const all = Number(row?.all ?? 0);
  const unassigned = Number(row?.unassigned ?? 0);
  return {
    mine_count: Number(row?.mine ?? 0),
    assigned_count: all - unassigned,
    unassigned_count: unassigned,
    all_count: all,
  };
}

/** The counts by counting the query's rows (filters the counters cannot answer). */
export async function rowCounts(query: ConversationQuery, me: number): Promise<Counts> {
  return countsFrom(
    await query
      .select([
        sql<string>`count(*)`.as('all'),
        sql<string>`count(*) filter (where conversations.assignee_id = ${me})`.as('mine'),
        sql<string>`count(*) filter (where conversations.assignee_id is null)`.as('unassigned'),
      ])
      .executeTakeFirst(),
  );
}

/** Sums the maintained counters (the label's, when given) over the scope. */
export async function counterTotals(
  ctx: AccountCtx,
  scope: Pick<Scope, 'visibility' | 'status' | 'inboxId' | 'teamId'>,
  me: number,
  label?: string,
): Promise<Counts> {
  // a label's counters are its folded rows plus the deltas not folded yet (migration 0154)
  const table =
    label === undefined
      ? sql`conversation_counts`
      : sql`(select account_id, label, status, inbox_id, team_id, assignee_id, n from conversation_label_counts
          union all select account_id, label, status, inbox_id, team_id, assignee_id, n from conversation_label_count_deltas)`;
  const { rows } = await sql<{ all: string | null; mine: string | null; unassigned: string | null }>`
    select sum(n) as all, sum(n) filter (where assignee_id = ${me}) as mine, sum(n) filter (where assignee_id = 0) as unassigned
    from ${table} as conversations
    where account_id = ${ctx.account.id} and ${visiblePredicate(scope.visibility, 'conversations')}
      ${label === undefined ? sql`` : sql`and label = ${label}`}
      ${scope.status === undefined ? sql`` : sql`and status = ${scope.status}`}
      ${scope.inboxId === undefined ? sql`` : sql`and inbox_id = ${scope.inboxId}`}
      ${scope.teamId === undefined ? sql`` : sql`and team_id = ${scope.teamId}`}`.execute(ctx.db);
  return countsFrom(rows[0]);
}

export interface FinderResult {
  conversations: Conversation[];
  counts: Counts;
}

export async function findConversations(
  ctx: AccountCtx,
  params: FinderParams,
  options: { withRows?: boolean } = {},
): Promise<FinderResult> {
  const userId = ctx.actor.kind === 'user' ? ctx.actor.user.id : undefined;
  const scope = await scopeOf(ctx, params);
  const countsPromise = countsOf(ctx, scope, params, userId);
  if (options.withRows === false) return { conversations: [], counts: await countsPromise };
  let query = applyOrder(
    withAssignee(baseQuery(ctx, scope, params, userId), params.assignee_type, userId),
    params.sort_by,
  ).selectAll('conversations');
  if (!params.updated_within) {
    const page = Math.max(1, params.page ?? 1);
    query = query.limit(CONVERSATIONS_PER_PAGE).offset((page - 1) * CONVERSATIONS_PER_PAGE);
  }
  const [conversations, counts] = await Promise.all([query.execute() as Promise<Conversation[]>, countsPromise]);
  return { conversations, counts };
}
