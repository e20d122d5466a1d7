import { request } from './http.js';
import type { Message } from './types.js';

const base = (accountId: number, conversationId: number) =>
  `/api/v1/accounts/${accountId}/conversations/${conversationId}/messages`;

/** GET …/messages: the latest page, or the page before a message id (oldest first). */
export function listMessages(accountId: number, conversationId: number, before?: number) {
  const query = before ? `?before=${before}` : '';
  return request<{ payload: Message[] }>('GET', `${base(accountId, conversationId)}${query}`).then((b) => b.payload);
}

export interface Reply {
  content: string;
  private: boolean;
  echo_id: string;
  files?: File[];
}

/**
 * POST …/messages: JSON, or multipart with `attachments[]` when files go along, as Chatwoot's
 * dashboard builds it (api/inbox/message.js buildCreatePayload).
 */
export function sendMessage(accountId: number, conversationId: number, reply: Reply) {
  const { files, ...fields } = reply;
  if (!files?.length)
    return request<Message>('POST', base(accountId, conversationId), { ...fields, message_type: 'outgoing' });
  const form = new FormData();
  if (fields.content) form.append('content', fields.content);
  for (const file of files) form.append('attachments[]', file, file.name);
  form.append('private', String(fields.private));
  form.append('echo_id', fields.echo_id);
  form.append('message_type', 'outgoing');
  return request<Message>('POST', base(accountId, conversationId), form);
}

/** POST …/messages/:id/retry: a message the channel failed to deliver is sent again. */
export const retryMessage = (accountId: number, conversationId: number, id: number) =>
  request<Message>('POST', `${base(accountId, conversationId)}/${id}/retry`);
