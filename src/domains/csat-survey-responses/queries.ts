import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { MESSAGE_CONTENT_TYPE } from '../../core/db/enums.js';
import type { CsatSurveyResponse } from '../../core/db/schema.js';
import type { Window } from '../../core/reports/range.js';

/** [since, until): DateRangeHelper's `since...until`. */
export type CsatRange = Window;

/** The filters of set_csat_survey_responses, read from the params (ids Rails would cast). */
export interface CsatFilters {
  range?: CsatRange;
  /** assigned_agent_id in these (filter_by_assigned_agent_id). */
  userIds?: number[];
  /** the conversation's inbox (filter_by_inbox_id). */
  inboxId?: number;
  /** the conversation's team (filter_by_team_id). */
  teamId?: number;
  /** rating in these (filter_by_rating). */
  ratings?: number[];
}

/**
 * The account's responses, filtered. A range is a scan of (account_id, created_at) and agents of
 * (account_id, assigned_agent_id, created_at) (migration 0095), both carrying the rating; the
 * conversation is read only for an inbox or team filter (Chatwoot's `joins(:conversation)` in
 * filter_by_inbox_id / filter_by_team_id) — joined always, it cost a random heap read per response.
 */
export function filteredResponses(db: Db, accountId: number, f: CsatFilters) {
  let query = db.selectFrom('csat_survey_responses as r').where('r.account_id', '=', accountId);
  if (f.range) query = query.where('r.created_at', '>=', f.range.since).where('r.created_at', '<', f.range.until);
  if (f.userIds) query = query.where('r.assigned_agent_id', 'in', f.userIds.length ? f.userIds : [0]);
  if (f.ratings) query = query.where('r.rating', 'in', f.ratings.length ? f.ratings : [0]);
  if (f.inboxId !== undefined || f.teamId !== undefined) {
    const { inboxId, teamId } = f;
    query = query.where('r.conversation_id', 'in', (eb) => {
      let conversations = eb.selectFrom('conversations as c').select('c.id').where('c.account_id', '=', accountId);
      if (inboxId !== undefined) conversations = conversations.where('c.inbox_id', '=', inboxId);
      if (teamId !== undefined) conversations = conversations.where('c.team_id', '=', teamId);
      return conversations;
    });
  }
  return query;
}

/** The filtered responses with their conversation, for what shows its display id. */
const withConversation = (db: Db, accountId: number, f: CsatFilters) =>
  filteredResponses(db, accountId, f)
    .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .where('c.account_id', '=', accountId);

export type CsatRow = CsatSurveyResponse & { display_id: number };

/** One page of responses (Kaminari's page/per), in Sift's sort on created_at (id breaks ties). */
export function pageOfResponses(
  db: Db,
  accountId: number,
  f: CsatFilters,
  { page, perPage, descending }: { page: number; perPage: number; descending: boolean },
): Promise<CsatRow[]> {
  const direction = descending ? 'desc' : 'asc';
  return withConversation(db, accountId, f)
    .selectAll('r')
    .select('c.display_id')
    .orderBy('r.created_at', direction)
    .orderBy('r.id', direction)
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
}

/**
 * The metrics in one statement: the filtered responses counted by rating, and the CSAT survey
 * messages the account sent in the range (`Current.account.messages.input_csat`, by created_at
 * only: Chatwoot filters the sent count by no agent, inbox, team or rating).
 */
export async function csatMetricsRow(db: Db, accountId: number, f: CsatFilters) {
  const grouped = filteredResponses(db, accountId, f)
    .select(['r.rating', sql<string>`count(*)`.as('n')])
    .groupBy('r.rating');
  let sent = db
    .selectFrom('messages')
    .select(sql<string>`count(*)`.as('n'))
    .where('account_id', '=', accountId)
    .where('content_type', '=', MESSAGE_CONTENT_TYPE.input_csat);
  if (f.range) sent = sent.where('created_at', '>=', f.range.since).where('created_at', '<', f.range.until);
  const row = await db
    .selectNoFrom([
      sql<
        Array<{ rating: number; n: string | number }>
      >`(select coalesce(json_agg(g order by g.rating), '[]'::json) from (${grouped}) g)`.as('ratings'),
      sql<string>`(${sent})`.as('sent'),
    ])
    .executeTakeFirstOrThrow();
  return { ratings: row.ratings, sent: Number(row.sent) };
}

/** What a CSV line shows of each filtered response: its agent, contact and conversation. */
export function csvRows(db: Db, accountId: number, f: CsatFilters) {
  return withConversation(db, accountId, f)
    .leftJoin('users as u', 'u.id', 'r.assigned_agent_id')
    .leftJoin('contacts as ct', 'ct.id', 'r.contact_id')
    .select([
      'r.rating',
      'r.feedback_message',
      'r.created_at',
      'c.display_id',
      'u.name as agent_name',
      'u.email as agent_email',
      'ct.name as contact_name',
      'ct.email as contact_email',
      'ct.phone_number as contact_phone_number',
    ])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
}
