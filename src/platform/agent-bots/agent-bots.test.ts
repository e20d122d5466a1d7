import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccount, buildAgentBot, buildPlatformApp } from '../../../test/factories.js';

const server = useTestServer();

describe('Platform API agent bots', () => {
  it('creates a global and an account bot, each with its own token', async () => {
    const app = await buildPlatformApp(server().db);
    const account = await buildAccount(server(), app.token);
    const global = await server().request('POST', '/platform/api/v1/agent_bots', {
      token: app.token,
      body: { name: 'Helper', description: 'Answers FAQs', outgoing_url: 'https://bot.example.com/events' },
    });
    expect(global.status, global.text).toBe(200);
    expect(Object.keys(global.body)).toEqual([
      'id',
      'name',
      'description',
      'outgoing_url',
      'account_id',
      'access_token',
    ]);
    expect(global.body).toMatchObject({
      name: 'Helper',
      description: 'Answers FAQs',
      outgoing_url: 'https://bot.example.com/events',
      account_id: null,
    });
    expect(global.body.access_token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    const scoped = await server().request('POST', '/platform/api/v1/agent_bots', {
      token: app.token,
      body: { name: 'Scoped', account_id: account.id },
    });
    expect(scoped.body.account_id).toBe(account.id);
    expect(scoped.body.access_token).not.toBe(global.body.access_token);
  });

  it('lists only its own bots, and [] when it has none', async () => {
    const app = await buildPlatformApp(server().db);
    const empty = await server().request('GET', '/platform/api/v1/agent_bots', { token: app.token });
    expect(empty.body).toEqual([]);
    const other = await buildPlatformApp(server().db);
    const mine = await buildAgentBot(server(), app.token);
    await buildAgentBot(server(), other.token);
    const res = await server().request('GET', '/platform/api/v1/agent_bots', { token: app.token });
    expect(res.body.map((b: { id: number }) => b.id)).toEqual([mine.id]);
  });

  it('shows, updates and deletes a bot', async () => {
    const app = await buildPlatformApp(server().db);
    const bot = await buildAgentBot(server(), app.token);
    expect((await server().request('GET', `/platform/api/v1/agent_bots/${bot.id}`, { token: app.token })).body.id).toBe(
      bot.id,
    );
    const patch = await server().request('PATCH', `/platform/api/v1/agent_bots/${bot.id}`, {
      token: app.token,
      body: { outgoing_url: 'https://new.example.com', description: null },
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({
      outgoing_url: 'https://new.example.com',
      description: null,
      access_token: bot.access_token,
    });
    const del = await server().request('DELETE', `/platform/api/v1/agent_bots/${bot.id}`, { token: app.token });
    expect(del.status).toBe(200);
    expect((await server().request('GET', `/platform/api/v1/agent_bots/${bot.id}`, { token: app.token })).status).toBe(
      404,
    );
    const tokens = await server()
      .db.selectFrom('access_tokens')
      .select('id')
      .where('owner_type', '=', 'AgentBot')
      .where('owner_id', '=', bot.id)
      .execute();
    expect(tokens).toEqual([]);
  });

  it('deleting an account removes its bots, their tokens and grants', async () => {
    const app = await buildPlatformApp(server().db);
    const account = await buildAccount(server(), app.token);
    const bot = await buildAgentBot(server(), app.token, { account_id: account.id });
    await server().request('DELETE', `/platform/api/v1/accounts/${account.id}`, { token: app.token });
    expect((await server().request('GET', `/platform/api/v1/agent_bots/${bot.id}`, { token: app.token })).status).toBe(
      404,
    );
    const grants = await server()
      .db.selectFrom('platform_app_permissibles')
      .select('id')
      .where('permissible_type', '=', 'AgentBot')
      .where('permissible_id', '=', bot.id)
      .execute();
    expect(grants).toEqual([]);
  });

  describe('bad input', () => {
    it('answers 422 and writes nothing', async () => {
      const app = await buildPlatformApp(server().db);
      const count = async () =>
        Number(
          (
            await server()
              .db.selectFrom('agent_bots')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const cases: Array<[Record<string, unknown>, unknown]> = [
        [
          { name: 'B', account_id: 987654 },
          { message: 'Account must exist', attributes: ['account'] },
        ],
        [
          { name: 'B', outgoing_url: `https://x.test/${'a'.repeat(2100)}` },
          { message: 'Outgoing url is too long (maximum is 2048 characters)', attributes: ['outgoing_url'] },
        ],
        [
          { name: 'B', account_id: 'abc' },
          { message: 'Account is invalid', attributes: ['account_id'] },
        ],
      ];
      for (const [body, expected] of cases) {
        const res = await server().request('POST', '/platform/api/v1/agent_bots', { token: app.token, body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body).toEqual(expected);
      }
      expect(await count()).toBe(before);
    });
  });

  describe('security', () => {
    it("refuses another app's bot", async () => {
      const owner = await buildPlatformApp(server().db);
      const intruder = await buildPlatformApp(server().db);
      const bot = await buildAgentBot(server(), owner.token);
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const res = await server().request(method, `/platform/api/v1/agent_bots/${bot.id}`, {
          token: intruder.token,
          body: method === 'PATCH' ? { name: 'x' } : undefined,
        });
        expect(res.status, method).toBe(401);
        expect(res.body).toEqual({ error: 'Non permissible resource' });
      }
      expect((await server().request('GET', '/platform/api/v1/agent_bots', {})).body).toEqual({
        error: 'Invalid access_token',
      });
    });
  });
});
