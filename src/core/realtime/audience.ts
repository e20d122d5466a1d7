// Who receives a conversation's events on /cable, as SQL: the realtime subscriber runs these on
// their own, and the statements that store a message (messages/live.ts) embed them to learn the
// audience in the same round trip.
import { sql } from 'kysely';
import type { SqlValue } from '../events/bus.js';

/** Who sees a conversation's events: where it is (account, inbox, team) and whose it is (contact inbox). */
export interface ConversationPlace {
  account_id: SqlValue;
  inbox_id: SqlValue;
  team_id: SqlValue | null;
  contact_inbox_id: SqlValue | null;
}

/**
 * The agents' tokens for a conversation: inbox members, team members and administrators, each
 * found through its own index (administrators through a partial one: an account may have
 * thousands of agents and a handful of administrators), then checked to be in the account. A
 * query of its own, or part of the statement that stores a message.
 */
export function agentTokensQuery(place: ConversationPlace) {
  // one lookup by key per audience member (LATERAL with LIMIT is not flattened into a join): with
  // the table statistics behind (a bulk import), a generic plan hash-joined every membership of
  // the account and every user instead
  return sql<{ pubsub_token: string }>`select member.pubsub_token from (
      select user_id from inbox_members where inbox_id = ${place.inbox_id}
      union select user_id from team_members where team_id = ${place.team_id ?? 0}
      union select user_id from account_users where account_id = ${place.account_id} and role = 1) audience
    cross join lateral (select u.pubsub_token from account_users au join users u on u.id = au.user_id
      where au.account_id = ${place.account_id} and au.user_id = audience.user_id limit 1) member`;
}

/** The contact's session tokens: its contact inbox's, or every verified one of the contact when that one is verified. */
export function contactTokensQuery(place: ConversationPlace) {
  return sql<{ pubsub_token: string }>`select other.pubsub_token from contact_inboxes own
    join contact_inboxes other on other.id = own.id or (own.hmac_verified and other.hmac_verified and other.contact_id = own.contact_id)
    where own.id = ${place.contact_inbox_id ?? 0}`;
}
