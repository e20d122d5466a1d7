import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { chatwootSignatureValid, standardSignatureValid, startReceiver } from '../../../test/webhook-receiver.js';
import { publicApi } from '../../../test/public-api.js';
import { isPrivateAddress } from '../../core/webhooks/ssrf-guard.js';
import { postOnce } from '../../core/webhooks/deliver.js';

const server = useTestServer({
  CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
  CONFAB_WEBHOOK_BACKOFF_MS: '30',
  CONFAB_WEBHOOK_MAX_ATTEMPTS: '4',
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

async function reply(fx: AccountFixture, conversationId: number, content: string, extra: Record<string, unknown> = {}) {
  const res = await fx.asAdmin('POST', `/conversations/${conversationId}/messages`, { content, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Waits until each of the webhook's deliveries has its outcome: written in a batch after the receiver's answer. */
const outcomeWritten = (fx: AccountFixture, webhookId: number) =>
  expect
    .poll(async () =>
      (await fx.asAdmin('GET', `/webhooks/${webhookId}/deliveries`)).body.payload
        .map((d: { status: string }) => d.status)
        .filter((status: string) => status === 'pending'),
    )
    .toEqual([]);

describe('account webhooks API', () => {
  let fx: AccountFixture;
  beforeAll(async () => {
    fx = await buildAccountFixture(server());
  });

  it('creates, lists, updates and deletes webhooks with Chatwoot envelopes (administrators only)', async () => {
    const inbox = await buildInbox(fx);
    const created = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: 'https://hooks.example.com/a', subscriptions: ['message_created'], inbox_id: inbox.id },
    });
    expect(created.status, created.text).toBe(200);
    const webhook = created.body.payload.webhook;
    expect(Object.keys(webhook)).toEqual(['id', 'name', 'url', 'account_id', 'subscriptions', 'inbox', 'secret']);
    expect(webhook).toMatchObject({
      url: 'https://hooks.example.com/a',
      account_id: fx.account.id,
      subscriptions: ['message_created'],
      inbox: { id: inbox.id, channel_type: 'Channel::Api' },
    });

    const plain = await fx.asAdmin('POST', '/webhooks', { webhook: { url: 'https://hooks.example.com/b' } });
    expect(plain.body.payload.webhook.subscriptions).toEqual([
      'conversation_status_changed',
      'conversation_updated',
      'conversation_created',
      'message_created',
      'message_updated',
      'webwidget_triggered',
    ]);
    expect(plain.body.payload.webhook).not.toHaveProperty('inbox');

    const list = await fx.asAdmin('GET', '/webhooks');
    expect(list.body.payload.webhooks.map((w: any) => w.id)).toEqual([webhook.id, plain.body.payload.webhook.id]);

    const patched = await fx.asAdmin('PATCH', `/webhooks/${webhook.id}`, {
      webhook: { subscriptions: ['contact_created', 'conversation_typing_on'], inbox_id: null },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.payload.webhook).toMatchObject({
      subscriptions: ['contact_created', 'conversation_typing_on'],
    });
    expect(patched.body.payload.webhook).not.toHaveProperty('inbox');

    const rotated = await fx.asAdmin('POST', `/webhooks/${webhook.id}/rotate_secret`);
    expect(rotated.body.payload.webhook.secret).not.toBe(webhook.secret);

    expect((await fx.asAdmin('DELETE', `/webhooks/${webhook.id}`)).status).toBe(200);
    expect((await fx.asAdmin('DELETE', `/webhooks/${webhook.id}`)).status).toBe(404);
  });

  it('rejects bad URLs, unknown or empty subscriptions and duplicate URLs with 422, writing nothing', async () => {
    for (const body of [
      { url: 'ftp://hooks.example.com/x' },
      { url: 'not a url' },
      { url: 'https://hooks.example.com/x', subscriptions: ['nope'] },
      { url: 'https://hooks.example.com/x', subscriptions: [] },
    ]) {
      const res = await fx.asAdmin('POST', '/webhooks', { webhook: body });
      expect(res.status, res.text).toBe(422);
      expect(res.body).toHaveProperty('message');
    }
    await fx.asAdmin('POST', '/webhooks', { webhook: { url: 'https://hooks.example.com/dup' } });
    const dup = await fx.asAdmin('POST', '/webhooks', { webhook: { url: 'https://hooks.example.com/dup' } });
    expect(dup.status).toBe(422);
    expect(dup.body.message).toBe('Url has already been taken');
  });

  it('refuses agents and other accounts', async () => {
    expect((await fx.asAgent('GET', '/webhooks')).status).toBe(401);
    expect((await fx.asAgent('POST', '/webhooks', { webhook: { url: 'https://a.example.com' } })).status).toBe(401);
    const other = await buildAccountFixture(server());
    const mine = await fx.asAdmin('POST', '/webhooks', { webhook: { url: 'https://hooks.example.com/mine' } });
    expect(
      (
        await other.asAdmin('PATCH', `/webhooks/${mine.body.payload.webhook.id}`, {
          webhook: { url: 'https://x.example.com' },
        })
      ).status,
    ).toBe(404);
    expect((await other.asAdmin('GET', `/webhooks/${mine.body.payload.webhook.id}/deliveries`)).status).toBe(404);
  });
});

describe('deliveries', () => {
  it('delivers each subscribed event once with Chatwoot bodies and verifiable signatures; not other events or accounts', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const r = await receiver();
    const inbox = await buildInbox(fx);
    const created = await fx.asAdmin('POST', '/webhooks', {
      webhook: {
        url: r.url,
        subscriptions: ['conversation_created', 'message_created', 'conversation_status_changed'],
      },
    });
    const secret = created.body.payload.webhook.secret;

    const conversation = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Hello there');
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
    const otherInbox = await buildInbox(other);
    const otherConversation = await buildConversation(other, otherInbox.id);
    await reply(other, otherConversation.id, 'not for you');
    // a contact event is not subscribed
    await fx.asAdmin('POST', '/contacts', { name: 'Nobody' });

    await r.waitFor((all) => all.length >= 3);
    await sleep(300);
    expect(r.received.map((x) => x.body.event)).toEqual([
      'conversation_created',
      'message_created',
      'conversation_status_changed',
    ]);
    for (const x of r.received) {
      expect(chatwootSignatureValid(x, secret)).toBe(true);
      expect(standardSignatureValid(x, secret)).toBe(true);
      expect(x.headers['x-chatwoot-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(x.headers['webhook-id']).toBe(x.headers['x-chatwoot-delivery']);
      expect(x.headers['content-type']).toBe('application/json');
    }
    const [conv, msg, status] = r.received.map((x) => x.body);
    expect(conv).toMatchObject({
      event: 'conversation_created',
      id: conversation.id,
      inbox_id: inbox.id,
      channel: 'Channel::Api',
      status: 'open',
    });
    expect(conv.contact_inbox).toHaveProperty('pubsub_token');
    expect(msg).toMatchObject({
      event: 'message_created',
      id: message.id,
      content: 'Hello there',
      message_type: 'outgoing',
      content_type: 'text',
      private: false,
      account: { id: fx.account.id, name: fx.account.name },
      inbox: { id: inbox.id },
      sender: { id: fx.admin.id, type: 'user', email: fx.admin.email },
      conversation: { id: conversation.id },
    });
    expect(msg.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(status).toMatchObject({
      event: 'conversation_status_changed',
      status: 'resolved',
      changed_attributes: [{ status: { previous_value: 'open', current_value: 'resolved' } }],
    });

    await outcomeWritten(fx, created.body.payload.webhook.id);
    const log = await fx.asAdmin('GET', `/webhooks/${created.body.payload.webhook.id}/deliveries`);
    expect(log.body.payload).toHaveLength(3);
    expect(
      log.body.payload.every(
        (d: any) => d.status === 'succeeded' && d.attempts === 1 && d.response_code === 200 && d.latency_ms >= 0,
      ),
    ).toBe(true);
  });

  it("delivers a contact's Client API message to the webhooks subscribed in its inbox, and not in another", async () => {
    const fx = await buildAccountFixture(server());
    const [mine, theirs] = [await receiver(), await receiver()];
    const inbox = await buildInbox(fx);
    const elsewhere = await buildInbox(fx);
    await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: mine.url, subscriptions: ['message_created'], inbox_id: inbox.id },
    });
    await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: theirs.url, subscriptions: ['message_created'], inbox_id: elsewhere.id },
    });
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Writer' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const sent = await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, {
      content: 'from the widget',
      echo_id: 'w-1',
    });
    const [delivery] = await mine.waitFor((all) => all.length >= 1);
    expect(delivery!.body).toMatchObject({
      event: 'message_created',
      id: sent.id,
      content: 'from the widget',
      message_type: 'incoming',
      sender: { id: contact.id, name: 'Writer' },
      conversation: { id: conversation.id },
      inbox: { id: inbox.id },
    });
    // a retry of the same echo_id stores nothing and sends nothing
    const again = await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, {
      content: 'from the widget',
      echo_id: 'w-1',
    });
    expect(again.id).toBe(sent.id);
    await sleep(300);
    expect(mine.received).toHaveLength(1);
    expect(theirs.received).toHaveLength(0);
  });

  it('scopes an inbox webhook to its inbox and sends contact events only to account-wide ones', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    const [a, b] = [await buildInbox(fx), await buildInbox(fx)];
    await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: r.url, subscriptions: ['conversation_created', 'contact_created'], inbox_id: a.id },
    });
    await buildConversation(fx, b.id);
    const inA = await buildConversation(fx, a.id);
    await r.waitFor((all) => all.length >= 1);
    await sleep(300);
    expect(r.received.map((x) => [x.body.event, x.body.id])).toEqual([['conversation_created', inA.id]]);
  });

  it('sends contact_updated with previous and current values, from either API, and nothing when nothing changed', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/webhooks', { webhook: { url: r.url, subscriptions: ['contact_updated'] } });
    const created = (await fx.asAdmin('POST', '/contacts', { name: 'Old Name', email: 'old@example.com' })).body.payload
      .contact;
    await fx.asAdmin('PATCH', `/contacts/${created.id}`, { name: 'New Name' });
    await fx.asAdmin('PATCH', `/contacts/${created.id}`, { name: 'New Name' });
    const api = publicApi(server());
    const visitor = await api.contact(inbox.inbox_identifier, { name: 'Visitor' });
    await api.request('PATCH', `/inboxes/${inbox.inbox_identifier}/contacts/${visitor.source_id}`, {
      email: 'visitor@example.com',
    });
    await r.waitFor((all) => all.length >= 2);
    await sleep(300);
    expect(r.received).toHaveLength(2);
    const [byAgent, byContact] = r.received.map((x) => x.body);
    expect(byAgent).toMatchObject({
      event: 'contact_updated',
      id: created.id,
      name: 'New Name',
      account: { id: fx.account.id },
    });
    expect(byAgent.changed_attributes[0]).toEqual({ name: { previous_value: 'Old Name', current_value: 'New Name' } });
    expect(byAgent.changed_attributes.at(-1).updated_at.current_value).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byContact).toMatchObject({ event: 'contact_updated', id: visitor.id, email: 'visitor@example.com' });
    expect(byContact.changed_attributes).toContainEqual({
      email: { previous_value: null, current_value: 'visitor@example.com' },
    });
  });

  it("sends the updates a message causes: its reply times (conversation_updated) and a contact's activity (contact_updated)", async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Talker' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    // nothing subscribes message_created: these subscriptions alone must take the messages off the single-statement paths
    await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: r.url, subscriptions: ['contact_updated', 'conversation_updated'] },
    });
    await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'a question' });
    await reply(fx, conversation.id, 'an answer');
    await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'another question' });
    await r.waitFor((all) => all.length >= 4);
    await sleep(300);
    const bodies = r.received.map((x) => x.body);
    expect(bodies.map((b) => b.event).sort()).toEqual([
      'contact_updated',
      'contact_updated',
      'conversation_updated',
      'conversation_updated',
    ]);
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    for (const update of bodies.filter((b) => b.event === 'contact_updated')) {
      expect(update).toMatchObject({ id: contact.id, name: 'Talker' });
      expect(update.changed_attributes.map((c: object) => Object.keys(c)[0])).toEqual([
        'last_activity_at',
        'updated_at',
      ]);
      expect(update.changed_attributes[0].last_activity_at.current_value).toEqual(iso);
    }
    const [firstReply, waiting] = bodies
      .filter((b) => b.event === 'conversation_updated')
      .sort((a, b) => a.changed_attributes.length - b.changed_attributes.length)
      .reverse();
    expect(firstReply).toMatchObject({ id: conversation.id });
    expect(firstReply.changed_attributes).toEqual([
      { waiting_since: { previous_value: iso, current_value: null } },
      { first_reply_created_at: { previous_value: null, current_value: iso } },
    ]);
    expect(waiting.changed_attributes).toEqual([{ waiting_since: { previous_value: null, current_value: iso } }]);
  });

  it('retries 5xx with the same delivery id until it succeeds on try 4', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    r.respondWith((_x, n) => (n <= 3 ? 500 : 200));
    const inbox = await buildInbox(fx);
    const webhook = (
      await fx.asAdmin('POST', '/webhooks', { webhook: { url: r.url, subscriptions: ['conversation_created'] } })
    ).body.payload.webhook;
    await buildConversation(fx, inbox.id);
    await r.waitFor((all) => all.length >= 4);
    expect(new Set(r.received.map((x) => x.headers['x-chatwoot-delivery'])).size).toBe(1);
    expect(r.received.every((x) => chatwootSignatureValid(x, webhook.secret))).toBe(true);
    await outcomeWritten(fx, webhook.id);
    const [delivery] = (await fx.asAdmin('GET', `/webhooks/${webhook.id}/deliveries`)).body.payload;
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 4, response_code: 200, error: null });
  });

  it('treats other 4xx as final, and redelivers on request as a new delivery', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    r.respondWith((_x, n) => (n === 1 ? 410 : 200));
    const inbox = await buildInbox(fx);
    const webhook = (
      await fx.asAdmin('POST', '/webhooks', { webhook: { url: r.url, subscriptions: ['conversation_created'] } })
    ).body.payload.webhook;
    await buildConversation(fx, inbox.id);
    await r.waitFor((all) => all.length >= 1);
    await outcomeWritten(fx, webhook.id);
    await sleep(300);
    expect(r.received).toHaveLength(1);
    const [failed] = (await fx.asAdmin('GET', `/webhooks/${webhook.id}/deliveries`)).body.payload;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, response_code: 410 });

    const again = await fx.asAdmin('POST', `/webhooks/${webhook.id}/deliveries/${failed.id}/redeliver`);
    expect(again.status, again.text).toBe(200);
    expect(again.body.payload).toMatchObject({
      status: 'pending',
      redelivery_of: failed.id,
      event: 'conversation_created',
    });
    await r.waitFor((all) => all.length >= 2);
    expect(r.received[1]!.raw).toBe(r.received[0]!.raw);
    expect(r.received[1]!.headers['x-chatwoot-delivery']).toBe(again.body.payload.id);
    expect(
      (await fx.asAdmin('POST', `/webhooks/${webhook.id}/deliveries/00000000-0000-0000-0000-000000000000/redeliver`))
        .status,
    ).toBe(404);
  });

  it('never makes an API request wait for a hanging receiver', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    r.respondWith(() => 'hang');
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/webhooks', { webhook: { url: r.url, subscriptions: ['message_created'] } });
    const conversation = await buildConversation(fx, inbox.id);
    const started = performance.now();
    for (let i = 0; i < 5; i++) await reply(fx, conversation.id, `m${i}`);
    expect(performance.now() - started).toBeLessThan(1500);
    await r.waitFor((all) => all.length >= 1);
  });
});

describe('API inbox webhook_url', () => {
  it('receives agent replies signed with the inbox secret', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    const inbox = await buildInbox(fx, { channel: { type: 'api', webhook_url: r.url } });
    const shown = await fx.asAdmin('GET', `/inboxes/${inbox.id}`);
    const conversation = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Agent answer');
    const all = await r.waitFor((x) => x.some((d) => d.body.event === 'message_created'));
    const delivery = all.find((d) => d.body.event === 'message_created')!;
    expect(delivery.body).toMatchObject({ id: message.id, message_type: 'outgoing', content: 'Agent answer' });
    expect(chatwootSignatureValid(delivery, shown.body.secret)).toBe(true);
    expect(all.map((d) => d.body.event)).toContain('conversation_created');
  });

  it('marks the message failed with content_attributes.external_error when the delivery fails', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    r.respondWith(() => 422);
    const inbox = await buildInbox(fx, { channel: { type: 'api', webhook_url: r.url } });
    const conversation = await buildConversation(fx, inbox.id);
    const message = await reply(fx, conversation.id, 'Will fail');
    let found: any;
    for (let i = 0; i < 100 && found?.status !== 'failed'; i++) {
      await sleep(50);
      const list = await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`);
      found = list.body.payload.find((m: any) => m.id === message.id);
    }
    expect(found).toMatchObject({
      status: 'failed',
      content_attributes: { external_error: '422 Unprocessable Entity' },
    });
  });
});

describe('agent bots', () => {
  it('gets message_created at its outgoing_url, replies with its own token and hands a pending conversation off', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    const bot = await fx.asAdmin('POST', '/agent_bots', { name: 'Helper', outgoing_url: r.url });
    expect(bot.status, bot.text).toBe(200);
    const inbox = await buildInbox(fx);
    expect((await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.body.id })).status).toBe(
      200,
    );
    const conversation = await buildConversation(fx, inbox.id);
    expect(conversation.status).toBe('pending');
    await reply(fx, conversation.id, 'I need help', { message_type: 'incoming' });
    const [hook] = await r.waitFor((all) => all.some((d) => d.body.event === 'message_created'));
    expect(hook!.body).toMatchObject({
      event: 'message_created',
      message_type: 'incoming',
      content: 'I need help',
      conversation: { id: conversation.id, status: 'pending' },
    });
    expect(hook!.headers['x-chatwoot-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

    const botToken = bot.body.access_token;
    const answer = await server().request(
      'POST',
      `/api/v1/accounts/${fx.account.id}/conversations/${conversation.id}/messages`,
      { token: botToken, body: { content: 'Bot here' } },
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.sender).toMatchObject({ type: 'agent_bot', id: bot.body.id });
    const handoff = await server().request(
      'POST',
      `/api/v1/accounts/${fx.account.id}/conversations/${conversation.id}/toggle_status`,
      { token: botToken, body: { status: 'open' } },
    );
    expect(handoff.status, handoff.text).toBe(200);
    expect(handoff.body.payload.current_status).toBe('open');
    await r.waitFor((all) => all.some((d) => d.body.event === 'conversation_opened'));
  });

  it('reopens a pending conversation when the bot cannot be reached', async () => {
    const fx = await buildAccountFixture(server());
    const r = await receiver();
    r.respondWith(() => 404);
    const bot = await fx.asAdmin('POST', '/agent_bots', { name: 'Down', outgoing_url: r.url });
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.body.id });
    const conversation = await buildConversation(fx, inbox.id);
    await reply(fx, conversation.id, 'Anyone?', { message_type: 'incoming' });
    let status = 'pending';
    for (let i = 0; i < 100 && status === 'pending'; i++) {
      await sleep(50);
      status = (await fx.asAdmin('GET', `/conversations/${conversation.id}`)).body.status;
    }
    expect(status).toBe('open');
  });
});

describe('SSRF guard', () => {
  it('knows private, loopback, link-local and mapped addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '100.64.0.1',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses loopback targets, by address and after DNS, unless allowed; only http(s)', async () => {
    const r = await receiver();
    const config = { webhookAllowPrivate: false, webhookTimeoutMs: 1000, webhookMaxAttempts: 1, webhookBackoffMs: 1 };
    const port = new URL(r.url).port;
    for (const url of [
      r.url,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      'ftp://example.com/',
      'file:///etc/passwd',
    ]) {
      const result = await postOnce(url, '{}', {}, config);
      expect(result.ok, url).toBe(false);
      expect(result.retryable, url).toBe(false);
    }
    expect(r.received).toHaveLength(0);
    expect((await postOnce(r.url, '{}', {}, { ...config, webhookAllowPrivate: true })).ok).toBe(true);
  });
});
