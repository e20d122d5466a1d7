import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { startReceiver } from '../../../test/webhook-receiver.js';
import type { DomainEvent } from '../../core/events/bus.js';

const server = useTestServer({
  CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
  CONFAB_WEBHOOK_BACKOFF_MS: '30',
  CONFAB_WEBHOOK_MAX_ATTEMPTS: '1',
  CONFAB_JOB_POLL_MS: '50',
  CONFAB_WEBHOOK_TIMEOUT_MS: '2000',
});

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}
afterAll(async () => {
  for (const r of receivers) await r.close();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every event the bus publishes, after commit. */
const published: DomainEvent[] = [];
beforeAll(() => {
  server().bus.subscribe((event) => {
    published.push(event);
  });
});
const eventsFor = (messageId: number) =>
  published
    .filter((e) => e.name.startsWith('message.') && (e.payload as { messageId?: number }).messageId === messageId)
    .map((e) => e.name);

async function reply(fx: AccountFixture, conversationId: number, content: string) {
  const res = await fx.asAdmin('POST', `/conversations/${conversationId}/messages`, { content });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: number };
}

async function markFailed(fx: AccountFixture, conversationId: number, messageId: number, error = 'boom') {
  const res = await fx.asAdmin('PATCH', `/conversations/${conversationId}/messages/${messageId}`, {
    status: 'failed',
    external_error: error,
  });
  expect(res.status, res.text).toBe(200);
}

const stored = (id: number) =>
  server()
    .db.selectFrom('messages')
    .select(['status', 'content_attributes'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const deliveries = (messageId: number, event: string) =>
  server()
    .db.selectFrom('webhook_deliveries')
    .select(['kind', 'url', 'status'])
    .where('message_id', '=', messageId)
    .where('event', '=', event)
    .orderBy('created_at')
    .execute();

describe('POST .../messages/:id/retry', () => {
  it('sends a message whose API-inbox delivery failed again: status sent, error cleared, message_updated delivered', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    r.respondWith(() => 503);
    const inbox = await buildInbox(fx, { channel: { type: 'api', webhook_url: r.url } });
    const account = await receiver();
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: account.url, subscriptions: ['message_updated'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const conversation = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Will fail once');

    // the inbox's webhook refuses the reply: Chatwoot's Webhooks::Trigger marks the message failed
    let row = await stored(message.id);
    for (let i = 0; i < 200 && row.status !== 3; i++) {
      await sleep(25);
      row = await stored(message.id);
    }
    expect(row).toEqual({ status: 3, content_attributes: { external_error: '503 Service Unavailable' } });

    // the failure is announced too (message_updated, refused by the inbox again without a loop)
    await r.waitFor((all) => all.some((d) => d.body?.event === 'message_updated'));
    await account.waitFor((all) => all.some((d) => d.body?.event === 'message_updated'));
    // and its refusal applied before the retry: a refused message_updated marks the message failed
    // (Chatwoot's Webhooks::Trigger), and applied after the retry it undid it. The outcome is
    // written in a batch after the answer, then applied in a transaction of its own: a no-op here,
    // the message being failed already, so there is nothing to see but the time it takes
    await expect
      .poll(async () =>
        (await deliveries(message.id, 'message_updated')).some(
          (d) => d.kind === 'api_inbox_webhook' && d.status === 'failed',
        ),
      )
      .toBe(true);
    await sleep(500);
    r.respondWith(() => 200);
    const before = r.received.length;
    const accountBefore = account.received.length;
    const res = await fx.asAgent('POST', `/conversations/${conversation.id}/messages/${message.id}/retry`);
    expect(res.status, res.text).toBe(401); // not a member of the inbox yet
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const retried = await fx.asAgent('POST', `/conversations/${conversation.id}/messages/${message.id}/retry`);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toMatchObject({
      id: message.id,
      content: 'Will fail once',
      conversation_id: conversation.id,
      message_type: 1,
      status: 'sent',
      content_attributes: {},
    });
    expect(Object.keys(retried.body)).toEqual([
      'id',
      'content',
      'inbox_id',
      'conversation_id',
      'message_type',
      'content_type',
      'status',
      'content_attributes',
      'created_at',
      'private',
      'source_id',
      'sender',
    ]);
    expect(await stored(message.id)).toEqual({ status: 0, content_attributes: {} });

    // sent again through the inbox's delivery, and to the account webhook subscribed to the update
    const got = await r.waitFor((all) => all.slice(before).some((d) => d.body?.event === 'message_updated'));
    const resent = got.slice(before).find((d) => d.body?.event === 'message_updated')!;
    expect(resent.body).toMatchObject({
      event: 'message_updated',
      id: message.id,
      content: 'Will fail once',
      message_type: 'outgoing',
    });
    expect(resent.body.content_attributes).toEqual({});
    const toAccount = await account.waitFor((all) =>
      all.slice(accountBefore).some((d) => d.body?.event === 'message_updated'),
    );
    const told = toAccount.slice(accountBefore).find((d) => d.body?.event === 'message_updated')!;
    expect(told.body).toMatchObject({ id: message.id, content_attributes: {} });
    expect((await deliveries(message.id, 'message_updated')).map((d) => d.kind).sort()).toEqual(
      // the failure's announcement, then the retry's, to each receiver
      ['account_webhook', 'account_webhook', 'api_inbox_webhook', 'api_inbox_webhook'],
    );
    // a delivered retry leaves the message sent
    await sleep(300);
    expect((await stored(message.id)).status).toBe(0);
    expect(eventsFor(message.id)).toEqual(['message.created', 'message.updated', 'message.updated']);
  });

  it('keeps the rest of content_attributes and clears only the failure', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Pick one');
    await fx.asAdmin('PATCH', `/conversations/${conversation.id}/messages/${message.id}`, {
      submitted_values: [{ title: 'Yes', value: 'yes' }],
    });
    await markFailed(fx, conversation.id, message.id, 'provider down');
    expect((await stored(message.id)).content_attributes).toEqual({
      submitted_values: [{ title: 'Yes', value: 'yes' }],
      external_error: 'provider down',
    });
    const res = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages/${message.id}/retry`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      status: 'sent',
      content_attributes: { submitted_values: [{ title: 'Yes', value: 'yes' }] },
    });
    expect(res.body.content_attributes).not.toHaveProperty('external_error');
  });

  it('answers a message that has not failed unchanged, sending and announcing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    const inbox = await buildInbox(fx, { channel: { type: 'api', webhook_url: r.url } });
    const conversation = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Delivered fine');
    await fx.asAdmin('PATCH', `/conversations/${conversation.id}/messages/${message.id}`, { status: 'read' });
    const updatesBefore = (await deliveries(message.id, 'message_updated')).length;
    const eventsBefore = eventsFor(message.id).length;

    const res = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages/${message.id}/retry`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: message.id, status: 'read' });
    expect((await stored(message.id)).status).toBe(2);
    expect(await deliveries(message.id, 'message_updated')).toHaveLength(updatesBefore);
    await sleep(100);
    expect(eventsFor(message.id)).toHaveLength(eventsBefore);
  });

  it('retries once when two retries race', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    const inbox = await buildInbox(fx, { channel: { type: 'api', webhook_url: r.url } });
    const conversation = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Twice clicked');
    await markFailed(fx, conversation.id, message.id);
    const before = (await deliveries(message.id, 'message_updated')).length;
    const path = `/conversations/${conversation.id}/messages/${message.id}/retry`;
    const both = await Promise.all([fx.asAdmin('POST', path), fx.asAdmin('POST', path)]);
    expect(both.map((x) => x.status)).toEqual([200, 200]);
    expect(both.map((x) => x.body.status)).toEqual(['sent', 'sent']);
    expect(await deliveries(message.id, 'message_updated')).toHaveLength(before + 1);
  });

  it('answers 404 for an unknown message, one of another conversation, or an unknown conversation', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const other = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Mine');
    await markFailed(fx, conversation.id, message.id);
    for (const path of [
      `/conversations/${conversation.id}/messages/999999999/retry`,
      `/conversations/${conversation.id}/messages/abc/retry`,
      `/conversations/${other.id}/messages/${message.id}/retry`,
      `/conversations/999999/messages/${message.id}/retry`,
    ]) {
      const res = await fx.asAdmin('POST', path);
      expect(res.status, `${path} ${res.text}`).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
    }
    expect((await stored(message.id)).status).toBe(3);
  });

  it('refuses agents outside the inbox, other accounts, bots and anonymous callers, leaving the message failed', async () => {
    const fx = await buildAccountFixture(server());
    const stranger = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Stays failed');
    await markFailed(fx, conversation.id, message.id);
    const url = `/api/v1/accounts/${fx.account.id}/conversations/${conversation.id}/messages/${message.id}/retry`;

    const agent = await fx.asAgent('POST', `/conversations/${conversation.id}/messages/${message.id}/retry`);
    expect(agent.status).toBe(401);
    expect(agent.body).toEqual({ error: 'You are not authorized to do this action' });
    const other = await server().request('POST', url, { token: stranger.admin.access_token });
    expect(other.status).toBe(401);
    expect(other.body).toEqual({ error: 'You are not authorized to access this account' });
    const bot = await fx.asAdmin('POST', '/agent_bots', {
      name: 'Retrier',
      outgoing_url: 'https://bots.example.com/r',
    });
    const asBot = await server().request('POST', url, { token: bot.body.access_token });
    expect(asBot.status).toBe(401);
    expect((await server().request('POST', url)).status).toBe(401);
    expect(await stored(message.id)).toEqual({ status: 3, content_attributes: { external_error: 'boom' } });
  });
});
