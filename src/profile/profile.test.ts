import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccount, buildAgentBot, buildPlatformApp, buildUser } from '../../test/factories.js';

const server = useTestServer();

describe('GET /api/v1/profile', () => {
  it("returns Chatwoot's profile shape for a platform-created user", async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token, { name: 'Jane', custom_attributes: { team: 'blue' } });
    const account = await buildAccount(server(), app.token, { name: 'Acme' });
    await server().request('POST', `/platform/api/v1/accounts/${account.id}/account_users`, { token: app.token, body: { user_id: user.id, role: 'administrator' } });

    const res = await server().request('GET', '/api/v1/profile', { token: user.access_token });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(['access_token', 'account_id', 'available_name', 'avatar_url', 'confirmed', 'display_name',
      'message_signature', 'email', 'id', 'inviter_id', 'name', 'provider', 'pubsub_token', 'custom_attributes', 'role', 'ui_settings', 'uid', 'type', 'accounts']);
    expect(res.body).toMatchObject({
      access_token: user.access_token, account_id: account.id, available_name: 'Jane', confirmed: true, email: user.email,
      id: user.id, inviter_id: null, name: 'Jane', provider: 'email', pubsub_token: user.pubsub_token, custom_attributes: { team: 'blue' },
      role: 'administrator', ui_settings: {}, uid: user.email, type: null,
    });
    expect(res.body.accounts).toEqual([{
      id: account.id, name: 'Acme', status: 'active', active_at: null, role: 'administrator', permissions: ['administrator'],
      availability: 'online', availability_status: 'offline', auto_offline: true,
    }]);
  });

  it('accepts the token in the api-access-token spelling too', async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token);
    const res = await server().request('GET', '/api/v1/profile', { headers: { 'api-access-token': user.access_token } });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(user.id);
  });

  it('refuses unknown tokens with Invalid Access Token and no credentials with the devise error', async () => {
    const unknown = await server().request('GET', '/api/v1/profile', { token: 'not-a-token' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: 'Invalid Access Token' });
    const none = await server().request('GET', '/api/v1/profile');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ errors: ['You need to sign in or sign up before continuing.'] });
  });

  it('refuses platform app and agent bot tokens as Chatwoot does (bot allow-list)', async () => {
    const app = await buildPlatformApp(server().db);
    const bot = await buildAgentBot(server(), app.token);
    for (const token of [app.token, bot.access_token]) {
      const res = await server().request('GET', '/api/v1/profile', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
    }
  });
});
