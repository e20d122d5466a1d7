// npm run bench:message — the Application API's message path (issue 23, item 4): an agent's reply,
// POST /api/v1/accounts/:id/conversations/:id/messages, from API_CLIENTS clients at once (default 4),
// each posting back to back for SECONDS (default 5, after a second of warm-up), to one built Confab
// node (`confab start`) on an embedded PostgreSQL. Two rows, measured in the same run:
//   1. baseline: a plain reply in an unassigned conversation, no webhook (the one-statement path);
//   2. the goal's message: the conversation is assigned to another agent (who is notified) and an
//      account webhook is subscribed to message_created (its delivery is queued with the message
//      and sent to a local receiver answering 200 at once, in a worker thread as bench:webhooks'
//      is: in the clients' event loop its ~400 answers a second held up their responses).
// Each row: latency p50/p99, requests/s, and the CPU the server and PostgreSQL used per request
// (every process under this one but itself): on a shared machine the steadier figure of the two.
// PG_STATS=1 loads pg_stat_statements and prints, per row, the statements PostgreSQL ran per
// request and the ten that cost it the most time (PG_STATS_TOP=N: the N; PG_STATS_NESTED=1: the
// statements inside SQL functions as well, each also within its caller's figure).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFigure } from './figures.mjs';
import { benchStopper, embeddedBenchAccount, jsonRequester, startConfab } from './http.mjs';
import { cpuSeconds, machineSettled, processTree } from './proc.mjs';
import { startReceiver } from './receiver.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const API_CLIENTS = Number(process.env.API_CLIENTS ?? 4);
const SECONDS = Number(process.env.SECONDS ?? 5);
const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 20);
const PG_STATS = process.env.PG_STATS === '1';

const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const request = jsonRequester(agent);
let confab;
let pg;
let receiver;
/** With PG_STATS: a connection of the bench's own that reads pg_stat_statements. */
let stats;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-message-'));
fs.chmodSync(dir, 0o755);

const stopAll = benchStopper(() => ({
  confab,
  agent,
  pg,
  dir,
  more: [() => stats?.close(), () => receiver?.close()],
}));

const serverCpu = () =>
  processTree(process.pid)
    .filter((pid) => pid !== process.pid)
    .reduce((sum, pid) => sum + cpuSeconds(pid), 0);
/** The Node server's own share (PostgreSQL is this process's child, not the server's). */
const nodeCpu = () => (confab ? processTree(confab.pid).reduce((sum, pid) => sum + cpuSeconds(pid), 0) : 0);
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (v) => `${v.toFixed(1).padStart(6)} ms`;

/**
 * API_CLIENTS clients post replies back to back for `seconds`, each into conversations of its own
 * (as agents answer their own conversations: no client waits for another's lock); latencies sorted.
 */
async function load(api, conversations, seconds, tag) {
  const latency = [];
  const until = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: API_CLIENTS }, async (_, client) => {
      const own = conversations.filter((_, i) => i % API_CLIENTS === client);
      while (performance.now() < until) {
        const conversation = own[n++ % own.length];
        const started = process.hrtime.bigint();
        const res = await request(
          'POST',
          `${api.base}/conversations/${conversation}/messages`,
          { content: `${tag} ${n}` },
          api.headers,
        );
        if (res.status !== 200) throw new Error(`POST message: ${res.status} ${JSON.stringify(res.body)}`);
        latency.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  return latency.sort((a, b) => a - b);
}

/** Warm-up, then the timed run: prints one row and returns its figures. */
async function measure(label, api, conversations) {
  await load(api, conversations, 1, 'warm');
  await new Promise((r) => setTimeout(r, 300));
  await resetStats();
  const cpuBefore = serverCpu();
  const nodeBefore = nodeCpu();
  const started = performance.now();
  const latency = await load(api, conversations, SECONDS, 'timed');
  const elapsed = (performance.now() - started) / 1000;
  // what the requests left behind (realtime broadcasts, deliveries) is theirs too
  await new Promise((r) => setTimeout(r, 300));
  const cpuMs = ((serverCpu() - cpuBefore) * 1000) / latency.length;
  const nodeMs = ((nodeCpu() - nodeBefore) * 1000) / latency.length;
  const row = {
    p50: quantile(latency, 0.5),
    p99: quantile(latency, 0.99),
    rate: latency.length / elapsed,
    cpuMs,
  };
  console.log(
    `  ${label.padEnd(52)} p50 ${ms(row.p50)} p99 ${ms(row.p99)}   ${Math.round(row.rate).toString().padStart(5)} requests/s   ` +
      `server + PostgreSQL CPU ${cpuMs.toFixed(2)} ms a request (Node ${nodeMs.toFixed(2)})   (${latency.length} requests)`,
  );
  await printStats(latency.length);
  return row;
}

async function resetStats() {
  if (!stats) return;
  const { sql } = await import('kysely');
  await sql`select pg_stat_statements_reset()`.execute(stats.db);
}

/** PostgreSQL's statements per request and the PG_STATS_TOP (10) costliest, since resetStats (the bench's own left out). */
async function printStats(requests) {
  if (!stats) return;
  const { sql } = await import('kysely');
  const { rows } = await sql`select calls, total_exec_time + total_plan_time as ms, query from pg_stat_statements
    where query not like '%pg_stat_statements%' order by ms desc`.execute(stats.db);
  const calls = rows.reduce((sum, r) => sum + Number(r.calls), 0);
  const time = rows.reduce((sum, r) => sum + r.ms, 0);
  console.log(
    `    PostgreSQL: ${(calls / requests).toFixed(1)} statements, ${(time / requests).toFixed(2)} ms planning + executing a request`,
  );
  for (const r of rows.slice(0, Number(process.env.PG_STATS_TOP ?? 10)))
    console.log(
      `    ${(Number(r.calls) / requests).toFixed(2).padStart(6)}/req ${(r.ms / requests).toFixed(3).padStart(7)} ms/req  ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`,
    );
}

if (process.env.ONLY_GOAL === '1') console.log('(ONLY_GOAL: the baseline row is skipped)');
try {
  const seeded = await embeddedBenchAccount(root, dir);
  pg = seeded.pg;
  const { database, account, user } = seeded;
  if (PG_STATS) {
    const { sql } = await import('kysely');
    await sql`alter system set shared_preload_libraries = 'pg_stat_statements'`.execute(database.db);
    await sql`alter system set pg_stat_statements.track_planning = on`.execute(database.db);
    // PG_STATS_NESTED=1: the statements inside functions too (a follow-up's queries)
    if (process.env.PG_STATS_NESTED === '1')
      await sql`alter system set pg_stat_statements.track = 'all'`.execute(database.db);
    await database.close();
    await pg.stop();
    pg = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
    stats = await openDatabase({ databaseUrl: pg.url, dataDir: dir, embeddedPgPort: 0 });
    await sql`create extension if not exists pg_stat_statements`.execute(stats.db);
  } else await database.close();
  receiver = await startReceiver();
  const server = await startConfab(
    root,
    { ...seeded.nodeEnv, CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', REDIS_URL: '' },
    {
      request,
      onSpawn: (child) => {
        confab = child;
      },
    },
  );
  const api = {
    base: `${server.url}/api/v1/accounts/${account.id}`,
    headers: { api_access_token: user.accessToken },
  };
  const ok = (res, what) => {
    if (res.status !== 200) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const inbox = ok(
    await request('POST', `${api.base}/inboxes`, { name: 'Bench API', channel: { type: 'api' } }, api.headers),
    'inbox',
  );
  const assignee = ok(
    await request(
      'POST',
      `${api.base}/agents`,
      { name: 'Bench Agent', email: 'agent@example.com', role: 'agent' },
      api.headers,
    ),
    'agent',
  );
  ok(
    await request('POST', `${api.base}/inbox_members`, { inbox_id: inbox.id, user_ids: [assignee.id] }, api.headers),
    'member',
  );
  const conversations = { plain: [], assigned: [] };
  for (let i = 0; i < CONVERSATIONS * 2; i++) {
    const contact = ok(await request('POST', `${api.base}/contacts`, { name: `Contact ${i}` }, api.headers), 'contact');
    const assigned = i % 2 === 1;
    const conversation = ok(
      await request(
        'POST',
        `${api.base}/conversations`,
        {
          inbox_id: inbox.id,
          contact_id: contact.payload.contact.id,
          ...(assigned ? { assignee_id: assignee.id } : {}),
        },
        api.headers,
      ),
      'conversation',
    );
    conversations[assigned ? 'assigned' : 'plain'].push(conversation.id);
  }

  // the setup's requests, and what a bench run before this one left running (a PostgreSQL shutting
  // down, a data directory being removed), done before the first row
  await machineSettled();
  console.log(
    `Message path: one node, embedded PostgreSQL, ${os.cpus().length} CPUs (load ${os.loadavg()[0].toFixed(1)}), ` +
      `${API_CLIENTS} clients posting back to back, ${SECONDS} s a row`,
  );
  if (process.env.ONLY_GOAL !== '1') await measure('plain reply (baseline: one statement)', api, conversations.plain);
  ok(
    await request(
      'POST',
      `${api.base}/webhooks`,
      { webhook: { url: receiver.url, subscriptions: ['message_created'] } },
      api.headers,
    ),
    'webhook',
  );
  const before = await receiver.received();
  const goal = await measure('reply notifying the assignee, webhook queued', api, conversations.assigned);
  console.log(`  (${(await receiver.received()) - before} deliveries received during the run)`);
  const conditions = { 'API clients': API_CLIENTS };
  recordFigure('api.message.p50', goal.p50, conditions);
  recordFigure('api.message.p99', goal.p99, conditions);
} finally {
  await stopAll();
}
