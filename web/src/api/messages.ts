import { request } from './http.js';
import type { Message } from './types.js';

const base = (accountId: number, conversationId: number) =>
  `/api/v1/accounts/${accountId}/conversations/${conversationId}/messages`;

/** GET …/messages: the latest page, or the page before a message id (oldest first). */
export function listMessages(accountId: number, conversationId: number, before?: number) {
  const query = before ? `?before=${before}` : '';
  return request<{ payload: Message[] }>('GET', `${base(accountId, conversationId)}${query}`).then((b) => b.payload);
}

export const sendMessage = (
  accountId: number,
  conversationId: number,
  body: { content: string; private: boolean; echo_id: string },
) => request<Message>('POST', base(accountId, conversationId), { ...body, message_type: 'outgoing' });
