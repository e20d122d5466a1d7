// Account scoping shared by every /api/v1/accounts/:account_id route (EnsureCurrentAccountHelper).
import { describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';
import { buildAccountFixture, buildAgentBot } from './factories.js';

const server = useTestServer();
const SCOPED_PATHS = ['/agents', '/inboxes', '/teams', '/agent_bots'];

describe('account scoping', () => {
  it('answers 404 for an unknown account', async () => {
    const fx = await buildAccountFixture(server());
    for (const path of SCOPED_PATHS) {
      const res = await server().request('GET', `/api/v1/accounts/987654${path}`, { token: fx.admin.access_token });
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
    }
  });

  it('answers 401 to a user of another account, before looking at the body', async () => {
    const mine = await buildAccountFixture(server());
    const theirs = await buildAccountFixture(server());
    for (const path of SCOPED_PATHS) {
      const res = await server().request('GET', `/api/v1/accounts/${theirs.account.id}${path}`, {
        token: mine.admin.access_token,
      });
      expect(res.status, path).toBe(401);
      expect(res.body).toEqual({ error: 'You are not authorized to access this account' });
    }
    const post = await server().request('POST', `/api/v1/accounts/${theirs.account.id}/teams`, {
      token: mine.admin.access_token,
      body: { name: 42 },
    });
    expect(post.body).toEqual({ error: 'You are not authorized to access this account' });
  });

  it('answers 401 Account is suspended once the platform suspends it', async () => {
    const fx = await buildAccountFixture(server());
    await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
      token: fx.platformToken,
      body: { status: 'suspended' },
    });
    const res = await fx.asAdmin('GET', '/agents');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Account is suspended' });
    await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
      token: fx.platformToken,
      body: { status: 'active' },
    });
    expect((await fx.asAdmin('GET', '/agents')).status).toBe(200);
  });

  it('refuses missing and unknown tokens', async () => {
    const fx = await buildAccountFixture(server());
    const none = await server().request('GET', `/api/v1/accounts/${fx.account.id}/agents`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ errors: ['You need to sign in or sign up before continuing.'] });
    const bad = await server().request('GET', `/api/v1/accounts/${fx.account.id}/agents`, { token: 'nope' });
    expect(bad.body).toEqual({ error: 'Invalid Access Token' });
  });

  it('refuses agent bot and platform app tokens outside the bot allow-list', async () => {
    const fx = await buildAccountFixture(server());
    const bot = await buildAgentBot(server(), fx.platformToken, { account_id: fx.account.id });
    for (const token of [bot.access_token, fx.platformToken]) {
      for (const path of SCOPED_PATHS) {
        const res = await server().request('GET', `/api/v1/accounts/${fx.account.id}${path}`, { token });
        expect(res.status, path).toBe(401);
        expect(res.body).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
      }
    }
  });
});
