// One lock order for an inbox's assignment state: team changes (which pick an agent from the team
// under the inbox's lock), status changes and Assignment V2 runs (which hold the inbox's lock while
// they assign) fired at once in one inbox never deadlock — no 5xx, no failed run, no deadlock counted
// by PostgreSQL — and no agent ends over the inbox's limits.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, buildUser } from '../../../test/factories.js';
import { touchPresence } from '../../core/realtime/presence.js';

const server = useTestServer({ CONFAB_JOB_POLL_MS: '50', CONFAB_JOB_CONCURRENCY: '6' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LIMIT = 3;

async function deadlocks(): Promise<number> {
  const { rows } = await sql<{ n: string }>`select deadlocks::text as n from pg_stat_database
    where datname = current_database()`.execute(server().db);
  return Number(rows[0]!.n);
}

/** Waits until no auto_assignment run is queued or running; a failed one (last_error) fails the test. */
async function runsDone() {
  const until = Date.now() + 20_000;
  for (;;) {
    const { rows } = await sql<{ n: number; failed: string | null }>`select count(*)::int as n,
        max(last_error) as failed from graphile_worker.jobs where task_identifier = 'auto_assignment'`.execute(
      server().db,
    );
    expect(rows[0]!.failed, 'an auto_assignment run failed').toBeNull();
    if (rows[0]!.n === 0) return;
    if (Date.now() > until) throw new Error('auto_assignment jobs still queued');
    await sleep(50);
  }
}

describe('auto-assignment lock order', () => {
  it('runs concurrent team changes, status changes and V2 runs in one inbox without a deadlock or an agent over a limit', async () => {
    const fx = await buildAccountFixture(server());
    const toggled = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
      token: fx.platformToken,
      body: { features: { assignment_v2: true, advanced_assignment: true } },
    });
    expect(toggled.status, toggled.text).toBe(200);
    const inbox = await buildInbox(fx);
    const limited = await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, {
      auto_assignment_config: { max_assignment_limit: LIMIT },
    });
    expect(limited.status, limited.text).toBe(200);
    const agents: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const user = await buildUser(server(), fx.platformToken, { name: `Agent ${i}` });
      await server().request('POST', `/platform/api/v1/accounts/${fx.account.id}/account_users`, {
        token: fx.platformToken,
        body: { user_id: user.id, role: 'agent' },
      });
      await touchPresence(server().db, fx.account.id, 'User', user.id);
      agents.push(user.id);
    }
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: agents });
    const policy = await fx.asAdmin('POST', '/assignment_policies', { assignment_policy: { name: 'P' } });
    await fx.asAdmin('POST', `/inboxes/${inbox.id}/assignment_policy`, { assignment_policy_id: policy.body.id });
    const capacity = await fx.asAdmin('POST', '/agent_capacity_policies', { name: 'Three' });
    for (const agent of agents)
      await fx.asAdmin('POST', `/agent_capacity_policies/${capacity.body.id}/users`, { user_id: agent });
    await fx.asAdmin('POST', `/agent_capacity_policies/${capacity.body.id}/inbox_limits`, {
      inbox_id: inbox.id,
      conversation_limit: LIMIT,
    });
    // team X holds two agents, team Y the third: moving a conversation between them unassigns it and
    // picks from the new team under the inbox's lock
    const teams: number[] = [];
    for (const [name, members] of [
      ['X', agents.slice(0, 2)],
      ['Y', agents.slice(2)],
    ] as const) {
      const team = await fx.asAdmin('POST', '/teams', { name, allow_auto_assign: true });
      expect(team.status, team.text).toBe(200);
      await fx.asAdmin('POST', `/teams/${team.body.id}/team_members`, { user_ids: members });
      teams.push(team.body.id as number);
    }
    const moving = [];
    for (let i = 0; i < 12; i += 1) moving.push((await buildConversation(fx, inbox.id)).id);
    const reopening = [];
    for (let i = 0; i < 6; i += 1) reopening.push((await buildConversation(fx, inbox.id, { status: 'resolved' })).id);
    await runsDone();
    const before = await deadlocks();

    const answers: { status: number; text: string }[] = [];
    const request = async (method: 'POST', path: string, body: Record<string, unknown>) => {
      const res = await fx.asAdmin(method, path, body);
      answers.push({ status: res.status, text: `${path} ${res.status} ${res.text}` });
    };
    const run = () =>
      sql`select graphile_worker.add_job('auto_assignment',
        json_build_object('account_id', ${fx.account.id}::bigint, 'inbox_id', ${inbox.id}::bigint))`.execute(
        server().db,
      );
    for (let round = 0; round < 4; round += 1) {
      const work: Promise<unknown>[] = [];
      moving.forEach((id, index) => {
        work.push(request('POST', `/conversations/${id}/assignments`, { team_id: teams[(index + round) % 2] }));
        if (index % 3 === round % 3) work.push(run());
      });
      for (const id of reopening.slice(round, round + 2))
        work.push(request('POST', `/conversations/${id}/toggle_status`, { status: 'open' }));
      for (const id of moving.slice(round * 2, round * 2 + 2))
        work.push(request('POST', `/conversations/${id}/toggle_status`, { status: 'resolved' }));
      await Promise.all(work);
    }
    await runsDone();

    const failures = answers.filter((a) => a.status >= 500).map((a) => a.text);
    expect(failures).toEqual([]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // deadlocks are counted when their backend reports its statistics (within a second)
    await sleep(1_500);
    expect(await deadlocks()).toBe(before);
    const { rows } = await sql<{ assignee_id: number; n: number }>`select assignee_id, count(*)::int as n
      from conversations where inbox_id = ${inbox.id} and status = 0 and assignee_id is not null
      group by assignee_id`.execute(server().db);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.n, `agent ${row.assignee_id}`).toBeLessThanOrEqual(LIMIT);
  });
});
