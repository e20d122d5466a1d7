// The secrets that sign deliveries, as newer Chatwoot exposes and rotates them: agent bots
// (`secret` in the bot partial, POST agent_bots/:id/reset_secret), API-channel inboxes (`secret`
// in the inbox partial, POST inboxes/:id/reset_secret) and account webhooks (`secret`, plus
// Confab's rotate_secret). Administrators only; other accounts get 404.
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import {
  buildAccountFixture,
  buildAgentBot,
  buildConversation,
  buildInbox,
  type AccountFixture,
} from '../../../test/factories.js';
import {
  chatwootSignatureValid,
  standardSignatureValid,
  startReceiver,
  type Received,
} from '../../../test/webhook-receiver.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
afterAll(() => receiver.close());

/** Posts a message and returns its delivery at `path` of the receiver. */
async function deliveryOf(
  fx: AccountFixture,
  conversationId: number,
  path: string,
  extra: Record<string, unknown> = {},
): Promise<Received> {
  const res = await fx.asAdmin('POST', `/conversations/${conversationId}/messages`, {
    content: `hello ${Math.random()}`,
    ...extra,
  });
  expect(res.status, res.text).toBe(200);
  const all = await receiver.waitFor((r) =>
    r.some((x) => x.body?.id === res.body.id && x.body?.event === 'message_created' && x.path === path),
  );
  return all.find((x) => x.body.id === res.body.id && x.path === path)!;
}

describe('agent bot secrets', () => {
  it('shows the secret to administrators only, rotates it, and signs later deliveries with the new one', async () => {
    const fx = await buildAccountFixture(server());
    const path = '/bot';
    const bot = await fx.asAdmin('POST', '/agent_bots', { name: 'Signer', outgoing_url: `${receiver.url}${path}` });
    expect(bot.body.secret).toMatch(/^\w{24,}$/);
    expect((await fx.asAgent('GET', `/agent_bots/${bot.body.id}`)).body).not.toHaveProperty('secret');
    expect((await fx.asAgent('GET', '/agent_bots')).body.every((b: object) => !('secret' in b))).toBe(true);

    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.body.id });
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}/agent_bot`)).body.agent_bot.secret).toBe(bot.body.secret);
    const conversation = await buildConversation(fx, inbox.id);
    const before = await deliveryOf(fx, conversation.id, path, { message_type: 'incoming' });
    expect(chatwootSignatureValid(before, bot.body.secret)).toBe(true);

    const reset = await fx.asAdmin('POST', `/agent_bots/${bot.body.id}/reset_secret`);
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body).toMatchObject({ id: bot.body.id, name: 'Signer', system_bot: false });
    expect(reset.body.secret).not.toBe(bot.body.secret);
    expect((await fx.asAdmin('GET', `/agent_bots/${bot.body.id}`)).body.secret).toBe(reset.body.secret);

    const after = await deliveryOf(fx, conversation.id, path, { message_type: 'incoming' });
    expect(chatwootSignatureValid(after, reset.body.secret)).toBe(true);
    expect(standardSignatureValid(after, reset.body.secret)).toBe(true);
    expect(chatwootSignatureValid(after, bot.body.secret)).toBe(false);
  });

  it('refuses agents, other accounts and global bots', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const bot = (await fx.asAdmin('POST', '/agent_bots', { name: 'Mine' })).body;
    const denied = await fx.asAgent('POST', `/agent_bots/${bot.id}/reset_secret`);
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ error: 'You are not authorized to do this action' });
    const foreign = await other.asAdmin('POST', `/agent_bots/${bot.id}/reset_secret`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain(bot.secret);
    const global = await buildAgentBot(server(), fx.platformToken, { name: 'Global' });
    expect((await fx.asAdmin('POST', `/agent_bots/${global.id}/reset_secret`)).status).toBe(404);
    expect((await fx.asAdmin('GET', `/agent_bots/${global.id}`)).body).not.toHaveProperty('secret');
    expect((await fx.asAdmin('POST', '/agent_bots/nope/reset_secret')).status).toBe(404);
    expect((await fx.asAdmin('GET', `/agent_bots/${bot.id}`)).body.secret).toBe(bot.secret);
  });
});

describe('API inbox secrets', () => {
  it('shows the secret to administrators only, rotates it, and signs later deliveries with the new one', async () => {
    const fx = await buildAccountFixture(server());
    const path = '/inbox';
    const inbox = await buildInbox(fx, { channel: { type: 'api', webhook_url: `${receiver.url}${path}` } });
    const shown = await fx.asAdmin('GET', `/inboxes/${inbox.id}`);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const asAgent = await fx.asAgent('GET', `/inboxes/${inbox.id}`);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).not.toHaveProperty('secret');
    expect(asAgent.body).not.toHaveProperty('hmac_token');

    const conversation = await buildConversation(fx, inbox.id);
    expect(chatwootSignatureValid(await deliveryOf(fx, conversation.id, path), shown.body.secret)).toBe(true);
    const reset = await fx.asAdmin('POST', `/inboxes/${inbox.id}/reset_secret`);
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body).toMatchObject({ id: inbox.id, channel_type: 'Channel::Api', hmac_token: shown.body.hmac_token });
    expect(reset.body.secret).not.toBe(shown.body.secret);
    const after = await deliveryOf(fx, conversation.id, path);
    expect(chatwootSignatureValid(after, reset.body.secret)).toBe(true);
    expect(chatwootSignatureValid(after, shown.body.secret)).toBe(false);
  });

  it('refuses agents (members or not) and other accounts', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const secret = (await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body.secret;
    expect((await fx.asAgent('POST', `/inboxes/${inbox.id}/reset_secret`)).status).toBe(401);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const member = await fx.asAgent('POST', `/inboxes/${inbox.id}/reset_secret`);
    expect(member.status).toBe(401);
    expect(member.body).toEqual({ error: 'You are not authorized to do this action' });
    expect((await other.asAdmin('POST', `/inboxes/${inbox.id}/reset_secret`)).status).toBe(404);
    expect((await fx.asAdmin('POST', '/inboxes/0/reset_secret')).status).toBe(404);
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body.secret).toBe(secret);
  });
});

describe('account webhook secrets', () => {
  it('rotate_secret changes the key later deliveries are signed with', async () => {
    const fx = await buildAccountFixture(server());
    const path = '/account';
    const inbox = await buildInbox(fx);
    const webhook = (
      await fx.asAdmin('POST', '/webhooks', {
        webhook: { url: `${receiver.url}${path}`, subscriptions: ['message_created'] },
      })
    ).body.payload.webhook;
    const conversation = await buildConversation(fx, inbox.id);
    expect(chatwootSignatureValid(await deliveryOf(fx, conversation.id, path), webhook.secret)).toBe(true);
    expect((await fx.asAgent('POST', `/webhooks/${webhook.id}/rotate_secret`)).status).toBe(401);
    expect(
      (await (await buildAccountFixture(server())).asAdmin('POST', `/webhooks/${webhook.id}/rotate_secret`)).status,
    ).toBe(404);
    const rotated = (await fx.asAdmin('POST', `/webhooks/${webhook.id}/rotate_secret`)).body.payload.webhook;
    const after = await deliveryOf(fx, conversation.id, path);
    expect(chatwootSignatureValid(after, rotated.secret)).toBe(true);
    expect(chatwootSignatureValid(after, webhook.secret)).toBe(false);
  });
});
