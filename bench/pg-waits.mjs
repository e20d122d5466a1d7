// node bench/pg-waits.mjs [SECONDS] — run beside a bench (bench:webhooks, bench:message, …): samples
// what the active client backends of the newest bench's embedded PostgreSQL wait on, every 2 ms,
// until SECONDS (default 120) pass or the bench stops it; prints the counts by application_name and
// wait event (CPU: none), and each 5 s window's waits. A diagnostic, not a figure: it adds its own
// load. bench:webhooks on 2 CPUs (2026-12-07): the API's backends waited mostly on Lock:object (the
// advisory lock realtime_store takes to order the broadcasts it stores) and on WALWrite / WalSync.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const seconds = Number(process.argv[2] ?? 120);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The newest bench data directory whose PostgreSQL runs (waits for one to appear). */
async function benchDataDir() {
  for (;;) {
    const dirs = fs
      .readdirSync(os.tmpdir())
      .filter((d) => d.startsWith('confab-bench'))
      .map((d) => path.join(os.tmpdir(), d))
      .filter(
        (d) => fs.existsSync(path.join(d, 'pg', 'postmaster.pid')) && fs.existsSync(path.join(d, 'credentials.json')),
      );
    if (dirs.length) return dirs.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    await sleep(200);
  }
}

const dir = await benchDataDir();
const credentials = JSON.parse(fs.readFileSync(path.join(dir, 'credentials.json'), 'utf8'));
const port = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
const client = new pg.Client({
  host: '127.0.0.1',
  port,
  user: credentials.user,
  password: credentials.password,
  database: 'confab',
  application_name: 'bench pg-waits',
});
client.on('error', () => undefined);
await client.connect();
console.log(`sampling ${dir}`);
const walAt = async () => (await client.query('select pg_current_wal_lsn() as lsn')).rows[0].lsn;
const firstWal = await walAt();
let lastWal = firstWal;

const totals = new Map();
const windows = new Map();
const started = Date.now();
let samples = 0;
while (Date.now() < started + seconds * 1000) {
  let rows;
  try {
    ({ rows } =
      await client.query(`select application_name as app, coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait
      from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and backend_type = 'client backend'`));
  } catch {
    break; // the bench stopped its PostgreSQL
  }
  samples++;
  if (samples % 100 === 0) lastWal = await walAt().catch(() => lastWal);
  const window = Math.floor((Date.now() - started) / 5000);
  const counts = windows.get(window) ?? new Map();
  windows.set(window, counts);
  for (const { app, wait } of rows) {
    const key = `${app} ${wait}`;
    totals.set(key, (totals.get(key) ?? 0) + 1);
    if (wait !== 'CPU') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  await sleep(2);
}
await client.end().catch(() => undefined);
/** A WAL position ("16/B374D848") as a byte offset. */
const walOffset = (lsn) => {
  const [high, low] = lsn.split('/');
  return BigInt(`0x${high}`) * 2n ** 32n + BigInt(`0x${low}`);
};
const walMb = (Number(walOffset(lastWal) - walOffset(firstWal)) / 1e6).toFixed(1);

const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(
  `${samples} samples, WAL written meanwhile ${walMb} MB (to the last sample of 100); active backends seen, by application and wait event:`,
);
for (const [key, n] of top(totals, 25)) console.log(`${String(n).padStart(8)}  ${key}`);
console.log('waits by 5 s window:');
for (const [window, counts] of [...windows].sort((a, b) => a[0] - b[0]))
  console.log(
    `${String(window * 5).padStart(5)} s  ${top(counts, 5)
      .map(([k, n]) => `${k}=${n}`)
      .join('  ')}`,
  );
