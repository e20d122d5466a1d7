// bin/confab.js compiles the bundle with V8's code cache of an earlier start. A cache V8 refuses
// (damaged, or made by another Node) must cost only the compile it would have saved: the server
// starts and serves, and writes a good cache in its place, which the next start then uses.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, requestTo } from './harness.js';
import { ROOT, startServerProcess, waitFor, type ServerProcess } from './processes.js';

const cacheFile = path.join(ROOT, 'dist', 'bundle', `confab.cjs.${process.version}-${process.arch}.cache`);
const garbage = Buffer.from('not a code cache '.repeat(64));
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;
const running: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-code-cache-'));
});
afterAll(async () => {
  for (const server of running) {
    if (server.child.exitCode === null) server.child.kill('SIGTERM');
    await server.exited;
  }
  await database.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const start = async () => {
  const server = await startServerProcess({ DATABASE_URL: database.url, CONFAB_DATA_DIR: dataDir });
  running.push(server);
  expect((await requestTo(server.url)('GET', '/api')).status).toBe(200);
  return server;
};

describe('the code cache of the bundle', () => {
  it('is replaced when V8 refuses it, and used as it is by the next start', async () => {
    await fs.writeFile(cacheFile, garbage);
    const first = await start();
    await waitFor(
      async () => !(await fs.readFile(cacheFile).catch(() => garbage)).equals(garbage),
      20_000,
      'a new code cache',
    );
    // other test files' servers may have read the damaged cache too, and write theirs once they serve
    let written = await fs.stat(cacheFile);
    for (let settled = 0; settled < 3; ) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await fs.stat(cacheFile);
      settled = now.mtimeMs === written.mtimeMs ? settled + 1 : 0;
      written = now;
    }
    expect(written.size).toBeGreaterThan(100_000);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // a start writes the cache only when it has none or V8 refused it: this one found it good
    const second = await start();
    await new Promise((r) => setTimeout(r, 1000));
    expect((await fs.stat(cacheFile)).mtimeMs).toBe(written.mtimeMs);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
