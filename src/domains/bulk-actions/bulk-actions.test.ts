// POST /api/v1/accounts/:account_id/bulk_actions (BulkActionsController, BulkActionsJob,
// Contacts::BulkActionService): 200 with an empty body, then a durable job applies the change.
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { startReceiver } from '../../../test/webhook-receiver.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
afterAll(() => receiver.close());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` passes (the job runs after the answer). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

const show = async (fx: AccountFixture, id: number) => (await fx.asAdmin('GET', `/conversations/${id}`)).body;
const activities = async (fx: AccountFixture, id: number) =>
  (
    (await fx.asAdmin('GET', `/conversations/${id}/messages`)).body.payload as {
      message_type: number;
      content: string;
    }[]
  )
    .filter((m) => m.message_type === 2)
    .map((m) => m.content);
/** No bulk action left queued or running: whatever one was going to do is done. */
const jobsDone = async () => {
  await eventually(
    async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'bulk_actions'`.execute(
          server().db,
        )
      ).rows[0]!.n,
    (n) => n === 0,
  );
};

describe('bulk actions on conversations', () => {
  it('changes status, assignee, team and labels like the single routes, with activity and webhooks', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: `${receiver.url}/bulk-${fx.account.id}`, subscriptions: ['conversation_status_changed'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Billing' })).body;
    expect((await fx.asAdmin('POST', `/teams/${team.id}/team_members`, { user_ids: [fx.agent.id] })).status).toBe(200);
    const a = await buildConversation(fx, inbox.id);
    const b = await buildConversation(fx, inbox.id);
    const untouched = await buildConversation(fx, inbox.id);
    expect((await fx.asAdmin('POST', `/conversations/${a.id}/labels`, { labels: ['old', 'keep'] })).status).toBe(200);

    const res = await fx.asAdmin('POST', '/bulk_actions', {
      type: 'Conversation',
      ids: [a.id, b.id],
      fields: { status: 'resolved', assignee_id: fx.agent.id, team_id: team.id },
      labels: { add: ['VIP', 'billing'], remove: ['old'] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('');

    const done = await eventually(
      () => show(fx, b.id),
      (c) => c.status === 'resolved',
    );
    expect(done.meta.assignee?.id).toBe(fx.agent.id);
    expect(done.meta.team?.id ?? done.team_id).toBe(team.id);
    const first = await eventually(
      () => show(fx, a.id),
      (c) => c.status === 'resolved',
    );
    expect([...first.labels].sort()).toEqual(['billing', 'keep', 'vip']);
    expect([...done.labels].sort()).toEqual(['billing', 'vip']);
    expect((await show(fx, untouched.id)).status).toBe('open');

    const adminName = (await fx.asAdmin('GET', '/agents')).body.find((u: { id: number }) => u.id === fx.admin.id).name;
    const log = await activities(fx, a.id);
    expect(log).toEqual(
      expect.arrayContaining([
        `${adminName} added vip, billing`,
        `${adminName} removed old`,
        expect.stringMatching(new RegExp(`^Assigned to .+ by ${adminName}$`)),
        `Assigned to billing by ${adminName}`,
        `Conversation was marked resolved by ${adminName}`,
      ]),
    );
    const hooks = await receiver.waitFor((all) => all.filter((r) => r.path === `/bulk-${fx.account.id}`).length >= 2);
    const bodies = hooks.filter((r) => r.path === `/bulk-${fx.account.id}`).map((r) => r.body);
    expect(bodies.map((body) => body.id).sort()).toEqual([a.id, b.id].sort());
    expect(bodies.every((body) => body.event === 'conversation_status_changed' && body.status === 'resolved')).toBe(
      true,
    );
  });

  it('snoozes until a time, unassigns with a null assignee and removes the team with 0', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Sales' })).body;
    const c = await buildConversation(fx, inbox.id, { assignee_id: fx.admin.id, team_id: team.id });
    const until = Math.floor(Date.now() / 1000) + 3600;
    const res = await fx.asAdmin('POST', '/bulk_actions', {
      type: 'conversation',
      ids: [String(c.id)],
      fields: { status: 'snoozed', assignee_id: null, team_id: 0 },
      snoozed_until: until,
    });
    expect(res.status, res.text).toBe(200);
    const after = await eventually(
      () => show(fx, c.id),
      (x) => x.status === 'snoozed',
    );
    expect(after.snoozed_until).toBe(new Date(until * 1000).toISOString());
    expect(after.meta.assignee ?? null).toBeNull();
    expect(after.meta.team ?? null).toBeNull();
  });

  it('refuses bad input with Chatwoot bodies and queues nothing', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const theirTeam = (await other.asAdmin('POST', '/teams', { name: 'Theirs' })).body;
    const cases: [unknown, number, unknown][] = [
      [{ type: 'Message', ids: [c.id] }, 422, { success: false }],
      [{ ids: [c.id] }, 422, { success: false }],
      [
        { type: 'Conversation', ids: [c.id], fields: { assignee_id: other.admin.id } },
        422,
        { error: 'Invalid assignee_id' },
      ],
      [{ type: 'Conversation', ids: [c.id], fields: { assignee_id: 'abc' } }, 422, { error: 'Invalid assignee_id' }],
      [{ type: 'Conversation', ids: [c.id], fields: { team_id: theirTeam.id } }, 422, { error: 'Invalid team_id' }],
      [
        { type: 'Conversation', ids: [c.id], fields: { status: 'closed' } },
        422,
        { error: "'closed' is not a valid status" },
      ],
    ];
    for (const [body, status, expected] of cases) {
      const res = await fx.asAdmin('POST', '/bulk_actions', body);
      expect(res.status, `${JSON.stringify(body)} → ${res.text}`).toBe(status);
      expect(res.body).toEqual(expected);
    }
    const tooMany = await fx.asAdmin('POST', '/bulk_actions', { type: 'Conversation', ids: Array(5001).fill(1) });
    expect(tooMany.status).toBeGreaterThanOrEqual(400);
    expect(tooMany.status).toBeLessThan(500);
    const longLabel = await fx.asAdmin('POST', '/bulk_actions', {
      type: 'Conversation',
      ids: [c.id],
      labels: { add: ['x'.repeat(300)] },
    });
    expect(longLabel.status).toBe(422);
    await jobsDone();
    expect((await show(fx, c.id)).status).toBe('open');
    expect(await activities(fx, c.id)).toEqual([]);
  });

  it("never touches another account's conversations, and refuses strangers", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const mine = await buildConversation(fx, (await buildInbox(fx)).id);
    const theirs = await buildConversation(other, (await buildInbox(other)).id);
    // the same display id exists in both accounts: only the caller's account's is changed
    expect(theirs.id).toBe(mine.id);
    const res = await fx.asAdmin('POST', '/bulk_actions', {
      type: 'Conversation',
      ids: [mine.id],
      fields: { status: 'pending' },
      labels: { add: ['mine'] },
    });
    expect(res.status).toBe(200);
    await eventually(
      () => show(fx, mine.id),
      (c) => c.status === 'pending',
    );
    await jobsDone();
    const theirsNow = (await other.asAdmin('GET', `/conversations/${theirs.id}`)).body;
    expect(theirsNow.status).toBe('open');
    expect(theirsNow.labels).toEqual([]);

    // a member of another account cannot act here at all
    const stranger = await server().request('POST', `/api/v1/accounts/${fx.account.id}/bulk_actions`, {
      token: other.admin.access_token,
      body: { type: 'Conversation', ids: [mine.id], fields: { status: 'resolved' } },
    });
    expect(stranger.status).toBe(401);
    const anonymous = await server().request('POST', `/api/v1/accounts/${fx.account.id}/bulk_actions`, {
      body: { type: 'Conversation', ids: [mine.id], fields: { status: 'resolved' } },
    });
    expect(anonymous.status).toBe(401);
    await jobsDone();
    expect((await show(fx, mine.id)).status).toBe('pending');
  });

  it("skips the conversations an agent cannot see and changes the agent's own", async () => {
    const fx = await buildAccountFixture(server());
    const theirInbox = await buildInbox(fx);
    const hidden = await buildInbox(fx);
    expect(
      (await fx.asAdmin('POST', '/inbox_members', { inbox_id: theirInbox.id, user_ids: [fx.agent.id] })).status,
    ).toBe(200);
    const visible = await buildConversation(fx, theirInbox.id);
    const secret = await buildConversation(fx, hidden.id);
    const res = await fx.asAgent('POST', '/bulk_actions', {
      type: 'Conversation',
      ids: [secret.id, visible.id],
      fields: { status: 'resolved' },
      labels: { add: ['seen'] },
    });
    expect(res.status, res.text).toBe(200);
    await eventually(
      () => show(fx, visible.id),
      (c) => c.status === 'resolved',
    );
    await jobsDone();
    const untouched = await show(fx, secret.id);
    expect(untouched.status).toBe('open');
    expect(untouched.labels).toEqual([]);
    expect(await activities(fx, secret.id)).toEqual([]);
  });
});

describe('bulk actions on contacts', () => {
  const contact = async (fx: AccountFixture, name: string) =>
    (await fx.asAdmin('POST', '/contacts', { name })).body.payload.contact as { id: number };

  it('adds labels to the account contacts, and deletes them for administrators only', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const one = await contact(fx, 'One');
    const two = await contact(fx, 'Two');
    const foreign = await contact(other, 'Foreign');
    const labelled = await fx.asAgent('POST', '/bulk_actions', {
      type: 'Contact',
      ids: [one.id, two.id, foreign.id],
      labels: { add: ['lead'] },
    });
    expect(labelled.status, labelled.text).toBe(200);
    await eventually(
      async () => (await fx.asAdmin('GET', `/contacts/${two.id}/labels`)).body.payload,
      (labels) => Array.isArray(labels) && labels.includes('lead'),
    );
    expect((await fx.asAdmin('GET', `/contacts/${one.id}/labels`)).body.payload).toEqual(['lead']);

    const refused = await fx.asAgent('POST', '/bulk_actions', {
      type: 'Contact',
      ids: [one.id],
      action_name: 'delete',
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'You are not authorized to do this action' });

    const deleted = await fx.asAdmin('POST', '/bulk_actions', {
      type: 'Contact',
      ids: [one.id, foreign.id],
      action_name: 'delete',
    });
    expect(deleted.status).toBe(200);
    await eventually(
      async () => (await fx.asAdmin('GET', `/contacts/${one.id}`)).status,
      (status) => status === 404,
    );
    await jobsDone();
    expect((await fx.asAdmin('GET', `/contacts/${two.id}`)).status).toBe(200);
    const theirs = await other.asAdmin('GET', `/contacts/${foreign.id}`);
    expect(theirs.status).toBe(200);
    expect((await other.asAdmin('GET', `/contacts/${foreign.id}/labels`)).body.payload).toEqual([]);
  });
});
