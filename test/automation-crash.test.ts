// Kill -9 while automation rules are queued and running: each event's rules are a job queued with
// the change, and each rule runs in one transaction with its run record, claimed by (rule, event).
// Another node — or the restarted one — runs what was left, and every rule runs exactly once per
// event: one run record, one label change, one priority activity message per conversation.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/core/db/kysely.js';
import { buildAccountFixture, buildConversation, buildInbox } from './factories.js';
import { createTestDatabase, requestTo } from './harness.js';
import { startServerProcess, waitFor, type ServerProcess } from './processes.js';

const CONVERSATIONS = 12;
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
  return { db: handle.db, start };
}

async function kill(server: ServerProcess) {
  server.child.kill('SIGKILL');
  await server.exited;
}

describe('automation rules across a SIGKILL', () => {
  it('runs every rule exactly once per event after a restart', async () => {
    const { db, start } = await setUp();
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
    // each rule's run takes a while, so the kill finds rules queued, running and done
    await sql`create function confab_test_slow() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.15); return new; end $$`.execute(db);
    await sql`create trigger confab_test_slow before update on automation_rule_runs
      for each row execute function confab_test_slow()`.execute(db);

    const conversations: number[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) conversations.push((await buildConversation(fx, inbox.id)).id);
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
});
