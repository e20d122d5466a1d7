import { sql } from 'kysely';
import { CONVERSATION_STATUS } from '../../core/db/enums.js';
import { recordNotFound, unprocessable } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { usersWithAvailability } from '../conversations/views.js';
import { idFilter } from '../../core/reports/filters.js';
import type { ConversationsQuery, LiveQuery } from './schemas.js';

/**
 * LiveReportsController and ReportsController#conversations: counts of the conversations as they
 * are now. Conversation.unattended: no first reply yet, or waiting for a reply (waiting_since set);
 * unassigned: no assignee.
 */
const OPEN = CONVERSATION_STATUS.open;
const UNATTENDED = sql<boolean>`(c.first_reply_created_at is null or c.waiting_since is not null)`;

/** GET /live_reports/conversation_metrics (team_id narrows to one team). */
export async function conversationMetrics(ctx: AccountCtx, q: LiveQuery) {
  requireAdministrator(ctx);
  const team = idFilter(q.team_id);
  const row = await sql<{ open: string; unattended: string; unassigned: string; pending: string }>`
    select count(*) filter (where c.status = ${OPEN}) as open,
      count(*) filter (where c.status = ${OPEN} and ${UNATTENDED}) as unattended,
      count(*) filter (where c.status = ${OPEN} and c.assignee_id is null) as unassigned,
      count(*) filter (where c.status = ${CONVERSATION_STATUS.pending}) as pending
    from conversations c
    where c.account_id = ${ctx.account.id}
      and c.status in (${OPEN}, ${CONVERSATION_STATUS.pending})
      and ${team === undefined ? sql`true` : sql`c.team_id = ${team}`}`.execute(ctx.db);
  const r = row.rows[0]!;
  return {
    open: Number(r.open),
    unattended: Number(r.unattended),
    unassigned: Number(r.unassigned),
    pending: Number(r.pending),
  };
}

const GROUPS = ['team_id', 'assignee_id'] as const;

/**
 * GET /live_reports/grouped_conversation_metrics: open conversations by team or assignee (a group
 * with no open conversation is absent; null is its own group). Upstream checks group_by before
 * the caller's role, so a bad group_by is a 422 even for an agent.
 */
export async function groupedConversationMetrics(ctx: AccountCtx, q: LiveQuery) {
  const group = GROUPS.find((g) => g === q.group_by);
  if (!group) throw unprocessable('invalid group_by');
  requireAdministrator(ctx);
  const team = idFilter(q.team_id);
  const { rows } = await sql<{ k: string | null; open: string; unattended: string; unassigned: string }>`
    select ${sql.ref(`c.${group}`)} as k, count(*) as open,
      count(*) filter (where ${UNATTENDED}) as unattended,
      count(*) filter (where c.assignee_id is null) as unassigned
    from conversations c
    where c.account_id = ${ctx.account.id} and c.status = ${OPEN}
      and ${team === undefined ? sql`true` : sql`c.team_id = ${team}`}
    group by 1
    order by 1 nulls first`.execute(ctx.db);
  return rows.map((r) => ({
    open: Number(r.open),
    unattended: Number(r.unattended),
    unassigned: Number(r.unassigned),
    [group]: r.k === null ? null : Number(r.k),
  }));
}

/** V2::ReportBuilder::AGENT_RESULTS_PER_PAGE. */
export const AGENTS_PER_PAGE = 25;

/**
 * GET /reports/conversations (V2::ReportBuilder#conversation_metrics). `type` blank: 422 with no
 * body (`head :unprocessable_entity`). account: the account's open, unattended and unassigned.
 * agent: a page of 25 members (by membership), each with the open and unattended conversations
 * assigned to them, most open first. inbox/label/team need an `id` this action never passes
 * (RecordNotFound upstream): 404. Any other type: 422.
 */
export async function conversationsReport(ctx: AccountCtx, q: ConversationsQuery) {
  requireAdministrator(ctx);
  const type = q.type ?? '';
  if (type === 'account') {
    const { open, unattended, unassigned } = await conversationMetrics(ctx, {});
    return { open, unattended, unassigned };
  }
  if (type === 'inbox' || type === 'label' || type === 'team') throw recordNotFound();
  if (type !== 'agent') return null;
  const page = Math.max(1, Math.min(idFilter(q.page) || 1, 1_000_000));
  const { rows } = await sql<{ user_id: string; open: string; unattended: string }>`
    with members as (
      select au.id, au.user_id from account_users au where au.account_id = ${ctx.account.id}
      order by au.id limit ${AGENTS_PER_PAGE} offset ${(page - 1) * AGENTS_PER_PAGE}
    )
    select m.user_id,
      count(c.id) as open,
      count(c.id) filter (where ${UNATTENDED}) as unattended
    from members m
    left join conversations c on c.assignee_id = m.user_id and c.account_id = ${ctx.account.id} and c.status = ${OPEN}
    group by m.id, m.user_id
    order by count(c.id) desc, m.id desc`.execute(ctx.db);
  const users = new Map(
    (
      await usersWithAvailability(
        ctx.db,
        ctx.account.id,
        rows.map((r) => Number(r.user_id)),
      )
    ).map((u) => [u.user.id, u]),
  );
  return rows.map((r) => {
    const view = users.get(Number(r.user_id));
    return {
      id: Number(r.user_id),
      name: view?.user.name ?? null,
      email: view?.user.email ?? null,
      thumbnail: view?.user.avatar_url ?? '',
      availability: view?.availability ?? 'offline',
      metric: { open: Number(r.open), unattended: Number(r.unattended) },
    };
  });
}
