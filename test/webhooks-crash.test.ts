// Kill -9 in the middle of a webhook backlog: the deliveries are rows and jobs in PostgreSQL, so the
// server sends every one of them after a restart — or another node does, without one — at once, not
// when graphile-worker's 4-hour lock timeout would free the jobs the dead process had taken. A
// delivery that was in flight when the process died may arrive twice, always with the same
// webhook-id, so receivers can deduplicate.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/core/db/kysely.js';
import { createTestDatabase, requestTo } from './harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from './factories.js';
import { startServerProcess, waitFor, type ServerProcess } from './processes.js';
import { startReceiver, type Received } from './webhook-receiver.js';

const MESSAGES = 30;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** A fresh database, a receiver answering after `delayMs`, and a way to start `confab start` processes on them. */
async function setUp(delayMs: number, env: Record<string, string> = {}) {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-crash-'));
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
  const handle: DatabaseHandle = await openDatabase({ databaseUrl: database.url, dataDir, embeddedPgPort: 0 });
  cleanups.push(() => handle.close());
  const receiver = await startReceiver({ delayMs });
  cleanups.push(() => receiver.close());
  const start = async (nodeEnv: Record<string, string> = {}) => {
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      CONFAB_DATA_DIR: dataDir,
      CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
      CONFAB_JOB_POLL_MS: '100',
      ...env,
      ...nodeEnv,
    });
    cleanups.push(async () => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.child.kill('SIGTERM');
      await server.exited;
    });
    return server;
  };
  return { db: handle.db, receiver, start };
}

/** An account with a webhook on message_created and MESSAGES messages posted through `server`; their ids. */
async function postBacklog(server: ServerProcess, db: DatabaseHandle['db'], url: string): Promise<number[]> {
  const fx = await buildAccountFixture({ db, request: requestTo(server.url) });
  const inbox = await buildInbox(fx);
  const hook = await fx.asAdmin('POST', '/webhooks', { webhook: { url, subscriptions: ['message_created'] } });
  expect(hook.status, hook.text).toBe(200);
  const conversation = await buildConversation(fx, inbox.id);
  const ids: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const res = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: `backlog ${i}` });
    expect(res.status, res.text).toBe(200);
    ids.push(res.body.id);
  }
  return ids;
}

async function kill(server: ServerProcess) {
  server.child.kill('SIGKILL');
  await server.exited;
}

/** Every delivery row succeeded: received is not enough, a try whose answer the dead process never read is sent again. */
async function allSucceeded(db: DatabaseHandle['db']) {
  const pending = async () =>
    (await db.selectFrom('webhook_deliveries').select('id').where('status', '<>', 'succeeded').execute()).length;
  await waitFor(async () => (await pending()) === 0, 30_000, 'every delivery to succeed').catch(async (error) => {
    // which rows, and in what state, for the failure's message
    const left = await db
      .selectFrom('webhook_deliveries')
      .select([
        'status',
        'attempts',
        'locked_by',
        'next_attempt_at',
        'last_error',
        sql<boolean>`payload is null`.as('unrendered'),
      ])
      .where('status', '<>', 'succeeded')
      .execute();
    throw new Error(`${(error as Error).message}: ${JSON.stringify(left)}`);
  });
}

/** Each message arrived, and all arrivals of one message carry one webhook-id. */
function expectEachOnceByWebhookId(received: Received[], ids: number[]) {
  const byMessage = new Map<number, Set<string>>();
  for (const r of received)
    byMessage.set(r.body.id, (byMessage.get(r.body.id) ?? new Set()).add(String(r.headers['webhook-id'])));
  expect([...byMessage.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  for (const [messageId, set] of byMessage)
    expect(set.size, `message ${messageId} came with webhook-ids ${[...set]}`).toBe(1);
}

describe('webhook deliveries across a SIGKILL', () => {
  it('are all sent after a restart, a repeat only with the same webhook-id', async () => {
    const { db, receiver, start } = await setUp(300);
    const first = await start();
    const ids = await postBacklog(first, db, receiver.url);
    await receiver.waitFor((all) => all.length >= 5, 20_000);
    await kill(first);
    // what the kill must interrupt is the backlog's success being recorded: every try may already have
    // reached the receiver (the drain sends them side by side), none of its slow answers read
    const unfinished = await db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '<>', 'succeeded')
      .execute();
    expect(unfinished.length, 'the kill came before the backlog was through').toBeGreaterThan(0);

    const started = Date.now();
    await start();
    await allSucceeded(db);
    expect(Date.now() - started).toBeLessThan(30_000);
    expectEachOnceByWebhookId(receiver.received, ids);
  }, 120_000);

  it('are finished by another node that keeps running, without a restart', async () => {
    const { db, receiver, start } = await setUp(300, { CONFAB_JOB_REAP_MS: '300' });
    const [doomed, survivor] = [await start(), await start()];
    const ids = await postBacklog(doomed, db, receiver.url);
    await receiver.waitFor((all) => all.length >= 5, 20_000);
    await kill(doomed);
    await allSucceeded(db);
    expectEachOnceByWebhookId(receiver.received, ids);
    expect(survivor.child.exitCode).toBeNull();
  }, 120_000);

  it('are left to the job nodes by a node started with CONFAB_JOB_CONCURRENCY=0', async () => {
    const { db, receiver, start } = await setUp(0);
    const serving = await start({ CONFAB_JOB_CONCURRENCY: '0' });
    const ids = await postBacklog(serving, db, receiver.url);
    const queued = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from webhook_deliveries where status = 'pending' and locked_by is null`.execute(db)
        ).rows[0]?.n,
      );
    // the serving node polls every 100 ms: a second is ten chances to take a delivery it must not take
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.received).toHaveLength(0);
    expect(await queued()).toBe(MESSAGES);
    await start();
    await allSucceeded(db);
    expectEachOnceByWebhookId(receiver.received, ids);
  }, 120_000);

  it("never takes a live node's running jobs, however often nodes look for dead ones", async () => {
    // each try takes 1.5 s, five times the interval at which both nodes look for dead workers
    const { db, receiver, start } = await setUp(1500, { CONFAB_JOB_REAP_MS: '300' });
    const [a] = [await start(), await start()];
    const fx = await buildAccountFixture({ db, request: requestTo(a.url) });
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/webhooks', { webhook: { url: receiver.url, subscriptions: ['message_created'] } });
    const conversation = await buildConversation(fx, inbox.id);
    for (let i = 0; i < 6; i++)
      await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: `slow ${i}` });
    await allSucceeded(db);
    expect(receiver.received).toHaveLength(6);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(6);
  }, 120_000);

  it('takes its lock again when its lock connection is cut', async () => {
    const { db, start } = await setUp(0);
    await start();
    const holders = async () =>
      (
        await sql<{ pid: number }>`select a.pid from pg_stat_activity a join pg_locks l on l.pid = a.pid
      where a.application_name = 'confab job liveness' and a.datname = current_database() and l.locktype = 'advisory' and l.granted`.execute(
          db,
        )
      ).rows;
    await waitFor(async () => (await holders()).length === 1, 20_000, 'the lock to be held');
    const [before] = await holders();
    await sql`select pg_terminate_backend(${before!.pid})`.execute(db);
    await waitFor(
      async () => (await holders()).some((h) => h.pid !== before!.pid),
      20_000,
      'the lock to be taken again',
    );
  }, 60_000);
});
