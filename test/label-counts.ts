// The conversation list's per-label counters (migrations 0004, 0154) against a recount of the
// taggings: both as rows (label, status, inbox, team, assignee, n), keys with n > 0 only, in one order.
import { sql } from 'kysely';
import type { Db } from '../src/core/db/kysely.js';

export interface LabelCount {
  label: string;
  status: number;
  inbox_id: number;
  team_id: number;
  assignee_id: number;
  n: number;
}

const ORDER = sql`order by label, status, inbox_id, team_id, assignee_id`;

/** What the counters say: the folded rows plus the deltas not folded yet. */
export async function labelCounters(db: Db, accountId: number): Promise<LabelCount[]> {
  const { rows } = await sql<LabelCount>`
    select label, status, inbox_id::int, team_id::int, assignee_id::int, sum(n)::int as n from (
      select label, status, inbox_id, team_id, assignee_id, n from conversation_label_counts where account_id = ${accountId}
      union all
      select label, status, inbox_id, team_id, assignee_id, n from conversation_label_count_deltas where account_id = ${accountId}
    ) c group by 1, 2, 3, 4, 5 having sum(n) > 0 ${ORDER}`.execute(db);
  return rows;
}

/** What they should say: the account's conversation taggings counted under each conversation's key. */
export async function labelRecount(db: Db, accountId: number): Promise<LabelCount[]> {
  const { rows } = await sql<LabelCount>`
    select t.name as label, c.status, c.inbox_id::int, coalesce(c.team_id, 0)::int as team_id,
      coalesce(c.assignee_id, 0)::int as assignee_id, count(*)::int as n
    from taggings t join conversations c on c.id = t.taggable_id
    where t.taggable_type = 'Conversation' and c.account_id = ${accountId}
    group by 1, 2, 3, 4, 5 ${ORDER}`.execute(db);
  return rows;
}

/** The folded counter rows alone (once the deltas are folded, they say the same as labelCounters). */
export async function foldedLabelCounters(db: Db, accountId: number): Promise<LabelCount[]> {
  const { rows } = await sql<LabelCount>`
    select label, status, inbox_id::int, team_id::int, assignee_id::int, n::int from conversation_label_counts
    where account_id = ${accountId} and n > 0 ${ORDER}`.execute(db);
  return rows;
}
