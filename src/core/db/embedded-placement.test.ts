import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unreachableStep } from './embedded-placement.js';

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
