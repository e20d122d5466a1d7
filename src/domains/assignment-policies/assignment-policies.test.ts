// Assignment V2 policies: AssignmentPoliciesController, AssignmentPolicies::InboxesController and
// Inboxes::AssignmentPoliciesController (administrators only; bare-array index; epoch timestamps).
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../../test/factories.js';

const server = useTestServer();

const POLICY_KEYS = [
  'id',
  'name',
  'description',
  'assignment_order',
  'conversation_priority',
  'fair_distribution_limit',
  'fair_distribution_window',
  'enabled',
  'assigned_inbox_count',
  'created_at',
  'updated_at',
];

const policyCount = async (accountId: number) =>
  (
    await server()
      .db.selectFrom('assignment_policies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow()
  ).n;

describe('assignment policies', () => {
  it('creates, lists, shows, updates and deletes a policy with Chatwoot defaults', async () => {
    const fx = await buildAccountFixture(server());
    const created = await fx.asAdmin('POST', '/assignment_policies', {
      assignment_policy: { name: 'Fair', description: 'Spread the load' },
    });
    expect(created.status, created.text).toBe(200);
    expect(Object.keys(created.body)).toEqual(POLICY_KEYS);
    expect(created.body).toMatchObject({
      name: 'Fair',
      description: 'Spread the load',
      assignment_order: 'round_robin',
      conversation_priority: 'earliest_created',
      fair_distribution_limit: 100,
      fair_distribution_window: 3600,
      enabled: true,
      assigned_inbox_count: 0,
    });
    expect(typeof created.body.created_at).toBe('number');

    const list = await fx.asAdmin('GET', '/assignment_policies');
    expect(list.status).toBe(200);
    expect(list.body.map((p: { id: number }) => p.id)).toEqual([created.body.id]);

    const updated = await fx.asAdmin('PATCH', `/assignment_policies/${created.body.id}`, {
      assignment_policy: {
        assignment_order: 'balanced',
        conversation_priority: 'longest_waiting',
        fair_distribution_limit: '5',
        fair_distribution_window: 60,
        enabled: false,
      },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Fair',
      assignment_order: 'balanced',
      conversation_priority: 'longest_waiting',
      fair_distribution_limit: 5,
      fair_distribution_window: 60,
      enabled: false,
    });
    expect((await fx.asAdmin('GET', `/assignment_policies/${created.body.id}`)).body).toEqual(updated.body);

    const removed = await fx.asAdmin('DELETE', `/assignment_policies/${created.body.id}`);
    expect(removed.status).toBe(200);
    expect((await fx.asAdmin('GET', `/assignment_policies/${created.body.id}`)).status).toBe(404);
  });

  it('refuses bad input with 422 and writes nothing', async () => {
    const fx = await buildAccountFixture(server());
    const blank = await fx.asAdmin('POST', '/assignment_policies', { assignment_policy: { name: '' } });
    expect(blank.status).toBe(422);
    expect(blank.body).toEqual({ message: "Name can't be blank", attributes: ['name'] });
    const limit = await fx.asAdmin('POST', '/assignment_policies', {
      assignment_policy: { name: 'X', fair_distribution_limit: 0, fair_distribution_window: 'soon' },
    });
    expect(limit.status).toBe(422);
    expect(limit.body.message).toBe(
      'Fair distribution limit must be greater than 0, Fair distribution window is not a number',
    );
    const order = await fx.asAdmin('POST', '/assignment_policies', {
      assignment_policy: { name: 'X', assignment_order: 'random' },
    });
    expect(order.status).toBe(422);
    expect(order.body).toEqual({ error: "'random' is not a valid assignment_order" });
    const long = await fx.asAdmin('POST', '/assignment_policies', { assignment_policy: { name: 'x'.repeat(256) } });
    expect(long.status, long.text).toBe(422);
    expect(await policyCount(fx.account.id)).toBe(0);

    expect((await fx.asAdmin('POST', '/assignment_policies', { name: 'Same' })).status).toBe(200);
    const taken = await fx.asAdmin('POST', '/assignment_policies', { name: 'Same' });
    expect(taken.status).toBe(422);
    expect(taken.body).toEqual({ message: 'Name has already been taken', attributes: ['name'] });
    expect(await policyCount(fx.account.id)).toBe(1);
  });

  it('links inboxes to a policy, one policy per inbox, from both sides', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const [a, b] = await Promise.all(
      ['A', 'B'].map(async (name) => (await fx.asAdmin('POST', '/assignment_policies', { name })).body),
    );
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}/assignment_policy`)).body).toEqual({
      error: 'Assignment policy not found',
    });

    const linked = await fx.asAdmin('POST', `/assignment_policies/${a.id}/inboxes`, { inbox_id: inbox.id });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.body).toMatchObject({ inbox_id: inbox.id, assignment_policy_id: a.id });
    const inboxes = await fx.asAdmin('GET', `/assignment_policies/${a.id}/inboxes`);
    expect(inboxes.status).toBe(200);
    expect(inboxes.body.inboxes.map((i: { id: number }) => i.id)).toEqual([inbox.id]);
    expect(inboxes.body.inboxes[0]).toHaveProperty('enable_auto_assignment', true);
    expect((await fx.asAdmin('GET', `/assignment_policies/${a.id}`)).body.assigned_inbox_count).toBe(1);

    // the inbox's side replaces the link
    const replaced = await fx.asAdmin('POST', `/inboxes/${inbox.id}/assignment_policy`, { assignment_policy_id: b.id });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body).toMatchObject({ id: b.id, assigned_inbox_count: 1 });
    expect((await fx.asAdmin('GET', `/assignment_policies/${a.id}/inboxes`)).body.inboxes).toEqual([]);
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}/assignment_policy`)).body.id).toBe(b.id);

    expect((await fx.asAdmin('DELETE', `/inboxes/${inbox.id}/assignment_policy`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}/assignment_policy`)).status).toBe(404);
    expect((await fx.asAdmin('DELETE', `/inboxes/${inbox.id}/assignment_policy`)).status).toBe(404);

    await fx.asAdmin('POST', `/assignment_policies/${a.id}/inboxes`, { inbox_id: inbox.id });
    expect((await fx.asAdmin('DELETE', `/assignment_policies/${a.id}/inboxes/${inbox.id}`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/assignment_policies/${a.id}/inboxes`)).body.inboxes).toEqual([]);
  });

  it('is for administrators only, needs a token, and keeps to its account', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const policy = (await fx.asAdmin('POST', '/assignment_policies', { name: 'Mine' })).body;
    const inbox = await buildInbox(fx);
    const theirInbox = await buildInbox(other);
    const theirPolicy = (await other.asAdmin('POST', '/assignment_policies', { name: 'Theirs' })).body;

    for (const [method, path] of [
      ['GET', '/assignment_policies'],
      ['POST', '/assignment_policies'],
      ['GET', `/assignment_policies/${policy.id}`],
      ['PATCH', `/assignment_policies/${policy.id}`],
      ['DELETE', `/assignment_policies/${policy.id}`],
      ['GET', `/assignment_policies/${policy.id}/inboxes`],
      ['GET', `/inboxes/${inbox.id}/assignment_policy`],
      ['POST', `/inboxes/${inbox.id}/assignment_policy`],
    ] as const) {
      const body = method === 'GET' ? undefined : { name: 'Agent policy', assignment_policy_id: policy.id };
      const res = await fx.asAgent(method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(401);
    }
    const anonymous = await server().request('GET', `/api/v1/accounts/${fx.account.id}/assignment_policies`);
    expect(anonymous.status).toBe(401);

    expect((await fx.asAdmin('GET', `/assignment_policies/${theirPolicy.id}`)).status).toBe(404);
    expect((await fx.asAdmin('PATCH', `/assignment_policies/${theirPolicy.id}`, { name: 'Stolen' })).status).toBe(404);
    expect((await fx.asAdmin('DELETE', `/assignment_policies/${theirPolicy.id}`)).status).toBe(404);
    const foreignInbox = await fx.asAdmin('POST', `/assignment_policies/${policy.id}/inboxes`, {
      inbox_id: theirInbox.id,
    });
    expect(foreignInbox.status).toBe(404);
    const foreignPolicy = await fx.asAdmin('POST', `/inboxes/${inbox.id}/assignment_policy`, {
      assignment_policy_id: theirPolicy.id,
    });
    expect(foreignPolicy.status).toBe(404);
    expect((await fx.asAdmin('GET', '/assignment_policies')).body.map((p: { id: number }) => p.id)).toEqual([
      policy.id,
    ]);
    expect((await other.asAdmin('GET', `/assignment_policies/${theirPolicy.id}`)).body.name).toBe('Theirs');
    const links = await server().db.selectFrom('inbox_assignment_policies').selectAll().execute();
    expect(links.filter((l) => l.inbox_id === theirInbox.id || l.assignment_policy_id === theirPolicy.id)).toEqual([]);
  });
});
