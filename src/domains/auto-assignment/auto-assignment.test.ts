// Legacy auto-assignment (AutoAssignmentHandler + AutoAssignment::AgentAssignmentService +
// InboxRoundRobinService, enterprise max_assignment_limit): a conversation that opens unassigned in
// an inbox with enable_auto_assignment goes, in the same transaction, to the next online member.
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import {
  buildAccountFixture,
  buildConversation,
  buildInbox,
  buildUser,
  type AccountFixture,
} from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';
import { startReceiver } from '../../../test/webhook-receiver.js';
import { touchPresence } from '../../core/realtime/presence.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
afterAll(() => receiver.close());

interface Agent {
  id: number;
  name: string;
  access_token: string;
}

/** A new agent of the fixture's account. */
async function addAgent(fx: AccountFixture, name: string): Promise<Agent> {
  const user = await buildUser(server(), fx.platformToken, { name });
  const res = await server().request('POST', `/platform/api/v1/accounts/${fx.account.id}/account_users`, {
    token: fx.platformToken,
    body: { user_id: user.id, role: 'agent' },
  });
  expect(res.status, res.text).toBe(200);
  return { id: user.id, name, access_token: user.access_token };
}

/** Seen on /cable just now (OnlineStatusTracker's presence). */
const online = (fx: AccountFixture, ...agents: Agent[]) =>
  Promise.all(agents.map((agent) => touchPresence(server().db, fx.account.id, 'User', agent.id)));

async function members(fx: AccountFixture, inboxId: number, agents: Agent[]) {
  for (const agent of agents) {
    // one at a time: the queue's order is the order they joined
    const res = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inboxId, user_ids: [agent.id] });
    expect(res.status, res.text).toBe(200);
  }
}

/** A conversation created by the administrator (the Application API answer, assignee included). */
const newConversation = async (fx: AccountFixture, inboxId: number, body: Record<string, unknown> = {}) =>
  (await buildConversation(fx, inboxId, body)) as unknown as { id: number; meta: { assignee?: { id: number } } };

const activities = async (fx: AccountFixture, id: number) =>
  (
    (await fx.asAdmin('GET', `/conversations/${id}/messages`)).body.payload as {
      message_type: number;
      content: string;
    }[]
  )
    .filter((m) => m.message_type === 2)
    .map((m) => m.content);

const assigneeOf = async (fx: AccountFixture, id: number) =>
  ((await fx.asAdmin('GET', `/conversations/${id}`)).body.meta.assignee?.id as number | undefined) ?? null;

async function setup(count = 3, inboxBody: Record<string, unknown> = {}) {
  const fx = await buildAccountFixture(server());
  const inbox = await buildInbox(fx, inboxBody);
  const agents: Agent[] = [];
  for (let i = 0; i < count; i += 1) agents.push(await addAgent(fx, `Agent ${String.fromCharCode(65 + i)}`));
  await members(fx, inbox.id, agents);
  const admin = (await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token })).body as {
    name: string;
  };
  return { fx, inbox, agents, adminName: admin.name };
}

describe('auto-assignment (legacy round robin)', () => {
  it('assigns new conversations round robin over the online members, in the create answer, with the activity of the creator', async () => {
    const { fx, inbox, agents, adminName } = await setup(3);
    await online(fx, ...agents);
    const order: (number | null)[] = [];
    for (let i = 0; i < 6; i += 1) {
      const created = await newConversation(fx, inbox.id);
      expect(created.meta.assignee?.id, JSON.stringify(created.meta)).toBeDefined();
      order.push(created.meta.assignee!.id);
      if (i === 0) expect(await activities(fx, created.id)).toEqual([`Assigned to ${agents[0]!.name} by ${adminName}`]);
    }
    const [a, b, c] = agents.map((agent) => agent.id);
    expect(order).toEqual([a, b, c, a, b, c]);

    // a new member joins at the head of the queue (Chatwoot's lpush): the others come first
    const d = await addAgent(fx, 'Agent D');
    await members(fx, inbox.id, [d]);
    await online(fx, d);
    const next: (number | undefined)[] = [];
    for (let i = 0; i < 4; i += 1) next.push((await newConversation(fx, inbox.id)).meta.assignee?.id);
    expect(next).toEqual([a, b, c, d.id]);
  });

  it('skips offline and busy members, and members who left the inbox', async () => {
    const { fx, inbox, agents } = await setup(3);
    const [a, b, c] = agents as [Agent, Agent, Agent];
    // b never connected (auto_offline on, no presence); c is online but busy
    await online(fx, a, c);
    await server().db.updateTable('account_users').set({ availability: 2 }).where('user_id', '=', c.id).execute();
    for (let i = 0; i < 3; i += 1) expect((await newConversation(fx, inbox.id)).meta.assignee?.id).toBe(a.id);

    // b turns auto_offline off: always available while online (OnlineStatusTracker adds them)
    await server().db.updateTable('account_users').set({ auto_offline: false }).where('user_id', '=', b.id).execute();
    expect((await newConversation(fx, inbox.id)).meta.assignee?.id).toBe(b.id);

    const removed = await fx.asAdmin('DELETE', '/inbox_members', { inbox_id: inbox.id, user_ids: [b.id] });
    expect(removed.status, removed.text).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await newConversation(fx, inbox.id)).meta.assignee?.id).toBe(a.id);
  });

  it('respects max_assignment_limit, and a reopened conversation is assigned once capacity frees', async () => {
    const { fx, inbox, agents } = await setup(2, { auto_assignment_config: { max_assignment_limit: 1 } });
    await online(fx, ...agents);
    const first = await newConversation(fx, inbox.id);
    const second = await newConversation(fx, inbox.id);
    const third = await newConversation(fx, inbox.id);
    expect([first.meta.assignee?.id, second.meta.assignee?.id].sort()).toEqual(agents.map((a) => a.id).sort());
    expect(third.meta.assignee).toBeUndefined();

    // resolving frees a place; the third is still unassigned until it opens again
    expect((await fx.asAdmin('POST', `/conversations/${first.id}/toggle_status`, { status: 'resolved' })).status).toBe(
      200,
    );
    expect(await assigneeOf(fx, third.id)).toBeNull();
    expect((await fx.asAdmin('POST', `/conversations/${third.id}/toggle_status`, { status: 'resolved' })).status).toBe(
      200,
    );
    const reopened = await fx.asAdmin('POST', `/conversations/${third.id}/toggle_status`, { status: 'open' });
    expect(reopened.status, reopened.text).toBe(200);
    expect(await assigneeOf(fx, third.id)).toBe(first.meta.assignee!.id);
  });

  it('never exceeds the limit when conversations are created at once', async () => {
    const { fx, inbox, agents } = await setup(2, { auto_assignment_config: { max_assignment_limit: 2 } });
    await online(fx, ...agents);
    const created = await Promise.all(Array.from({ length: 10 }, () => newConversation(fx, inbox.id)));
    const counts = new Map<number, number>();
    for (const conversation of created) {
      const id = await assigneeOf(fx, conversation.id);
      if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(agents.map((a) => [a.id, 2])));
  });

  it("assigns a contact's new conversation and a contact's message reopening one, without an activity message", async () => {
    const { fx, inbox, agents } = await setup(1);
    await online(fx, ...agents);
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: `${receiver.url}/auto-${fx.account.id}`, subscriptions: ['conversation_created'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Zoe' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    expect(await assigneeOf(fx, conversation.id)).toBe(agents[0]!.id);
    expect(await activities(fx, conversation.id)).toEqual([]);
    // conversation_created is delivered with the assignee (Chatwoot's after-commit payload)
    const path = `/auto-${fx.account.id}`;
    const delivered = (await receiver.waitFor((all) => all.some((r) => r.path === path))).find((r) => r.path === path)!;
    expect(delivered.body.meta.assignee?.id, delivered.raw).toBe(agents[0]!.id);
    // the assignee is notified, as of any assignment
    const notifications = await server().request('GET', `/api/v1/accounts/${fx.account.id}/notifications`, {
      token: agents[0]!.access_token,
    });
    expect(notifications.body.data.payload.map((n: { notification_type: string }) => n.notification_type)).toContain(
      'conversation_assignment',
    );

    // unassigned and resolved; the contact writes again and it opens, assigned
    await fx.asAdmin('POST', `/conversations/${conversation.id}/assignments`, { assignee_id: null });
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
    expect(await assigneeOf(fx, conversation.id)).toBeNull();
    await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'again' });
    const shown = (await fx.asAdmin('GET', `/conversations/${conversation.id}`)).body;
    expect(shown.status).toBe('open');
    expect(shown.meta.assignee?.id).toBe(agents[0]!.id);
  });

  it('replaces an assignee who is no longer a member of the inbox when the conversation opens again', async () => {
    const { fx, inbox, agents } = await setup(2);
    const [a, b] = agents as [Agent, Agent];
    await online(fx, a, b);
    const conversation = await newConversation(fx, inbox.id, { assignee_id: a.id });
    expect(conversation.meta.assignee?.id).toBe(a.id);
    await fx.asAdmin('DELETE', '/inbox_members', { inbox_id: inbox.id, user_ids: [a.id] });
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
    expect(await assigneeOf(fx, conversation.id)).toBe(a.id);
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'open' });
    expect(await assigneeOf(fx, conversation.id)).toBe(b.id);
  });

  it('gives a conversation moved to a team that allows it to an online member of the team, in the team activity', async () => {
    const { fx, inbox, agents, adminName } = await setup(2, { enable_auto_assignment: false });
    const [a, b] = agents as [Agent, Agent];
    await online(fx, a, b);
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Billing', allow_auto_assign: true })).body;
    await fx.asAdmin('POST', `/teams/${team.id}/team_members`, { user_ids: [b.id] });
    const conversation = await newConversation(fx, inbox.id);
    expect(conversation.meta.assignee).toBeUndefined();
    const moved = await fx.asAdmin('POST', `/conversations/${conversation.id}/assignments`, { team_id: team.id });
    expect(moved.status, moved.text).toBe(200);
    expect(await assigneeOf(fx, conversation.id)).toBe(b.id);
    expect(await activities(fx, conversation.id)).toEqual([`Assigned to ${b.name} via billing by ${adminName}`]);

    const quiet = (await fx.asAdmin('POST', '/teams', { name: 'Quiet', allow_auto_assign: false })).body;
    await fx.asAdmin('POST', `/teams/${quiet.id}/team_members`, { user_ids: [a.id] });
    const other = await newConversation(fx, inbox.id);
    await fx.asAdmin('POST', `/conversations/${other.id}/assignments`, { team_id: quiet.id });
    expect(await assigneeOf(fx, other.id)).toBeNull();
  });

  it('leaves inboxes without auto-assignment, assigned conversations and teams that do not allow it alone', async () => {
    const { fx, inbox, agents } = await setup(2, { enable_auto_assignment: false });
    await online(fx, ...agents);
    expect((await newConversation(fx, inbox.id)).meta.assignee).toBeUndefined();

    const other = await buildInbox(fx);
    await members(fx, other.id, agents);
    const chosen = await newConversation(fx, other.id, { assignee_id: agents[1]!.id });
    expect(chosen.meta.assignee!.id).toBe(agents[1]!.id);

    const closed = (await fx.asAdmin('POST', '/teams', { name: 'Closed', allow_auto_assign: false })).body;
    expect((await newConversation(fx, other.id, { team_id: closed.id })).meta.assignee).toBeUndefined();
    const open = (await fx.asAdmin('POST', '/teams', { name: 'Open', allow_auto_assign: true })).body;
    await fx.asAdmin('POST', `/teams/${open.id}/team_members`, { user_ids: [agents[1]!.id] });
    for (let i = 0; i < 2; i += 1)
      expect((await newConversation(fx, other.id, { team_id: open.id })).meta.assignee?.id).toBe(agents[1]!.id);
  });

  it('applies the team sent with a new conversation: its member keeps it, an outsider is dropped, and a team that allows it assigns even when the inbox does not', async () => {
    const { fx, inbox, agents, adminName } = await setup(2, { enable_auto_assignment: false });
    const [a, b] = agents as [Agent, Agent];
    await online(fx, a, b);
    const billing = (await fx.asAdmin('POST', '/teams', { name: 'Billing', allow_auto_assign: true })).body;
    await fx.asAdmin('POST', `/teams/${billing.id}/team_members`, { user_ids: [b.id] });
    const quiet = (await fx.asAdmin('POST', '/teams', { name: 'Quiet', allow_auto_assign: false })).body;
    await fx.asAdmin('POST', `/teams/${quiet.id}/team_members`, { user_ids: [b.id] });

    // find_assignee_from_team: the team's online member, in the create answer and the team activity
    const picked = await newConversation(fx, inbox.id, { team_id: billing.id });
    expect(picked.meta.assignee?.id).toBe(b.id);
    expect(await activities(fx, picked.id)).toEqual([`Assigned to ${b.name} via billing by ${adminName}`]);

    // validate_current_assignee_team: an assignee outside the team is dropped, then the team assigns
    const outsider = await newConversation(fx, inbox.id, { team_id: billing.id, assignee_id: a.id });
    expect(outsider.meta.assignee?.id).toBe(b.id);

    // the team's member stays
    const member = await newConversation(fx, inbox.id, { team_id: quiet.id, assignee_id: b.id });
    expect(member.meta.assignee?.id).toBe(b.id);
    expect(await activities(fx, member.id)).toEqual([`Assigned to ${b.name} via quiet by ${adminName}`]);

    // a team that does not allow auto-assignment leaves it unassigned
    const dropped = await newConversation(fx, inbox.id, { team_id: quiet.id, assignee_id: a.id });
    expect(dropped.meta.assignee).toBeUndefined();
    expect(await activities(fx, dropped.id)).toEqual([`Assigned to quiet by ${adminName}`]);
    const shown = (await fx.asAdmin('GET', `/conversations/${dropped.id}`)).body;
    expect(shown.meta.team).toMatchObject({ id: quiet.id });
  });
});
