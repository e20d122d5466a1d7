import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { openLowPriorityDb } from './kysely.js';

const server = useTestServer();

const settingsOf = async (url: string, settings?: string[]) => {
  const pool = openLowPriorityDb(url, 1, undefined, { lowered: false, settings });
  try {
    const { rows } = await sql<{ jit: string; commit: string; timeout: string }>`select current_setting('jit') as jit,
      current_setting('synchronous_commit') as commit, current_setting('statement_timeout') as timeout`.execute(
      pool.db,
    );
    return rows[0];
  } finally {
    await pool.close();
  }
};

const withOptions = (url: string, options: string) => {
  const parsed = new URL(url);
  parsed.searchParams.set('options', options);
  return parsed.toString();
};

describe('connection options', () => {
  it("keep JIT off and add a pool's own settings, after a database URL's own options", async () => {
    const url = server().databaseUrl;
    expect(await settingsOf(url)).toMatchObject({ jit: 'off', commit: 'on' });
    // the webhook drainer's connections
    expect(await settingsOf(url, ['synchronous_commit=off'])).toMatchObject({ jit: 'off', commit: 'off' });
    // pg let a URL's ?options= replace the options it was given beside it: JIT came back on
    expect(await settingsOf(withOptions(url, '-c statement_timeout=7s'))).toEqual({
      jit: 'off',
      commit: 'on',
      timeout: '7s',
    });
    expect(
      await settingsOf(withOptions(url, '-c statement_timeout=7s -c synchronous_commit=local'), [
        'synchronous_commit=off',
      ]),
    ).toEqual({ jit: 'off', commit: 'off', timeout: '7s' });
  });
});
