// npm run bench:webhooks — account webhook deliveries from one built Confab node (`confab start`)
// on an embedded PostgreSQL to a local receiver that answers 200 at once. An account webhook is
// subscribed to message_created; messages are posted through the API.
//   0. Warm-up: WARMUP (default 1,000) deliveries are piled up and drained the same way, unmeasured
//      but for a line of their own: a new server's drainer thread runs its first deliveries' code
//      interpreted and opens its connections (676/s cold against 1,597/s warm in one run), while a
//      backlog builds up on a server that has been delivering.
//   1. BACKLOG (default 1,000) messages are posted while the receiver holds every answer, so the
//      deliveries pile up; the receiver then answers and the time to drain them gives deliveries/s.
//   2. The same with API load running during the drain: deliveries/s, and the API's p50/p99 (POST
//      messages, GET conversations) while the backlog drains, next to the same load for QUIET_SECONDS
//      with no backlog, ROUNDS (2) times each, interleaved, each p99 over all its rounds' requests. This backlog (LOADED_BACKLOG) defaults to what step 1's rate drains in
//      QUIET_SECONDS, so the drain lasts at least as long as the load it is compared with: a
//      1,000-delivery backlog drained in under a second, and the p99 of its 30-odd requests was
//      their slowest one.
// Prints figures only.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFigure } from './figures.mjs';
import { benchStopper, embeddedBenchAccount, jsonRequester, startConfab } from './http.mjs';
import { cpuSeconds, processTree } from './proc.mjs';
import { startReceiver } from './receiver.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const BACKLOG = Number(process.env.BACKLOG ?? 1000);
const WARMUP = Number(process.env.WARMUP ?? 1000);
const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 20);
// API load: this many clients, each alternating POST message / GET conversations back to back
const API_CLIENTS = Number(process.env.API_CLIENTS ?? 4);
const QUIET_SECONDS = Number(process.env.QUIET_SECONDS ?? 5);
/** Rounds of API load without and with a draining backlog (ROUNDS, default 2): see step 2 below. */
const ROUNDS = Number(process.env.ROUNDS ?? 2);

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const request = jsonRequester(agent);
let confab;
let pg;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-webhooks-'));
fs.chmodSync(dir, 0o755);

/** Stops what this bench started: the server, then PostgreSQL; safe to call twice. */
const stopAll = benchStopper(() => ({ confab, agent, pg, dir }));

/**
 * CPU seconds used so far by the server and PostgreSQL (every process under this one but itself,
 * whose receiver and API clients are not counted): on a machine shared with other work, CPU per
 * delivery is the steadier figure of the two.
 */
const serverCpu = () =>
  processTree(process.pid)
    .filter((pid) => pid !== process.pid)
    .reduce((sum, pid) => sum + cpuSeconds(pid), 0);
/** The Node server's own share (PostgreSQL is this process's child, not the server's). */
const nodeCpu = () => (confab ? processTree(confab.pid).reduce((sum, pid) => sum + cpuSeconds(pid), 0) : 0);

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (v) => `${v.toFixed(1).padStart(6)} ms`;

/** API_CLIENTS clients alternate POST message / GET conversations until `stop()` resolves; latencies per kind. */
async function apiLoad(api, stop) {
  const latency = { post: [], list: [] };
  let done = false;
  void stop.then(() => {
    done = true;
  });
  let n = 0;
  await Promise.all(
    Array.from({ length: API_CLIENTS }, async (_, client) => {
      while (!done) {
        const conversation = api.conversations[(n++ + client) % api.conversations.length];
        for (const [kind, method, url, body] of [
          ['post', 'POST', `${api.base}/conversations/${conversation}/messages`, { content: `load ${n}` }],
          ['list', 'GET', `${api.base}/conversations?status=open`, undefined],
        ]) {
          const started = process.hrtime.bigint();
          const res = await request(method, url, body, api.headers);
          if (res.status !== 200) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
          latency[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
    }),
  );
  for (const list of Object.values(latency)) list.sort((a, b) => a - b);
  return latency;
}

function printApi(label, latency) {
  console.log(
    `  ${label.padEnd(42)} POST messages p50 ${ms(quantile(latency.post, 0.5))} p99 ${ms(quantile(latency.post, 0.99))}   ` +
      `GET conversations p50 ${ms(quantile(latency.list, 0.5))} p99 ${ms(quantile(latency.list, 0.99))}   (${latency.post.length + latency.list.length} requests)`,
  );
}

/** Posts `size` messages (8 at a time) while the receiver holds its answers; resolves with the count reached. */
async function buildBacklog(api, receiver, size) {
  receiver.hold();
  const start = await receiver.count();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < size) {
        const i = next++;
        const res = await request(
          'POST',
          `${api.base}/conversations/${api.conversations[i % api.conversations.length]}/messages`,
          { content: `backlog ${i}` },
          api.headers,
        );
        if (res.status !== 200) throw new Error(`backlog message: ${res.status}`);
      }
    }),
  );
  return start;
}

try {
  const seeded = await embeddedBenchAccount(root, dir);
  pg = seeded.pg;
  const { account, user } = seeded;
  await seeded.database.close();
  const receiver = await startReceiver();
  // held answers must not time out while the backlog is built
  const server = await startConfab(
    root,
    {
      ...seeded.nodeEnv,
      CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
      CONFAB_WEBHOOK_TIMEOUT_MS: '120000',
      REDIS_URL: '',
    },
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
    conversations: [],
  };
  const inbox = await request(
    'POST',
    `${api.base}/inboxes`,
    { name: 'Bench API', channel: { type: 'api' } },
    api.headers,
  );
  const hook = await request(
    'POST',
    `${api.base}/webhooks`,
    { webhook: { url: receiver.url, subscriptions: ['message_created'] } },
    api.headers,
  );
  if (inbox.status !== 200 || hook.status !== 200) throw new Error(`setup: ${JSON.stringify([inbox.body, hook.body])}`);
  for (let i = 0; i < CONVERSATIONS; i++) {
    const contact = await request('POST', `${api.base}/contacts`, { name: `Contact ${i}` }, api.headers);
    const conversation = await request(
      'POST',
      `${api.base}/conversations`,
      { inbox_id: inbox.body.id, contact_id: contact.body.payload.contact.id },
      api.headers,
    );
    api.conversations.push(conversation.body.id);
  }

  console.log(
    `Webhooks: one node, embedded PostgreSQL, ${os.cpus().length} CPUs, a local receiver answering 200 at once, backlog ${BACKLOG.toLocaleString('en')} message_created deliveries, API load ${API_CLIENTS} clients`,
  );
  /** Piles `size` deliveries up, then lets them go: the rate they drained at, and the CPU they cost each. */
  const quietDrain = async (size) => {
    const start = await buildBacklog(api, receiver, size);
    const cpuBefore = serverCpu();
    const nodeBefore = nodeCpu();
    const opened = performance.now();
    receiver.release();
    await receiver.until(start + size);
    return {
      rate: size / ((performance.now() - opened) / 1000),
      cpuMs: ((serverCpu() - cpuBefore) * 1000) / size,
      nodeMs: ((nodeCpu() - nodeBefore) * 1000) / size,
    };
  };
  // 0. a warm-up drain, unmeasured: a new server's drainer thread runs its first few thousand
  // deliveries' code interpreted (a running server's is compiled)
  if (WARMUP > 0) {
    const { rate } = await quietDrain(WARMUP);
    console.log(
      `  ${"(warm-up: a new server's first drain)".padEnd(42)} ${Math.round(rate).toLocaleString('en').padStart(6)} deliveries/s`,
    );
  }
  // 1. drain with nothing else running
  const { rate: quietRate, cpuMs, nodeMs } = await quietDrain(BACKLOG);
  console.log(
    `  ${'drain, no API load'.padEnd(42)} ${Math.round(quietRate).toLocaleString('en').padStart(6)} deliveries/s   ` +
      `server + PostgreSQL CPU ${cpuMs.toFixed(2)} ms a delivery (Node ${nodeMs.toFixed(2)}; ${Math.round(1000 / cpuMs).toLocaleString('en')}/s a core)`,
  );

  // 2. and 3., ROUNDS times: the API with no backlog (each message it posts adds one delivery, sent
  // at once), then while a backlog drains; each p99 over the rounds' requests together (one round's
  // ~200 POSTs made its p99 their second slowest, and the quiet figure alone moved 55-165 ms)
  const loadedBacklog = Number(process.env.LOADED_BACKLOG ?? Math.max(BACKLOG, Math.round(quietRate * QUIET_SECONDS)));
  const quiet = { post: [], list: [] };
  const latency = { post: [], list: [] };
  let drainSeconds = 0;
  const pool = (into, from) => {
    for (const kind of Object.keys(into)) into[kind].push(...from[kind]);
  };
  for (let round = 0; round < ROUNDS; round++) {
    pool(quiet, await apiLoad(api, new Promise((r) => setTimeout(r, QUIET_SECONDS * 1000))));
    await new Promise((r) => setTimeout(r, 1000));
    const before = await buildBacklog(api, receiver, loadedBacklog);
    const opened = performance.now();
    receiver.release();
    const drained = receiver.until(before + loadedBacklog).then(() => performance.now());
    pool(latency, await apiLoad(api, drained));
    drainSeconds += ((await drained) - opened) / 1000;
  }
  for (const list of [...Object.values(quiet), ...Object.values(latency)]) list.sort((x, y) => x - y);
  const loadedRate = (loadedBacklog * ROUNDS) / drainSeconds;
  printApi(`API, no backlog (${ROUNDS} × ${QUIET_SECONDS} s)`, quiet);
  console.log(
    `  ${'drain, with API load'.padEnd(42)} ${Math.round(loadedRate).toLocaleString('en').padStart(6)} deliveries/s`,
  );
  printApi(`API while ${ROUNDS} × ${loadedBacklog.toLocaleString('en')} deliveries drain`, latency);
  const conditions = {
    backlog: BACKLOG,
    'backlog under load': loadedBacklog,
    rounds: ROUNDS,
    'API clients': API_CLIENTS,
  };
  recordFigure('webhooks.drain', quietRate, conditions);
  recordFigure('webhooks.drain.loaded', loadedRate, conditions);
  recordFigure('webhooks.api.p99_ratio', quantile(latency.post, 0.99) / quantile(quiet.post, 0.99), conditions);
  // the message figures (api.message.*) are bench/message.mjs's: a reply that also notifies an assignee
  await receiver.close();
} finally {
  await stopAll();
}
