import { randomUUID } from 'node:crypto';
import { sql, type SelectQueryBuilder, type SqlBool, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Contact, ContactInbox, Database, Inbox } from '../../core/db/schema.js';
import type { ContactView } from '../../serializers/contact.js';
import { generateSecureToken } from '../../core/tokens/secure-token.js';
import { CONTACT_SEARCH_DOCUMENT } from '../filters/keys.js';

export const CONTACTS_PER_PAGE = 15;

type ContactQuery = SelectQueryBuilder<Database, 'contacts', Contact>;

/**
 * Chatwoot's resolved_contacts: contacts with an email, phone or identifier (anonymous widget
 * visitors are left out). Blanks are stored as null, so this matches the partial index.
 */
export const isResolved = sql<SqlBool>`(contacts.email is not null or contacts.phone_number is not null or contacts.identifier is not null)`;

/** The expression the trigram index covers; searching must use it verbatim to hit the index. */
export const SEARCH_DOCUMENT = CONTACT_SEARCH_DOCUMENT;

/** Sift sort keys of Chatwoot's contacts index: `name`, `-last_activity_at`, ... */
const SORTS: Record<string, (dir: 'asc' | 'desc') => RawBuilder<unknown>> = {
  name: (dir) => sql`lower(contacts.name) ${sql.raw(dir)}`,
  email: (dir) => sql`lower(contacts.email) ${sql.raw(dir)} nulls last`,
  phone_number: (dir) => sql`lower(contacts.phone_number) ${sql.raw(dir)} nulls last`,
  last_activity_at: (dir) => sql`contacts.last_activity_at ${sql.raw(dir)} nulls last`,
  created_at: (dir) => sql`contacts.created_at ${sql.raw(dir)} nulls last`,
  company: (dir) => sql`contacts.additional_attributes ->> 'company_name' ${sql.raw(dir)} nulls last`,
  city: (dir) => sql`contacts.additional_attributes ->> 'city' ${sql.raw(dir)} nulls last`,
  country: (dir) => sql`contacts.additional_attributes ->> 'country' ${sql.raw(dir)} nulls last`,
};

/** Applies `sort` (comma-separated, `-` for descending); unknown keys are ignored, as Sift does. Ties break by id. */
export function applySort(query: ContactQuery, sort: string | undefined): ContactQuery {
  let sorted = query;
  for (const part of (sort ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const desc = part.startsWith('-');
    const order = SORTS[desc ? part.slice(1) : part];
    if (order) sorted = sorted.orderBy(order(desc ? 'desc' : 'asc'));
  }
  return sorted.orderBy('contacts.id');
}

export function accountContacts(db: Db, accountId: number): ContactQuery {
  return db.selectFrom('contacts').selectAll('contacts').where('contacts.account_id', '=', accountId);
}

/** Only contacts carrying any of these labels (Chatwoot: tagged_with(labels, any: true)). */
export function withAnyLabel(query: ContactQuery, labels: string[]): ContactQuery {
  if (labels.length === 0) return query;
  return query.where(({ exists, selectFrom }) =>
    exists(
      selectFrom('taggings')
        .select('taggings.id')
        .where('taggings.taggable_type', '=', 'Contact')
        .whereRef('taggings.taggable_id', '=', 'contacts.id')
        .where(
          'taggings.name',
          'in',
          labels.map((l) => l.toLowerCase()),
        ),
    ),
  );
}

/**
 * One page and the total. The total comes from `counted` when given (the maintained counters);
 * else a page with fewer rows than a page holds tells it exactly (the rows before it and its own),
 * and only a full or empty page pays for counting the same conditions, without order or limit.
 */
export async function pageOf(
  query: ContactQuery,
  page: number,
  sort: string | undefined,
  counted?: () => Promise<number>,
): Promise<{ contacts: Contact[]; count: number }> {
  const before = (page - 1) * CONTACTS_PER_PAGE;
  const rows = applySort(query, sort).limit(CONTACTS_PER_PAGE).offset(before).execute();
  if (counted) {
    const [contacts, count] = await Promise.all([rows, counted()]);
    return { contacts, count };
  }
  const contacts = await rows;
  if (contacts.length < CONTACTS_PER_PAGE && (contacts.length > 0 || page === 1)) {
    return { contacts, count: before + contacts.length };
  }
  const total = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { contacts, count: Number(total.n) };
}

/** The account's resolved contacts, from the counters 0125_contact_counts.sql keeps. */
export async function resolvedCount(db: Db, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('contact_counts')
    .select((eb) => eb.fn.sum<string | null>('n').as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findContact(db: Db, accountId: number, id: number): Promise<Contact | undefined> {
  return accountContacts(db, accountId).where('contacts.id', '=', id).executeTakeFirst();
}

/** Adds each contact's inboxes (one query) for partials rendered with contact_inboxes. */
export async function withContactInboxes(db: Db, contacts: Contact[]): Promise<ContactView[]> {
  if (contacts.length === 0) return [];
  const rows = await db
    .selectFrom('contact_inboxes')
    .innerJoin('inboxes', 'inboxes.id', 'contact_inboxes.inbox_id')
    .selectAll('contact_inboxes')
    .select([
      'inboxes.id as i_id',
      'inboxes.account_id as i_account_id',
      'inboxes.channel_type as i_channel_type',
      'inboxes.channel_id as i_channel_id',
      'inboxes.name as i_name',
      'inboxes.avatar_url as i_avatar_url',
    ])
    .where(
      'contact_inboxes.contact_id',
      'in',
      contacts.map((c) => c.id),
    )
    .orderBy('contact_inboxes.id')
    .execute();
  return contacts.map((contact) => ({
    contact,
    contactInboxes: rows
      .filter((row) => row.contact_id === contact.id)
      .map((row) => ({
        contactInbox: row as ContactInbox,
        inbox: {
          id: row.i_id,
          account_id: row.i_account_id,
          channel_type: row.i_channel_type,
          channel_id: row.i_channel_id,
          name: row.i_name,
          avatar_url: row.i_avatar_url,
        } as Inbox,
      })),
  }));
}

/**
 * ContactInboxBuilder for API inboxes: find the (contact, inbox, source_id) row or create it; a
 * missing source_id becomes a random UUID, as Chatwoot generates for API and web widget inboxes.
 */
export async function findOrCreateContactInbox(
  db: Db,
  contactId: number,
  inboxId: number,
  sourceId?: string | null,
): Promise<ContactInbox> {
  const source = sourceId?.trim() || randomUUID();
  const existing = await db
    .selectFrom('contact_inboxes')
    .selectAll()
    .where('inbox_id', '=', inboxId)
    .where('source_id', '=', source)
    .executeTakeFirst();
  if (existing) return existing;
  return db
    .insertInto('contact_inboxes')
    .values({ contact_id: contactId, inbox_id: inboxId, source_id: source, pubsub_token: generateSecureToken() })
    .returningAll()
    .executeTakeFirstOrThrow();
}
