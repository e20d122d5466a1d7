import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Contact, Conversation, Message } from '../../core/db/schema.js';
import { isResolved, SEARCH_DOCUMENT } from '../contacts/queries.js';

/** SearchService: 15 results a page for every kind. */
export const SEARCH_PER_PAGE = 15;

/**
 * The inboxes the caller searches: all of the account's (null) for administrators, else the ids of
 * `current_user.assigned_inboxes` (inbox memberships; unlike the conversation list, teams do not
 * widen search upstream).
 */
export type InboxScope = number[] | null;

export interface SearchPage {
  accountId: number;
  inboxes: InboxScope;
  /** The ILIKE pattern: `%q%` with q's own wildcards escaped. */
  pattern: string;
  page: number;
}

const offsetOf = (page: number) => (page - 1) * SEARCH_PER_PAGE;

function inInboxes(inboxes: InboxScope, column: string): Expression<SqlBool> {
  return inboxes === null ? sql<SqlBool>`true` : sql<SqlBool>`${sql.ref(column)} = any(${inboxes}::bigint[])`;
}

/**
 * filter_conversations: the display id, or the contact's name, email, phone number or identifier,
 * newest conversations first. The contact match goes through the contacts' trigram index.
 */
export async function findConversations(db: Db, { accountId, inboxes, pattern, page }: SearchPage) {
  return db
    .selectFrom('conversations as c')
    .selectAll('c')
    .where('c.account_id', '=', accountId)
    .where(inInboxes(inboxes, 'c.inbox_id'))
    .where((eb) =>
      eb.or([
        eb(sql`c.display_id::text`, 'ilike', pattern),
        eb(
          'c.contact_id',
          'in',
          eb
            .selectFrom('contacts')
            .select('contacts.id')
            .where('contacts.account_id', '=', accountId)
            .where(SEARCH_DOCUMENT, 'ilike', pattern),
        ),
      ]),
    )
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(SEARCH_PER_PAGE)
    .offset(offsetOf(page))
    .execute() as Promise<Conversation[]>;
}

/**
 * filter_messages_with_like: messages of the last three months whose content contains q, newest
 * first. The trigram index on content (0025) finds a rare word without reading the months.
 * Private notes are included, as upstream: whoever may open the inbox reads its notes.
 */
export async function findMessages(db: Db, { accountId, inboxes, pattern, page }: SearchPage): Promise<Message[]> {
  return db
    .selectFrom('messages as m')
    .selectAll('m')
    .where('m.account_id', '=', accountId)
    .where(inInboxes(inboxes, 'm.inbox_id'))
    .where('m.created_at', '>=', sql<Date>`now() - interval '3 months'`)
    .where('m.content', 'ilike', pattern)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(SEARCH_PER_PAGE)
    .offset(offsetOf(page))
    .execute();
}

/**
 * filter_contacts: resolved contacts whose name, email, phone number or identifier contains q,
 * the most recently active first. Contacts are the account's, whatever the caller's inboxes.
 */
export async function findContacts(db: Db, { accountId, pattern, page }: SearchPage): Promise<Contact[]> {
  return db
    .selectFrom('contacts')
    .selectAll('contacts')
    .where('contacts.account_id', '=', accountId)
    .where(isResolved)
    .where(SEARCH_DOCUMENT, 'ilike', pattern)
    .orderBy(sql`contacts.last_activity_at desc nulls last`)
    .orderBy('contacts.id', 'desc')
    .limit(SEARCH_PER_PAGE)
    .offset(offsetOf(page))
    .execute();
}
