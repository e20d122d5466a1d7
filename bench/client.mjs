// npm run bench:client — Client API message creation under load: CONTACTS (default 50) contacts,
// each with its own conversation, post messages back to back for DURATION seconds (default 10) against the
// built server (`confab start`) on an embedded PostgreSQL; prints messages/s, p50 and p99. The
// same load then runs against a bare Fastify + pg route doing one INSERT (bench/client-baseline.mjs),
// in this run, on the same PostgreSQL, so the two figures are comparable.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonRequester, startConfab } from './http.mjs';
import { cpuSeconds, treeCpuSeconds } from './proc.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONTACTS = Number(process.env.CONTACTS ?? 50);
const SECONDS = Number(process.env.DURATION ?? 10);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);

const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));
const { migrate } = await import(path.join(root, 'dist/core/db/migrate.js'));
const { createAccountWithAdministrator } = await import(path.join(root, 'dist/domains/accounts/service.js'));

const children = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: CONTACTS * 2 });
const request = jsonRequester(agent);

function spawnServer(args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (c) => {
      out += c;
      const match = ready.exec(out);
      if (!match) return;
      // from here on the output is drained unread: scanning it per request would load this process
      child.stdout.off('data', onData).on('data', () => {});
      child.stderr.off('data', onData).on('data', () => {});
      resolve({ child, url: match[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/** CPU seconds so far of the server, PostgreSQL (postmaster and its backends) and this load generator. */
function cpuReading(serverPid, postmasterPid) {
  const own = process.cpuUsage();
  return {
    server: cpuSeconds(serverPid),
    postgres: treeCpuSeconds(postmasterPid),
    load: (own.user + own.system) / 1e6,
  };
}

/**
 * CONTACTS workers post back to back; each message's latency is recorded once warm-up is over,
 * and the CPU each process spent in that window is divided by the messages stored in it.
 */
async function load(label, urls, serverPid, postmasterPid) {
  const latencies = [];
  let failures = 0;
  const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
  const stopAt = warmUntil + SECONDS * 1000;
  let n = 0;
  let cpuAtStart;
  const warm = setTimeout(() => {
    cpuAtStart = cpuReading(serverPid, postmasterPid);
  }, WARMUP_SECONDS * 1000);
  await Promise.all(
    urls.map(async (url) => {
      while (Date.now() < stopAt) {
        const started = process.hrtime.bigint();
        const res = await request('POST', url, { content: `message ${n++}` });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (res.status !== 200) failures++;
        else if (Date.now() >= warmUntil) latencies.push(ms);
      }
    }),
  );
  clearTimeout(warm);
  const cpuAtEnd = cpuReading(serverPid, postmasterPid);
  if (failures) throw new Error(`${label}: ${failures} failed requests`);
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const rate = latencies.length / SECONDS;
  const perMessage = (key) => `${(((cpuAtEnd[key] - cpuAtStart[key]) * 1000) / latencies.length).toFixed(2)} ms`;
  console.log(
    `  ${label.padEnd(40)} ${Math.round(rate).toLocaleString('en').padStart(7)} messages/s   p50 ${pick(0.5).toFixed(1).padStart(6)} ms   p99 ${pick(0.99).toFixed(1).padStart(6)} ms`,
  );
  console.log(
    `  ${''.padEnd(40)} CPU per message: server ${perMessage('server')}, PostgreSQL ${perMessage('postgres')}, load generator ${perMessage('load')}`,
  );
  return rate;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-client-'));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0 });
try {
  const database = await openDatabase({ databaseUrl: pg.url, dataDir: dir, embeddedPgPort: 0 });
  await migrate(database.db);
  const { account, user } = await createAccountWithAdministrator(database.db, {
    accountName: 'Bench',
    name: 'Bench Admin',
    email: 'bench@example.com',
    password: 'Passw0rd!',
  });
  await database.close();

  // rate limits off: the bench is one IP sending as fast as it can
  const confab = await startConfab(
    root,
    { DATABASE_URL: pg.url, CONFAB_PUBLIC_RATE_LIMIT: '0', CONFAB_PUBLIC_RATE_LIMIT_IP: '0', CONFAB_DATA_DIR: dir },
    {
      request,
      onSpawn: (child) => children.push(child),
    },
  );
  const inbox = await request(
    'POST',
    `${confab.url}/api/v1/accounts/${account.id}/inboxes`,
    { name: 'Bench chat', channel: { type: 'api' } },
    { api_access_token: user.accessToken },
  );
  if (inbox.status !== 200) throw new Error(`inbox: ${JSON.stringify(inbox.body)}`);
  const base = `${confab.url}/public/api/v1/inboxes/${inbox.body.inbox_identifier}/contacts`;
  const urls = await Promise.all(
    Array.from({ length: CONTACTS }, async (_, i) => {
      const contact = await request('POST', base, { name: `Visitor ${i}` });
      const conversation = await request('POST', `${base}/${contact.body.source_id}/conversations`);
      return `${base}/${contact.body.source_id}/conversations/${conversation.body.id}/messages`;
    }),
  );

  const baseline = await spawnServer(
    [path.join(root, 'bench/client-baseline.mjs')],
    { DATABASE_URL: pg.url },
    /baseline serving on (http:\/\/[^"\s]+)/,
  );
  children.push(baseline.child);
  const baselineUrls = Array.from({ length: CONTACTS }, (_, i) => `${baseline.url}/conversations/${i + 1}/messages`);

  console.log(
    `Client API message creation: ${CONTACTS} concurrent contacts, ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, embedded PostgreSQL, ${os.cpus().length} CPUs, Confab LOG_LEVEL=${process.env.BENCH_LOG_LEVEL ?? 'warn'}`,
  );
  const postmasterPid = Number(fs.readFileSync(path.join(dir, 'data/pg/postmaster.pid'), 'utf8').split('\n')[0]);
  const ours = await load('Confab POST .../messages', urls, confab.child.pid, postmasterPid);
  const bare = await load('bare Fastify + pg, one INSERT', baselineUrls, baseline.child.pid, postmasterPid);
  console.log(`  Confab reaches ${Math.round((ours / bare) * 100)}% of the baseline's throughput`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  agent.destroy();
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
