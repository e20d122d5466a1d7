import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestServer, type TestServer } from './harness.js';
import { runCli } from './processes.js';

// CLI against DATABASE_URL (a fresh database on the run's PostgreSQL); the embedded path is
// covered in embedded-lifecycle.test.ts.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  database = { url: server.databaseUrl, drop: async () => undefined };
});
afterAll(async () => {
  await server?.close();
});

const cli = (...args: string[]) => runCli(args, { DATABASE_URL: database.url });

describe('confab migrate', () => {
  it('migrates an empty database, then reports it up to date', async () => {
    const fresh = await createTestDatabase({ empty: true });
    try {
      const first = await runCli(['migrate'], { DATABASE_URL: fresh.url });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^Applied: 0001_init\.sql/);
      const second = await runCli(['migrate'], { DATABASE_URL: fresh.url });
      expect(second.stdout).toBe('Database is up to date.\n');
    } finally {
      await fresh.drop();
    }
  });
});

describe('confab user create', () => {
  it('creates the first account and its administrator, whose token works', async () => {
    const email = `owner-${Date.now()}@example.com`;
    const res = await cli(
      'user',
      'create',
      '--email',
      email,
      '--name',
      'Owner',
      '--password',
      'Passw0rd!',
      '--account-name',
      'First Co',
      '--json',
    );
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ email, name: 'Owner', account: { name: 'First Co', role: 'administrator' } });
    const profile = await server.request('GET', '/api/v1/profile', { token: out.access_token });
    expect(profile.body).toMatchObject({
      id: out.id,
      type: 'SuperAdmin',
      role: 'administrator',
      account_id: out.account.id,
    });
    const signIn = await server.request('POST', '/auth/sign_in', { body: { email, password: 'Passw0rd!' } });
    expect(signIn.status).toBe(200);
  });

  it('refuses a weak password or a taken email with the validation message', async () => {
    const weak = await cli(
      'user',
      'create',
      '--email',
      'weak@example.com',
      '--name',
      'W',
      '--password',
      'short',
      '--account-name',
      'W',
    );
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/^confab: Password is too short/);
    const missing = await cli('user', 'create', '--email', 'x@example.com');
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('--name, --password, --account-name');
  });
});

describe('confab contacts', () => {
  it('imports a CSV file with progress, then exports the account back to CSV', async () => {
    const owner = JSON.parse(
      (
        await cli(
          'user',
          'create',
          '--email',
          `csv-${Date.now()}@example.com`,
          '--name',
          'CSV',
          '--password',
          'Passw0rd!',
          '--account-name',
          'CSV Co',
          '--json',
        )
      ).stdout,
    );
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-csv-'));
    const file = path.join(dir, 'contacts.csv');
    await fs.writeFile(
      file,
      ['name,email,phone_number', 'One,one@example.com,+15550000011', 'Two,two@example.com,', 'Broken,bad-email,'].join(
        '\n',
      ),
    );
    const res = await runCli(['contacts', 'import', file, '--account', String(owner.account.id)], {
      DATABASE_URL: database.url,
      CONFAB_PROGRESS: '1',
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Imported 2 of 3 rows; 1 failed.');
    expect(res.stdout).toContain('row 4: Email Invalid email');
    expect(res.stderr).toMatch(/\[#+\] 100% {2}3 rows {2}1 failed/);
    const out = await runCli(['contacts', 'export', '--account', String(owner.account.id), '--columns', 'name,email'], {
      DATABASE_URL: database.url,
    });
    expect(out.stdout).toBe('name,email\nOne,one@example.com\nTwo,two@example.com\n');
    const missing = await runCli(['contacts', 'export', '--account', '987654'], { DATABASE_URL: database.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('confab: No account with id 987654\n');
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe('confab platform-app', () => {
  it('create --json prints {id, name, access_token} and the token works on the Platform API', async () => {
    const res = await cli('platform-app', 'create', '--name', 'Billing sync', '--json');
    expect(res.code, res.stderr).toBe(0);
    const printed = JSON.parse(res.stdout.trim());
    expect(Object.keys(printed)).toEqual(['id', 'name', 'access_token']);
    expect(printed.name).toBe('Billing sync');
    expect(printed.access_token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    const account = await server.request('POST', '/platform/api/v1/accounts', {
      token: printed.access_token,
      body: { name: 'From CLI' },
    });
    expect(account.status).toBe(200);
  });

  it('create without --json prints a readable line', async () => {
    const res = await cli('platform-app', 'create', '--name', 'Readable');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Created platform app \d+ "Readable"\. Access token: [1-9A-HJ-NP-Za-km-z]{24}\n$/);
  });

  it('list shows apps; revoke makes the token answer 401', async () => {
    const created = JSON.parse((await cli('platform-app', 'create', '--name', 'To revoke', '--json')).stdout);
    const list = JSON.parse((await cli('platform-app', 'list', '--json')).stdout);
    expect(list).toContainEqual(
      expect.objectContaining({
        id: created.id,
        name: 'To revoke',
        access_token: created.access_token,
        revoked: false,
      }),
    );
    const revoke = await cli('platform-app', 'revoke', String(created.id));
    expect(revoke.code).toBe(0);
    const res = await server.request('GET', '/platform/api/v1/agent_bots', { token: created.access_token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid access_token' });
    const after = JSON.parse((await cli('platform-app', 'list', '--json')).stdout);
    expect(after).toContainEqual(expect.objectContaining({ id: created.id, revoked: true, access_token: null }));
  });

  it('permit grants an existing object to another app', async () => {
    const owner = JSON.parse((await cli('platform-app', 'create', '--name', 'Owner', '--json')).stdout);
    const other = JSON.parse((await cli('platform-app', 'create', '--name', 'Other', '--json')).stdout);
    const account = await server.request('POST', '/platform/api/v1/accounts', {
      token: owner.access_token,
      body: { name: 'Shared' },
    });
    const before = await server.request('GET', `/platform/api/v1/accounts/${account.body.id}`, {
      token: other.access_token,
    });
    expect(before.body).toEqual({ error: 'Non permissible resource' });
    const permit = await cli('platform-app', 'permit', String(other.id), 'account', String(account.body.id));
    expect(permit.code, permit.stderr).toBe(0);
    const after = await server.request('GET', `/platform/api/v1/accounts/${account.body.id}`, {
      token: other.access_token,
    });
    expect(after.status).toBe(200);
  });

  it('rejects bad usage with a message and a non-zero exit, never a stack trace', async () => {
    for (const args of [
      ['platform-app', 'create'],
      ['platform-app', 'revoke', 'abc'],
      ['platform-app', 'revoke', '987654'],
      ['platform-app', 'permit', '1', 'planet', '1'],
      ['platform-app', 'bogus'],
      ['frobnicate'],
    ]) {
      const res = await cli(...args);
      expect(res.code, args.join(' ')).not.toBe(0);
      expect(res.stderr, args.join(' ')).toMatch(/^confab: /);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
