import { buildAccountFixture, buildInbox } from './factories.js';
import type { HttpResult, RequestOptions, TestServer } from './harness.js';

/** Requests under /public/api/v1 (no token), and the usual Client API objects built through it. */
export function publicApi(server: TestServer) {
  const request = (method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResult> =>
    server.request(method, `/public/api/v1${path}`, { ...options, ...(body === undefined ? {} : { body }) });
  return {
    request,
    /** POST .../contacts; throws unless 200. */
    async contact(inboxIdentifier: string, body: Record<string, unknown> = {}) {
      const res = await request('POST', `/inboxes/${inboxIdentifier}/contacts`, body);
      if (res.status !== 200) throw new Error(`public contact: ${res.status} ${res.text}`);
      return res.body as { source_id: string; pubsub_token: string; id: number; name: string; email: string | null };
    },
    /** POST .../conversations; throws unless 200. */
    async conversation(inboxIdentifier: string, sourceId: string, body: Record<string, unknown> = {}) {
      const res = await request('POST', `/inboxes/${inboxIdentifier}/contacts/${sourceId}/conversations`, body);
      if (res.status !== 200) throw new Error(`public conversation: ${res.status} ${res.text}`);
      return res.body as {
        id: number;
        uuid: string;
        inbox_id: number;
        status: string;
        messages: any[];
        contact: Record<string, any>;
      };
    },
    /** POST .../messages; throws unless 200. */
    async message(inboxIdentifier: string, sourceId: string, conversationId: number, body: Record<string, unknown>) {
      const res = await request(
        'POST',
        `/inboxes/${inboxIdentifier}/contacts/${sourceId}/conversations/${conversationId}/messages`,
        body,
      );
      if (res.status !== 200) throw new Error(`public message: ${res.status} ${res.text}`);
      return res.body as { id: number; content: string | null; message_type: number; conversation_id: number } & Record<
        string,
        any
      >;
    },
  };
}

/**
 * An account (buildAccountFixture) with an API inbox, the Client API, and `person()`: a new contact
 * of an inbox (this one unless told) with a conversation, and the path of its messages.
 */
export async function publicChat(server: TestServer) {
  const fx = await buildAccountFixture(server);
  const inbox = await buildInbox(fx);
  const api = publicApi(server);
  const person = async (inboxIdentifier = inbox.inbox_identifier) => {
    const contact = await api.contact(inboxIdentifier);
    const conversation = await api.conversation(inboxIdentifier, contact.source_id);
    return {
      contact,
      conversation,
      path: `/inboxes/${inboxIdentifier}/contacts/${contact.source_id}/conversations/${conversation.id}/messages`,
    };
  };
  return { fx, inbox, api, person };
}
