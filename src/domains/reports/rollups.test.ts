// Report rollups (migration 0100) against a recount of the raw rows: two servers on one database,
// one reading the rollups (its folder asleep, so the deltas stay unfolded until the test folds
// them) and one with CONFAB_REPORT_ROLLUPS=false counting every report from the raw rows. After a
// churn of changes every report must be the same from both, before the fold and after it, and a
// change must show in the very next report.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { METRICS } from './queries.js';

let rolled: TestServer;
let raw: TestServer;
beforeAll(async () => {
  rolled = await startTestServer({ CONFAB_REPORT_ROLLUP_FOLD_MS: '3600000' });
  raw = await startTestServer(
    { CONFAB_REPORT_ROLLUPS: 'false', CONFAB_JOB_CONCURRENCY: '0' },
    { url: rolled.databaseUrl },
  );
}, 60_000);
afterAll(async () => {
  await raw?.close();
  await rolled?.close();
});

const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const HOUR = 3600;
const DAY = 86_400;

/** Numbers equal to 1e-9 (sums kept as numerics against float averages), everything else exactly. */
function same(a: unknown, b: unknown, path = '$'): string[] {
  if (typeof a === 'number' && typeof b === 'number')
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? [] : [`${path}: ${a} vs ${b}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} vs ${b.length}`];
    return a.flatMap((x, i) => same(x, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => same((a as any)[k], (b as any)[k], `${path}.${k}`));
  }
  return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

// every metric but the distinct bot handoffs, which stay on the raw rows either way
const ROLLED_METRICS = Object.keys(METRICS).filter((m) => m !== 'bot_handoffs_count');

interface Churn {
  fx: AccountFixture;
  inboxes: number[];
  agents: number[];
  teamId: number;
}

/** Every report the rollups serve (and a few they leave raw), as [path, query] pairs. */
function reports(c: Churn, now: number): [string, Record<string, string | number>][] {
  // windows whose edges fall inside quarter hours and days, and one inside a single quarter hour
  const windows = [
    { since: now - 30 * DAY - 7 * 60 - 13, until: now },
    { since: at('2024-05-01T00:00:00Z'), until: at('2024-07-01T00:00:00Z') },
    { since: at('2024-06-10T09:05:00Z'), until: at('2024-06-10T09:11:00Z') },
  ];
  const scopes = [
    { type: 'account' },
    ...c.inboxes.map((id) => ({ type: 'inbox', id })),
    ...c.agents.map((id) => ({ type: 'agent', id })),
    { type: 'team', id: c.teamId },
  ];
  const list: [string, Record<string, string | number>][] = [];
  for (const window of windows) {
    for (const business_hours of ['false', 'true']) {
      for (const scope of scopes) list.push(['/reports/summary', { ...scope, ...window, business_hours }]);
      list.push(['/summary_reports/agent', { ...window, business_hours }]);
      list.push(['/summary_reports/inbox', { ...window, business_hours }]);
      list.push(['/summary_reports/team', { ...window, business_hours }]);
    }
    for (const metric of ROLLED_METRICS)
      for (const scope of scopes)
        for (const [group_by, timezone_offset] of [
          ['day', '5.5'],
          ['hour', '0'],
          ['week', '-8'],
          // no offset: UTC, whose days, weeks and months are made of whole UTC days (the day rows)
          ['day', ''],
          ['month', ''],
        ] as const)
          list.push(['/reports', { metric, ...scope, ...window, group_by, timezone_offset }]);
  }
  return list;
}

async function compare(c: Churn, now: number): Promise<number> {
  const problems: string[] = [];
  let compared = 0;
  for (const [path, query] of reports(c, now)) {
    const url = `/api/v2/accounts/${c.fx.account.id}${path}`;
    const [a, b] = await Promise.all(
      [rolled, raw].map((s) => s.request('GET', url, { token: c.fx.admin.access_token, query })),
    );
    expect(a!.status, a!.text).toBe(200);
    expect(b!.status, b!.text).toBe(200);
    problems.push(...same(a!.body, b!.body, `${path} ${JSON.stringify(query)}`));
    compared++;
  }
  expect(problems.slice(0, 20), problems.slice(0, 20).join('\n')).toEqual([]);
  return compared;
}

/** Folds every delta, as the folder of a node that runs jobs would. */
async function foldAll() {
  for (;;) {
    const { rows } = await sql<{ n: number }>`select report_rollups_fold(1000) as n`.execute(rolled.db);
    if (rows[0]!.n === 0) return;
  }
}

const deltaCount = async () =>
  Number((await sql<{ n: string }>`select count(*) as n from report_rollup_deltas`.execute(rolled.db)).rows[0]!.n);

/** The account's non-empty rollup rows, in key order. */
async function rollupRows(accountId: number) {
  const { rows } =
    await sql`select source, dimension, grain, key, slot, n::text, trim_scale(total)::text as total, valued::text,
      trim_scale(total_bh)::text as total_bh, valued_bh::text
    from report_rollups where account_id = ${accountId} and n <> 0
    order by source, dimension, grain, key, slot`.execute(rolled.db);
  return rows;
}

/** Conversations, messages and reporting events created, moved, changed and deleted. */
async function churn(): Promise<Churn> {
  const fx = await buildAccountFixture(rolled);
  const [inboxA, inboxB] = [await buildInbox(fx), await buildInbox(fx)];
  const agents = [fx.admin.id, fx.agent.id];
  for (const inbox of [inboxA, inboxB]) {
    const res = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: agents });
    expect(res.status, res.text).toBe(200);
  }
  const team = await fx.asAdmin('POST', '/teams', { name: `Rollup team ${Date.now()}` });
  expect(team.status, team.text).toBe(200);
  const db = rolled.db;
  const moveConversation = (displayId: number, iso: string) =>
    db
      .updateTable('conversations')
      .set({ created_at: new Date(iso) })
      .where('account_id', '=', fx.account.id)
      .where('display_id', '=', displayId)
      .returning('id')
      .executeTakeFirstOrThrow();
  const times = [
    '2024-06-10T09:07:00Z', // inside the short window
    '2024-06-10T09:20:00Z',
    '2024-06-11T23:59:59Z',
    '2024-05-01T00:00:00Z', // on a window edge
    '2024-05-17T13:44:10Z',
  ];
  const conversations: { id: number; displayId: number }[] = [];
  for (const [i, iso] of times.entries()) {
    const inbox = i % 2 ? inboxB : inboxA;
    const conversation = await buildConversation(fx, inbox.id);
    const assign = await fx.asAdmin('POST', `/conversations/${conversation.id}/assignments`, {
      assignee_id: agents[i % 2],
    });
    expect(assign.status, assign.text).toBe(200);
    // a contact's message and an agent's reply (first_response), another pair (reply_time)
    for (let k = 0; k < 2; k++) {
      const incoming = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
        content: `question ${k}`,
        message_type: 'incoming',
      });
      expect(incoming.status, incoming.text).toBe(200);
      const reply = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: `answer ${k}` });
      expect(reply.status, reply.text).toBe(200);
    }
    // resolved, reopened, resolved again (conversation_resolved twice, conversation_opened)
    for (const status of ['resolved', 'open', 'resolved'])
      expect((await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status })).status).toBe(
        200,
      );
    const { id } = await moveConversation(conversation.id, iso);
    // and its rows moved to its time: messages and events a few minutes to hours later
    await sql`update messages set created_at = ${new Date(iso)}::timestamptz + (id % 7) * interval '11 minutes'
      where conversation_id = ${id}`.execute(db);
    await sql`update reporting_events set created_at = ${new Date(iso)}::timestamptz + (id % 5) * interval '53 minutes',
        value = value + 0.1 * (id % 3), value_in_business_hours = case when id % 4 = 0 then null else value / 3 end
      where conversation_id = ${id}`.execute(db);
    conversations.push({ id, displayId: conversation.id });
  }
  // a recent conversation in the team, reassigned to the other agent and then to nobody
  const recent = await buildConversation(fx, inboxB.id);
  for (const body of [{ assignee_id: agents[0] }, { team_id: team.body.id }, { assignee_id: agents[1] }])
    expect((await fx.asAdmin('POST', `/conversations/${recent.id}/assignments`, body)).status).toBe(200);
  await fx.asAdmin('POST', `/conversations/${recent.id}/messages`, { content: 'hi', message_type: 'incoming' });
  await fx.asAdmin('POST', `/conversations/${recent.id}/messages`, { content: 'hello' });
  // a reassignment after the fact, an inbox move, a message turned private-less type change
  await db
    .updateTable('conversations')
    .set({ assignee_id: agents[0] })
    .where('id', '=', conversations[1]!.id)
    .execute();
  await db.updateTable('conversations').set({ team_id: team.body.id }).where('id', '=', conversations[2]!.id).execute();
  // reporting events written directly (bot outcomes, odd values) then changed and one deleted
  for (const [name, iso, value] of [
    ['conversation_bot_resolved', '2024-06-10T09:08:30Z', 12.25],
    ['first_response', '2024-06-20T10:00:00Z', 1 / 3],
    ['reply_time', '2024-06-20T10:00:01Z', 7e9 + 0.5],
    ['reply_time', '2024-06-20T10:14:59Z', 2],
  ] as const)
    await db
      .insertInto('reporting_events')
      .values({
        name,
        account_id: fx.account.id,
        value,
        value_in_business_hours: value / 7,
        inbox_id: inboxA.id,
        user_id: agents[1]!,
        conversation_id: conversations[0]!.id,
        created_at: new Date(iso),
      })
      .execute();
  await sql`update reporting_events set value = 5, user_id = ${agents[0]} where account_id = ${fx.account.id}
    and name = 'reply_time' and value = 2`.execute(db);
  await sql`delete from reporting_events where account_id = ${fx.account.id} and value = ${7e9 + 0.5}`.execute(db);
  // a conversation deleted with its messages (its reporting events stay, as Chatwoot's do)
  const removed = await fx.asAdmin('DELETE', `/conversations/${conversations[4]!.displayId}`);
  expect(removed.status, removed.text).toBe(200);
  return { fx, inboxes: [inboxA.id, inboxB.id], agents, teamId: team.body.id };
}

describe('report rollups', () => {
  it('equal a recount from the raw rows after a churn of changes, before and after the fold', async () => {
    const c = await churn();
    const now = Math.floor(Date.now() / 1000);
    expect(await deltaCount(), 'the churn left deltas to fold').toBeGreaterThan(0);
    const compared = await compare(c, now);
    expect(compared).toBeGreaterThan(300);

    await foldAll();
    expect(await deltaCount()).toBe(0);
    await compare(c, now);

    // the folded rollups are exactly the backfill's recount of the rows
    const folded = await rollupRows(c.fx.account.id);
    expect(folded.length).toBeGreaterThan(0);
    await sql`select report_rollups_backfill(${c.fx.account.id}::bigint)`.execute(rolled.db);
    expect(await rollupRows(c.fx.account.id)).toEqual(folded);
  }, 240_000);

  it('shows a change in the very next report, folded or not', async () => {
    const fx = await buildAccountFixture(rolled);
    const inbox = await buildInbox(fx);
    const now = Math.floor(Date.now() / 1000);
    const query = { type: 'account', since: now - DAY, until: now + HOUR };
    const summary = async () =>
      (
        await rolled.request('GET', `/api/v2/accounts/${fx.account.id}/reports/summary`, {
          token: fx.admin.access_token,
          query,
        })
      ).body as Record<string, number>;
    expect((await summary()).conversations_count).toBe(0);
    const conversation = await buildConversation(fx, inbox.id);
    expect((await summary()).conversations_count).toBe(1);
    const reply = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'hello' });
    expect(reply.status, reply.text).toBe(200);
    expect((await summary()).outgoing_messages_count).toBe(1);
    await foldAll();
    const folded = await summary();
    expect([folded.conversations_count, folded.outgoing_messages_count]).toEqual([1, 1]);
    // deleted: gone from the next report, before any fold
    expect((await fx.asAdmin('DELETE', `/conversations/${conversation.id}`)).status).toBe(200);
    const after = await summary();
    expect([after.conversations_count, after.outgoing_messages_count]).toEqual([0, 0]);
  }, 60_000);
});
