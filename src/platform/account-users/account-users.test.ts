import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccount, buildPlatformApp, buildUser } from '../../../test/factories.js';

const server = useTestServer();
const path = (accountId: number) => `/platform/api/v1/accounts/${accountId}/account_users`;

describe('Platform API account users', () => {
  it('adds a member (agent by default), changes the role by posting again, lists and removes', async () => {
    const app = await buildPlatformApp(server().db);
    const account = await buildAccount(server(), app.token);
    const user = await buildUser(server(), app.token);
    const add = await server().request('POST', path(account.id), { token: app.token, body: { user_id: user.id } });
    expect(add.status, add.text).toBe(200);
    expect(Object.keys(add.body)).toEqual([
      'id',
      'account_id',
      'user_id',
      'role',
      'inviter_id',
      'created_at',
      'updated_at',
      'active_at',
      'availability',
      'auto_offline',
      'custom_role_id',
      'agent_capacity_policy_id',
    ]);
    expect(add.body).toMatchObject({
      account_id: account.id,
      user_id: user.id,
      role: 'agent',
      availability: 'online',
      auto_offline: true,
      active_at: null,
    });
    expect(add.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const promote = await server().request('POST', path(account.id), {
      token: app.token,
      body: { user_id: user.id, role: 'administrator' },
    });
    expect(promote.body).toMatchObject({ id: add.body.id, role: 'administrator' });

    const list = await server().request('GET', path(account.id), { token: app.token });
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ id: add.body.id, role: 'administrator' });

    const del = await server().request('DELETE', path(account.id), { token: app.token, body: { user_id: user.id } });
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect((await server().request('GET', path(account.id), { token: app.token })).body).toEqual([]);
    // idempotent, and user_id may come in the query string
    const again = await server().request('DELETE', path(account.id), { token: app.token, query: { user_id: user.id } });
    expect(again.status).toBe(200);
  });

  it('may add a user the app does not own (Chatwoot checks the account only)', async () => {
    const app = await buildPlatformApp(server().db);
    const other = await buildPlatformApp(server().db);
    const account = await buildAccount(server(), app.token);
    const stranger = await buildUser(server(), other.token);
    const res = await server().request('POST', path(account.id), {
      token: app.token,
      body: { user_id: stranger.id, role: 'agent' },
    });
    expect(res.status).toBe(200);
  });

  it('answers 422 for a missing or unknown user and a bad role, writing nothing', async () => {
    const app = await buildPlatformApp(server().db);
    const account = await buildAccount(server(), app.token);
    const user = await buildUser(server(), app.token);
    for (const [body, expected] of [
      [{}, { message: 'User must exist', attributes: ['user'] }],
      [{ user_id: 999999 }, { message: 'User must exist', attributes: ['user'] }],
      [
        { user_id: user.id, role: 'owner' },
        { message: 'Role is not included in the list', attributes: ['role'] },
      ],
    ] as const) {
      const res = await server().request('POST', path(account.id), { token: app.token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toEqual(expected);
    }
    expect((await server().request('GET', path(account.id), { token: app.token })).body).toEqual([]);
  });

  it("refuses another app's account, and 404s an unknown one", async () => {
    const owner = await buildPlatformApp(server().db);
    const intruder = await buildPlatformApp(server().db);
    const account = await buildAccount(server(), owner.token);
    const user = await buildUser(server(), intruder.token);
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const res = await server().request(method, path(account.id), {
        token: intruder.token,
        body: method === 'GET' ? undefined : { user_id: user.id },
      });
      expect(res.status, method).toBe(401);
      expect(res.body).toEqual({ error: 'Non permissible resource' });
    }
    expect((await server().request('GET', path(424242), { token: owner.token })).status).toBe(404);
    expect((await server().request('GET', path(account.id), { token: owner.token })).body).toEqual([]);
  });
});
