// Mirrors app/views/api/v1/accounts/search/_conversation_search_result.json.jbuilder: a
// conversation found by global search, with its first message (the messages partial), its
// contact, inbox and assignee in the search partials. `message`, `contact` and `inbox` are `{}`
// when absent; `assignee_type` and `agent` appear only for an assigned conversation.
import { Type, type Static } from 'typebox';
import type { Contact, Conversation, Inbox } from '../core/db/schema.js';
import type { AttachmentUrls } from '../core/storage/storage.js';
import { MessageSchema, messageJson, type MessageView } from './message.js';
import { SearchAgentSchema, searchAgentJson, type SearchAgentView } from './search-agent.js';
import { SearchContactSchema, searchContactJson } from './search-contact.js';
import { SearchInboxSchema, searchInboxJson } from './search-inbox.js';
import { epochSeconds } from './time.js';

const Empty = Type.Object({}, { additionalProperties: false });

export const SearchConversationSchema = Type.Object(
  {
    id: Type.Integer({ description: "The conversation's display id" }),
    account_id: Type.Integer(),
    created_at: Type.Integer(),
    message: Type.Union([MessageSchema, Empty]),
    contact: Type.Union([SearchContactSchema, Empty]),
    inbox: Type.Union([SearchInboxSchema, Empty]),
    assignee_type: Type.Optional(Type.Literal('User')),
    agent: Type.Optional(SearchAgentSchema),
  },
  { title: 'SearchConversation' },
);

export interface SearchConversationView {
  conversation: Conversation;
  firstMessage?: MessageView;
  contact?: Contact;
  inbox?: Inbox;
  assignee?: SearchAgentView;
}

export function searchConversationJson(
  view: SearchConversationView,
  urls: AttachmentUrls,
): Static<typeof SearchConversationSchema> {
  const { conversation } = view;
  return {
    id: conversation.display_id,
    account_id: conversation.account_id,
    created_at: epochSeconds(conversation.created_at),
    message: view.firstMessage ? messageJson(view.firstMessage, urls) : {},
    contact: view.contact ? searchContactJson(view.contact) : {},
    inbox: view.inbox ? searchInboxJson(view.inbox) : {},
    ...(view.assignee ? { assignee_type: 'User' as const, agent: searchAgentJson(view.assignee) } : {}),
  };
}
