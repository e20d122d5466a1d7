// Mirrors app/views/public/api/v1/models/_conversation.json.jbuilder (Client API conversations
// index, create, show, toggle_status): id is the display id, the last-seen times are epoch
// seconds (0 when unset), `messages` are all of the conversation's chat messages (no activity
// messages, no private notes: Message.chat) in order, and `contact` is the contact row.
import { Type, type Static } from 'typebox';
import type { Contact, Conversation } from '../core/db/schema.js';
import type { AttachmentUrls } from './attachment.js';
import { CONVERSATION_STATUSES, enumName } from '../core/db/enums.js';
import { ContactRecordSchema, contactRecordJson } from './public-contact.js';
import { PublicMessageSchema, publicMessageJson, type PublicMessageView } from './public-message.js';
import { epochSeconds } from './time.js';

export const PublicConversationSchema = Type.Object(
  {
    id: Type.Integer({ description: "The conversation's display id (used in Client API paths)" }),
    uuid: Type.String({ description: 'Also the key of /public/api/v1/csat_survey/:uuid' }),
    inbox_id: Type.Integer(),
    contact_last_seen_at: Type.Integer({ description: 'epoch seconds, 0 when never' }),
    status: Type.Enum(CONVERSATION_STATUSES),
    agent_last_seen_at: Type.Integer({ description: 'epoch seconds, 0 when never' }),
    messages: Type.Array(PublicMessageSchema),
    contact: ContactRecordSchema,
  },
  { title: 'PublicConversation' },
);

export type PublicConversationJson = Static<typeof PublicConversationSchema>;

export interface PublicConversationView {
  conversation: Conversation;
  contact: Contact;
  /** Chat messages only, ascending; the loader leaves private notes and activity out. */
  messages: PublicMessageView[];
}

export function publicConversationJson(view: PublicConversationView, urls: AttachmentUrls): PublicConversationJson {
  const { conversation: c } = view;
  return {
    id: c.display_id,
    uuid: c.uuid,
    inbox_id: c.inbox_id,
    contact_last_seen_at: epochSeconds(c.contact_last_seen_at),
    status: enumName(CONVERSATION_STATUSES, c.status),
    agent_last_seen_at: epochSeconds(c.agent_last_seen_at),
    messages: view.messages.map((m) => publicMessageJson(m, urls)),
    contact: contactRecordJson(view.contact),
  };
}
