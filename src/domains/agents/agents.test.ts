import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const AGENT_KEYS = [
  'id',
  'account_id',
  'availability_status',
  'auto_offline',
  'confirmed',
  'email',
  'provider',
  'available_name',
  'name',
  'role',
  'thumbnail',
];

describe('agents', () => {
  it('lists every member as a bare array ordered by name, for agents too', async () => {
    const fx = await buildAccountFixture(server());
    await server().request('PATCH', `/platform/api/v1/users/${fx.agent.id}`, {
      token: fx.platformToken,
      body: { name: 'aaron' },
    });
    const res = await fx.asAgent('GET', '/agents');
    expect(res.status).toBe(200);
    expect(res.body.map((a: { id: number }) => a.id)).toEqual([fx.agent.id, fx.admin.id]);
    expect(Object.keys(res.body[0])).toEqual(AGENT_KEYS);
    expect(res.body[0]).toMatchObject({
      account_id: fx.account.id,
      availability_status: 'offline',
      auto_offline: true,
      confirmed: true,
      provider: 'email',
      role: 'agent',
      name: 'aaron',
    });
    expect(res.body[0].thumbnail).toMatch(/^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{32}\?d=404$/);
  });

  it('creates an agent (flat or nested body), reusing a user who already exists elsewhere', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/agents', {
      name: 'New Agent',
      email: `new-${Date.now()}@example.com`,
      role: 'administrator',
      availability: 'busy',
      auto_offline: false,
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(AGENT_KEYS);
    expect(res.body).toMatchObject({
      name: 'New Agent',
      role: 'administrator',
      availability_status: 'busy',
      auto_offline: false,
    });
    const other = await buildAccountFixture(server());
    const reused = await fx.asAdmin('POST', '/agents', { agent: { email: other.agent.email, name: 'ignored' } });
    expect(reused.status).toBe(200);
    expect(reused.body).toMatchObject({ id: other.agent.id, role: 'agent' });
  });

  it('refuses duplicates and bad emails with 422, and agents with 401', async () => {
    const fx = await buildAccountFixture(server());
    const dup = await fx.asAdmin('POST', '/agents', { name: 'x', email: fx.agent.email });
    expect(dup.status).toBe(422);
    expect(dup.body).toEqual({ message: 'User has already been taken', attributes: ['user_id'] });
    for (const body of [{ name: 'x' }, { name: 'x', email: 'not-an-email' }, { email: 'a@b.c', role: 'owner' }]) {
      const res = await fx.asAdmin('POST', '/agents', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toHaveProperty('message');
    }
    const before = (await fx.asAdmin('GET', '/agents')).body.length;
    const agent = await fx.asAgent('POST', '/agents', { name: 'x', email: 'x@example.com' });
    expect(agent.status).toBe(401);
    expect(agent.body).toEqual({ error: 'You are not authorized to do this action' });
    expect((await fx.asAdmin('GET', '/agents')).body.length).toBe(before);
  });

  it('bulk_create adds each new email once, skipping members and bad emails', async () => {
    const fx = await buildAccountFixture(server());
    const stamp = Date.now();
    const res = await fx.asAdmin('POST', '/agents/bulk_create', {
      emails: [`one-${stamp}@example.com`, `two-${stamp}@example.com`, fx.agent.email, 'bad'],
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const list = (await fx.asAdmin('GET', '/agents')).body as Array<{ email: string; name: string; role: string }>;
    expect(list).toHaveLength(4);
    expect(list.find((a) => a.email === `one-${stamp}@example.com`)).toMatchObject({
      name: `one-${stamp}`,
      role: 'agent',
    });
    expect((await fx.asAgent('POST', '/agents/bulk_create', { emails: ['z@example.com'] })).status).toBe(401);
  });

  it('updates role, availability and name; deletes the membership', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('PATCH', `/agents/${fx.agent.id}`, {
      role: 'administrator',
      availability: 'busy',
      auto_offline: false,
      name: 'Renamed',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      role: 'administrator',
      availability_status: 'busy',
      auto_offline: false,
      name: 'Renamed',
    });
    const del = await fx.asAdmin('DELETE', `/agents/${fx.agent.id}`);
    expect(del.status).toBe(200);
    const after = await fx.asAgent('GET', '/agents');
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: 'You are not authorized to access this account' });
  });

  it('never touches an agent of another account', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    for (const method of ['PATCH', 'DELETE']) {
      const res = await fx.asAdmin(
        method,
        `/agents/${other.agent.id}`,
        method === 'PATCH' ? { role: 'administrator' } : undefined,
      );
      expect(res.status, method).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
    }
    expect((await fx.asAgent('PATCH', `/agents/${fx.admin.id}`, { role: 'agent' })).status).toBe(401);
    expect((await fx.asAgent('DELETE', `/agents/${fx.admin.id}`)).status).toBe(401);
  });
});
