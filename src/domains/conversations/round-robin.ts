// The round-robin queue of an inbox's members (Chatwoot's InboxRoundRobinService over Redis, here
// inbox_members.round_robin_turn) and the choice of an agent from it, shared by auto-assignment and
// a team change (AssignmentHandler#find_assignee_from_team).
import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { AVAILABILITIES, CONVERSATION_STATUS, enumValue } from '../../core/db/enums.js';
import { PRESENCE_SECONDS } from '../../core/realtime/presence.js';

const ONLINE = enumValue(AVAILABILITIES, 'online');

/**
 * Serialises the inbox's assignments until the transaction ends: the next one counts what this one
 * assigned, so two nodes assigning at once never put an agent over a limit, and the queue's turns
 * move one at a time. The same lock (inbox_assignment_lock, migration 0051) is taken by a trigger
 * before any change of the inbox's conversation counters, so its holder never waits on them.
 */
export async function lockInbox(tx: Db, inboxId: number): Promise<void> {
  await sql`select inbox_assignment_lock(${inboxId}::bigint)`.execute(tx);
}

/** Who may get the conversation, and in which order (AgentAssignmentService, AssignmentService). */
export interface PickRules {
  accountId: number;
  inboxId: number;
  /** The conversation's team (allow_auto_assign checked by the caller): only its members. */
  teamId: number | null;
  /** v1 (enterprise Inbox#member_ids_with_assignment_capacity): fewer open conversations in the inbox than this. */
  maxOpen: number | null;
  /** v2 RateLimiter: fewer auto-assignments in the inbox than `limit` within the last `windowSeconds`. */
  fair: { limit: number; windowSeconds: number } | null;
  /** v2 capacity (CapacityService): an agent's capacity policy limit for this inbox holds. */
  capacity: boolean;
  /** round_robin: the queue's next; balanced (BalancedSelector): fewest open conversations in the inbox. */
  order: 'round_robin' | 'balanced';
}

/**
 * The agent to assign, or undefined: an inbox member who is online (OnlineStatusTracker: present
 * within PRESENCE_SECONDS, or auto_offline off, and availability `online`) and within the rules,
 * nearest the tail of the round-robin queue. The chosen member moves to the queue's head. Call it
 * holding lockInbox.
 */
export async function pickAgent(tx: Db, rules: PickRules): Promise<number | undefined> {
  const { accountId, inboxId } = rules;
  const openCount = sql<number>`coalesce(oc.n, 0)`;
  const conditions = [
    sql`im.inbox_id = ${inboxId}`,
    sql`au.availability = ${ONLINE}`,
    sql`(not au.auto_offline or p.last_seen_at > now() - make_interval(secs => ${PRESENCE_SECONDS}))`,
  ];
  if (rules.teamId !== null)
    conditions.push(
      sql`exists (select 1 from team_members tm where tm.team_id = ${rules.teamId} and tm.user_id = im.user_id)`,
    );
  if (rules.maxOpen !== null) conditions.push(sql`${openCount} < ${rules.maxOpen}`);
  if (rules.fair)
    conditions.push(sql`(select count(*) from auto_assignments aa
      where aa.inbox_id = ${inboxId} and aa.user_id = im.user_id
        and aa.assigned_at > now() - make_interval(secs => ${rules.fair.windowSeconds})) < ${rules.fair.limit}`);
  if (rules.capacity)
    conditions.push(sql`not exists (select 1 from inbox_capacity_limits l
      where l.agent_capacity_policy_id = au.agent_capacity_policy_id and l.inbox_id = ${inboxId}
        and ${openCount} >= l.conversation_limit)`);
  const order =
    rules.order === 'balanced' ? sql`${openCount}, im.round_robin_turn, im.id` : sql`im.round_robin_turn, im.id`;
  const picked = await sql<{ id: number; user_id: number }>`
    with oc as (
      select assignee_id, count(*)::int as n from conversations
      where account_id = ${accountId} and inbox_id = ${inboxId} and status = ${CONVERSATION_STATUS.open}
        and assignee_id is not null
      group by assignee_id
    )
    select im.id, im.user_id
    from inbox_members im
    join account_users au on au.account_id = ${accountId} and au.user_id = im.user_id
    left join presence p on p.account_id = ${accountId} and p.kind = 'User' and p.entity_id = im.user_id
    left join oc on oc.assignee_id = im.user_id
    where ${sql.join(conditions, sql` and `)}
    order by ${order}
    limit 1`.execute(tx);
  const row = picked.rows[0];
  if (!row) return undefined;
  await sql`update inbox_members set round_robin_turn = nextval('inbox_round_robin_turns') where id = ${row.id}`.execute(
    tx,
  );
  return row.user_id;
}

/** Inbox#auto_assignment_config max_assignment_limit: a positive whole number, else none. */
export function maxAssignmentLimit(config: Record<string, unknown>): number | null {
  const raw = config.max_assignment_limit;
  const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}
