import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import {
  buildAccount,
  buildAccountFixture,
  buildAgentBot,
  buildPlatformApp,
  buildUser,
  STRONG_PASSWORD,
} from '../../../test/factories.js';

const server = useTestServer();

describe('GET /api/v1/profile', () => {
  it("returns Chatwoot's profile shape for a platform-created user", async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token, { name: 'Jane', custom_attributes: { team: 'blue' } });
    const account = await buildAccount(server(), app.token, { name: 'Acme' });
    await server().request('POST', `/platform/api/v1/accounts/${account.id}/account_users`, {
      token: app.token,
      body: { user_id: user.id, role: 'administrator' },
    });

    const res = await server().request('GET', '/api/v1/profile', { token: user.access_token });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      'access_token',
      'account_id',
      'available_name',
      'avatar_url',
      'confirmed',
      'display_name',
      'message_signature',
      'email',
      'id',
      'inviter_id',
      'name',
      'provider',
      'pubsub_token',
      'custom_attributes',
      'role',
      'ui_settings',
      'uid',
      'type',
      'accounts',
    ]);
    expect(res.body).toMatchObject({
      access_token: user.access_token,
      account_id: account.id,
      available_name: 'Jane',
      confirmed: true,
      email: user.email,
      id: user.id,
      inviter_id: null,
      name: 'Jane',
      provider: 'email',
      pubsub_token: user.pubsub_token,
      custom_attributes: { team: 'blue' },
      role: 'administrator',
      ui_settings: {},
      uid: user.email,
      type: null,
    });
    expect(res.body.accounts).toEqual([
      {
        id: account.id,
        name: 'Acme',
        status: 'active',
        active_at: null,
        role: 'administrator',
        permissions: ['administrator'],
        availability: 'online',
        availability_status: 'offline',
        auto_offline: true,
      },
    ]);
  });

  it('accepts the token in the api-access-token spelling too', async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token);
    const res = await server().request('GET', '/api/v1/profile', {
      headers: { 'api-access-token': user.access_token },
    });
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

describe('profile actions', () => {
  it('updates profile fields, nested under profile or flat', async () => {
    const fx = await buildAccountFixture(server());
    const nested = await server().request('PATCH', '/api/v1/profile', {
      token: fx.agent.access_token,
      body: {
        profile: {
          name: 'Agent Smith',
          display_name: 'Smith',
          message_signature: '-- S',
          ui_settings: { theme: 'dark' },
          phone_number: '+15550001',
        },
      },
    });
    expect(nested.status, nested.text).toBe(200);
    expect(nested.body).toMatchObject({
      name: 'Agent Smith',
      display_name: 'Smith',
      available_name: 'Smith',
      message_signature: '-- S',
      ui_settings: { theme: 'dark' },
      custom_attributes: { phone_number: '+15550001' },
    });
    const flat = await server().request('PUT', '/api/v1/profile', {
      token: fx.agent.access_token,
      body: { name: 'Flat' },
    });
    expect(flat.body.name).toBe('Flat');
  });

  it('changes the password only with the current one', async () => {
    const fx = await buildAccountFixture(server());
    const wrong = await server().request('PATCH', '/api/v1/profile', {
      token: fx.agent.access_token,
      body: { profile: { current_password: 'nope', password: 'N3w-Passw0rd', password_confirmation: 'N3w-Passw0rd' } },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({ error: 'Invalid current password' });
    const mismatch = await server().request('PATCH', '/api/v1/profile', {
      token: fx.agent.access_token,
      body: {
        profile: { current_password: STRONG_PASSWORD, password: 'N3w-Passw0rd', password_confirmation: 'other' },
      },
    });
    expect(mismatch.body).toEqual({
      message: "Password confirmation doesn't match Password",
      attributes: ['password_confirmation'],
    });
    const ok = await server().request('PATCH', '/api/v1/profile', {
      token: fx.agent.access_token,
      body: {
        profile: { current_password: STRONG_PASSWORD, password: 'N3w-Passw0rd', password_confirmation: 'N3w-Passw0rd' },
      },
    });
    expect(ok.status).toBe(200);
    const signIn = await server().request('POST', '/auth/sign_in', {
      body: { email: fx.agent.email, password: 'N3w-Passw0rd' },
    });
    expect(signIn.status).toBe(200);
  });

  it('refuses an email another user has, and a blank name', async () => {
    const fx = await buildAccountFixture(server());
    const taken = await server().request('PATCH', '/api/v1/profile', {
      token: fx.agent.access_token,
      body: { profile: { email: fx.admin.email } },
    });
    expect(taken.body).toEqual({ message: 'Email has already been taken', attributes: ['email'] });
    const blank = await server().request('PATCH', '/api/v1/profile', {
      token: fx.agent.access_token,
      body: { profile: { name: ' ' } },
    });
    expect(blank.body).toEqual({ message: "Name can't be blank", attributes: ['name'] });
  });

  it('sets availability and auto_offline per account', async () => {
    const fx = await buildAccountFixture(server());
    const busy = await server().request('POST', '/api/v1/profile/availability', {
      token: fx.agent.access_token,
      body: { profile: { account_id: fx.account.id, availability: 'busy' } },
    });
    expect(busy.status).toBe(200);
    expect(busy.body.accounts[0]).toMatchObject({ availability: 'busy' });
    const off = await server().request('POST', '/api/v1/profile/auto_offline', {
      token: fx.agent.access_token,
      body: { profile: { account_id: fx.account.id } },
    });
    expect(off.body.accounts[0]).toMatchObject({ auto_offline: false, availability_status: 'busy' });
    const bad = await server().request('POST', '/api/v1/profile/availability', {
      token: fx.agent.access_token,
      body: { profile: { account_id: fx.account.id, availability: 'asleep' } },
    });
    expect(bad.status).toBe(422);
    const foreign = await buildAccountFixture(server());
    const notMine = await server().request('POST', '/api/v1/profile/availability', {
      token: fx.agent.access_token,
      body: { profile: { account_id: foreign.account.id, availability: 'busy' } },
    });
    expect(notMine.status).toBe(404);
  });

  it('set_active_account makes that account the active one', async () => {
    const fx = await buildAccountFixture(server());
    const second = await buildAccount(server(), fx.platformToken, { name: 'Second' });
    await server().request('POST', `/platform/api/v1/accounts/${second.id}/account_users`, {
      token: fx.platformToken,
      body: { user_id: fx.agent.id, role: 'administrator' },
    });
    const res = await server().request('PUT', '/api/v1/profile/set_active_account', {
      token: fx.agent.access_token,
      body: { profile: { account_id: second.id } },
    });
    expect(res.status).toBe(200);
    const profile = await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token });
    expect(profile.body).toMatchObject({ account_id: second.id, role: 'administrator' });
  });

  it('reset_access_token issues a new token and retires the old one', async () => {
    const fx = await buildAccountFixture(server());
    const res = await server().request('POST', '/api/v1/profile/reset_access_token', { token: fx.agent.access_token });
    expect(res.status).toBe(200);
    expect(res.body.access_token).not.toBe(fx.agent.access_token);
    expect((await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token })).status).toBe(401);
    expect((await server().request('GET', '/api/v1/profile', { token: res.body.access_token })).status).toBe(200);
  });
});
