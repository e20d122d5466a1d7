import { sql, type SqlBool } from 'kysely';
import type { Db } from '../core/db/kysely.js';
import { conversationFromJson } from '../core/db/json-rows.js';
import { PREPARED_MARK } from '../core/db/prepared.js';
import type { ChannelApi, Contact, ContactInbox, Conversation, Inbox, Message } from '../core/db/schema.js';
import { notFound } from '../core/errors.js';
import { parseId } from '../core/http/ids.js';
import { API_CHANNEL } from '../domains/inboxes/queries.js';
import { loadMessageViews } from '../domains/conversations/views.js';
import type { PublicConversationView } from '../serializers/public-conversation.js';
import type { PublicMessageView } from '../serializers/public-message.js';
import { MESSAGE_TYPE } from '../core/db/enums.js';

/**
 * Lookups of the Client API. Public::Api::V1::InboxesController finds, in order, the API channel
 * by its identifier, the contact inbox by source_id within that inbox, and the conversation by
 * display id among the contact inbox's conversations (all of the contact's once the contact inbox
 * is hmac_verified). Each `find_by!` miss is Rails' 404, whatever was missing.
 */

/** The channel fields the Client API needs; the hmac_token never leaves the server. */
export type PublicChannel = Pick<ChannelApi, 'identifier' | 'hmac_token' | 'hmac_mandatory'>;
export type PublicInbox = Pick<Inbox, 'id' | 'account_id' | 'name' | 'lock_to_single_conversation'>;

export interface InboxScope {
  inbox: PublicInbox;
  channel: PublicChannel;
}
export interface ContactScope extends InboxScope {
  contactInbox: ContactInbox;
  contact: Contact;
}
export interface ConversationScope extends ContactScope {
  conversation: Conversation;
}

/** Where a Client API request points: the inbox by identifier, the contact by source id. */
export interface ContactPath {
  inboxIdentifier: string;
  contactIdentifier: string;
}
/** A conversation route's path: its contact's, and the conversation's display id as given. */
export interface ConversationPath extends ContactPath {
  displayId: string;
}

/** The path of a route under /inboxes/:inbox_identifier/contacts/:contact_identifier. */
export function contactPath(params: { inbox_identifier: string; contact_identifier: string }): ContactPath {
  return { inboxIdentifier: params.inbox_identifier, contactIdentifier: params.contact_identifier };
}

/** The same, with the conversation's display id (named `id` or `conversation_id` by the route). */
export function conversationPath(
  params: { inbox_identifier: string; contact_identifier: string },
  displayId: string,
): ConversationPath {
  return { ...contactPath(params), displayId };
}

/** The API channel with this identifier and its inbox; 404 otherwise. */
export async function findInboxScope(db: Db, inboxIdentifier: string): Promise<InboxScope> {
  const row = await db
    .selectFrom('channel_api as ch')
    .innerJoin('inboxes as i', (join) =>
      join.onRef('i.channel_id', '=', 'ch.id').on('i.channel_type', '=', API_CHANNEL),
    )
    .select([
      'i.id',
      'i.account_id',
      'i.name',
      'i.lock_to_single_conversation',
      'ch.identifier',
      'ch.hmac_token',
      'ch.hmac_mandatory',
    ])
    .where('ch.identifier', '=', inboxIdentifier)
    .executeTakeFirst();
  if (!row) throw notFound();
  const { identifier, hmac_token, hmac_mandatory, ...inbox } = row;
  return { inbox, channel: { identifier, hmac_token, hmac_mandatory } };
}

function contactScopeQuery(db: Db, inboxIdentifier: string, contactIdentifier: string) {
  // every contact-scoped request runs it: planned once per connection (prepared.ts)
  return db
    .selectFrom('channel_api as ch')
    .modifyFront(sql.raw(PREPARED_MARK))
    .innerJoin('inboxes as i', (join) =>
      join.onRef('i.channel_id', '=', 'ch.id').on('i.channel_type', '=', API_CHANNEL),
    )
    .innerJoin('contact_inboxes as ci', (join) =>
      join.onRef('ci.inbox_id', '=', 'i.id').on('ci.source_id', '=', contactIdentifier),
    )
    .innerJoin('contacts', 'contacts.id', 'ci.contact_id')
    .selectAll('contacts')
    .select([
      'i.id as i_id',
      'i.account_id as i_account_id',
      'i.name as i_name',
      'i.lock_to_single_conversation as i_lock_to_single_conversation',
      'ch.identifier as ch_identifier',
      'ch.hmac_token as ch_hmac_token',
      'ch.hmac_mandatory as ch_hmac_mandatory',
      'ci.id as ci_id',
      'ci.contact_id as ci_contact_id',
      'ci.inbox_id as ci_inbox_id',
      'ci.source_id as ci_source_id',
      'ci.hmac_verified as ci_hmac_verified',
      'ci.pubsub_token as ci_pubsub_token',
      'ci.created_at as ci_created_at',
      'ci.updated_at as ci_updated_at',
    ])
    .where('ch.identifier', '=', inboxIdentifier);
}

type ContactScopeRow = NonNullable<Awaited<ReturnType<ReturnType<typeof contactScopeQuery>['executeTakeFirst']>>>;

function contactScopeOf(row: ContactScopeRow): ContactScope {
  const {
    i_id,
    i_account_id,
    i_name,
    i_lock_to_single_conversation,
    ch_identifier,
    ch_hmac_token,
    ch_hmac_mandatory,
    ci_id,
    ci_contact_id,
    ci_inbox_id,
    ci_source_id,
    ci_hmac_verified,
    ci_pubsub_token,
    ci_created_at,
    ci_updated_at,
    ...contact
  } = row;
  return {
    inbox: {
      id: i_id,
      account_id: i_account_id,
      name: i_name,
      lock_to_single_conversation: i_lock_to_single_conversation,
    },
    channel: { identifier: ch_identifier, hmac_token: ch_hmac_token, hmac_mandatory: ch_hmac_mandatory },
    contactInbox: {
      id: ci_id,
      contact_id: ci_contact_id,
      inbox_id: ci_inbox_id,
      source_id: ci_source_id,
      hmac_verified: ci_hmac_verified,
      pubsub_token: ci_pubsub_token,
      created_at: ci_created_at,
      updated_at: ci_updated_at,
    },
    contact,
  };
}

/** Inbox, channel, contact inbox and contact in one round trip (every contact-scoped request needs all four). */
export async function findContactScope(
  db: Db,
  inboxIdentifier: string,
  contactIdentifier: string,
): Promise<ContactScope> {
  const row = await contactScopeQuery(db, inboxIdentifier, contactIdentifier).executeTakeFirst();
  if (!row) throw notFound();
  return contactScopeOf(row);
}

/** The conversations this contact inbox may see: its own, or all of the contact's once hmac_verified. */
export function visibleConversations(db: Db, scope: ContactScope) {
  const query = db.selectFrom('conversations').selectAll().where('account_id', '=', scope.inbox.account_id);
  return scope.contactInbox.hmac_verified
    ? query.where('contact_id', '=', scope.contact.id)
    : query.where('contact_inbox_id', '=', scope.contactInbox.id);
}

/** Conversation `cv` is one contact inbox `ci` may see (visibleConversations' rule, in SQL). */
export const VISIBLE_TO_CONTACT_INBOX = sql<SqlBool>`(case when ci.hmac_verified then cv.contact_id = ci.contact_id else cv.contact_inbox_id = ci.id end)`;

/**
 * The contact scope and the conversation in the same round trip (the message routes are the hot
 * path): the conversation joins under the same visibility rule as visibleConversations.
 */
export async function findConversationScope(
  db: Db,
  inboxIdentifier: string,
  contactIdentifier: string,
  rawDisplayId: string,
): Promise<ConversationScope> {
  const displayId = parseId(rawDisplayId);
  if (displayId === undefined) throw notFound();
  const row = await contactScopeQuery(db, inboxIdentifier, contactIdentifier)
    .leftJoin('conversations as cv', (join) =>
      join.onRef('cv.account_id', '=', 'i.account_id').on('cv.display_id', '=', displayId).on(VISIBLE_TO_CONTACT_INBOX),
    )
    .select(sql<Record<string, unknown> | null>`to_jsonb(cv)`.as('cv'))
    .executeTakeFirst();
  if (!row?.cv) throw notFound();
  const { cv, ...rest } = row;
  return { ...contactScopeOf(rest), conversation: conversationFromJson(cv) };
}

/** Senders and attachments of messages the contact may see (one query each, whatever the count). */
export async function loadPublicMessageViews(
  db: Db,
  accountId: number,
  messages: Message[],
  displayIds: Map<number, number>,
): Promise<PublicMessageView[]> {
  const views = await loadMessageViews(db, accountId, messages, (message) => ({
    // only the display id is rendered for contacts; the rest is push_event_data's and unused here
    display_id: displayIds.get(message.conversation_id) ?? 0,
    assignee_id: null,
    unread_count: 0,
    last_activity_at: message.created_at,
    source_id: null,
  }));
  return views.map((view) => ({
    message: view.message,
    conversationDisplayId: view.conversation.display_id,
    sender: view.sender,
    attachments: view.attachments,
  }));
}

/** Message.chat of each conversation: neither activity messages nor private notes, ascending. */
export async function loadPublicConversationViews(
  db: Db,
  conversations: Conversation[],
  known: Contact[] = [],
): Promise<PublicConversationView[]> {
  if (conversations.length === 0) return [];
  const accountId = conversations[0]!.account_id;
  const contactIds = [...new Set(conversations.map((c) => c.contact_id))];
  const missing = contactIds.filter((id) => !known.some((c) => c.id === id));
  const [messages, loaded] = await Promise.all([
    db
      .selectFrom('messages')
      .selectAll()
      .where(
        'conversation_id',
        'in',
        conversations.map((c) => c.id),
      )
      .where('private', '=', false)
      .where('message_type', '!=', MESSAGE_TYPE.activity)
      .orderBy('id')
      .execute(),
    missing.length ? db.selectFrom('contacts').selectAll().where('id', 'in', missing).execute() : [],
  ]);
  const views = await loadPublicMessageViews(
    db,
    accountId,
    messages,
    new Map(conversations.map((c) => [c.id, c.display_id])),
  );
  const contacts = new Map([...known, ...loaded].map((c) => [c.id, c]));
  return conversations.map((conversation) => ({
    conversation,
    contact: contacts.get(conversation.contact_id)!,
    messages: views.filter((v) => v.message.conversation_id === conversation.id),
  }));
}
