// The bundle `confab start` runs is built with find-my-way's prefix test patched
// (scripts/bundle.mjs routerPrefixes): every path the API documents, and near misses of them, must
// reach the same route there as in the server built from the sources.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTo, startTestServer, type TestServer } from './harness.js';
import { startServerProcess, type ServerProcess } from './processes.js';

let source: TestServer;
let bundled: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  source = await startTestServer();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-routing-'));
  // configured as the test harness configures the source's (its sign-in throttles off)
  bundled = await startServerProcess({
    DATABASE_URL: source.databaseUrl,
    CONFAB_DATA_DIR: dataDir,
    CONFAB_AUTH_RATE_LIMITS: 'false',
  });
});
afterAll(async () => {
  if (bundled && bundled.child.exitCode === null) {
    bundled.child.kill('SIGTERM');
    await bundled.exited;
  }
  await source?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** The documented paths with their parameters filled in: a number where the name says id, else a word. */
async function documentedPaths(): Promise<string[]> {
  const spec = (await source.request('GET', '/openapi.json')).body as { paths: Record<string, unknown> };
  return Object.keys(spec.paths).map((p) =>
    p.replace(/\{([^}]+)\}/g, (_, name: string) => (/id$/.test(name) ? '987654' : 'nothing-here')),
  );
}

describe('the bundled server', () => {
  it('routes every documented path, and near misses of them, as the server built from the sources', async () => {
    const paths = await documentedPaths();
    expect(paths.length).toBeGreaterThan(200);
    // a character more, a character less, a different last character: the prefix tests must refuse them
    const nearMisses = paths.flatMap((p) => [`${p}x`, p.slice(0, -1), `${p.slice(0, -1)}~`]);
    const fromBundle = requestTo(bundled.url);
    const differences: string[] = [];
    for (const p of [...paths, ...nearMisses]) {
      const [a, b] = await Promise.all([source.request('GET', p), fromBundle('GET', p)]);
      if (a.status !== b.status) differences.push(`${p}: ${a.status} from the sources, ${b.status} bundled`);
    }
    expect(differences).toEqual([]);
    // and the documented paths are routes there (no request above fell through to not-found alone)
    const statuses = await Promise.all(paths.map(async (p) => (await fromBundle('GET', p)).status));
    expect(statuses.filter((s) => s !== 404).length).toBeGreaterThan(paths.length / 2);
  });
});
