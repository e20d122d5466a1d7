// npm run bench:priority — what lowering a background backend's priority is worth on this machine:
// the latency of a short query (a sum over 20,000 rows) on one connection of the embedded
// PostgreSQL, alone, then beside three backends kept busy (2 CPUs: more work than cores), those
// backends not lowered, lowered by their nice value only, and lowered as Confab lowers its
// background connections' (src/core/sched/lower-priority.ts: the nice value, and where the kernel
// groups processes by session, their session's). Each busy case runs ROUNDS times, interleaved.
// Prints figures only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));
const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
const { lowerPriority, autogroupNice } = await import(path.join(root, 'dist/core/sched/lower-priority.js'));
const { BACKGROUND_NICENESS } = await import(path.join(root, 'dist/core/db/kysely.js'));

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const SECONDS = Number(process.env.SECONDS ?? 5);
const BUSY = Number(process.env.BUSY ?? 3);
const SHORT = 'select sum(x) from generate_series(1, 20000) x';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-priority-'));
const cluster = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
const connect = async () => {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  return client;
};
const backendPid = async (client) => (await client.query('select pg_backend_pid() as pid')).rows[0].pid;
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The short query's latencies for SECONDS, one at a time with 5 ms between. */
async function probe(client) {
  const latencies = [];
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    const started = performance.now();
    await client.query(SHORT);
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 5));
  }
  return latencies;
}

const lowering = {
  'not lowered': () => undefined,
  'nice value only': (pid) => os.setPriority(pid, Math.min(19, os.getPriority(pid) + BACKGROUND_NICENESS)),
  "as Confab's background": (pid) => lowerPriority(pid, BACKGROUND_NICENESS),
};
const results = Object.fromEntries(Object.keys(lowering).map((name) => [name, []]));

try {
  const probeClient = await connect();
  const grouped = autogroupNice(await backendPid(probeClient)) !== undefined;
  console.log(
    `Priority: embedded PostgreSQL, ${os.cpus().length} CPUs, a short query beside ${BUSY} busy backends; ` +
      `the kernel ${grouped ? 'groups processes by session (autogroup)' : 'does not group processes by session'}`,
  );
  for (let i = 0; i < 50; i++) await probeClient.query(SHORT); // warm
  const alone = (await probe(probeClient)).sort((a, b) => a - b);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, lower] of Object.entries(lowering)) {
      const busy = await Promise.all(Array.from({ length: BUSY }, connect));
      for (const client of busy) lower(await backendPid(client));
      let stop = false;
      const running = busy.map(async (client) => {
        while (!stop) await client.query('select count(*) from generate_series(1, 3000000)');
      });
      await new Promise((r) => setTimeout(r, 300));
      results[name].push(...(await probe(probeClient)));
      stop = true;
      await Promise.all(running);
      await Promise.all(busy.map((client) => client.end()));
    }
  }
  await probeClient.end();
  const line = (label, sorted) =>
    console.log(
      `  ${label.padEnd(38)} p50 ${quantile(sorted, 0.5).toFixed(2).padStart(6)} ms   p99 ${quantile(sorted, 0.99).toFixed(2).padStart(6)} ms   (${sorted.length} queries)`,
    );
  line('alone', alone);
  for (const [name, latencies] of Object.entries(results))
    line(
      `busy backends ${name}`,
      latencies.sort((a, b) => a - b),
    );
} finally {
  await cluster.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
