// The one-off commands (`confab user create`, `contacts import`, `backup`, ...): loaded only when
// one runs, so that `confab start` reaches PostgreSQL's spawn without compiling what they use.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import type { Config } from './core/config.js';
import { openDatabase, type Db } from './core/db/kysely.js';
import { migrate } from './core/db/migrate.js';
import { BackupError } from './core/db/backup/format.js';
import { AppError } from './core/errors.js';
import { parseId } from './core/http/ids.js';
import { createAccountWithAdministrator } from './domains/accounts/service.js';
import { importContacts } from './domains/contacts/importer.js';
import { exportColumns, exportContactsCsv } from './domains/contacts/exporter.js';
import {
  createPlatformApp,
  listPlatformApps,
  permitObject,
  PlatformAppInputError,
  revokePlatformApp,
} from './platform/apps/service.js';
import { UsageError } from './cli-usage.js';

export { migrate };

/** What to tell the user of an error these commands (or the server's services) report on purpose; undefined for others. */
export function reportedError(error: unknown): string | undefined {
  if (error instanceof AppError) {
    const body = error.body as { message?: string; error?: string };
    return body.message ?? body.error ?? error.message;
  }
  if (error instanceof PlatformAppInputError || error instanceof BackupError) return error.message;
  return undefined;
}

/** Opens the database for a one-off command: attaches to a running server's embedded PostgreSQL or starts it. */
export async function withDatabase<T>(
  config: Readonly<Config>,
  work: (db: Db) => Promise<T>,
  options = { migrateFirst: true },
): Promise<T> {
  const log = config.logLevel === 'debug' ? (m: string) => process.stderr.write(`${m}\n`) : undefined;
  const database = await openDatabase(config, { log, poolSize: 2 });
  try {
    if (options.migrateFirst) await migrate(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

function requireId(raw: string | undefined, what: string): number {
  const id = parseId(raw);
  if (id === undefined) throw new UsageError(`${what} must be a positive integer`);
  return id;
}

export async function platformApp(config: Readonly<Config>, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [sub, ...rest] = positionals;
  const print = (data: unknown, line: string) => process.stdout.write(`${values.json ? JSON.stringify(data) : line}\n`);
  switch (sub) {
    case 'create': {
      if (!values.name?.trim()) throw new UsageError('platform-app create needs --name NAME');
      const app = await withDatabase(config, (db) => createPlatformApp(db, values.name!));
      print(
        { id: app.id, name: app.name, access_token: app.access_token },
        `Created platform app ${app.id} "${app.name}". Access token: ${app.access_token}`,
      );
      return;
    }
    case 'list': {
      const apps = await withDatabase(config, listPlatformApps);
      print(
        apps,
        apps.length === 0
          ? 'No platform apps.'
          : apps.map((a) => `${a.id}\t${a.name}\t${a.revoked ? 'revoked' : a.access_token}`).join('\n'),
      );
      return;
    }
    case 'revoke': {
      const id = requireId(rest[0], 'ID');
      const app = await withDatabase(config, (db) => revokePlatformApp(db, id));
      print({ id: app.id, name: app.name, revoked: true }, `Revoked platform app ${app.id} "${app.name}".`);
      return;
    }
    case 'permit': {
      const appId = requireId(rest[0], 'APP_ID');
      const kind = rest[1] ?? '';
      const objectId = requireId(rest[2], 'OBJECT_ID');
      const grant = await withDatabase(config, (db) => permitObject(db, appId, kind, objectId));
      print(grant, `Platform app ${appId} may now manage ${grant.permissible_type} ${objectId}.`);
      return;
    }
    default:
      throw new UsageError(`unknown platform-app command "${sub ?? ''}"`);
  }
}

export async function user(config: Readonly<Config>, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'account-name': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals[0] !== 'create') throw new UsageError(`unknown user command "${positionals[0] ?? ''}"`);
  const missing = ['email', 'name', 'password', 'account-name'].filter((k) => !values[k as keyof typeof values]);
  if (missing.length) throw new UsageError(`user create needs ${missing.map((k) => `--${k}`).join(', ')}`);
  const { account, user: view } = await withDatabase(config, (db) =>
    createAccountWithAdministrator(db, {
      email: values.email!,
      name: values.name!,
      password: values.password!,
      accountName: values['account-name']!,
    }),
  );
  const out = {
    id: view.user.id,
    name: view.user.name,
    email: view.user.email,
    access_token: view.accessToken,
    account: { id: account.id, name: account.name, role: 'administrator' },
  };
  process.stdout.write(
    `${values.json ? JSON.stringify(out) : `Created user ${out.id} <${out.email}>, administrator of account ${account.id} "${account.name}". Access token: ${out.access_token}`}\n`,
  );
}

export async function contacts(config: Readonly<Config>, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { account: { type: 'string' }, columns: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const accountId = requireId(values.account, '--account');
  const [sub, file] = positionals;
  streamingHeap();
  if (sub === 'import') {
    if (!file) throw new UsageError('contacts import needs a FILE');
    const size = await fs.stat(file).then(
      (s) => s.size,
      () => {
        throw new UsageError(`cannot read ${file}`);
      },
    );
    const result = await withDatabase(config, async (db) => {
      await requireAccount(db, accountId);
      const progress = progressBar(size);
      // counted as the importer reads it: a 'data' listener would let the file flow in whatever the
      // importer's pace, and a million rows' CSV pile up in memory
      const stream = createReadStream(file);
      async function* counted() {
        for await (const chunk of stream) {
          progress.bytes((chunk as Buffer).length);
          yield chunk as Buffer;
        }
      }
      const outcome = await importContacts(db, accountId, counted(), (p) => progress.rows(p.rows, p.failed));
      progress.done();
      return outcome;
    });
    process.stdout.write(
      values.json
        ? `${JSON.stringify(result)}\n`
        : `Imported ${result.processed} of ${result.total} rows; ${result.failed} failed.\n${result.failures
            .slice(0, 20)
            .map((f) => `  row ${f.row}: ${f.errors}`)
            .join('\n')}${result.failures.length ? '\n' : ''}`,
    );
    return;
  }
  if (sub === 'export') {
    await withDatabase(config, async (db) => {
      await requireAccount(db, accountId);
      for await (const chunk of exportContactsCsv(
        db,
        accountId,
        exportColumns(values.columns?.split(',').map((c) => c.trim())),
      )) {
        if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
    });
    return;
  }
  throw new UsageError(`unknown contacts command "${sub ?? ''}"`);
}

/**
 * For the commands that stream a file of any size (contacts import and export, backup, restore).
 * V8 lets the heap grow to up to 4× what survived its last full collection before it collects
 * again: with ~25 MB live, an import's peak RSS swung between 100 and 230 MB and rose with the
 * file's length only because a longer run met a higher swing (+31 MB from 100k to 1M rows). At
 * 1.5× the peak stays within a few MB of the live size whatever the file, at the same import rate.
 */
function streamingHeap(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}

async function requireAccount(db: Db, id: number): Promise<void> {
  const found = await db.selectFrom('accounts').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) throw new PlatformAppInputError(`No account with id ${id}`);
}

/** A one-line progress bar on stderr (only when it is a terminal, or CONFAB_PROGRESS=1). */
function progressBar(totalBytes: number) {
  const enabled = process.stderr.isTTY || process.env.CONFAB_PROGRESS === '1';
  let read = 0;
  let rows = 0;
  let failed = 0;
  const started = Date.now();
  let last = 0;
  const draw = (force = false) => {
    if (!enabled || (!force && Date.now() - last < 200)) return;
    last = Date.now();
    const ratio = totalBytes ? Math.min(1, read / totalBytes) : 1;
    const width = 30;
    const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '.');
    const rate = Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000));
    process.stderr.write(
      `\r[${bar}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${rows} rows  ${failed} failed  ${rate} rows/s`,
    );
  };
  return {
    bytes: (n: number) => {
      read += n;
      draw();
    },
    rows: (r: number, f: number) => {
      rows = r;
      failed = f;
      draw();
    },
    done: () => {
      draw(true);
      if (enabled) process.stderr.write('\n');
    },
  };
}

export async function backup(config: Readonly<Config>, args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('backup needs one FILE');
  const file = positionals[0]!;
  streamingHeap();
  const { backupToFile } = await import('./core/db/backup/dump.js');
  const database = await openDatabase(config, { poolSize: 2 });
  try {
    const summary = await backupToFile(database.pool, file);
    process.stdout.write(
      `Backed up ${summary.tables} tables (${summary.rows} rows) to ${file} (${(summary.bytes / 1e6).toFixed(1)} MB).\n`,
    );
  } finally {
    await database.close();
  }
}

export async function restore(config: Readonly<Config>, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('restore needs one FILE');
  streamingHeap();
  const { restoreFromFile } = await import('./core/db/backup/restore.js');
  const summary = await restoreFromFile(config, positionals[0]!, { force: values.force });
  process.stdout.write(`Restored ${summary.tables} tables (${summary.rows} rows) into ${config.dataDir}.\n`);
}
