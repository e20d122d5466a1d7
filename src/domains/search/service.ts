import type { Db } from '../../core/db/kysely.js';
import type { Contact, Conversation, Message } from '../../core/db/schema.js';
import { ACCOUNT_USER_ROLES, enumName } from '../../core/db/enums.js';
import { isAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { searchContactJson } from '../../serializers/search-contact.js';
import { searchConversationJson, type SearchConversationView } from '../../serializers/search-conversation.js';
import { messageJson, type MessageView } from '../../serializers/message.js';
import { loadMessageViews } from '../conversations/views.js';
import { searchArticles } from '../help-center/search-articles.js';
import { searchArticleJson } from '../../serializers/search-article.js';
import { findContacts, findConversations, findMessages, type InboxScope, type SearchPage } from './queries.js';
import type { SearchQuery } from './schemas.js';

const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
const unique = (values: Array<number | null>) => [...new Set(values.filter((v): v is number => v !== null))];

/** SearchService#accessable_inbox_ids: the caller's inbox memberships; administrators every inbox. */
async function inboxScope(ctx: AccountCtx): Promise<InboxScope> {
  if (isAdministrator(ctx)) return null;
  // agent bots never reach search (not among upstream's bot-accessible endpoints): nothing, if ever
  if (ctx.actor.kind !== 'user') return [];
  const rows = await ctx.db
    .selectFrom('inbox_members')
    .innerJoin('inboxes', 'inboxes.id', 'inbox_members.inbox_id')
    .select('inbox_members.inbox_id')
    .where('inboxes.account_id', '=', ctx.account.id)
    .where('inbox_members.user_id', '=', ctx.actor.user.id)
    .execute();
  return rows.map((r) => r.inbox_id);
}

/** `params[:q].to_s.strip` inside `%…%`; q's own `%`, `_` and `\` are matched literally. */
const patternOf = (q: string | undefined) => `%${(q ?? '').trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

async function searchPage(ctx: AccountCtx, query: SearchQuery): Promise<SearchPage> {
  return {
    accountId: ctx.account.id,
    inboxes: await inboxScope(ctx),
    pattern: patternOf(query.q),
    page: query.page ?? 1,
  };
}

/** Message views; of its conversation, the messages partial renders only the display id. */
async function messageViewsOf(db: Db, accountId: number, messages: Message[]): Promise<MessageView[]> {
  if (messages.length === 0) return [];
  const conversations = await db
    .selectFrom('conversations')
    .select(['id', 'display_id', 'assignee_id', 'last_activity_at'])
    .where('account_id', '=', accountId)
    .where('id', 'in', unique(messages.map((m) => m.conversation_id)))
    .execute();
  const byConversation = byId(conversations);
  return loadMessageViews(db, accountId, messages, (m) => {
    const c = byConversation.get(m.conversation_id)!;
    return {
      display_id: c.display_id,
      assignee_id: c.assignee_id,
      last_activity_at: c.last_activity_at,
      unread_count: 0,
      source_id: null,
    };
  });
}

/** Conversation results with their first message, contact, inbox and assignee: a query per kind. */
async function renderConversations(ctx: AccountCtx, conversations: Conversation[]) {
  if (conversations.length === 0) return [];
  const { db } = ctx;
  const accountId = ctx.account.id;
  const ids = conversations.map((c) => c.id);
  const [firsts, contacts, inboxes, assignees] = await Promise.all([
    db
      .selectFrom('messages')
      .distinctOn('conversation_id')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('conversation_id', 'in', ids)
      .orderBy('conversation_id')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('contacts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', 'in', unique(conversations.map((c) => c.contact_id)))
      .execute(),
    db
      .selectFrom('inboxes')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', 'in', unique(conversations.map((c) => c.inbox_id)))
      .execute(),
    unique(conversations.map((c) => c.assignee_id)).length
      ? db
          .selectFrom('users')
          .leftJoin('account_users as au', (join) =>
            join.onRef('au.user_id', '=', 'users.id').on('au.account_id', '=', accountId),
          )
          .selectAll('users')
          .select('au.role as account_role')
          .where('users.id', 'in', unique(conversations.map((c) => c.assignee_id)))
          .execute()
      : [],
  ]);
  const firstOf = new Map(
    (await messageViewsOf(db, accountId, firsts)).map((view) => [view.message.conversation_id, view]),
  );
  const contactById = byId(contacts as Contact[]);
  const inboxById = byId(inboxes);
  const assigneeById = new Map(
    assignees.map(({ account_role, ...user }) => [
      user.id,
      { user, role: account_role === null ? null : enumName(ACCOUNT_USER_ROLES, account_role) },
    ]),
  );
  return conversations.map((conversation) => {
    const view: SearchConversationView = {
      conversation,
      firstMessage: firstOf.get(conversation.id),
      contact: contactById.get(conversation.contact_id),
      inbox: inboxById.get(conversation.inbox_id),
      assignee: conversation.assignee_id === null ? undefined : assigneeById.get(conversation.assignee_id),
    };
    return searchConversationJson(view, ctx.storage);
  });
}

/** GET /search/conversations */
export async function searchConversations(ctx: AccountCtx, query: SearchQuery) {
  const page = await searchPage(ctx, query);
  return { conversations: await renderConversations(ctx, await findConversations(ctx.db, page)) };
}

/** GET /search/messages */
export async function searchMessages(ctx: AccountCtx, query: SearchQuery) {
  const page = await searchPage(ctx, query);
  const views = await messageViewsOf(ctx.db, ctx.account.id, await findMessages(ctx.db, page));
  return { messages: views.map((view) => messageJson(view, ctx.storage)) };
}

/** GET /search/contacts */
export async function searchContacts(ctx: AccountCtx, query: SearchQuery) {
  const page = await searchPage(ctx, query);
  return { contacts: (await findContacts(ctx.db, page)).map(searchContactJson) };
}

/**
 * GET /search: every kind at once, in index.json.jbuilder's order (articles: the published ones).
 */
export async function searchAll(ctx: AccountCtx, query: SearchQuery) {
  const page = await searchPage(ctx, query);
  const [conversations, contacts, messages, articles] = await Promise.all([
    findConversations(ctx.db, page),
    findContacts(ctx.db, page),
    findMessages(ctx.db, page),
    searchArticles(ctx, query.q, page.page),
  ]);
  const [conversationJson, messageViews] = await Promise.all([
    renderConversations(ctx, conversations),
    messageViewsOf(ctx.db, ctx.account.id, messages),
  ]);
  return {
    conversations: conversationJson,
    contacts: contacts.map(searchContactJson),
    messages: messageViews.map((view) => messageJson(view, ctx.storage)),
    articles: articles.map(searchArticleJson),
  };
}
