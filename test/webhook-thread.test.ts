// The built server (`confab start`) posts webhook deliveries from a thread of its own, at a lower CPU
// priority than the thread that answers requests (tasks/webhook-drain-thread.ts): the deliveries
// arrive, their outcomes are written, /metrics counts them, and the thread's nice value is the
// server's plus 10, at Linux's idle scheduling policy, while every other thread of the process keeps the server's.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/core/db/kysely.js';
import { createTestDatabase, requestTo } from './harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from './factories.js';
import { startServerProcess, waitFor } from './processes.js';
import { startReceiver } from './webhook-receiver.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** Each thread of `pid`: its nice value and scheduling policy (fields 19 and 41 of /proc/<pid>/task/<tid>/stat). */
async function threadPriorities(pid: number): Promise<{ nice: number; policy: number }[]> {
  const tasks = await fs.readdir(`/proc/${pid}/task`);
  const values: { nice: number; policy: number }[] = [];
  for (const tid of tasks) {
    const stat = await fs.readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => undefined);
    // the fields after the command name, which is in parentheses and may hold spaces
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields) values.push({ nice: Number(fields[16]), policy: Number(fields[38]) });
  }
  return values;
}
/** Linux's SCHED_OTHER and SCHED_IDLE. */
const NORMAL = 0;
const IDLE = 5;

describe.runIf(process.platform === 'linux')('the webhook drainer thread', () => {
  it('delivers at a lower priority than the thread that serves requests', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-thread-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const handle = await openDatabase({ databaseUrl: database.url, dataDir, embeddedPgPort: 0 });
    cleanups.push(() => handle.close());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      CONFAB_DATA_DIR: dataDir,
      CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
      CONFAB_METRICS_TOKEN: 'metrics-secret',
    });
    cleanups.push(async () => {
      if (server.child.exitCode !== null) return;
      server.child.kill('SIGTERM');
      await server.exited;
    });

    // the server serves before the thread has started (it does not wait for it)
    const own = os.getPriority(server.child.pid!);
    const lowered = Math.min(19, own + 10);
    let threads: { nice: number; policy: number }[] = [];
    await waitFor(
      async () => {
        threads = await threadPriorities(server.child.pid!);
        return threads.some((t) => t.nice === lowered && t.policy === IDLE);
      },
      20_000,
      'the drainer thread to lower its priority',
    );
    // one thread at the lowered nice value and the idle policy (tasks/webhook-drain-thread.ts), every other as the server
    const described = JSON.stringify(threads);
    expect(
      threads.filter((t) => t.nice === lowered && t.policy === IDLE),
      described,
    ).toHaveLength(1);
    expect(threads.filter((t) => t.nice === own && t.policy === NORMAL).length, described).toBe(threads.length - 1);

    const fx = await buildAccountFixture({ db: handle.db, request: requestTo(server.url) });
    const inbox = await buildInbox(fx);
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: receiver.url, subscriptions: ['message_created'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const conversation = await buildConversation(fx, inbox.id);
    const sent = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'from a thread' });
    expect(sent.status, sent.text).toBe(200);

    await receiver.waitFor((all) => all.some((r) => r.body.id === sent.body.id), 20_000);
    await waitFor(
      async () =>
        (
          await handle.db
            .selectFrom('webhook_deliveries')
            .select('status')
            .where('message_id', '=', sent.body.id)
            .executeTakeFirst()
        )?.status === 'succeeded',
      20_000,
      'the outcome to be written',
    );
    // the thread's counts reach the server's registry
    await waitFor(
      async () => {
        const res = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } });
        return /confab_webhook_deliveries_total\{outcome="succeeded"\} [1-9]/.test(await res.text());
      },
      20_000,
      'the delivery to be counted',
    );
  }, 120_000);
});
