import pg from 'pg';
import { expect, it } from 'vitest';
import { runCli, useTracingServerProcess, waitFor } from '../../../test/processes.js';

const traced = useTracingServerProcess();

/**
 * A stored timestamp JavaScript's Date cannot hold (PostgreSQL goes to 294276 AD, Date to 275760)
 * makes the exporter throw on the page that holds it: a failure nobody's input can cause, standing
 * in for a database or network failure in the middle of a long export.
 */
const UNREPRESENTABLE = '280000-01-01T00:00:00Z';

it('cuts the contacts CSV export off and logs why when a page fails after the headers went out; a failing first page is an ordinary error answer', async () => {
  const { server, databaseUrl } = traced();
  const user = JSON.parse(
    (
      await runCli(
        [
          'user',
          'create',
          '--email',
          'export@example.com',
          '--name',
          'Export',
          '--password',
          'Passw0rd!',
          '--account-name',
          'Export',
          '--json',
        ],
        { DATABASE_URL: databaseUrl },
      )
    ).stdout,
  );
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // the exporter pages by 5,000: the first page streams, the second holds the bad row
    await db.query(
      `insert into contacts (account_id, name, email) select $1, 'c' || n, 'c' || n || '@example.com' from generate_series(1, 5000) n`,
      [user.account.id],
    );
    await db.query(
      `insert into contacts (account_id, name, email, created_at) values ($1, 'late', 'late@example.com', $2)`,
      [user.account.id, UNREPRESENTABLE],
    );
    const exportCsv = () =>
      fetch(`${server.url}/api/v1/accounts/${user.account.id}/contacts/export`, {
        method: 'POST',
        headers: { api_access_token: user.access_token, 'content-type': 'application/json' },
        body: JSON.stringify({ column_names: ['id', 'created_at'] }),
      });

    const cut = await exportCsv();
    expect(cut.status).toBe(200);
    expect(cut.headers.get('content-type')).toContain('text/csv');
    await expect(cut.text()).rejects.toThrow(); // the transfer breaks off: no short file that looks whole
    await waitFor(
      () => server.output().includes('contacts export failed after its headers were sent'),
      5_000,
      'the logged failure',
    );
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    // the same failure on the first page happens before anything is sent: the error handler answers
    await db.query(`update contacts set created_at = $2 where account_id = $1 and email = 'c1@example.com'`, [
      user.account.id,
      UNREPRESENTABLE,
    ]);
    const early = await exportCsv();
    expect([early.status, early.headers.get('content-type'), await early.json()]).toEqual([
      500,
      'application/json; charset=utf-8',
      { error: 'Internal Server Error' },
    ]);
  } finally {
    await db.end();
  }
});
