// npm run bench:automation — what 100 active automation rules cost the message path. One built Confab
// node (`confab start`) on an embedded PostgreSQL; in the same run:
//   1. Client API messages (CLIENTS contacts, each in its own conversation) and Application API
//      messages (AGENTS agents' replies) posted back to back for DURATION s each, with no rules
//      active and with 100 active rules — a mix of events (message_created, conversation_created /
//      updated / opened / resolved) and conditions (AND, OR, custom attributes), 5 of which match
//      every bench message — in the order none, rules, rules, none, ROUNDS (2) times after a
//      warm-up load, each figure the mean of its runs (a fresh cluster slows as it grows and the
//      machine's speed drifts: the order and the rounds cancel that);
//   3. the rule runs' backlog: BACKLOG contact messages are posted through a node that runs no jobs
//      (CONFAB_JOB_CONCURRENCY=0), then a node with job workers drains the runs they queued; runs/s
//      from the runs' own timestamps.
// Prints the two loads side by side, with the goals (throughput within 15%, p99 within 20%,
// drain ≥ 500 runs/s).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonRequester, startConfab } from './http.mjs';
import { cpuSeconds, treeCpuSeconds } from './proc.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLIENTS = Number(process.env.CLIENTS ?? 20);
const AGENTS = Number(process.env.AGENTS ?? 4);
const SECONDS = Number(process.env.DURATION ?? 10);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);
const BACKLOG = Number(process.env.BACKLOG ?? 2000);
/** Rounds of none – rules – rules – none per API (ROUNDS, default 2): see the loop below. */
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const RULES = 100;
const MATCHING = 5;

const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));
const { migrate } = await import(path.join(root, 'dist/core/db/migrate.js'));
const { createAccountWithAdministrator } = await import(path.join(root, 'dist/domains/accounts/service.js'));
const { sql } = await import('kysely');

const agent = new http.Agent({ keepAlive: true, maxSockets: (CLIENTS + AGENTS) * 2 });
const request = jsonRequester(agent);
const children = [];
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function ok(method, url, body, headers) {
  const res = await request(method, url, body, headers);
  if (res.status !== 200) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * CPU seconds so far of the server node and of PostgreSQL (the postmaster and its backends: this
 * process's other descendants), so that a load's cost per message shows where rules spend it.
 */
let serverPid = 0;
function cpuReading() {
  const server = treeCpuSeconds(serverPid);
  return { server, postgres: treeCpuSeconds(process.pid) - cpuSeconds(process.pid) - server };
}

/** `targets` ({url, headers}) are posted to back to back for the warm-up, then SECONDS measured. */
async function load(targets) {
  const latencies = [];
  const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
  const stopAt = warmUntil + SECONDS * 1000;
  let n = 0;
  let cpuAtStart;
  const warm = setTimeout(() => {
    cpuAtStart = cpuReading();
  }, WARMUP_SECONDS * 1000);
  await Promise.all(
    targets.map(async ({ url, headers }) => {
      while (Date.now() < stopAt) {
        const started = process.hrtime.bigint();
        await ok('POST', url, { content: `order ${n++} has not arrived` }, headers);
        if (Date.now() >= warmUntil) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  clearTimeout(warm);
  const cpuAtEnd = cpuReading();
  const perMessage = (key) => (cpuAtStart ? ((cpuAtEnd[key] - cpuAtStart[key]) * 1e6) / latencies.length : NaN);
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / SECONDS,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    serverCpu: perMessage('server'),
    postgresCpu: perMessage('postgres'),
  };
}

/**
 * A hundred rules as a busy account has them: most watch other words, other inboxes, other
 * statuses; MATCHING of them match every bench message (content contains "order") and add a label
 * or raise the priority — after the first message those change nothing, as in a real account where
 * a rule tags a conversation once.
 */
function ruleBodies(inboxId) {
  const bodies = [];
  const condition = (attribute_key, filter_operator, values, query_operator = null) => ({
    attribute_key,
    filter_operator,
    values,
    query_operator,
  });
  for (let i = 0; i < MATCHING; i++) {
    bodies.push({
      name: `Orders ${i}`,
      event_name: 'message_created',
      conditions: [condition('content', 'contains', ['order'])],
      actions:
        i === 0
          ? [{ action_name: 'change_priority', action_params: ['high'] }]
          : [{ action_name: 'add_label', action_params: [`orders-${i}`] }],
    });
  }
  const events = ['message_created', 'conversation_created', 'conversation_updated', 'conversation_opened'];
  for (let i = bodies.length; i < RULES; i++) {
    const event_name = events[i % events.length];
    const conditions =
      event_name === 'message_created'
        ? [
            condition('content', 'contains', [`refund-${i}`], 'OR'),
            condition('content', 'contains', [`invoice-${i}`], 'AND'),
            condition('inbox_id', 'equal_to', [inboxId + 1000]),
          ]
        : [condition('status', 'equal_to', ['snoozed'], 'AND'), condition('priority', 'equal_to', ['urgent'])];
    bodies.push({
      name: `Rule ${i}`,
      description: 'not matching the bench messages',
      event_name,
      conditions,
      actions: [{ action_name: 'add_label', action_params: ['escalated'] }],
    });
  }
  return bodies;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-automation-'));
fs.chmodSync(dir, 0o755);
// the cluster a node started with CONFAB_DATA_DIR=dir attaches to, as `confab start` on its own
// embedded PostgreSQL does (it then runs its background work's backends at a lower priority, which a
// node given DATABASE_URL leaves to the operator); started here so it outlives the nodes
const pg = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
const database = await openDatabase({ databaseUrl: pg.url, dataDir: dir, embeddedPgPort: 0 });
const stopNode = async (child) => {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
};
try {
  await migrate(database.db);
  const { account, user } = await createAccountWithAdministrator(database.db, {
    accountName: 'Bench',
    name: 'Bench Admin',
    email: 'bench@example.com',
    password: 'Passw0rd!',
  });
  const env = {
    DATABASE_URL: '',
    CONFAB_PUBLIC_RATE_LIMIT: '0',
    CONFAB_PUBLIC_RATE_LIMIT_IP: '0',
    CONFAB_DATA_DIR: dir,
  };
  const start = (extra = {}) =>
    startConfab(root, { ...env, ...extra }, { request, onSpawn: (child) => children.push(child) });
  const confab = await start();
  serverPid = confab.child.pid;
  const api = `${confab.url}/api/v1/accounts/${account.id}`;
  const auth = { api_access_token: user.accessToken };
  const inbox = await ok('POST', `${api}/inboxes`, { name: 'Bench chat', channel: { type: 'api' } }, auth);
  for (const title of ['escalated', ...Array.from({ length: MATCHING }, (_, i) => `orders-${i}`)])
    await ok('POST', `${api}/labels`, { title }, auth);
  const publicBase = `${confab.url}/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`;
  const conversations = await Promise.all(
    Array.from({ length: CLIENTS + AGENTS }, async (_, i) => {
      const contact = await ok('POST', publicBase, { name: `Visitor ${i}` });
      const conversation = await ok('POST', `${publicBase}/${contact.source_id}/conversations`);
      return { source: contact.source_id, id: conversation.id };
    }),
  );
  const clientTargets = conversations
    .slice(0, CLIENTS)
    .map((c) => ({ url: `${publicBase}/${c.source}/conversations/${c.id}/messages`, headers: {} }));
  const agentTargets = conversations
    .slice(CLIENTS)
    .map((c) => ({ url: `${api}/conversations/${c.id}/messages`, headers: auth }));

  const runsSoFar = async () =>
    Number((await sql`select count(*)::int as n from automation_rule_run_list`.execute(database.db)).rows[0].n);
  // events waiting for the drainer, and the jobs of the events whose rules change something
  const pendingJobs = async () =>
    Number(
      (
        await sql`select (select count(*) from graphile_worker.jobs) + (select count(*) from automation_events) as n`.execute(
          database.db,
        )
      ).rows[0].n,
    );
  console.log(
    `Message creation with ${RULES} active automation rules (${MATCHING} matching each message) against none: ${CLIENTS} contacts (Client API) and ${AGENTS} agents (Application API) posting back to back, ${SECONDS} s each after ${WARMUP_SECONDS} s warm-up, embedded PostgreSQL, ${os.cpus().length} CPUs`,
  );
  for (const body of ruleBodies(inbox.id)) await ok('POST', `${api}/automation_rules`, body, auth);
  // no rule work left over from the phase before: events drained, their jobs done
  const settle = async () => {
    while ((await pendingJobs()) > 0) await new Promise((r) => setTimeout(r, 100));
  };
  const setRules = async (active) => {
    await sql`update automation_rules set active = ${active} where account_id = ${account.id}`.execute(database.db);
    await settle();
  };
  // The two loads alternate, none – rules – rules – none, ROUNDS times, each figure the mean of its
  // runs: a fresh cluster gets slower as it grows (new WAL segments, autovacuum, bigger tables), so
  // whichever ran second would look worse, and this machine's speed drifts by ±15% from one 10 s
  // run to the next (identical runs of one load differ by as much as rules cost), which one round
  // left to chance. The rules' first matches, which tag each conversation once, happen in the
  // first rules run, as in an account whose rules just went live.
  await setRules(false);
  await load(clientTargets); // warms the cluster and the server before anything is measured
  const mean = (runs) =>
    Object.fromEntries(
      Object.keys(runs[0]).map((key) => [key, runs.reduce((sum, r) => sum + r[key], 0) / runs.length]),
    );
  const none = {};
  const rules = {};
  for (const [key, targets] of [
    ['client', clientTargets],
    ['app', agentTargets],
  ]) {
    const runs = { none: [], rules: [] };
    const order = [];
    for (let round = 0; round < ROUNDS; round++) {
      order.push(['none', await load(targets)]);
      await setRules(true);
      order.push(['rules', await load(targets)]);
      await settle();
      order.push(['rules', await load(targets)]);
      await setRules(false);
      order.push(['none', await load(targets)]);
    }
    for (const [label, run] of order) runs[label].push(run);
    none[key] = mean(runs.none);
    rules[key] = mean(runs.rules);
    // RUNS=1: each run's figures, in the order they ran
    if (process.env.RUNS)
      for (const [label, run] of order)
        console.log(
          `  ${key} ${label.padEnd(5)} ${Math.round(run.rate)}/s p50 ${run.p50.toFixed(1)} p99 ${run.p99.toFixed(1)} ms, CPU/msg server ${Math.round(run.serverCpu)} µs, PostgreSQL ${Math.round(run.postgresCpu)} µs`,
        );
  }
  await setRules(true);

  const row = (label, a, b, better, goal) => {
    const ratio = b / a;
    const met = goal === null || (better === 'higher' ? ratio >= goal : ratio <= goal);
    const verdict =
      goal === null ? '' : `goal ${better === 'higher' ? '≥' : '≤'} ${goal * 100}%  ${met ? 'met' : 'NOT met'}`;
    const fmt = (v) =>
      label.includes('/s')
        ? Math.round(v).toLocaleString('en')
        : label.includes('CPU')
          ? `${Math.round(v)} µs`
          : `${v.toFixed(1)} ms`;
    console.log(
      `  ${label.padEnd(30)} ${fmt(a).padStart(10)} ${fmt(b).padStart(12)}   ${(ratio * 100).toFixed(0).padStart(4)}%   ${verdict}`,
    );
  };
  console.log(`  ${''.padEnd(30)} ${'no rules'.padStart(10)} ${`${RULES} rules`.padStart(12)}   ratio`);
  for (const [key, name] of [
    ['client', 'Client API'],
    ['app', 'Application API'],
  ]) {
    row(`${name} messages/s`, none[key].rate, rules[key].rate, 'higher', 0.85);
    row(`${name} p50`, none[key].p50, rules[key].p50, 'lower', null);
    row(`${name} p99`, none[key].p99, rules[key].p99, 'lower', 1.2);
    row(`${name} server CPU/msg`, none[key].serverCpu, rules[key].serverCpu, 'lower', null);
    row(`${name} PostgreSQL CPU/msg`, none[key].postgresCpu, rules[key].postgresCpu, 'lower', null);
  }

  // the backlog: queued by a node that runs no jobs, drained by one that does
  await settle();
  await stopNode(confab.child);
  const serving = await start({ CONFAB_JOB_CONCURRENCY: '0' });
  const servingBase = `${serving.url}/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`;
  const before = await runsSoFar();
  let posted = 0;
  await Promise.all(
    conversations.slice(0, CLIENTS).map(async (c) => {
      while (posted < BACKLOG) {
        posted++;
        await ok('POST', `${servingBase}/${c.source}/conversations/${c.id}/messages`, { content: `order ${posted}` });
      }
    }),
  );
  const queued = await pendingJobs();
  const drainStart = new Date();
  const worker = await start();
  while ((await pendingJobs()) > 0) await new Promise((r) => setTimeout(r, 100));
  const drained = (
    await sql`select count(*)::int as n, min(created_at) as first, max(created_at) as last from automation_rule_run_list where created_at >= ${drainStart}`.execute(
      database.db,
    )
  ).rows[0];
  const seconds = (new Date(drained.last) - new Date(drained.first)) / 1000;
  console.log(
    `  rule runs backlog: ${posted.toLocaleString('en')} messages queued ${queued.toLocaleString('en')} events; ${(await runsSoFar()) - before} runs recorded, drained at ${Math.round(drained.n / seconds).toLocaleString('en')} runs/s (goal ≥ 500)`,
  );
  await stopNode(worker.child);
  await stopNode(serving.child);
} finally {
  for (const child of children) await stopNode(child).catch(() => {});
  agent.destroy();
  await database.close();
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
