// untilReady (embedded.ts) reads postmaster.pid as pg_ctl does: it returns as soon as the postmaster
// it started says it is ready, and waits the whole time for a file of another postmaster or none.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilReady } from './embedded.js';

let pgdata: string;
beforeAll(async () => {
  pgdata = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-pidfile-'));
});
afterAll(async () => {
  await fs.rm(pgdata, { recursive: true, force: true });
});

/** postmaster.pid as PostgreSQL 17 writes it: pid, data dir, start time, port, socket dir, listen address, shmem key, status. */
const pidFile = (pid: number, status: string) =>
  [pid, pgdata, '1796640842', '5432', pgdata, '127.0.0.1', '  1234567     98304', status, ''].join('\n');

async function elapsed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('untilReady', () => {
  it('returns once the postmaster it started marks itself ready', async () => {
    await fs.writeFile(path.join(pgdata, 'postmaster.pid'), pidFile(4242, 'starting'));
    setTimeout(() => void fs.writeFile(path.join(pgdata, 'postmaster.pid'), pidFile(4242, 'ready   ')), 100);
    const waited = await elapsed(() => untilReady(pgdata, 4242, 5_000));
    expect(waited).toBeGreaterThanOrEqual(90);
    expect(waited).toBeLessThan(2_500);
  });

  it('waits the whole time for a ready file of another postmaster, one still starting, or none', async () => {
    await fs.writeFile(path.join(pgdata, 'postmaster.pid'), pidFile(4242, 'ready   '));
    expect(await elapsed(() => untilReady(pgdata, 4243, 300))).toBeGreaterThanOrEqual(295);
    await fs.writeFile(path.join(pgdata, 'postmaster.pid'), pidFile(4242, 'starting'));
    expect(await elapsed(() => untilReady(pgdata, 4242, 300))).toBeGreaterThanOrEqual(295);
    await fs.rm(path.join(pgdata, 'postmaster.pid'));
    expect(await elapsed(() => untilReady(pgdata, 4242, 300))).toBeGreaterThanOrEqual(295);
  });
});
