// npm run bench:contacts — imports a generated CSV of CONTACTS rows (default 1,000,000) with
// `confab contacts import` (rows/s, peak RSS), serves the account and times list (page 1 and page
// 1000), search and filter over HTTP, printing p50/p99 of each; then imports a tenth as many rows
// into another account, so the peak RSS's growth with the file's size shows whether memory is flat.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFigure } from './figures.mjs';
import { timeRequests } from './http.mjs';
import { machineSettled, mb } from './proc.mjs';
import { startDatabaseWithAdministrator, startServer, withClient } from './server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROWS = Number(process.env.CONTACTS ?? 1_000_000);
const SAMPLES = Number(process.env.SAMPLES ?? 40);
// the lines below whose p99 is a figure of issue 23 (bench/figures.mjs)
const FIGURE_OF = {
  'list page 1': 'contacts.list',
  'search rare (one match)': 'contacts.search.rare',
  'search common (first page)': 'contacts.search.common',
  'filter email contains (rare)': 'contacts.filter.email',
  'filter city AND identifier': 'contacts.filter.city_identifier',
};

function writeCsv(file, rows) {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('error', reject);
    let i = 0;
    const cities = ['Rome', 'Berlin', 'Lagos', 'Lima', 'Osaka', 'Austin', 'Pune', 'Oslo'];
    const pump = () => {
      let ok = true;
      if (i === 0) out.write('name,email,phone_number,identifier,city,plan\n');
      while (i < rows && ok) {
        const n = i++;
        ok = out.write(
          `Person ${n},person${n}@example${n % 97}.com,+1${String(5550000000 + n)},crm-${n},${cities[n % cities.length]},${n % 10 === 0 ? 'pro' : 'free'}\n`,
        );
      }
      if (i < rows) out.once('drain', pump);
      else out.end(resolve);
    };
    pump();
  });
}

function run(args, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let peak = 0;
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        /* exited */
      }
    }, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(out));
      else resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakKb: peak, out });
    });
  });
}

/**
 * Three untimed requests first: the server has just started, and the first request of a route
 * compiles its validators and prepares its statements (~100 ms, `bench:startup`'s concern), which
 * over 40 samples was the list's whole p99 (p50 9.7 ms, p99 92.6 ms at 1M; 111.8 ms at 200k).
 */
async function timed(label, make) {
  const { p99 } = await timeRequests(label, make, { samples: SAMPLES, warmup: 3 });
  if (FIGURE_OF[label]) recordFigure(FIGURE_OF[label], p99, { contacts: ROWS });
}

/** Imports `rows` generated rows into the account with the CLI: its seconds, peak RSS (kB) and output. */
async function importRows(env, accountId, rows, dir) {
  const csv = path.join(dir, `contacts-${rows}.csv`);
  await writeCsv(csv, rows);
  const imported = await run(['contacts', 'import', csv, '--account', String(accountId)], env);
  imported.csvKb = fs.statSync(csv).size / 1024;
  fs.rmSync(csv);
  return imported;
}

const database = await startDatabaseWithAdministrator(root, {
  accountName: 'Bench',
  name: 'Bench Admin',
  email: 'bench@example.com',
  password: 'Passw0rd!',
});
const { account, user, dir } = database;
let server;
try {
  const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
  const imported = await importRows(env, account.id, ROWS, dir);
  console.log(`Contacts import (${ROWS.toLocaleString('en')} rows, ${mb(imported.csvKb)} CSV, embedded PostgreSQL)`);
  console.log(`  ${imported.out.trim().split('\n').at(-1)}`);
  console.log(
    `  ${Math.round(ROWS / imported.seconds).toLocaleString('en')} rows/s (${imported.seconds.toFixed(1)} s), peak RSS of the importing process ${mb(imported.peakKb)}`,
  );
  recordFigure('contacts.import.rate', ROWS / imported.seconds, { contacts: ROWS });

  server = await startServer(root, { ...env, CONFAB_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'info' });
  const base = `${server.url}/api/v1/accounts/${account.id}`;
  const headers = { api_access_token: user.accessToken };
  const get = (p) => () => ({ url: `${base}${p}`, init: { headers } });
  const post = (p, body) => () => ({
    url: `${base}${p}`,
    init: { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  });
  // timed once the machine has settled: the node compiles its request validators and starts its
  // background work in its first second, and autovacuum takes up the million rows just written; the
  // first route timed took all of that in its 40 samples (list page 1: p50 9.7 ms, p99 92-232 ms)
  const settledMs = await machineSettled();
  console.log(
    `HTTP latency over ${SAMPLES} sequential requests each, from when the machine settled (${(settledMs / 1000).toFixed(1)} s after the server answered)`,
  );
  await timed('list page 1', get('/contacts'));
  await timed('list page 1000', get('/contacts?page=1000'));
  await timed('list page 1, sort=-last_activity_at', get('/contacts?sort=-last_activity_at'));
  await timed('search rare (one match)', (i) => get(`/contacts/search?q=person${12345 + i}@`)());
  await timed('search common (first page)', get('/contacts/search?q=example4'));
  await timed('filter email contains (rare)', (i) =>
    post('/contacts/filter', {
      payload: [{ attribute_key: 'email', filter_operator: 'contains', values: [`person${54321 + i}@`] }],
    })(),
  );
  await timed(
    'filter city AND identifier',
    post('/contacts/filter', {
      payload: [
        { attribute_key: 'city', filter_operator: 'equal_to', values: ['Rome'], query_operator: 'AND' },
        { attribute_key: 'identifier', filter_operator: 'equal_to', values: ['crm-800'] },
      ],
    }),
  );

  // a tenth of the rows into another account, after the timings so they run over ROWS rows only
  const small = Math.max(1, Math.round(ROWS / 10));
  const other = await withClient(database.url, async (client) => {
    const { rows } = await client.query("insert into accounts (name) values ('Bench, small import') returning id");
    return rows[0].id;
  });
  const first = await importRows(env, other, small, dir);
  const growth = (imported.peakKb - first.peakKb) / 1024;
  console.log(
    `Contacts import of ${small.toLocaleString('en')} rows (another account): ${Math.round(small / first.seconds).toLocaleString('en')} rows/s, peak RSS ${mb(first.peakKb)}; ${(ROWS / small).toFixed(0)}× the rows: peak RSS ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB`,
  );
  recordFigure('contacts.import.rss', growth, { contacts: ROWS });
} finally {
  server?.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await database.stop();
}
