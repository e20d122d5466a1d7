import { accountCtx } from '../../core/http/account-scope.js';
import type { App, AppDeps } from '../../core/http/types.js';
import {
  AllResult,
  ArticlesResult,
  ContactsResult,
  ConversationsResult,
  MessagesResult,
  SearchQuery,
} from './schemas.js';
import { searchArticles } from '../help-center/search-articles.js';
import { searchArticleJson } from '../../serializers/search-article.js';
import { searchAll, searchContacts, searchConversations, searchMessages } from './service.js';

const tags = ['search'];
const security = [{ userToken: [] }];

/** Global search (Api::V1::Accounts::SearchController). */
export async function searchRoutes(app: App, deps: AppDeps) {
  app.get(
    '/search',
    {
      schema: {
        tags,
        security,
        summary: 'Search conversations, contacts and messages at once',
        querystring: SearchQuery,
        response: { 200: AllResult },
      },
    },
    async (request) => ({ payload: await searchAll(accountCtx(request, deps), request.query) }),
  );
  app.get(
    '/search/conversations',
    {
      schema: {
        tags,
        security,
        summary: "Conversations by display id or the contact's name, email, phone or identifier",
        querystring: SearchQuery,
        response: { 200: ConversationsResult },
      },
    },
    async (request) => ({ payload: await searchConversations(accountCtx(request, deps), request.query) }),
  );
  app.get(
    '/search/messages',
    {
      schema: {
        tags,
        security,
        summary: 'Messages of the last three months containing q',
        querystring: SearchQuery,
        response: { 200: MessagesResult },
      },
    },
    async (request) => ({ payload: await searchMessages(accountCtx(request, deps), request.query) }),
  );
  app.get(
    '/search/contacts',
    {
      schema: {
        tags,
        security,
        summary: 'Contacts by name, email, phone number or identifier',
        querystring: SearchQuery,
        response: { 200: ContactsResult },
      },
    },
    async (request) => ({ payload: await searchContacts(accountCtx(request, deps), request.query) }),
  );
  app.get(
    '/search/articles',
    {
      schema: {
        tags,
        security,
        summary: 'Help center articles, ranked by full-text match of title, description and content',
        querystring: SearchQuery,
        response: { 200: ArticlesResult },
      },
    },
    async (request) => {
      const rows = await searchArticles(accountCtx(request, deps), request.query.q, request.query.page);
      return { payload: { articles: rows.map(searchArticleJson) } };
    },
  );
}
