// What the seeding benches share: a pg client for one piece of work, and `confab start` whose log
// is watched for the address it serves on.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Runs `work` with a client connected to `url`, and closes it. */
export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Starts root's dist/cli.js with `env`; resolves once it logs where it serves, with the log's tail. */
export function startServer(root, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'start'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let started = false;
    const onData = (c) => {
      // keep only a tail once serving: the info-level request log would otherwise pile up here
      out = (out + c).slice(-20_000);
      const match = !started && /Confab serving on (http:\/\/[^"\s]+)/.exec(out);
      if (match) {
        started = true;
        resolve({ child, url: match[1], output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/**
 * A fresh embedded PostgreSQL, migrated, with one account and its administrator: its `url`, the
 * data `dir`, the account, the user (with its access token), and `stop()`, which stops the
 * database and removes everything.
 */
export async function startDatabaseWithAdministrator(root, administrator) {
  const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
  const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));
  const { migrate } = await import(path.join(root, 'dist/core/db/migrate.js'));
  const { createAccountWithAdministrator } = await import(path.join(root, 'dist/domains/accounts/service.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0 });
  const stop = async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const database = await openDatabase({ databaseUrl: pg.url, dataDir: dir, embeddedPgPort: 0 });
    await migrate(database.db);
    const { account, user } = await createAccountWithAdministrator(database.db, administrator);
    await database.close();
    return { url: pg.url, dir, account, user, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * `confab start` on a fresh embedded PostgreSQL with one account and its administrator: the server,
 * the account, the user (with its access token), `call(method, url, body, headers)` for JSON
 * requests, and `stop()`, which removes everything again.
 */
export async function startWithAdministrator(root, administrator, env = {}) {
  const database = await startDatabaseWithAdministrator(root, administrator);
  const { account, user, dir } = database;
  let server;
  const stop = async () => {
    server?.child.kill('SIGTERM');
    await database.stop();
  };
  try {
    server = await startServer(root, {
      DATABASE_URL: database.url,
      CONFAB_DATA_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info', // the "serving on" line is info; only a tail of the log is kept
      ...env,
    });
    const call = async (method, url, body, headers = {}) => {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    return { server, account, user, call, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
