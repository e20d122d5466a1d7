import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture } from '../../../test/factories.js';

const server = useTestServer();

describe('teams', () => {
  it('creates (name lowercased), lists, shows, updates and deletes teams', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/teams', { name: 'Billing Squad', description: 'Money things' });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      'id',
      'name',
      'description',
      'allow_auto_assign',
      'account_id',
      'is_member',
    ]);
    expect(res.body).toMatchObject({
      name: 'billing squad',
      description: 'Money things',
      allow_auto_assign: true,
      account_id: fx.account.id,
      is_member: false,
    });
    const nested = await fx.asAdmin('POST', '/teams', { team: { name: 'Sales', allow_auto_assign: false } });
    expect(nested.body).toMatchObject({ name: 'sales', allow_auto_assign: false });
    const list = await fx.asAgent('GET', '/teams');
    expect(list.body.map((t: { id: number }) => t.id)).toEqual([res.body.id, nested.body.id]);
    expect((await fx.asAgent('GET', `/teams/${res.body.id}`)).body.name).toBe('billing squad');
    const patch = await fx.asAdmin('PATCH', `/teams/${res.body.id}`, { name: 'Billing', description: null });
    expect(patch.body).toMatchObject({ name: 'billing', description: null });
    expect((await fx.asAdmin('DELETE', `/teams/${res.body.id}`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/teams/${res.body.id}`)).status).toBe(404);
  });

  it('refuses duplicate (case-insensitive) and blank names with 422; agents with 401', async () => {
    const fx = await buildAccountFixture(server());
    await fx.asAdmin('POST', '/teams', { name: 'Support' });
    expect((await fx.asAdmin('POST', '/teams', { name: 'SUPPORT' })).body).toEqual({
      message: 'Name has already been taken',
      attributes: ['name'],
    });
    expect((await fx.asAdmin('POST', '/teams', { name: ' ' })).body).toEqual({
      message: 'Name must not be blank',
      attributes: ['name'],
    });
    expect((await fx.asAdmin('POST', '/teams', {})).status).toBe(422);
    for (const [method, path] of [
      ['POST', '/teams'],
      ['PATCH', `/teams/${(await fx.asAdmin('GET', '/teams')).body[0].id}`],
    ]) {
      const res = await fx.asAgent(method!, path!, { name: 'x' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'You are not authorized to do this action' });
    }
    expect((await fx.asAdmin('GET', '/teams')).body).toHaveLength(1);
  });

  it('manages team members: POST answers the added, PATCH replaces, DELETE removes', async () => {
    const fx = await buildAccountFixture(server());
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Ops' })).body;
    const url = `/teams/${team.id}/team_members`;
    const add = await fx.asAdmin('POST', url, { user_ids: [fx.agent.id] });
    expect(add.status, add.text).toBe(200);
    expect(add.body.map((a: { id: number }) => a.id)).toEqual([fx.agent.id]);
    const again = await fx.asAdmin('POST', url, { user_ids: [fx.agent.id, fx.admin.id] });
    expect(again.body.map((a: { id: number }) => a.id)).toEqual([fx.admin.id]);
    expect((await fx.asAgent('GET', url)).body).toHaveLength(2);
    expect((await fx.asAgent('GET', `/teams/${team.id}`)).body.is_member).toBe(true);
    const replace = await fx.asAdmin('PATCH', url, { user_ids: [fx.admin.id] });
    expect(replace.body.map((a: { id: number }) => a.id)).toEqual([fx.admin.id]);
    expect((await fx.asAdmin('DELETE', url, { user_ids: [fx.admin.id] })).status).toBe(200);
    expect((await fx.asAdmin('GET', url)).body).toEqual([]);
    expect((await fx.asAdmin('PATCH', url, { user_ids: [] })).body).toEqual({});
  });

  it('refuses foreign users with 401 Invalid User IDs, agents with 401, other accounts with 404', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Ops' })).body;
    const res = await fx.asAdmin('POST', `/teams/${team.id}/team_members`, { user_ids: [other.agent.id] });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid User IDs' });
    expect((await fx.asAgent('POST', `/teams/${team.id}/team_members`, { user_ids: [fx.agent.id] })).status).toBe(401);
    expect((await fx.asAdmin('GET', `/teams/${team.id}/team_members`)).body).toEqual([]);
    const theirs = (await other.asAdmin('POST', '/teams', { name: 'Theirs' })).body;
    for (const [method, path] of [
      ['GET', `/teams/${theirs.id}`],
      ['PATCH', `/teams/${theirs.id}`],
      ['DELETE', `/teams/${theirs.id}`],
      ['GET', `/teams/${theirs.id}/team_members`],
    ]) {
      expect(
        (await fx.asAdmin(method!, path!, method === 'PATCH' ? { name: 'x' } : undefined)).status,
        `${method} ${path}`,
      ).toBe(404);
    }
  });
});
