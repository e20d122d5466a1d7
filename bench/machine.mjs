// npm run bench:machine — how fast this machine is today, on fixed work that no Confab change moves:
// Node's CPU (JSON and SHA-256 over a fixed object), the embedded PostgreSQL's initdb, a bulk insert
// with an index, and single-row inserts and reads one round trip at a time. The figures of issue 23
// are absolute, and the 2-CPU machines the benches run on have differed by 2× between sessions (the
// contacts import of commit 6a84e97: 24.7k rows/s on the day it landed, 10.7k on 2026-12-07): these
// readings, printed under `npm run bench`'s table, tell a slower machine from a slower Confab.
// Best of 3 each.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { recordMachine } from './figures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));

const best = async (runs, work) => {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
};

// a message-sized object, as the server serialises and hashes many
const sample = {
  id: 123456,
  content: 'Hello, I would like to know where my order is. '.repeat(8),
  attachments: [],
  sender: { id: 42, name: 'Jane Doe', email: 'jane@example.com', type: 'contact' },
  conversation: { id: 99, status: 'open', labels: ['billing', 'vip'], custom_attributes: { plan: 'pro' } },
};
const nodeMs = await best(3, () => {
  let digest = '';
  for (let i = 0; i < 20_000; i++) {
    const text = JSON.stringify({ ...sample, id: i });
    digest = createHash('sha256')
      .update(JSON.parse(text).content + digest)
      .digest('hex');
  }
  return digest;
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-machine-'));
fs.chmodSync(dir, 0o755);
let database;
try {
  const initStarted = performance.now();
  database = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
  const initdbMs = performance.now() - initStarted;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const bulkMs = await best(3, async () => {
      await client.query('drop table if exists machine_bulk');
      await client.query('create table machine_bulk (id bigserial primary key, k text not null, n int not null)');
      await client.query(`insert into machine_bulk (k, n) select md5(g::text), g from generate_series(1, 100000) g`);
      await client.query('create index on machine_bulk (k)');
    });
    await client.query('create table machine_rows (id bigserial primary key, k text not null)');
    const roundTrips = 2_000;
    const rowMs = await best(3, async () => {
      for (let i = 0; i < roundTrips; i++)
        await client.query({
          name: 'machine_row',
          text: 'insert into machine_rows (k) values ($1)',
          values: [`k${i}`],
        });
    });
    const readMs = await best(3, async () => {
      for (let i = 0; i < roundTrips; i++)
        await client.query({ name: 'machine_read', text: 'select k from machine_rows where id = $1', values: [i + 1] });
    });
    const readings = {
      node: nodeMs,
      initdb: initdbMs,
      bulk: bulkMs,
      // each commits on its own and waits for the WAL's flush: mostly the disk's sync latency
      row: (rowMs * 1000) / roundTrips,
      read: (readMs * 1000) / roundTrips,
    };
    console.log(
      `Machine today: Node work ${nodeMs.toFixed(0)} ms, embedded PostgreSQL initdb + start ${initdbMs.toFixed(0)} ms, ` +
        `100k-row insert + index ${bulkMs.toFixed(0)} ms, a round trip: single-row insert (committed) ` +
        `${readings.row.toFixed(0)} µs, select by key ${readings.read.toFixed(0)} µs`,
    );
    recordMachine(readings);
  } finally {
    await client.end();
  }
} finally {
  await database?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
