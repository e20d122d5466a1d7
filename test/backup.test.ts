// `confab backup FILE` and `confab restore FILE [--force]`: a backup restored into a fresh data
// directory holds every table row for row and every sequence where it was; a restore refuses a
// directory that holds data (unless forced), a server's running database, and a damaged file,
// changing nothing when it does.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/core/db/embedded.js';
import { buildAccountFixture, buildConversation, buildInbox } from './factories.js';
import { createTestDatabase, requestTo, startTestServer } from './harness.js';
import { runCli, startServerProcess } from './processes.js';

type Digests = Record<string, string>;

/** Every table's row count and a checksum of its rows, and every sequence's position. */
async function digests(url: string): Promise<Digests> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`set timezone = 'UTC'`); // timestamptz as text depends on it
    const tables = await client.query<{ name: string }>(
      `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname in ('public', 'graphile_worker') order by 1`,
    );
    const out: Digests = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query(
        `select count(*)::int as n, md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text) collate "C"), '')) as sum from ${name} t`,
      );
      out[name] = `${rows[0].n} rows ${rows[0].sum}`;
    }
    const sequences = await client.query(
      `select format('%I.%I', schemaname, sequencename) as name, last_value from pg_sequences
        where schemaname in ('public', 'graphile_worker')`,
    );
    for (const s of sequences.rows) out[`sequence ${s.name}`] = String(s.last_value);
    return out;
  } finally {
    await client.end();
  }
}

/** Starts the embedded PostgreSQL of a data directory, reads its digests, stops it. */
async function digestsOfDataDir(dataDir: string): Promise<Digests> {
  const embedded = await startEmbeddedPostgres({ dataDir, port: 0 });
  try {
    return await digests(embedded.url);
  } finally {
    await embedded.stop();
  }
}

let scratch: string;
let source: Awaited<ReturnType<typeof createTestDatabase>>;
let backupFile: string;
let sourceDigests: Digests;
let adminToken: string;
let accountId: number;
const tricky = 'two\nlines\tand a tab, a backslash \\ and \\. alone, "quotes", é, 😀';

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-backup-'));
  await fs.chmod(scratch, 0o755);
  backupFile = path.join(scratch, 'confab.backup');
  source = await createTestDatabase();
  const server = await startTestServer({}, source);
  try {
    const fx = await buildAccountFixture(server);
    adminToken = fx.admin.access_token;
    accountId = fx.account.id;
    const inbox = await buildInbox(fx);
    // deliveries to a host that never answers stay queued (graphile_worker's rows are in the backup too)
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: 'https://hooks.example.invalid/confab', subscriptions: ['message_created'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const contact = await fx.asAdmin('POST', '/contacts', {
      name: tricky,
      email: 'backup@example.com',
      custom_attributes: { note: tricky, n: 1.5 },
    });
    expect(contact.status, contact.text).toBe(200);
    for (let i = 0; i < 3; i++) {
      const conversation = await buildConversation(fx, inbox.id);
      const message = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: tricky });
      expect(message.status, message.text).toBe(200);
      // a wake-up job for tomorrow
      await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, {
        status: 'snoozed',
        snoozed_until: Math.floor(Date.now() / 1000) + 86_400,
      });
    }
  } finally {
    await server.close(); // the database stays; nothing changes it while it is compared
  }
  sourceDigests = await digests(source.url);
}, 240_000);

afterAll(async () => {
  await source?.drop();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

describe('confab backup and restore', () => {
  it('restores into a fresh data directory every table row for row and every sequence', async () => {
    const backup = await runCli(['backup', backupFile], { DATABASE_URL: source.url });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up \d+ tables \(\d+ rows\)/);
    expect((await fs.stat(backupFile)).mode & 0o077).toBe(0); // it holds password hashes and tokens

    const target = path.join(scratch, 'fresh');
    const restore = await runCli(['restore', backupFile], { CONFAB_DATA_DIR: target });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/^Restored \d+ tables/);

    const restored = await digestsOfDataDir(target);
    expect(restored).toEqual(sourceDigests);
    expect(Object.keys(restored).length).toBeGreaterThan(50);
    expect(sourceDigests['public.messages']).toMatch(/^[1-9]\d* rows/);
    expect(sourceDigests['graphile_worker._private_jobs']).toMatch(/^[1-9]\d* rows/);
  }, 240_000);

  it('refuses a data directory that holds anything unless forced, a damaged backup, and a file that is no backup, changing nothing', async () => {
    const target = path.join(scratch, 'fresh');
    const before = await digestsOfDataDir(target);

    const refused = await runCli(['restore', backupFile], { CONFAB_DATA_DIR: target });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty; restore there with --force');

    // cut short: the last table's rows and the closing lines are missing
    const whole = gunzipSync(await fs.readFile(backupFile));
    const cut = path.join(scratch, 'cut.backup');
    await fs.writeFile(cut, gzipSync(whole.subarray(0, whole.lastIndexOf('TABLE '))));
    const damaged = await runCli(['restore', cut, '--force'], { CONFAB_DATA_DIR: target });
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/^confab: the backup ends .*cut short/);

    const truncatedGzip = path.join(scratch, 'truncated.backup');
    const bytes = await fs.readFile(backupFile);
    await fs.writeFile(truncatedGzip, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const unreadable = await runCli(['restore', truncatedGzip, '--force'], { CONFAB_DATA_DIR: target });
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/^confab: the backup (cannot be read|ends)/);

    const notBackup = path.join(scratch, 'notes.txt');
    await fs.writeFile(notBackup, 'hello');
    const other = path.join(scratch, 'never-made');
    const wrong = await runCli(['restore', notBackup], { CONFAB_DATA_DIR: other });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('is not a Confab backup');
    await expect(fs.stat(other)).rejects.toThrow(); // no data directory made for it

    const missing = await runCli(['restore', path.join(scratch, 'nope.backup')], { CONFAB_DATA_DIR: other });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');

    const usage = await runCli(['restore'], { CONFAB_DATA_DIR: other });
    expect(usage.code).toBe(64);

    expect(await digestsOfDataDir(target)).toEqual(before);

    const forced = await runCli(['restore', backupFile, '--force'], { CONFAB_DATA_DIR: target });
    expect(forced.code, forced.stderr).toBe(0);
    expect(await digestsOfDataDir(target)).toEqual(sourceDigests);
  }, 240_000);

  it('a server starts on the restored data and serves it; a restore under it is refused; a backup while it runs restores', async () => {
    const target = path.join(scratch, 'fresh');
    const server = await startServerProcess({ CONFAB_DATA_DIR: target });
    try {
      const request = requestTo(server.url);
      const contacts = await request('GET', `/api/v1/accounts/${accountId}/contacts`, { token: adminToken });
      expect(contacts.status, contacts.text).toBe(200);
      expect(contacts.body.payload.map((c: { name: string }) => c.name)).toContain(tricky);

      const underServer = await runCli(['restore', backupFile, '--force'], { CONFAB_DATA_DIR: target });
      expect(underServer.code).toBe(1);
      expect(underServer.stderr).toContain('a Confab server is running');

      const live = path.join(scratch, 'live.backup');
      const backup = await runCli(['backup', live], { CONFAB_DATA_DIR: target });
      expect(backup.code, backup.stderr).toBe(0);
      const copy = path.join(scratch, 'copy');
      const restore = await runCli(['restore', live], { CONFAB_DATA_DIR: copy });
      expect(restore.code, restore.stderr).toBe(0);
      const copied = await digestsOfDataDir(copy);
      expect(copied['public.messages']).toBe(sourceDigests['public.messages']);
      expect(copied['public.contacts']).toBe(sourceDigests['public.contacts']);
    } finally {
      server.child.kill('SIGINT');
      await server.exited;
    }
  }, 240_000);
});
