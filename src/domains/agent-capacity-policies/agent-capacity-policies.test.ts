// Assignment V2 agent capacity (enterprise AgentCapacityPoliciesController, its UsersController and
// InboxLimitsController): administrators only; bare-array index; epoch timestamps; limit DELETE 204.
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../../test/factories.js';

const server = useTestServer();

const POLICY_KEYS = [
  'id',
  'name',
  'description',
  'exclusion_rules',
  'created_at',
  'updated_at',
  'account_id',
  'assigned_agent_count',
  'inbox_capacity_limits',
];

const rows = (table: 'agent_capacity_policies' | 'inbox_capacity_limits', accountId: number) =>
  server().db.selectFrom(table).selectAll().where('account_id', '=', accountId).execute();

describe('agent capacity policies', () => {
  it('creates, lists, shows, updates and deletes a policy', async () => {
    const fx = await buildAccountFixture(server());
    const created = await fx.asAdmin('POST', '/agent_capacity_policies', {
      agent_capacity_policy: {
        name: 'Day shift',
        description: 'Two each',
        exclusion_rules: { excluded_labels: ['vip'], exclude_older_than_hours: 24 },
      },
    });
    expect(created.status, created.text).toBe(200);
    expect(Object.keys(created.body)).toEqual(POLICY_KEYS);
    expect(created.body).toMatchObject({
      name: 'Day shift',
      description: 'Two each',
      exclusion_rules: { excluded_labels: ['vip'], exclude_older_than_hours: 24 },
      account_id: fx.account.id,
      assigned_agent_count: 0,
      inbox_capacity_limits: [],
    });
    expect(typeof created.body.updated_at).toBe('number');
    const list = await fx.asAdmin('GET', '/agent_capacity_policies');
    expect(list.body.map((p: { id: number }) => p.id)).toEqual([created.body.id]);

    const updated = await fx.asAdmin('PATCH', `/agent_capacity_policies/${created.body.id}`, {
      agent_capacity_policy: { name: 'Night shift', exclusion_rules: { excluded_labels: [] } },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Night shift', exclusion_rules: { excluded_labels: [] } });
    expect((await fx.asAdmin('GET', `/agent_capacity_policies/${created.body.id}`)).body).toEqual(updated.body);

    expect((await fx.asAdmin('DELETE', `/agent_capacity_policies/${created.body.id}`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/agent_capacity_policies/${created.body.id}`)).status).toBe(404);
  });

  it('puts agents under a policy and takes them out', async () => {
    const fx = await buildAccountFixture(server());
    const policy = (await fx.asAdmin('POST', '/agent_capacity_policies', { name: 'P' })).body;
    const added = await fx.asAdmin('POST', `/agent_capacity_policies/${policy.id}/users`, { user_id: fx.agent.id });
    expect(added.status, added.text).toBe(200);
    expect(added.body).toMatchObject({ id: fx.agent.id, role: 'agent' });
    const users = await fx.asAdmin('GET', `/agent_capacity_policies/${policy.id}/users`);
    expect(users.body.map((u: { id: number }) => u.id)).toEqual([fx.agent.id]);
    expect((await fx.asAdmin('GET', `/agent_capacity_policies/${policy.id}`)).body.assigned_agent_count).toBe(1);

    expect((await fx.asAdmin('DELETE', `/agent_capacity_policies/${policy.id}/users/${fx.agent.id}`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/agent_capacity_policies/${policy.id}/users`)).body).toEqual([]);

    // deleting a policy leaves its agents without one
    await fx.asAdmin('POST', `/agent_capacity_policies/${policy.id}/users`, { user_id: fx.agent.id });
    await fx.asAdmin('DELETE', `/agent_capacity_policies/${policy.id}`);
    const membership = await server()
      .db.selectFrom('account_users')
      .select('agent_capacity_policy_id')
      .where('account_id', '=', fx.account.id)
      .where('user_id', '=', fx.agent.id)
      .executeTakeFirstOrThrow();
    expect(membership.agent_capacity_policy_id).toBeNull();
  });

  it('sets, changes and removes inbox limits, one per inbox', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const policy = (await fx.asAdmin('POST', '/agent_capacity_policies', { name: 'P' })).body;
    const base = `/agent_capacity_policies/${policy.id}/inbox_limits`;
    const created = await fx.asAdmin('POST', base, { inbox_id: inbox.id, conversation_limit: 3 });
    expect(created.status, created.text).toBe(200);
    expect(Object.keys(created.body)).toEqual([
      'id',
      'inbox_id',
      'agent_capacity_policy_id',
      'conversation_limit',
      'created_at',
      'updated_at',
    ]);
    expect(created.body).toMatchObject({
      inbox_id: inbox.id,
      agent_capacity_policy_id: policy.id,
      conversation_limit: 3,
    });
    const again = await fx.asAdmin('POST', base, { inbox_id: inbox.id, conversation_limit: 5 });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ error: 'Inbox has already been assigned to this policy' });
    expect((await fx.asAdmin('GET', `/agent_capacity_policies/${policy.id}`)).body.inbox_capacity_limits).toEqual([
      { id: created.body.id, inbox_id: inbox.id, conversation_limit: 3 },
    ]);

    const changed = await fx.asAdmin('PATCH', `${base}/${created.body.id}`, { conversation_limit: 7 });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.conversation_limit).toBe(7);
    const deleted = await fx.asAdmin('DELETE', `${base}/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect(await rows('inbox_capacity_limits', fx.account.id)).toEqual([]);
  });

  it('refuses bad input with 422 and writes nothing', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const blank = await fx.asAdmin('POST', '/agent_capacity_policies', { agent_capacity_policy: { name: ' ' } });
    expect(blank.status).toBe(422);
    expect(blank.body).toEqual({ message: "Name can't be blank", attributes: ['name'] });
    const long = await fx.asAdmin('POST', '/agent_capacity_policies', { name: 'n'.repeat(256) });
    expect(long.status).toBe(422);
    expect(await rows('agent_capacity_policies', fx.account.id)).toEqual([]);

    const policy = (await fx.asAdmin('POST', '/agent_capacity_policies', { name: 'P' })).body;
    const base = `/agent_capacity_policies/${policy.id}/inbox_limits`;
    for (const conversation_limit of [0, -2, 'many', null]) {
      const res = await fx.asAdmin('POST', base, { inbox_id: inbox.id, conversation_limit });
      expect(res.status, `${conversation_limit}: ${res.text}`).toBe(422);
      expect(res.body.attributes).toEqual(['conversation_limit']);
    }
    expect(await rows('inbox_capacity_limits', fx.account.id)).toEqual([]);
    const unknownUser = await fx.asAdmin('POST', `/agent_capacity_policies/${policy.id}/users`, { user_id: 999999 });
    expect(unknownUser.status).toBe(404);
  });

  it('is for administrators only, needs a token, and keeps to its account', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const policy = (await fx.asAdmin('POST', '/agent_capacity_policies', { name: 'Mine' })).body;
    const theirs = (await other.asAdmin('POST', '/agent_capacity_policies', { name: 'Theirs' })).body;
    const theirInbox = await buildInbox(other);
    for (const [method, path] of [
      ['GET', '/agent_capacity_policies'],
      ['POST', '/agent_capacity_policies'],
      ['GET', `/agent_capacity_policies/${policy.id}`],
      ['PATCH', `/agent_capacity_policies/${policy.id}`],
      ['DELETE', `/agent_capacity_policies/${policy.id}`],
      ['GET', `/agent_capacity_policies/${policy.id}/users`],
      ['POST', `/agent_capacity_policies/${policy.id}/users`],
      ['POST', `/agent_capacity_policies/${policy.id}/inbox_limits`],
    ] as const) {
      const body = method === 'GET' ? undefined : { name: 'Agent', user_id: fx.agent.id };
      const res = await fx.asAgent(method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(401);
    }
    const anonymous = await server().request('GET', `/api/v1/accounts/${fx.account.id}/agent_capacity_policies`);
    expect(anonymous.status).toBe(401);

    expect((await fx.asAdmin('GET', `/agent_capacity_policies/${theirs.id}`)).status).toBe(404);
    expect((await fx.asAdmin('DELETE', `/agent_capacity_policies/${theirs.id}`)).status).toBe(404);
    expect(
      (await fx.asAdmin('POST', `/agent_capacity_policies/${theirs.id}/users`, { user_id: fx.agent.id })).status,
    ).toBe(404);
    // another account's agent and inbox are not found from this one
    const foreignUser = await fx.asAdmin('POST', `/agent_capacity_policies/${policy.id}/users`, {
      user_id: other.agent.id,
    });
    expect(foreignUser.status).toBe(404);
    const foreignInbox = await fx.asAdmin('POST', `/agent_capacity_policies/${policy.id}/inbox_limits`, {
      inbox_id: theirInbox.id,
      conversation_limit: 1,
    });
    expect(foreignInbox.status).toBe(404);
    const theirMembership = await server()
      .db.selectFrom('account_users')
      .select('agent_capacity_policy_id')
      .where('account_id', '=', other.account.id)
      .where('user_id', '=', other.agent.id)
      .executeTakeFirstOrThrow();
    expect(theirMembership.agent_capacity_policy_id).toBeNull();
    expect(await rows('inbox_capacity_limits', fx.account.id)).toEqual([]);
    expect((await other.asAdmin('GET', `/agent_capacity_policies/${theirs.id}`)).status).toBe(200);
  });
});
