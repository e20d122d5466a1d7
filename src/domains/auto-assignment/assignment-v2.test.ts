// Assignment V2 (account feature assignment_v2): a conversation that opens queues the inbox's
// AutoAssignment::AssignmentJob, which assigns the inbox's open unassigned conversations by its
// policy — round robin or balanced (advanced_assignment), the fair distribution limit, the agents'
// capacity policy limits — as "Automation System".
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import {
  buildAccountFixture,
  buildConversation,
  buildInbox,
  buildUser,
  type AccountFixture,
} from '../../../test/factories.js';
import { touchPresence } from '../../core/realtime/presence.js';

const server = useTestServer({ CONFAB_JOB_POLL_MS: '50' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Agent {
  id: number;
  name: string;
}

async function addAgent(fx: AccountFixture, name: string): Promise<Agent> {
  const user = await buildUser(server(), fx.platformToken, { name });
  const res = await server().request('POST', `/platform/api/v1/accounts/${fx.account.id}/account_users`, {
    token: fx.platformToken,
    body: { user_id: user.id, role: 'agent' },
  });
  expect(res.status, res.text).toBe(200);
  await touchPresence(server().db, fx.account.id, 'User', user.id);
  return { id: user.id, name };
}

/** An account with V2 (and, when asked, advanced_assignment), an inbox, and online member agents. */
async function setup(count: number, features: Record<string, boolean> = {}) {
  const fx = await buildAccountFixture(server());
  const toggled = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
    token: fx.platformToken,
    body: { features: { assignment_v2: true, ...features } },
  });
  expect(toggled.status, toggled.text).toBe(200);
  const inbox = await buildInbox(fx);
  const agents: Agent[] = [];
  for (let i = 0; i < count; i += 1) {
    const agent = await addAgent(fx, `Agent ${String.fromCharCode(65 + i)}`);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [agent.id] });
    agents.push(agent);
  }
  return { fx, inbox, agents };
}

async function policy(fx: AccountFixture, inboxId: number, fields: Record<string, unknown>) {
  const created = await fx.asAdmin('POST', '/assignment_policies', { assignment_policy: { name: 'P', ...fields } });
  expect(created.status, created.text).toBe(200);
  const linked = await fx.asAdmin('POST', `/inboxes/${inboxId}/assignment_policy`, {
    assignment_policy_id: created.body.id,
  });
  expect(linked.status, linked.text).toBe(200);
}

/** No auto-assignment run left queued or running. */
async function runsDone() {
  const until = Date.now() + 10_000;
  for (;;) {
    const { n } = (
      await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
        where task_identifier = 'auto_assignment'`.execute(server().db)
    ).rows[0]!;
    if (n === 0) return;
    if (Date.now() > until) throw new Error('auto_assignment jobs still queued');
    await sleep(50);
  }
}

const assignees = async (fx: AccountFixture, ids: number[]) => {
  const out: (number | null)[] = [];
  for (const id of ids)
    out.push(((await fx.asAdmin('GET', `/conversations/${id}`)).body.meta.assignee?.id as number | undefined) ?? null);
  return out;
};

const tally = (ids: (number | null)[]) => {
  const counts: Record<string, number> = {};
  for (const id of ids) if (id !== null) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
};

describe('Assignment V2', () => {
  it('assigns round robin in a job, as Automation System, within the fair distribution limit', async () => {
    const { fx, inbox, agents } = await setup(2);
    await policy(fx, inbox.id, { fair_distribution_limit: 2 });
    const created = [];
    for (let i = 0; i < 5; i += 1) {
      const conversation = await buildConversation(fx, inbox.id);
      // the job assigns after the answer
      expect(conversation.meta).not.toHaveProperty('assignee');
      created.push(conversation.id);
      await runsDone();
    }
    const [a, b] = agents.map((agent) => agent.id) as [number, number];
    expect(await assignees(fx, created)).toEqual([a, b, a, b, null]);
    const messages = (await fx.asAdmin('GET', `/conversations/${created[0]}/messages`)).body.payload as {
      message_type: number;
      content: string;
    }[];
    expect(messages.filter((m) => m.message_type === 2).map((m) => m.content)).toEqual([
      `Assigned to ${agents[0]!.name} by Automation System`,
    ]);
  });

  it('gives the agent with the fewest open conversations the next one when the policy is balanced', async () => {
    const { fx, inbox, agents } = await setup(2, { advanced_assignment: true });
    const [a, b] = agents as [Agent, Agent];
    // a already holds two conversations of the inbox (assigned by hand before the policy)
    await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, { enable_auto_assignment: false });
    for (let i = 0; i < 2; i += 1) await buildConversation(fx, inbox.id, { assignee_id: a.id });
    await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, { enable_auto_assignment: true });
    await policy(fx, inbox.id, { assignment_order: 'balanced' });
    const created = [];
    for (let i = 0; i < 4; i += 1) {
      created.push((await buildConversation(fx, inbox.id)).id);
      await runsDone();
    }
    // b until level, then alternating by the queue
    const got = await assignees(fx, created);
    expect(got.slice(0, 2)).toEqual([b.id, b.id]);
    expect(tally(got)).toEqual({ [a.id]: 1, [b.id]: 3 });
  });

  it("never puts an agent over the capacity policy's inbox limit, even with conversations created at once", async () => {
    const { fx, inbox, agents } = await setup(2, { advanced_assignment: true });
    await policy(fx, inbox.id, {});
    const capacity = (await fx.asAdmin('POST', '/agent_capacity_policies', { name: 'Two each' })).body;
    for (const agent of agents)
      await fx.asAdmin('POST', `/agent_capacity_policies/${capacity.id}/users`, { user_id: agent.id });
    await fx.asAdmin('POST', `/agent_capacity_policies/${capacity.id}/inbox_limits`, {
      inbox_id: inbox.id,
      conversation_limit: 2,
    });
    const created = await Promise.all(Array.from({ length: 8 }, () => buildConversation(fx, inbox.id)));
    await runsDone();
    const got = await assignees(
      fx,
      created.map((c) => c.id),
    );
    expect(tally(got)).toEqual(Object.fromEntries(agents.map((agent) => [agent.id, 2])));

    // resolving one frees capacity: the inbox's run gives a waiting conversation to that agent
    const held = created.find((_, index) => got[index] === agents[0]!.id)!;
    const resolved = await fx.asAdmin('POST', `/conversations/${held.id}/toggle_status`, { status: 'resolved' });
    expect(resolved.status).toBe(200);
    await runsDone();
    const after = await assignees(
      fx,
      created.map((c) => c.id),
    );
    expect(after.filter((id) => id === agents[0]!.id)).toHaveLength(3);
  });

  it('assigns what waited for an agent on the periodic run of inboxes with a policy', async () => {
    const { fx, inbox, agents } = await setup(1);
    await policy(fx, inbox.id, {});
    await server()
      .db.deleteFrom('presence')
      .where('account_id', '=', fx.account.id)
      .where('entity_id', '=', agents[0]!.id)
      .execute();
    const waiting = await buildConversation(fx, inbox.id);
    await runsDone();
    expect(await assignees(fx, [waiting.id])).toEqual([null]);
    await touchPresence(server().db, fx.account.id, 'User', agents[0]!.id);
    // the crontab's tick (every 30 minutes), queued by hand
    await sql`select graphile_worker.add_job('auto_assignment_periodic', '{}'::json)`.execute(server().db);
    const until = Date.now() + 10_000;
    while ((await assignees(fx, [waiting.id]))[0] === null && Date.now() < until) await sleep(100);
    expect(await assignees(fx, [waiting.id])).toEqual([agents[0]!.id]);
  });

  it('leaves offline agents and inboxes without auto-assignment alone', async () => {
    const { fx, inbox, agents } = await setup(1);
    await server()
      .db.deleteFrom('presence')
      .where('account_id', '=', fx.account.id)
      .where('entity_id', '=', agents[0]!.id)
      .execute();
    const first = await buildConversation(fx, inbox.id);
    await runsDone();
    expect(await assignees(fx, [first.id])).toEqual([null]);

    await touchPresence(server().db, fx.account.id, 'User', agents[0]!.id);
    await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, { enable_auto_assignment: false });
    const second = await buildConversation(fx, inbox.id);
    await runsDone();
    expect(await assignees(fx, [first.id, second.id])).toEqual([null, null]);
  });

  it('serves the policy routes with assignment_v2 and advanced_assignment off, as Chatwoot (no controller checks them), and assigns by the legacy round robin then', async () => {
    const fx = await buildAccountFixture(server());
    const off = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
      token: fx.platformToken,
      body: { features: { assignment_v2: false, advanced_assignment: false } },
    });
    expect(off.status, off.text).toBe(200);
    const inbox = await buildInbox(fx);
    const agent = await addAgent(fx, 'Agent A');
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [agent.id] });
    await policy(fx, inbox.id, { assignment_order: 'balanced', fair_distribution_limit: 1 });
    const capacity = await fx.asAdmin('POST', '/agent_capacity_policies', { name: 'None' });
    expect(capacity.status, capacity.text).toBe(200);
    const limit = await fx.asAdmin('POST', `/agent_capacity_policies/${capacity.body.id}/inbox_limits`, {
      inbox_id: inbox.id,
      conversation_limit: 1,
    });
    expect(limit.status, limit.text).toBe(200);
    const user = await fx.asAdmin('POST', `/agent_capacity_policies/${capacity.body.id}/users`, { user_id: agent.id });
    expect(user.status, user.text).toBe(200);
    // neither the policy's fair distribution limit nor the capacity limit applies: legacy round robin, in the request
    const first = await buildConversation(fx, inbox.id);
    const second = await buildConversation(fx, inbox.id);
    expect(await assignees(fx, [first.id, second.id])).toEqual([agent.id, agent.id]);
    const { n } = (
      await sql<{ n: number }>`select count(*)::int as n from auto_assignments where inbox_id = ${inbox.id}`.execute(
        server().db,
      )
    ).rows[0]!;
    expect(n).toBe(0);
  });

  it("is performed by the inbox's policy, not by a rule: conversation_updated rules see the assignment", async () => {
    const { fx, inbox, agents } = await setup(1);
    await policy(fx, inbox.id, {});
    expect((await fx.asAdmin('POST', '/labels', { title: 'auto-assigned' })).status).toBe(200);
    const rule = await fx.asAdmin('POST', '/automation_rules', {
      name: 'Tag assigned conversations',
      event_name: 'conversation_updated',
      conditions: [{ attribute_key: 'assignee_id', filter_operator: 'is_present', values: [], query_operator: null }],
      actions: [{ action_name: 'add_label', action_params: ['auto-assigned'] }],
    });
    expect(rule.status, rule.text).toBe(200);
    const conversation = await buildConversation(fx, inbox.id);
    await runsDone();
    expect(await assignees(fx, [conversation.id])).toEqual([agents[0]!.id]);
    // Chatwoot's performed_by is the policy (Current.executed_by), which performed_by_automation? lets through
    const until = Date.now() + 10_000;
    let labels: string[] = [];
    while (Date.now() < until) {
      labels = (await fx.asAdmin('GET', `/conversations/${conversation.id}/labels`)).body.payload;
      if (labels.length) break;
      await sleep(50);
    }
    expect(labels, JSON.stringify((await fx.asAdmin('GET', `/automation_rules/${rule.body.id}/runs`)).body)).toEqual([
      'auto-assigned',
    ]);
    const activities = (
      (await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`)).body.payload as {
        message_type: number;
        content: string;
      }[]
    )
      .filter((m) => m.message_type === 2)
      .map((m) => m.content);
    expect(activities).toEqual([
      `Assigned to ${agents[0]!.name} by Automation System`,
      'Automation System added auto-assigned',
    ]);
  });
});
