// Kill -9 while automation rules are queued and running: each event's rules are a job queued with
// the change, and each rule runs in one transaction with its run record, claimed by (rule, event).
// Another node — or the restarted one — runs what was left, and every rule runs exactly once per
// event: one run record, one label change, one priority activity message per conversation.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/core/db/kysely.js';
import { buildAccountFixture, buildConversation, buildInbox } from './factories.js';
import { createTestDatabase, requestTo } from './harness.js';
import { startServerProcess, waitFor, type ServerProcess } from './processes.js';

const CONVERSATIONS = 12;
/** The advisory lock the first test's rule runs take one at a time. */
const SLOW_RUN_LOCK = 7_317_001;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function setUp() {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-rules-crash-'));
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
  const handle: DatabaseHandle = await openDatabase({ databaseUrl: database.url, dataDir, embeddedPgPort: 0 });
  cleanups.push(() => handle.close());
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      CONFAB_DATA_DIR: dataDir,
      CONFAB_JOB_POLL_MS: '100',
      ...env,
    });
    cleanups.push(async () => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.child.kill('SIGTERM');
      await server.exited;
    });
    return server;
  };
  return { db: handle.db, url: database.url, start };
}

async function kill(server: ServerProcess) {
  server.child.kill('SIGKILL');
  await server.exited;
}

describe('automation rules across a SIGKILL', () => {
  it('runs every rule exactly once per event after a restart', async () => {
    const { db, url, start } = await setUp();
    const first = await start();
    const fx = await buildAccountFixture({ db, request: requestTo(first.url) });
    const inbox = await buildInbox(fx);
    expect((await fx.asAdmin('POST', '/labels', { title: 'triaged' })).status).toBe(200);
    const rules = [];
    for (const actions of [
      [{ action_name: 'add_label', action_params: ['triaged'] }],
      [{ action_name: 'change_priority', action_params: ['high'] }],
    ]) {
      const res = await fx.asAdmin('POST', '/automation_rules', {
        name: actions[0]!.action_name,
        event_name: 'conversation_created',
        conditions: [],
        actions,
      });
      expect(res.status, res.text).toBe(200);
      rules.push(res.body.id as number);
    }
    // the rules' runs record their outcome one at a time (an advisory lock), each taking a while,
    // and none before every conversation exists: the kill then finds rules queued, running and done
    // however fast the machine is and however many jobs run at once (with only a pause, a machine
    // that created the conversations slowly had run every rule before the first look)
    await sql`create function confab_test_slow() returns trigger language plpgsql as $$
      begin perform pg_advisory_xact_lock(${sql.lit(SLOW_RUN_LOCK)}); perform pg_sleep(0.15); return new; end $$`.execute(
      db,
    );
    await sql`create trigger confab_test_slow before update on automation_rule_runs
      for each row execute function confab_test_slow()`.execute(db);
    const gate = new pg.Client({ connectionString: url });
    await gate.connect();
    cleanups.push(() => gate.end());
    await gate.query('select pg_advisory_lock($1)', [SLOW_RUN_LOCK]);

    const conversations: number[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) conversations.push((await buildConversation(fx, inbox.id)).id);
    await gate.query('select pg_advisory_unlock($1)', [SLOW_RUN_LOCK]);
    const runCount = async () =>
      Number(
        (
          await db
            .selectFrom('automation_rule_runs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    await waitFor(async () => (await runCount()) >= 2, 20_000, 'some rules to have run');
    await kill(first);
    expect(await runCount(), 'the kill came before every rule had run').toBeLessThan(CONVERSATIONS * 2);

    await start();
    await waitFor(async () => (await runCount()) >= CONVERSATIONS * 2, 60_000, 'every rule to have run');
    await waitFor(
      async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
            where task_identifier = 'automation_rules'`.execute(db)
        ).rows[0]!.n === 0,
      30_000,
      'the automation jobs to finish',
    );

    const runs = await db
      .selectFrom('automation_rule_runs')
      .select(['automation_rule_id', 'conversation_id', 'matched', 'error'])
      .execute();
    expect(runs).toHaveLength(CONVERSATIONS * 2);
    for (const ruleId of rules)
      expect(
        runs
          .filter((r) => r.automation_rule_id === ruleId)
          .map((r) => r.conversation_id)
          .sort((a, b) => a! - b!),
      ).toEqual(conversations);
    expect(runs.every((r) => r.matched && r.error === null)).toBe(true);

    const activity = await db
      .selectFrom('messages')
      .select(['conversation_id', 'content'])
      .where('conversation_id', 'in', conversations)
      .where('message_type', '=', 2)
      .execute();
    for (const id of conversations) {
      const mine = activity.filter((m) => m.conversation_id === id).map((m) => m.content);
      expect(
        mine.filter((c) => c === 'Automation System added triaged'),
        `conversation ${id}`,
      ).toHaveLength(1);
      expect(
        mine.filter((c) => c === 'Automation System set the priority to high'),
        `conversation ${id}`,
      ).toHaveLength(1);
    }
    const tagged = await db
      .selectFrom('taggings')
      .select('taggable_id')
      .where('taggable_type', '=', 'Conversation')
      .where('taggable_id', 'in', conversations)
      .where('name', '=', 'triaged')
      .execute();
    expect(tagged).toHaveLength(CONVERSATIONS);
  }, 180_000);

  it('drains queued automation events exactly once across a kill in the middle of a batch', async () => {
    const { db, start } = await setUp();
    // a node that serves but runs no jobs: the events its messages queue wait
    const serving = await start({ CONFAB_JOB_CONCURRENCY: '0' });
    const fx = await buildAccountFixture({ db, request: requestTo(serving.url) });
    const inbox = await buildInbox(fx);
    const rule = async (body: Record<string, unknown>) => {
      const res = await fx.asAdmin('POST', '/automation_rules', { event_name: 'message_created', ...body });
      expect(res.status, res.text).toBe(200);
      return res.body.id as number;
    };
    const missing = await rule({
      name: 'refunds',
      conditions: [{ attribute_key: 'content', filter_operator: 'contains', values: ['refund'], query_operator: null }],
      actions: [{ action_name: 'add_label', action_params: ['refund'] }],
    });
    // matches every message and changes nothing: the conversations have no priority to begin with
    const unchanged = await rule({
      name: 'no priority',
      conditions: [{ attribute_key: 'content', filter_operator: 'contains', values: ['hello'], query_operator: null }],
      actions: [{ action_name: 'change_priority', action_params: [null] }],
    });
    const conversations: number[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const id = (await buildConversation(fx, inbox.id)).id;
      conversations.push(id);
      for (let m = 0; m < 3; m++)
        expect((await fx.asAdmin('POST', `/conversations/${id}/messages`, { content: `hello ${m}` })).status).toBe(200);
    }
    const queued = async () =>
      Number((await sql<{ n: number }>`select count(*)::int as n from automation_events`.execute(db)).rows[0]!.n);
    expect(await queued()).toBe(CONVERSATIONS * 3);
    serving.child.kill('SIGTERM');
    await serving.exited;

    // each batch's record takes a while: the kill finds a batch in the middle of its transaction
    await sql`create function confab_test_slow_batch() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.5); return null; end $$`.execute(db);
    await sql`create trigger confab_test_slow_batch after insert on automation_event_runs
      for each statement execute function confab_test_slow_batch()`.execute(db);
    const draining = await start();
    await waitFor(
      async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where query like '%automation_event_runs%' and state = 'active' and pid <> pg_backend_pid()`.execute(db)
        ).rows[0]!.n > 0,
      20_000,
      'a batch to be recording',
    );
    await kill(draining);
    expect(await queued(), 'the killed batch left its events queued').toBe(CONVERSATIONS * 3);

    await sql`drop trigger confab_test_slow_batch on automation_event_runs`.execute(db);
    await start();
    await waitFor(async () => (await queued()) === 0, 30_000, 'the events to be drained');
    const runs = await sql<{ automation_rule_id: number; matched: boolean; message_id: number }>`
      select automation_rule_id, matched, message_id from automation_rule_run_list
      where automation_rule_id in (${missing}, ${unchanged})`.execute(db);
    const messages = await db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', 'in', conversations)
      .where('message_type', '=', 1)
      .execute();
    expect(messages).toHaveLength(CONVERSATIONS * 3);
    for (const [ruleId, matched] of [
      [missing, false],
      [unchanged, true],
    ] as const) {
      const mine = runs.rows.filter((r) => r.automation_rule_id === ruleId);
      // one run per message, no more, no fewer
      expect(mine.map((r) => r.message_id).sort((a, b) => a - b)).toEqual(
        messages.map((m) => m.id).sort((a, b) => a - b),
      );
      expect(mine.every((r) => r.matched === matched)).toBe(true);
    }
  }, 180_000);
});
