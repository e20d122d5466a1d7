import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';

// the Client API's prepared message statement: the fast paths, whatever CONFAB_FAST_PATHS the suite runs with
const server = useTestServer({ CONFAB_FAST_PATHS: 'true' });

describe('prepared statements', () => {
  it('take their generic plan from the first run, on connections with JIT off (kysely.ts connectionOptions)', async () => {
    const { rows } = await sql<{ jit: string; mode: string }>`select current_setting('jit') as jit,
      current_setting('plan_cache_mode') as mode`.execute(server().db);
    expect(rows[0]).toEqual({ jit: 'off', mode: 'force_generic_plan' });
    // a statement sent prepared runs its generic plan from the first run: the plan shows the
    // parameter, where a custom plan would show the value (one connection: a transaction)
    const plan = await server()
      .db.transaction()
      .execute(async (tx) => {
        await sql`prepare confab_plan_probe(bigint) as select id from conversations where id = $1`.execute(tx);
        const { rows: lines } = await sql<{ 'QUERY PLAN': string }>`explain execute confab_plan_probe(1)`.execute(tx);
        await sql`deallocate confab_plan_probe`.execute(tx);
        return lines.map((r) => r['QUERY PLAN']).join('\n');
      });
    expect(plan).toMatch(/id = \$1/);
  });

  it('keep working when another node migrates a table under them', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Migrated' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    // enough messages for every pooled connection to have prepared the statement
    for (let i = 0; i < 12; i++)
      await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: `before ${i}` });
    // what a newer node's migration does: the message statement's `returning *` changes shape
    await sql`alter table messages add column added_by_a_newer_node integer`.execute(server().db);
    for (let i = 0; i < 12; i++) {
      const sent = await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, {
        content: `after ${i}`,
      });
      expect(sent.content).toBe(`after ${i}`);
    }
  });
});
