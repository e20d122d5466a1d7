// The drainer's candidates (migrations 0155, 0161): a delivery claimed by a drainer whose node is
// alive (it holds the advisory lock on its id, core/jobs/liveness.ts lockKeyOf) is passed over;
// once that lock goes, the delivery is a candidate again. A claim that leaves URLs out reads URL by
// URL, and holds to the same rules. A node that runs no jobs has no drainer to race.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture } from '../../test/factories.js';
import { lockKeyOf } from '../core/jobs/liveness.js';

const server = useTestServer({ CONFAB_JOB_CONCURRENCY: '0' });

describe("the webhook drainer's candidates", () => {
  it.each([
    ['a claim that leaves no URL out', '{}'],
    ['a claim that leaves another URL out', '{http://127.0.0.1:9/other}'],
  ])("pass over a live drainer's claim and take back a gone one's: %s", async (_, skipUrls) => {
    const fx = await buildAccountFixture(server());
    const id = randomUUID();
    const owner = `webhooks-${randomUUID()}`;
    await sql`insert into webhook_deliveries (id, account_id, kind, url, event, payload, locked_by)
      values (${id}, ${fx.account.id}, 'account_webhook', 'http://127.0.0.1:9/hook', 'message_created', '{}', ${owner})`.execute(
      server().db,
    );
    const candidate = async () => {
      const { rows } = await sql<{
        id: string;
      }>`select c.id from webhook_deliveries_candidates('another', ${skipUrls}::text[], 1000) c
        where c.id = ${id}`.execute(server().db);
      return rows.length === 1;
    };
    const holder = new pg.Client({ connectionString: server().databaseUrl });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(${lockKeyOf('$1::text')})`, [owner]);
      expect(await candidate()).toBe(false);
    } finally {
      await holder.end();
    }
    expect(await candidate()).toBe(true);
  });

  it('leave out the URLs named, and give the others their oldest due rows, in time order', async () => {
    const fx = await buildAccountFixture(server());
    const full = `http://127.0.0.1:9/full-${randomUUID()}`;
    const other = `http://127.0.0.1:9/other-${randomUUID()}`;
    const third = `http://127.0.0.1:9/third-${randomUUID()}`;
    // the full URL's rows are the oldest, so a time-ordered read meets them first
    const rows: [string, number, string | null, boolean][] = [
      [full, -60, null, true],
      [full, -50, null, true],
      [other, -40, null, true],
      [third, -30, null, true],
      [other, -20, 'webhooks-me', true], // this drainer's own claim
      [other, -10, null, false], // no body yet
      [third, 60, null, true], // a retry not yet due
    ];
    const ids: string[] = [];
    for (const [url, seconds, lockedBy, rendered] of rows) {
      const id = randomUUID();
      ids.push(id);
      await sql`insert into webhook_deliveries (id, account_id, kind, url, event, payload, locked_by, next_attempt_at)
        values (${id}, ${fx.account.id}, 'account_webhook', ${url}, 'message_created',
          ${rendered ? '{}' : null}::jsonb, ${lockedBy}, now() + make_interval(secs => ${seconds}))`.execute(
        server().db,
      );
    }
    const candidates = async (skip: string[], limit: number) => {
      const { rows: found } = await sql<{ id: string }>`
        select c.id from webhook_deliveries_candidates('webhooks-me', ${skip}::text[], ${limit}) c
        where c.url = any(${[full, other, third]}::text[])`.execute(server().db);
      return found.map((row) => ids.indexOf(row.id));
    };
    expect(await candidates([], 10)).toEqual([0, 1, 2, 3]);
    expect(await candidates([full], 10)).toEqual([2, 3]);
    expect(await candidates([full, third], 10)).toEqual([2]);
    expect(await candidates([full], 1)).toEqual([2]);
  });
});
