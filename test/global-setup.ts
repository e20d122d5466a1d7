import { existsSync, readdirSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import { openDatabase } from '../src/core/db/kysely.js';
import { migrate } from '../src/core/db/migrate.js';
import { WEB_BUILD_DIR } from '../src/core/http/web-app.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/core/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database URL whose user may CREATE DATABASE; each test file makes its own database from it. */
    adminDatabaseUrl: string;
    /** Which PostgreSQL the run uses, for test names and skips. */
    databaseKind: 'embedded' | 'external';
    /** A database with every migration applied, which each test database is created from. */
    templateDatabase: string;
  }
}

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;
let adminUrl: string | undefined;
let template: string | undefined;

/** One PostgreSQL per test run: DATABASE_URL's server when set, otherwise an embedded cluster in a temp dir. */
export async function setup(project: TestProject) {
  // CLI and multi-process tests run the built `bin/confab.js`, exactly what users run
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  buildWebIfStale(root);
  // bin/confab.js runs the bundle, as `npm run build` writes it
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
    project.provide('databaseKind', 'external');
  } else {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-test-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: 0 });
    adminUrl = embedded.url;
    project.provide('databaseKind', 'embedded');
  }
  project.provide('adminDatabaseUrl', adminUrl);
  template = `confab_template_${randomBytes(6).toString('hex')}`;
  await createTemplate(adminUrl, template);
  project.provide('templateDatabase', template);
}

/**
 * Migrates the run's template database once (Confab's migrations and graphile-worker's schema):
 * every test server's database is a copy of it, copied block by block, far cheaper than applying each
 * migration again per server. No connection may stay open on it, or copies are refused.
 */
async function createTemplate(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', embeddedPgPort: 0 }, { poolSize: 1 });
  try {
    await migrate(database.db);
    await runMigrations({ pgPool: database.pool });
  } finally {
    await database.close();
  }
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
  if (template && adminUrl && !embedded) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
  }
  await embedded?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}
