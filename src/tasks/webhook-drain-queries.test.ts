// The drainer's candidates (migration 0155): a delivery claimed by a drainer whose node is alive
// (it holds the advisory lock on its id, core/jobs/liveness.ts lockKeyOf) is passed over; once that
// lock goes, the delivery is a candidate again. A node that runs no jobs has no drainer to race.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture } from '../../test/factories.js';
import { lockKeyOf } from '../core/jobs/liveness.js';

const server = useTestServer({ CONFAB_JOB_CONCURRENCY: '0' });

describe("the webhook drainer's candidates", () => {
  it("pass over a live drainer's claim and take back a gone one's", async () => {
    const fx = await buildAccountFixture(server());
    const id = randomUUID();
    const owner = `webhooks-${randomUUID()}`;
    await sql`insert into webhook_deliveries (id, account_id, kind, url, event, payload, locked_by)
      values (${id}, ${fx.account.id}, 'account_webhook', 'http://127.0.0.1:9/hook', 'message_created', '{}', ${owner})`.execute(
      server().db,
    );
    const candidate = async () => {
      const { rows } = await sql<{ id: string }>`select c.id from webhook_deliveries_candidates('another', '{}', 1000) c
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
});
