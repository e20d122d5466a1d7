// What the HTTP benches share: JSON requests over a kept-alive agent, a free port, starting Confab.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/** A JSON request function over `agent`: resolves with the status and the parsed body. */
export function jsonRequester(agent) {
  return function request(method, url, body, headers = {}) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        url,
        {
          method,
          agent,
          headers: {
            ...headers,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  };
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * Starts `confab start` (root's dist/cli.js) on a free port, at LOG_LEVEL warn unless
 * BENCH_LOG_LEVEL says otherwise, and waits until GET /api answers. `onSpawn` gets the child at
 * once, so a caller can stop it even when it never comes up. The server's node takes NODE_ARGS
 * (e.g. NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof': NODE_OPTIONS refuses --cpu-prof).
 */
export async function startConfab(root, env, { request, onSpawn = () => {} }) {
  const nodeArgs = (process.env.NODE_ARGS ?? '').split(' ').filter(Boolean);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/cli.js'), 'start'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  onSpawn(child);
  let errors = '';
  child.stderr.on('data', (c) => {
    if (errors.length < 100_000) errors += c;
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`confab exited ${child.exitCode}: ${errors}`);
    try {
      if ((await request('GET', `${url}/api`)).status === 200) return { child, url };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('confab did not start');
}

/**
 * Times `samples` sequential requests — `make(i)` gives the i-th `{ url, init }` for fetch, and
 * each must answer 200 — prints the label with p50 and p99, and returns both (milliseconds).
 */
export async function timeRequests(label, make, { samples, width = 44, warmup = 0 }) {
  // untimed first: a server that has just started compiles its validators and plans
  for (let i = 0; i < warmup; i++) {
    const { url, init } = make(i);
    await (await fetch(url, init)).arrayBuffer();
  }
  const times = [];
  for (let i = 0; i < samples; i++) {
    const { url, init } = make(i);
    const started = process.hrtime.bigint();
    const res = await fetch(url, init);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const [p50, p99] = [pick(0.5), pick(0.99)];
  console.log(`  ${label.padEnd(width)} p50 ${p50.toFixed(1).padStart(7)} ms   p99 ${p99.toFixed(1).padStart(7)} ms`);
  return { p50, p99 };
}

/**
 * An embedded PostgreSQL in `dir`, migrated, with one account and its administrator (made with
 * root's built services): what the HTTP benches start from. The caller stops `pg`; `nodeEnv` is
 * what a `confab start` node on it is given.
 */
export async function embeddedBenchAccount(root, dir) {
  const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
  const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));
  const { migrate } = await import(path.join(root, 'dist/core/db/migrate.js'));
  const { createAccountWithAdministrator } = await import(path.join(root, 'dist/domains/accounts/service.js'));
  // in `dir` itself: a node started with CONFAB_DATA_DIR=dir and no DATABASE_URL (nodeEnv) attaches
  // to it as `confab start` does to its own (background work's backends at a lower priority)
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
  const database = await openDatabase({ databaseUrl: pg.url, dataDir: dir, embeddedPgPort: 0 });
  try {
    await migrate(database.db);
    const { account, user } = await createAccountWithAdministrator(database.db, {
      accountName: 'Bench',
      name: 'Bench Admin',
      email: 'bench@example.com',
      password: 'Passw0rd!',
    });
    return { pg, database, account, user, nodeEnv: { CONFAB_DATA_DIR: dir, DATABASE_URL: '' } };
  } catch (error) {
    await database.close();
    await pg.stop();
    throw error;
  }
}

/** Stops a `confab start` child: SIGTERM, then SIGKILL after 5 s. */
async function stopConfab(child) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => {
    child.once('exit', r);
    setTimeout(r, 5000);
  });
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * A bench's stop: the server, the keep-alive agent, what `more` closes (in its order), then
 * PostgreSQL and the bench's directory; once, however often it is called (its finally block, a
 * signal, which it listens for). `parts` is read at stop time: the server and PostgreSQL start later.
 */
export function benchStopper(parts) {
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      const { confab, agent, pg, dir, more = [] } = parts();
      await stopConfab(confab);
      agent.destroy();
      for (const close of more) await close();
      await pg?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop().finally(() => process.exit(130)));
  return stop;
}
