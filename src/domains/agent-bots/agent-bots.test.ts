import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildAgentBot, buildInbox } from '../../../test/factories.js';

const server = useTestServer();

describe('account agent bots', () => {
  it('creates a bot with a token shown to administrators only', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/agent_bots', {
      name: 'Triage',
      description: 'Sorts things',
      outgoing_url: 'https://bot.example.com',
      bot_config: { a: 1 },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      'id',
      'name',
      'description',
      'thumbnail',
      'outgoing_url',
      'bot_type',
      'bot_config',
      'account_id',
      'access_token',
      'secret',
      'system_bot',
    ]);
    expect(res.body).toMatchObject({
      name: 'Triage',
      bot_type: 'webhook',
      bot_config: { a: 1 },
      account_id: fx.account.id,
      system_bot: false,
      thumbnail: '',
    });
    const asAgent = await fx.asAgent('GET', `/agent_bots/${res.body.id}`);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).not.toHaveProperty('access_token');
    expect(asAgent.body).not.toHaveProperty('secret');
  });

  it("lists the account's bots and global bots; a global bot is readable but not writable", async () => {
    const fx = await buildAccountFixture(server());
    const own = (await fx.asAdmin('POST', '/agent_bots', { name: 'Own' })).body;
    const global = await buildAgentBot(server(), fx.platformToken, { name: 'Global' });
    const other = await buildAccountFixture(server());
    const foreign = (await other.asAdmin('POST', '/agent_bots', { name: 'Foreign' })).body;
    const list = await fx.asAgent('GET', '/agent_bots');
    const listed = list.body.map((b: { id: number }) => b.id);
    expect(listed).toEqual(expect.arrayContaining([own.id, global.id]));
    expect(listed).not.toContain(foreign.id);
    const shown = await fx.asAdmin('GET', `/agent_bots/${global.id}`);
    expect(shown.body).toMatchObject({ system_bot: true, account_id: null });
    expect(shown.body).not.toHaveProperty('outgoing_url');
    expect(shown.body).not.toHaveProperty('access_token');
    for (const [method, suffix] of [
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/reset_access_token'],
    ]) {
      expect(
        (await fx.asAdmin(method!, `/agent_bots/${global.id}${suffix}`, method === 'PATCH' ? { name: 'x' } : undefined))
          .status,
      ).toBe(404);
      expect(
        (
          await fx.asAdmin(
            method!,
            `/agent_bots/${foreign.id}${suffix}`,
            method === 'PATCH' ? { name: 'x' } : undefined,
          )
        ).status,
      ).toBe(404);
    }
    expect((await fx.asAdmin('GET', `/agent_bots/${foreign.id}`)).status).toBe(404);
  });

  it('updates, rotates the token and deletes; agents are refused', async () => {
    const fx = await buildAccountFixture(server());
    const bot = (await fx.asAdmin('POST', '/agent_bots', { name: 'Bot' })).body;
    expect((await fx.asAgent('PATCH', `/agent_bots/${bot.id}`, { name: 'x' })).body).toEqual({
      error: 'You are not authorized to do this action',
    });
    expect((await fx.asAgent('POST', '/agent_bots', { name: 'x' })).status).toBe(401);
    const patch = await fx.asAdmin('PATCH', `/agent_bots/${bot.id}`, {
      name: 'Renamed',
      outgoing_url: 'https://new.example.com',
    });
    expect(patch.body).toMatchObject({ name: 'Renamed', outgoing_url: 'https://new.example.com' });
    const reset = await fx.asAdmin('POST', `/agent_bots/${bot.id}/reset_access_token`);
    expect(reset.status).toBe(200);
    expect(reset.body.access_token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    expect(reset.body.access_token).not.toBe(bot.access_token);
    expect(
      (await fx.asAdmin('PATCH', `/agent_bots/${bot.id}`, { outgoing_url: `https://x/${'a'.repeat(2100)}` })).status,
    ).toBe(422);
    expect((await fx.asAdmin('DELETE', `/agent_bots/${bot.id}`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/agent_bots/${bot.id}`)).status).toBe(404);
  });

  it("a bot token is refused outside Chatwoot's bot allow-list, even when attached to an inbox", async () => {
    const fx = await buildAccountFixture(server());
    const bot = (await fx.asAdmin('POST', '/agent_bots', { name: 'Bot' })).body;
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.id });
    for (const path of ['/agent_bots', '/inboxes', `/inboxes/${inbox.id}`, '/agents', '/teams']) {
      const res = await server().request('GET', `/api/v1/accounts/${fx.account.id}${path}`, {
        token: bot.access_token,
      });
      expect(res.status, path).toBe(401);
      expect(res.body).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
    }
    expect((await server().request('GET', '/api/v1/profile', { token: bot.access_token })).status).toBe(401);
  });
});
