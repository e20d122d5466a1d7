import { existsSync, readdirSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { WEB_BUILD_DIR } from '../src/core/http/web-app.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/core/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database URL whose user may CREATE DATABASE; each test file makes its own database from it. */
    adminDatabaseUrl: string;
    /** Which PostgreSQL the run uses, for test names and skips. */
    databaseKind: 'embedded' | 'external';
  }
}

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;

/** One PostgreSQL per test run: DATABASE_URL's server when set, otherwise an embedded cluster in a temp dir. */
export async function setup(project: TestProject) {
  // CLI and multi-process tests run the built `bin/confab.js`, exactly what users run
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  buildWebIfStale(root);
  if (process.env.DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    project.provide('databaseKind', 'external');
    return;
  }
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-test-'));
  embedded = await startEmbeddedPostgres({ dataDir, port: 0 });
  project.provide('adminDatabaseUrl', embedded.url);
  project.provide('databaseKind', 'embedded');
}

/**
 * The browser tests' servers serve the web build they find when they start (npm ci and npm run build
 * make it): build again, once for the run, only when web/ changed since — so a run after `npm ci`
 * never rewrites dist/web, and test files never build under each other's servers.
 */
function buildWebIfStale(root: string) {
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? newest(full) : statSync(full).mtimeMs;
      }),
    );
  const index = path.join(WEB_BUILD_DIR, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (newest(path.join(root, 'web')) > builtAt) {
    execFileSync('npx', ['vite', 'build', '-c', 'web/vite.config.ts', '--logLevel', 'error'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}

export async function teardown() {
  await embedded?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}
