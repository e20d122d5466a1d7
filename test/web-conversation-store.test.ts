// The agent inbox's conversation list (web/src/conversations/store.ts) counts an incoming message
// once, whichever reaches it first: the message.created broadcast or a read of the conversation
// that already shows the message (the list, a conversation.updated).
import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../web/src/api/types.js';
import { applyMessage, conversations, upsertConversation } from '../web/src/conversations/store.js';

const message = (id: number): Message => ({ id, conversation_id: 7, message_type: 0, content: `m${id}` }) as Message;
const conversation = (shown: number[], unread: number): Conversation =>
  ({
    id: 7,
    inbox_id: 1,
    status: 'open',
    unread_count: unread,
    messages: shown.map(message),
    meta: {},
  }) as Conversation;

describe('the inbox list counting unread messages', () => {
  it('counts a broadcast message once, also when a read that raced it already counts it', () => {
    conversations.set((s) => ({ ...s, accountId: 1, byId: {}, ids: [], openId: undefined }));
    upsertConversation(conversation([10], 1));
    applyMessage(message(11)); // new: counted
    expect(conversations.get().byId[7]!.unread_count).toBe(2);
    applyMessage(message(11)); // the same one again (a read showed it, then its broadcast came)
    expect(conversations.get().byId[7]!.unread_count).toBe(2);
    upsertConversation(conversation([12], 3)); // the server's read, with a later message
    applyMessage(message(12));
    applyMessage(message(11)); // an older broadcast arriving late changes nothing
    expect(conversations.get().byId[7]!.unread_count).toBe(3);
    expect(conversations.get().byId[7]!.messages?.[0]?.id).toBe(12);
  });
});
