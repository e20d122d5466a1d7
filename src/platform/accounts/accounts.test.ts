import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccount, buildPlatformApp } from '../../../test/factories.js';

const server = useTestServer();

describe('Platform API accounts', () => {
  it('creates an account with Chatwoot keys, features and status', async () => {
    const app = await buildPlatformApp(server().db);
    const res = await server().request('POST', '/platform/api/v1/accounts', {
      token: app.token,
      body: {
        name: 'Acme',
        locale: 'pt_BR',
        domain: 'acme.test',
        support_email: 'help@acme.test',
        features: { inbox_view: true, inbox_management: false },
        limits: { agents: 5 },
        custom_attributes: { plan: 'pro' },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      'id',
      'name',
      'locale',
      'domain',
      'support_email',
      'features',
      'enabled_features',
      'custom_attributes',
      'limits',
      'status',
    ]);
    expect(res.body).toMatchObject({
      name: 'Acme',
      locale: 'pt_BR',
      domain: 'acme.test',
      support_email: 'help@acme.test',
      limits: { agents: 5 },
      custom_attributes: { plan: 'pro' },
      status: 'active',
    });
    expect(res.body.features.inbox_view).toBe(true);
    expect(res.body.features).not.toHaveProperty('inbox_management');
    expect(res.body.features.agent_management).toBe(true);
  });

  it('never reports a feature Confab does not serve, even when the platform turns it on', async () => {
    const app = await buildPlatformApp(server().db);
    const account = await buildAccount(server(), app.token);
    const unserved = { campaigns: true, audit_logs: true, channel_email: true };
    const patch = await server().request('PATCH', `/platform/api/v1/accounts/${account.id}`, {
      token: app.token,
      body: { features: { ...unserved, canned_responses: true } },
    });
    expect(patch.status, patch.text).toBe(200);
    for (const body of [
      patch.body,
      (await server().request('GET', `/platform/api/v1/accounts/${account.id}`, { token: app.token })).body,
    ]) {
      for (const key of ['features', 'enabled_features']) {
        for (const name of Object.keys(unserved)) expect(body[key], `${key}.${name}`).not.toHaveProperty(name);
        expect(body[key].canned_responses).toBe(true);
      }
    }
  });

  it('shows, updates (features toggled, limits replaced) and deletes its own account', async () => {
    const app = await buildPlatformApp(server().db);
    const account = await buildAccount(server(), app.token, { limits: { agents: 1, inboxes: 2 } });
    const show = await server().request('GET', `/platform/api/v1/accounts/${account.id}`, { token: app.token });
    expect(show.status).toBe(200);
    expect(show.body.id).toBe(account.id);

    const patch = await server().request('PATCH', `/platform/api/v1/accounts/${account.id}`, {
      token: app.token,
      body: {
        name: 'Renamed',
        status: 'suspended',
        features: { inbox_view: true, labels: false },
        limits: { agents: 9 },
      },
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body).toMatchObject({ name: 'Renamed', status: 'suspended', limits: { agents: 9 } });
    expect(patch.body.limits).not.toHaveProperty('inboxes');
    expect(patch.body.features.inbox_view).toBe(true);
    expect(patch.body.features).not.toHaveProperty('labels');

    const put = await server().request('PUT', `/platform/api/v1/accounts/${account.id}`, {
      token: app.token,
      body: { locale: 'de' },
    });
    expect(put.body).toMatchObject({ name: 'Renamed', locale: 'de' });

    const del = await server().request('DELETE', `/platform/api/v1/accounts/${account.id}`, { token: app.token });
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    const gone = await server().request('GET', `/platform/api/v1/accounts/${account.id}`, { token: app.token });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ status: 404, error: 'Not Found' });
  });

  it('lists only the accounts the app may manage', async () => {
    const mine = await buildPlatformApp(server().db);
    const other = await buildPlatformApp(server().db);
    const a = await buildAccount(server(), mine.token);
    await buildAccount(server(), other.token);
    const res = await server().request('GET', '/platform/api/v1/accounts', { token: mine.token });
    expect(res.status).toBe(200);
    expect(res.body.map((x: { id: number }) => x.id)).toEqual([a.id]);
  });

  describe('bad input', () => {
    it('answers 422 with Rails messages and writes nothing', async () => {
      const app = await buildPlatformApp(server().db);
      const count = async () =>
        Number(
          (
            await server()
              .db.selectFrom('accounts')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const cases: Array<[unknown, unknown]> = [
        [{}, { message: "Name can't be blank", attributes: ['name'] }],
        [{ name: '   ' }, { message: "Name can't be blank", attributes: ['name'] }],
        [
          { name: 'A', domain: 'x'.repeat(101) },
          { message: 'Domain is too long (maximum is 100 characters)', attributes: ['domain'] },
        ],
        [
          { name: 'A', status: 'deleted' },
          { message: 'Status is not included in the list', attributes: ['status'] },
        ],
        [
          { name: 'A', support_email: 'nope' },
          { message: 'Support email is invalid', attributes: ['support_email'] },
        ],
        [
          { name: 'A', limits: 'lots' },
          { message: 'Limits is invalid', attributes: ['limits'] },
        ],
        [{ name: { first: 'A' } }, { message: 'Name is invalid', attributes: ['name'] }],
      ];
      for (const [body, expected] of cases) {
        const res = await server().request('POST', '/platform/api/v1/accounts', { token: app.token, body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body, JSON.stringify(body)).toEqual(expected);
      }
      expect(await count()).toBe(before);
    });

    it('answers 400 to malformed JSON and 413 to an oversized body', async () => {
      const app = await buildPlatformApp(server().db);
      const bad = await server().request('POST', '/platform/api/v1/accounts', {
        token: app.token,
        rawBody: '{"name": ',
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toHaveProperty('error');
      const big = await server().request('POST', '/platform/api/v1/accounts', {
        token: app.token,
        body: { name: 'x'.repeat(2 * 1024 * 1024) },
      });
      expect(big.status).toBe(413);
      expect(big.body).toHaveProperty('error');
    });

    it('answers 404 for unknown and malformed ids', async () => {
      const app = await buildPlatformApp(server().db);
      for (const id of ['999999', 'abc', '0', '99999999999999999999']) {
        const res = await server().request('GET', `/platform/api/v1/accounts/${id}`, { token: app.token });
        expect(res.status, id).toBe(404);
        expect(res.body).toEqual({ status: 404, error: 'Not Found' });
      }
    });
  });

  describe('security', () => {
    it('refuses a missing, unknown or non-platform token with Invalid access_token', async () => {
      const app = await buildPlatformApp(server().db);
      const account = await buildAccount(server(), app.token);
      const user = await server().request('POST', '/platform/api/v1/users', {
        token: app.token,
        body: { name: 'U', email: `u${Date.now()}@example.com`, password: 'Passw0rd!' },
      });
      for (const token of [undefined, 'nope', user.body.access_token]) {
        const res = await server().request('GET', `/platform/api/v1/accounts/${account.id}`, { token });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'Invalid access_token' });
      }
    });

    it("refuses another platform app's account with Non permissible resource", async () => {
      const owner = await buildPlatformApp(server().db);
      const intruder = await buildPlatformApp(server().db);
      const account = await buildAccount(server(), owner.token);
      for (const [method, body] of [['GET'], ['PATCH', { name: 'pwned' }], ['DELETE']] as const) {
        const res = await server().request(method, `/platform/api/v1/accounts/${account.id}`, {
          token: intruder.token,
          body,
        });
        expect(res.status, method).toBe(401);
        expect(res.body).toEqual({ error: 'Non permissible resource' });
      }
      const still = await server().request('GET', `/platform/api/v1/accounts/${account.id}`, { token: owner.token });
      expect(still.body.name).toBe(account.name);
    });
  });
});
