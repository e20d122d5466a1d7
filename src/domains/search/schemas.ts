import { Type, type Static } from 'typebox';
import { Page, SearchText } from '../../core/http/schemas.js';
import { MessageSchema } from '../../serializers/message.js';
import { SearchArticleSchema } from '../../serializers/search-article.js';
import { SearchContactSchema } from '../../serializers/search-contact.js';
import { SearchConversationSchema } from '../../serializers/search-conversation.js';

/** `q` (blank matches everything, as upstream's `ILIKE '%%'`) and `page` (15 results a page). */
export const SearchQuery = Type.Object({
  q: Type.Optional(SearchText({ description: 'Substring to look for; blank matches everything' })),
  page: Type.Optional(Page()),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const ConversationsResult = Type.Object({
  payload: Type.Object({ conversations: Type.Array(SearchConversationSchema) }),
});
export const MessagesResult = Type.Object({ payload: Type.Object({ messages: Type.Array(MessageSchema) }) });
export const ContactsResult = Type.Object({ payload: Type.Object({ contacts: Type.Array(SearchContactSchema) }) });
export const ArticlesResult = Type.Object({ payload: Type.Object({ articles: Type.Array(SearchArticleSchema) }) });
export const AllResult = Type.Object({
  payload: Type.Object({
    conversations: Type.Array(SearchConversationSchema),
    contacts: Type.Array(SearchContactSchema),
    messages: Type.Array(MessageSchema),
    articles: Type.Array(SearchArticleSchema),
  }),
});
