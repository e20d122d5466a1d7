// npm run bench:contacts — imports a generated CSV of CONTACTS rows (default 1,000,000) with
// `confab contacts import` (rows/s, peak RSS), then serves the account and times list (page 1 and
// page 1000), search and filter over HTTP, printing p50/p99 of each.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFigure } from './figures.mjs';
import { mb } from './proc.mjs';

import { startServer } from './server.mjs';

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

const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));
const { migrate } = await import(path.join(root, 'dist/core/db/migrate.js'));
const { createAccountWithAdministrator } = await import(path.join(root, 'dist/domains/accounts/service.js'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-contacts-'));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0 });

function writeCsv(file) {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('error', reject);
    let i = 0;
    const cities = ['Rome', 'Berlin', 'Lagos', 'Lima', 'Osaka', 'Austin', 'Pune', 'Oslo'];
    const pump = () => {
      let ok = true;
      if (i === 0) out.write('name,email,phone_number,identifier,city,plan\n');
      while (i < ROWS && ok) {
        const n = i++;
        ok = out.write(
          `Person ${n},person${n}@example${n % 97}.com,+1${String(5550000000 + n)},crm-${n},${cities[n % cities.length]},${n % 10 === 0 ? 'pro' : 'free'}\n`,
        );
      }
      if (i < ROWS) out.once('drain', pump);
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

async function timeRequests(label, make) {
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const { url, init } = make(i);
    const started = process.hrtime.bigint();
    const res = await fetch(url, init);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  if (FIGURE_OF[label]) recordFigure(FIGURE_OF[label], pick(0.99), { contacts: ROWS });
  console.log(
    `  ${label.padEnd(44)} p50 ${pick(0.5).toFixed(1).padStart(7)} ms   p99 ${pick(0.99).toFixed(1).padStart(7)} ms`,
  );
}

let server;
try {
  const env = { DATABASE_URL: pg.url, LOG_LEVEL: 'warn' };
  const database = await openDatabase({ databaseUrl: pg.url, dataDir: dir, embeddedPgPort: 0 });
  await migrate(database.db);
  const { account, user } = await createAccountWithAdministrator(database.db, {
    accountName: 'Bench',
    name: 'Bench Admin',
    email: 'bench@example.com',
    password: 'Passw0rd!',
  });
  await database.close();

  const csv = path.join(dir, 'contacts.csv');
  await writeCsv(csv);
  const imported = await run(['contacts', 'import', csv, '--account', String(account.id)], env);
  console.log(
    `Contacts import (${ROWS.toLocaleString('en')} rows, ${mb(fs.statSync(csv).size / 1024)} CSV, embedded PostgreSQL)`,
  );
  console.log(`  ${imported.out.trim().split('\n').at(-1)}`);
  console.log(
    `  ${Math.round(ROWS / imported.seconds).toLocaleString('en')} rows/s (${imported.seconds.toFixed(1)} s), peak RSS of the importing process ${mb(imported.peakKb)}`,
  );
  recordFigure('contacts.import.rate', ROWS / imported.seconds, { contacts: ROWS });
  recordFigure('contacts.import.rss', imported.peakKb / 1024, { contacts: ROWS });

  server = await startServer(root, { ...env, PORT: '0', LOG_LEVEL: 'info' });
  const base = `${server.url}/api/v1/accounts/${account.id}`;
  const headers = { api_access_token: user.accessToken };
  const get = (p) => () => ({ url: `${base}${p}`, init: { headers } });
  const post = (p, body) => () => ({
    url: `${base}${p}`,
    init: { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  });
  console.log(`HTTP latency over ${SAMPLES} sequential requests each`);
  await timeRequests('list page 1', get('/contacts'));
  await timeRequests('list page 1000', get('/contacts?page=1000'));
  await timeRequests('list page 1, sort=-last_activity_at', get('/contacts?sort=-last_activity_at'));
  await timeRequests('search rare (one match)', (i) => get(`/contacts/search?q=person${12345 + i}@`)());
  await timeRequests('search common (first page)', get('/contacts/search?q=example4'));
  await timeRequests('filter email contains (rare)', (i) =>
    post('/contacts/filter', {
      payload: [{ attribute_key: 'email', filter_operator: 'contains', values: [`person${54321 + i}@`] }],
    })(),
  );
  await timeRequests(
    'filter city AND identifier',
    post('/contacts/filter', {
      payload: [
        { attribute_key: 'city', filter_operator: 'equal_to', values: ['Rome'], query_operator: 'AND' },
        { attribute_key: 'identifier', filter_operator: 'equal_to', values: ['crm-800'] },
      ],
    }),
  );
} finally {
  server?.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
