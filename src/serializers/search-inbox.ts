// Mirrors app/views/api/v1/accounts/search/_inbox.json.jbuilder.
import { Type, type Static } from 'typebox';
import type { Inbox } from '../core/db/schema.js';

export const SearchInboxSchema = Type.Object(
  { id: Type.Integer(), channel_id: Type.Integer(), name: Type.String(), channel_type: Type.String() },
  { title: 'SearchInbox' },
);

export function searchInboxJson(inbox: Inbox): Static<typeof SearchInboxSchema> {
  return { id: inbox.id, channel_id: inbox.channel_id, name: inbox.name, channel_type: inbox.channel_type };
}
