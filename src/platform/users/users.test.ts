import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccount, buildPlatformApp, buildUser, STRONG_PASSWORD } from '../../../test/factories.js';

const server = useTestServer({ FRONTEND_URL: 'https://chat.example.com/' });
const PLATFORM_USER_KEYS = [
  'access_token',
  'account_id',
  'available_name',
  'avatar_url',
  'confirmed',
  'display_name',
  'message_signature',
  'email',
  'id',
  'name',
  'provider',
  'pubsub_token',
  'custom_attributes',
  'role',
  'ui_settings',
  'uid',
  'accounts',
];

describe('Platform API users', () => {
  it('creates a confirmed user with tokens, in Chatwoot key order', async () => {
    const app = await buildPlatformApp(server().db);
    const res = await server().request('POST', '/platform/api/v1/users', {
      token: app.token,
      body: {
        name: 'Jane Doe',
        email: 'Jane@Example.com',
        password: STRONG_PASSWORD,
        custom_attributes: { tier: 'gold' },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(PLATFORM_USER_KEYS);
    expect(res.body).toMatchObject({
      account_id: null,
      available_name: 'Jane Doe',
      avatar_url: '',
      confirmed: true,
      display_name: null,
      email: 'Jane@Example.com',
      name: 'Jane Doe',
      provider: 'email',
      custom_attributes: { tier: 'gold' },
      role: null,
      ui_settings: {},
      uid: 'Jane@Example.com',
      accounts: [],
    });
    expect(res.body.access_token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    expect(res.body.pubsub_token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    const stored = await server()
      .db.selectFrom('users')
      .select('encrypted_password')
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.encrypted_password).toMatch(/^\$argon2id\$/);
    expect(stored.encrypted_password).not.toContain(STRONG_PASSWORD);
  });

  it('omits custom_attributes when empty and shows account roles once a member', async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token);
    const account = await buildAccount(server(), app.token);
    await server().request('POST', `/platform/api/v1/accounts/${account.id}/account_users`, {
      token: app.token,
      body: { user_id: user.id, role: 'administrator' },
    });
    const res = await server().request('GET', `/platform/api/v1/users/${user.id}`, { token: app.token });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('custom_attributes');
    expect(res.body).toMatchObject({
      account_id: account.id,
      role: 'administrator',
      accounts: [{ id: account.id, name: account.name, active_at: null, role: 'administrator' }],
    });
  });

  it('adopts an existing user with the same email (case-insensitive) and grants it', async () => {
    const first = await buildPlatformApp(server().db);
    const second = await buildPlatformApp(server().db);
    const user = await buildUser(server(), first.token, { name: 'old test' });
    const before = await server().request('GET', `/platform/api/v1/users/${user.id}`, { token: second.token });
    expect(before.status).toBe(401);
    const res = await server().request('POST', '/platform/api/v1/users', {
      token: second.token,
      body: { name: 'new name', email: user.email.toUpperCase(), password: 'whatever' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, name: 'old test' });
    const after = await server().request('GET', `/platform/api/v1/users/${user.id}`, { token: second.token });
    expect(after.status).toBe(200);
  });

  it('updates: merges custom attributes, changes email and password', async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token, { custom_attributes: { a: 1, b: 2 } });
    const res = await server().request('PATCH', `/platform/api/v1/users/${user.id}`, {
      token: app.token,
      body: {
        display_name: 'JD',
        email: `new-${user.email}`,
        password: 'N3w-secret',
        custom_attributes: { b: 3, c: 4 },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      display_name: 'JD',
      available_name: 'JD',
      email: `new-${user.email}`,
      custom_attributes: { a: 1, b: 3, c: 4 },
    });
  });

  it('refuses taking an email that another user has', async () => {
    const app = await buildPlatformApp(server().db);
    const a = await buildUser(server(), app.token);
    const b = await buildUser(server(), app.token);
    const res = await server().request('PATCH', `/platform/api/v1/users/${b.id}`, {
      token: app.token,
      body: { email: a.email.toUpperCase() },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ message: 'Email has already been taken', attributes: ['email'] });
  });

  it('mints a one-time sign-in link on FRONTEND_URL', async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token, { email: `dev+testing-${Date.now()}@chatwoot.com` });
    const res = await server().request('GET', `/platform/api/v1/users/${user.id}/login`, { token: app.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['url']);
    const url = new URL(res.body.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://chat.example.com/app/login');
    expect(res.body.url).toContain(`email=${encodeURIComponent(user.email)}&sso_auth_token=`);
    expect(url.searchParams.get('sso_auth_token')).toMatch(/^[0-9a-f]{64}$/);
    const rows = await server().db.selectFrom('sso_auth_tokens').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_digest.toString('hex')).not.toBe(url.searchParams.get('sso_auth_token'));
  });

  it('returns the access token from POST /users/:id/token', async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token);
    const res = await server().request('POST', `/platform/api/v1/users/${user.id}/token`, { token: app.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: user.access_token,
      expiry: null,
      user: {
        id: user.id,
        name: expect.any(String),
        display_name: null,
        email: user.email,
        pubsub_token: user.pubsub_token,
      },
    });
  });

  it('deletes a user: its token stops working and it is gone', async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token);
    const profile = await server().request('GET', '/api/v1/profile', { token: user.access_token });
    expect(profile.status).toBe(200);
    const del = await server().request('DELETE', `/platform/api/v1/users/${user.id}`, { token: app.token });
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect((await server().request('GET', `/platform/api/v1/users/${user.id}`, { token: app.token })).status).toBe(404);
    const after = await server().request('GET', '/api/v1/profile', { token: user.access_token });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: 'Invalid Access Token' });
  });

  describe('bad input', () => {
    it('answers 422 with Rails messages and writes nothing', async () => {
      const app = await buildPlatformApp(server().db);
      const count = async () =>
        Number(
          (
            await server()
              .db.selectFrom('users')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const cases: Array<[Record<string, unknown>, string, string[]]> = [
        [{}, "Name can't be blank, Email can't be blank, Password can't be blank", ['name', 'email', 'password']],
        [{ name: 'A', email: 'not-an-email', password: STRONG_PASSWORD }, 'Email is invalid', ['email']],
        [
          { name: 'A', email: 'a@b.c', password: 'short' },
          'Password is too short (minimum is 6 characters), Password must contain at least 1 uppercase letter, Password must contain at least 1 number, Password must contain at least 1 special character',
          ['password'],
        ],
        [
          { name: 'x'.repeat(256), email: 'a@b.c', password: STRONG_PASSWORD },
          'Name is too long (maximum is 255 characters)',
          ['name'],
        ],
        [
          { name: 'A', email: 'a@b.c', password: STRONG_PASSWORD, custom_attributes: [1, 2] },
          'Custom attributes is invalid',
          ['custom_attributes'],
        ],
      ];
      for (const [body, message, attributes] of cases) {
        const res = await server().request('POST', '/platform/api/v1/users', { token: app.token, body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body).toEqual({ message, attributes });
      }
      expect(await count()).toBe(before);
    });
  });

  describe('security', () => {
    it("refuses another app's user on every member route", async () => {
      const owner = await buildPlatformApp(server().db);
      const intruder = await buildPlatformApp(server().db);
      const user = await buildUser(server(), owner.token);
      for (const [method, path] of [
        ['GET', ''],
        ['PATCH', ''],
        ['DELETE', ''],
        ['GET', '/login'],
        ['POST', '/token'],
      ] as const) {
        const res = await server().request(method, `/platform/api/v1/users/${user.id}${path}`, {
          token: intruder.token,
          body: method === 'PATCH' ? { name: 'x' } : undefined,
        });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body).toEqual({ error: 'Non permissible resource' });
      }
    });

    it('refuses a user token and an agent bot token on the Platform API', async () => {
      const app = await buildPlatformApp(server().db);
      const user = await buildUser(server(), app.token);
      const bot = await server().request('POST', '/platform/api/v1/agent_bots', {
        token: app.token,
        body: { name: 'B' },
      });
      for (const token of [user.access_token, bot.body.access_token, '']) {
        const res = await server().request('POST', '/platform/api/v1/users', {
          token,
          body: { name: 'x', email: 'x@y.z', password: STRONG_PASSWORD },
        });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'Invalid access_token' });
      }
    });
  });
});
