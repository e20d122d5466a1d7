import { sql } from 'kysely';
import { MESSAGE_TYPE } from '../../core/db/enums.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseWindow } from '../../core/reports/range.js';
import { idList } from '../../core/reports/filters.js';
import type { MatrixQuery, OutgoingQuery, RangeQuery } from './schemas.js';
import { within } from './summary.js';

/**
 * ReportsController#first_response_time_distribution, #inbox_label_matrix and
 * #outgoing_messages_count (V2::Reports::FirstResponseTimeDistributionBuilder,
 * InboxLabelMatrixBuilder, OutgoingMessagesCountBuilder), one statement each.
 */

const BUCKETS = ['0-1h', '1-4h', '4-8h', '8-24h', '24h+'] as const;

/**
 * first_response events (in the window when one is given) by their inbox's channel type, counted
 * in buckets of the first response time: under 1 hour, 1–4, 4–8, 8–24, 24 hours and more.
 */
export async function firstResponseTimeDistribution(ctx: AccountCtx, q: RangeQuery) {
  requireAdministrator(ctx);
  const window = parseWindow(q);
  const account = ctx.account.id;
  const { rows } = await sql<Record<'channel_type' | 'b0' | 'b1' | 'b2' | 'b3' | 'b4', string>>`
    select i.channel_type,
      count(*) filter (where e.value < 3600) as b0,
      count(*) filter (where e.value >= 3600 and e.value < 14400) as b1,
      count(*) filter (where e.value >= 14400 and e.value < 28800) as b2,
      count(*) filter (where e.value >= 28800 and e.value < 86400) as b3,
      count(*) filter (where e.value >= 86400) as b4
    from reporting_events e join inboxes i on i.id = e.inbox_id and i.account_id = ${account}
    where e.account_id = ${account} and e.name = 'first_response' and ${within('e.created_at', window, 'all')}
    group by i.channel_type
    order by i.channel_type`.execute(ctx.db);
  const out: Record<string, Record<(typeof BUCKETS)[number], number>> = {};
  for (const r of rows) {
    const counts = [r.b0, r.b1, r.b2, r.b3, r.b4].map(Number);
    out[r.channel_type] = Object.fromEntries(BUCKETS.map((b, i) => [b, counts[i]!])) as Record<
      (typeof BUCKETS)[number],
      number
    >;
  }
  return out;
}

/**
 * The account's inboxes (by name) and labels (by title), optionally only the ids given, and for
 * each inbox a row of how many of its conversations (created in the window when one is given)
 * carry each label.
 */
export async function inboxLabelMatrix(ctx: AccountCtx, q: MatrixQuery) {
  requireAdministrator(ctx);
  const window = parseWindow(q);
  const account = ctx.account.id;
  const inboxIds = idList(q.inbox_ids);
  const labelIds = idList(q.label_ids);
  const inboxFilter = inboxIds.length ? sql`and i.id in (${sql.join(inboxIds)})` : sql``;
  const labelFilter = labelIds.length ? sql`and l.id in (${sql.join(labelIds)})` : sql``;
  const { rows } = await sql<{
    inboxes: { id: number; name: string }[];
    labels: { id: number; title: string }[];
    cells: { inbox_id: number; title: string; n: number }[];
  }>`
    with ib as (
      select i.id, i.name from inboxes i where i.account_id = ${account} ${inboxFilter}
    ),
    lb as (
      select l.id, l.title from labels l where l.account_id = ${account} ${labelFilter}
    ),
    cells as (
      select c.inbox_id, t.name as title, count(*) as n
      from conversations c
      join taggings t on t.taggable_id = c.id and t.taggable_type = 'Conversation' and t.account_id = ${account}
      where c.account_id = ${account} and c.inbox_id in (select id from ib) and t.name in (select title from lb)
        and ${within('c.created_at', window, 'all')}
      group by c.inbox_id, t.name
    )
    select
      coalesce((select json_agg(json_build_object('id', id, 'name', name) order by name, id) from ib), '[]') as inboxes,
      coalesce((select json_agg(json_build_object('id', id, 'title', title) order by title, id) from lb), '[]') as labels,
      coalesce((select json_agg(json_build_object('inbox_id', inbox_id, 'title', title, 'n', n)) from cells), '[]') as cells
  `.execute(ctx.db);
  const { inboxes, labels, cells } = rows[0]!;
  const count = new Map(cells.map((c) => [`${c.inbox_id}\u0000${c.title}`, Number(c.n)]));
  return {
    inboxes,
    labels,
    matrix: inboxes.map((inbox) => labels.map((label) => count.get(`${inbox.id}\u0000${label.title}`) ?? 0)),
  };
}

const OUTGOING_GROUPS = ['agent', 'team', 'inbox', 'label'] as const;
export type OutgoingGroup = (typeof OUTGOING_GROUPS)[number];

/**
 * Outgoing messages created in the window (none without one) by the conversation's assignee (bots'
 * messages left out, and, as upstream's NOT IN, messages without a sender type), team, the
 * message's inbox, or each label on the conversation: `[{id, name, outgoing_messages_count}]`.
 * null for a group_by that is not one of the four (upstream's `head :unprocessable_entity`, after
 * the role check).
 */
export async function outgoingMessagesCount(ctx: AccountCtx, q: OutgoingQuery) {
  requireAdministrator(ctx);
  const group: OutgoingGroup | undefined = OUTGOING_GROUPS.find((g) => g === q.group_by);
  if (!group) return null;
  const window = parseWindow(q);
  const account = ctx.account.id;
  const base = sql`m.account_id = ${account} and m.message_type = ${MESSAGE_TYPE.outgoing} and ${within('m.created_at', window)}`;
  const conv = sql`join conversations c on c.id = m.conversation_id and c.account_id = ${account}`;
  const query = {
    agent: sql`
      select c.assignee_id as id, u.name, count(*) as n from messages m ${conv}
      left join account_users au on au.user_id = c.assignee_id and au.account_id = ${account}
      left join users u on u.id = au.user_id
      where ${base} and c.assignee_id is not null and m.sender_type not in ('AgentBot', 'Captain::Assistant')
      group by c.assignee_id, u.name order by c.assignee_id`,
    team: sql`
      select c.team_id as id, tm.name, count(*) as n from messages m ${conv}
      left join teams tm on tm.id = c.team_id and tm.account_id = ${account}
      where ${base} and c.team_id is not null
      group by c.team_id, tm.name order by c.team_id`,
    inbox: sql`
      select m.inbox_id as id, i.name, count(*) as n from messages m
      left join inboxes i on i.id = m.inbox_id and i.account_id = ${account}
      where ${base}
      group by m.inbox_id, i.name order by m.inbox_id`,
    label: sql`
      select l.id, t.name, count(*) as n from messages m ${conv}
      join taggings t on t.taggable_id = c.id and t.taggable_type = 'Conversation' and t.account_id = ${account}
      left join labels l on l.title = t.name and l.account_id = ${account}
      where ${base}
      group by l.id, t.name order by t.name`,
  }[group];
  const { rows } = await sql<{ id: string | null; name: string | null; n: string }>`${query}`.execute(ctx.db);
  return rows.map((r) => ({
    id: r.id === null ? null : Number(r.id),
    name: r.name,
    outgoing_messages_count: Number(r.n),
  }));
}
