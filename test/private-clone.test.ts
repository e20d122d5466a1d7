// A clone in a private directory, run as root: `git clone … /root/confab && npm ci && npm start`.
// PostgreSQL runs as the postgres user, who cannot enter /root or `mktemp -d` (0700); the built
// CLI must still serve, without loosening any directory outside the clone.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_ROOT } from '../src/core/db/embedded-placement.js';
import { ROOT, runCli, startServerProcess, type ServerProcess } from './processes.js';

const execFileAsync = promisify(execFile);
const asRoot = process.getuid?.() === 0;

let privateDir: string;
const servers: ServerProcess[] = [];
const linkedData: string[] = [];

/** What a clone holds after `npm ci` and its build: hard links where the file system allows (fast), copies where not. */
async function cloneInto(dir: string): Promise<string> {
  const clone = path.join(dir, 'confab');
  await fs.mkdir(clone);
  for (const entry of ['bin', 'dist', 'src', 'node_modules', 'package.json']) {
    const from = path.join(ROOT, entry);
    await execFileAsync('cp', ['-al', from, clone]).catch(() => execFileAsync('cp', ['-a', from, clone]));
  }
  return clone;
}

beforeAll(async () => {
  if (!asRoot) return;
  privateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-private-'));
  await fs.chmod(privateDir, 0o700);
});

afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  // the data a clone kept in SHARED_ROOT (the binaries' copy stays: every clone of this version shares it)
  for (const dir of linkedData) await fs.rm(dir, { recursive: true, force: true });
  if (privateDir) await fs.rm(privateDir, { recursive: true, force: true });
});

describe.skipIf(!asRoot)(
  'as root, a clone in a 0700 directory (skipped: only root runs PostgreSQL as another user)',
  () => {
    it('`confab start` serves /api with its data linked from ./.confab, and a later command finds the same database', async () => {
      const clone = await cloneInto(privateDir);
      // what a start before this fix left behind: an empty initdb scratch directory
      await fs.mkdir(path.join(clone, '.confab', 'pg.init'), { recursive: true });

      const server = await startServerProcess({}, clone);
      servers.push(server);
      const status = await fetch(`${server.url}/api`);
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ data_services: 'ok', queue_services: 'ok' });

      const target = await fs.readlink(path.join(clone, '.confab'));
      linkedData.push(target);
      expect(path.dirname(target)).toBe(path.join(SHARED_ROOT, 'data'));
      expect(await fs.readFile(path.join(target, 'linked-from'), 'utf8')).toBe(`${path.join(clone, '.confab')}\n`);
      expect(server.output()).not.toContain('EACCES');
      // nothing outside the clone was opened up
      expect((await fs.stat(privateDir)).mode & 0o777).toBe(0o700);

      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);

      const binaries = (await fs.readdir(path.join(SHARED_ROOT, 'postgresql'))).filter(
        (name) => !name.includes('.tmp-'),
      );
      const before = await Promise.all(
        binaries.map(async (name) => (await fs.stat(path.join(SHARED_ROOT, 'postgresql', name))).ino),
      );
      const again = await runCli(['migrate'], {}, clone);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe('Database is up to date.\n');
      // the binaries were copied once, not on every start
      const after = await Promise.all(
        binaries.map(async (name) => (await fs.stat(path.join(SHARED_ROOT, 'postgresql', name))).ino),
      );
      expect(after).toEqual(before);
    }, 180_000);

    it('refuses in one sentence when the private ./.confab already holds data it must not move', async () => {
      const dir = await fs.mkdtemp(path.join(privateDir, 'held-'));
      await fs.mkdir(path.join(dir, '.confab', 'storage'), { recursive: true });
      const res = await runCli(['migrate'], { CONFAB_DATA_DIR: path.join(dir, '.confab') });
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        `confab: PostgreSQL runs as the postgres user, who cannot reach ${dir}/.confab (${privateDir} is private), ` +
          `and ${dir}/.confab already holds data (storage): move it where every user can traverse and point CONFAB_DATA_DIR at it, or set DATABASE_URL.\n`,
      );
    });
  },
);
