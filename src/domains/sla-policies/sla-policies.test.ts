// enterprise SlaPoliciesController: CRUD wrapped in `payload`; members list and show,
// administrators write; and a conversation's policy set once by PATCH /conversations/:id.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();

async function slaOn(fx: AccountFixture) {
  const res = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
    token: fx.platformToken,
    body: { features: { sla: true } },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.body.features.sla).toBe(true);
}

const policyCount = async (accountId: number) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from sla_policies where account_id = ${accountId}`.execute(
      server().db,
    )
  ).rows[0]!.n;

const valid = {
  sla_policy: {
    name: 'Premium',
    description: 'SLA for premium customers',
    first_response_time_threshold: 1000,
    next_response_time_threshold: 2000,
    resolution_time_threshold: 3000.5,
    only_during_business_hours: false,
  },
};

describe('SLA policies', () => {
  it('creates, lists, shows, updates and deletes in Chatwoot’s payload envelope', async () => {
    const fx = await buildAccountFixture(server());
    const created = await fx.asAdmin('POST', '/sla_policies', valid);
    expect(created.status, created.text).toBe(200);
    const id = created.body.payload.id;
    expect(created.body).toEqual({
      payload: {
        id,
        name: 'Premium',
        description: 'SLA for premium customers',
        first_response_time_threshold: 1000,
        next_response_time_threshold: 2000,
        only_during_business_hours: false,
        resolution_time_threshold: 3000.5,
      },
    });
    const list = await fx.asAgent('GET', '/sla_policies');
    expect(list.status, list.text).toBe(200);
    expect(list.body.payload.map((p: { name: string }) => p.name)).toEqual(['Premium']);
    const shown = await fx.asAgent('GET', `/sla_policies/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.payload.name).toBe('Premium');

    const updated = await fx.asAdmin('PUT', `/sla_policies/${id}`, {
      sla_policy: { name: 'Gold', next_response_time_threshold: null, only_during_business_hours: true },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.payload).toMatchObject({
      name: 'Gold',
      next_response_time_threshold: null,
      only_during_business_hours: true,
      first_response_time_threshold: 1000,
    });

    const deleted = await fx.asAdmin('DELETE', `/sla_policies/${id}`);
    expect(deleted.status).toBe(200);
    expect(await policyCount(fx.account.id)).toBe(0);
  });

  it('refuses a blank name with 422 and writes nothing', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/sla_policies', {
      sla_policy: { name: ' ', first_response_time_threshold: 60 },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body).toEqual({ message: "Name can't be blank", attributes: ['name'] });
    const bad = await fx.asAdmin('POST', '/sla_policies', {
      sla_policy: { name: 'X', resolution_time_threshold: 'soon' },
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(await policyCount(fx.account.id)).toBe(0);
  });

  it('lets agents read but not write (401), refuses without a token, and hides other accounts’ policies', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = (await other.asAdmin('POST', '/sla_policies', valid)).body.payload.id;
    const mine = (await fx.asAdmin('POST', '/sla_policies', valid)).body.payload.id;

    const create = await fx.asAgent('POST', '/sla_policies', valid);
    expect(create.status).toBe(401);
    expect(create.body).toEqual({ error: 'You are not authorized to do this action' });
    expect((await fx.asAgent('PATCH', `/sla_policies/${mine}`, { sla_policy: { name: 'No' } })).status).toBe(401);
    expect((await fx.asAgent('DELETE', `/sla_policies/${mine}`)).status).toBe(401);
    expect(await policyCount(fx.account.id)).toBe(1);

    const anonymous = await server().request('GET', `/api/v1/accounts/${fx.account.id}/sla_policies`);
    expect(anonymous.status).toBe(401);

    expect((await fx.asAdmin('GET', `/sla_policies/${theirs}`)).status).toBe(404);
    expect((await fx.asAdmin('PATCH', `/sla_policies/${theirs}`, { sla_policy: { name: 'Mine' } })).status).toBe(404);
    expect((await fx.asAdmin('DELETE', `/sla_policies/${theirs}`)).status).toBe(404);
    expect((await fx.asAdmin('GET', '/sla_policies/999999999')).status).toBe(404);
    expect(await policyCount(other.account.id)).toBe(1);
  });
});

describe('a conversation’s SLA policy (PATCH /conversations/:id)', () => {
  it('sets the policy once with its applied SLA, shows the enterprise keys, and refuses a change, a removal or another account’s policy', async () => {
    const fx = await buildAccountFixture(server());
    await slaOn(fx);
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    expect(conversation.applied_sla).toEqual({});
    expect(conversation.sla_events).toEqual([]);
    const policy = (await fx.asAdmin('POST', '/sla_policies', valid)).body.payload;
    const second = (await fx.asAdmin('POST', '/sla_policies', { sla_policy: { name: 'Second' } })).body.payload;
    const theirs = (await other.asAdmin('POST', '/sla_policies', valid)).body.payload;

    const foreign = await fx.asAdmin('PATCH', `/conversations/${conversation.id}`, { sla_policy_id: theirs.id });
    expect(foreign.status, foreign.text).toBe(422);
    expect(foreign.body.message).toBe('Sla policy sla policy account mismatch');

    const set = await fx.asAdmin('PATCH', `/conversations/${conversation.id}`, { sla_policy_id: policy.id });
    expect(set.status, set.text).toBe(200);
    expect(set.body.sla_policy_id).toBe(policy.id);
    expect(set.body.applied_sla).toMatchObject({
      sla_id: policy.id,
      sla_status: 'active',
      sla_name: 'Premium',
      sla_description: 'SLA for premium customers',
      sla_first_response_time_threshold: 1000,
      sla_next_response_time_threshold: 2000,
      sla_only_during_business_hours: false,
      sla_resolution_time_threshold: 3000.5,
    });
    expect(Object.keys(set.body.applied_sla)).toEqual([
      'id',
      'sla_id',
      'sla_status',
      'created_at',
      'updated_at',
      'sla_description',
      'sla_name',
      'sla_first_response_time_threshold',
      'sla_next_response_time_threshold',
      'sla_only_during_business_hours',
      'sla_resolution_time_threshold',
    ]);

    const change = await fx.asAdmin('PATCH', `/conversations/${conversation.id}`, { sla_policy_id: second.id });
    expect(change.status).toBe(422);
    expect(change.body.message).toBe('Sla policy conversation already has a different sla');
    const removal = await fx.asAdmin('PATCH', `/conversations/${conversation.id}`, { sla_policy_id: null });
    expect(removal.status).toBe(422);
    expect(removal.body.message).toBe('Sla policy cannot remove sla policy from conversation');
    const again = await fx.asAdmin('PATCH', `/conversations/${conversation.id}`, { sla_policy_id: policy.id });
    expect(again.status).toBe(200);

    const applied = await sql<{ n: number }>`select count(*)::int as n from applied_slas where conversation_id =
      (select id from conversations where account_id = ${fx.account.id} and display_id = ${conversation.id})`.execute(
      server().db,
    );
    expect(applied.rows[0]!.n).toBe(1);
    // one activity message, from the change that took (conversations.activity.sla.added)
    const admin = (await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token })).body;
    const messages = await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`);
    const slaActivity = messages.body.payload.filter(
      (m: { message_type: number; content: string }) => m.message_type === 2 && m.content.includes('SLA'),
    );
    expect(slaActivity.map((m: { content: string; sender?: unknown }) => [m.content, m.sender])).toEqual([
      [`${admin.name} added SLA policy Premium`, undefined],
    ]);
    const shown = await fx.asAdmin('GET', `/conversations/${conversation.id}`);
    expect(shown.body.sla_policy_id).toBe(policy.id);

    // deleting the policy leaves the conversation without one (dependent: :nullify)
    expect((await fx.asAdmin('DELETE', `/sla_policies/${policy.id}`)).status).toBe(200);
    const after = await fx.asAdmin('GET', `/conversations/${conversation.id}`);
    expect(after.body.sla_policy_id).toBeNull();
    expect(after.body.applied_sla).toEqual({});
  });

  it('refuses a policy for a blocked contact’s conversation with 422 and writes nothing', async () => {
    const fx = await buildAccountFixture(server());
    await slaOn(fx);
    const inbox = await buildInbox(fx);
    const policy = (await fx.asAdmin('POST', '/sla_policies', valid)).body.payload;
    const conversation = await buildConversation(fx, inbox.id);
    // muting blocks the contact
    expect((await fx.asAdmin('POST', `/conversations/${conversation.id}/mute`)).status).toBe(200);
    const res = await fx.asAdmin('PATCH', `/conversations/${conversation.id}`, { sla_policy_id: policy.id });
    expect(res.status, res.text).toBe(422);
    expect(res.body.message).toBe('Sla policy cannot be assigned to conversations with blocked contacts');
    const rows = await sql<{ policy: number | null; applied: number }>`select c.sla_policy_id as policy,
      (select count(*)::int from applied_slas a where a.conversation_id = c.id) as applied
      from conversations c where c.account_id = ${fx.account.id} and c.display_id = ${conversation.id}`.execute(
      server().db,
    );
    expect(rows.rows[0]).toEqual({ policy: null, applied: 0 });
  });

  it('leaves the SLA keys out when the account’s sla feature is off', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    expect(conversation).not.toHaveProperty('applied_sla');
    expect(conversation).toHaveProperty('sla_policy_id', null);
  });
});
