import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { idsFromPasswd, postgresUserIds, unreachableStep } from './embedded-placement.js';

let base: string;
beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-reach-'));
  await fs.chmod(base, 0o755);
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

// a user who owns nothing here and shares no group with its owner
const stranger = { uid: 54_321, gid: 54_321 };

describe('unreachableStep', () => {
  it('names the first directory on the way that the user may not search', async () => {
    const dir = path.join(base, 'private', 'inner');
    await fs.mkdir(dir, { recursive: true });
    await fs.chmod(path.join(base, 'private'), 0o700);
    expect(await unreachableStep(dir, stranger)).toBe(path.join(base, 'private'));
    await fs.chmod(path.join(base, 'private'), 0o711); // search without listing is enough
    expect(await unreachableStep(dir, stranger)).toBeUndefined();
  });

  it('uses the group bits for the owning group and the owner bits for the owner', async () => {
    const dir = path.join(base, 'grouped');
    await fs.mkdir(dir);
    await fs.chmod(dir, 0o750);
    const { uid, gid } = await fs.stat(dir);
    expect(await unreachableStep(dir, stranger)).toBe(dir);
    expect(await unreachableStep(dir, { uid: stranger.uid, gid })).toBeUndefined();
    await fs.chmod(dir, 0o071); // owner bits win for the owner even when others may search
    expect(await unreachableStep(dir, { uid, gid: stranger.gid })).toBe(dir);
  });

  it('follows symlinks to the directory they lead to', async () => {
    const hidden = path.join(base, 'hidden');
    await fs.mkdir(path.join(hidden, 'data'), { recursive: true });
    await fs.chmod(hidden, 0o700);
    await fs.symlink(path.join(hidden, 'data'), path.join(base, 'link'));
    expect(await unreachableStep(path.join(base, 'link'), stranger)).toBe(hidden);
  });
});

describe('idsFromPasswd', () => {
  const passwd = [
    'root:x:0:0:root:/root:/bin/bash',
    'postgresql:x:7:8::/:/bin/false',
    'postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash',
    '',
  ].join('\n');

  it('reads the named user, not one whose name starts the same', () => {
    expect(idsFromPasswd(passwd, 'postgres')).toEqual({ uid: 101, gid: 104 });
    expect(idsFromPasswd(passwd, 'postgresql')).toEqual({ uid: 7, gid: 8 });
  });

  it('gives nothing for a user not listed or a line it cannot read, so `id` is asked instead', () => {
    expect(idsFromPasswd(passwd, 'nobody-here')).toBeUndefined();
    expect(idsFromPasswd('postgres:x:abc:104::/:/bin/sh', 'postgres')).toBeUndefined();
    expect(idsFromPasswd('postgres:x', 'postgres')).toBeUndefined();
    expect(idsFromPasswd('postgres:x:::/:/bin/sh', 'postgres')).toBeUndefined();
  });

  it('agrees with `id` for the postgres user on this machine (as root; other users run PostgreSQL as themselves)', async () => {
    const run = promisify(execFile);
    const ids = await postgresUserIds();
    if (process.getuid?.() !== 0) return expect(ids).toBeUndefined();
    expect(ids).toEqual({
      uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
      gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    });
  });
});
