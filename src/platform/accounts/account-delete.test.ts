import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';

// the test folds report deltas itself, so that both the rollups and pending deltas hold rows of it
const server = useTestServer({ CONFAB_REPORT_ROLLUP_FOLD_MS: '3600000' });

/** Every table with an account_id column and how many of its rows name `accountId`. */
async function rowsOf(accountId: number) {
  // pg_class, not information_schema: partitioned tables (relkind p) count, their partitions do not
  const { rows: tables } = await sql<{ table_name: string }>`select c.relname as table_name from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'account_id' and not a.attisdropped
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
      order by 1`.execute(server().db);
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}
        where account_id = ${accountId}`.execute(server().db);
    if (rows[0]!.n) counts[table_name] = rows[0]!.n;
  }
  return counts;
}

describe('deleting an account (Platform API)', () => {
  it('leaves no row of it in any table, report rollups and counters included, and spares other accounts', async () => {
    const [gone, kept] = [await buildAccountFixture(server()), await buildAccountFixture(server())];
    for (const fx of [gone, kept]) {
      const inbox = await buildInbox(fx);
      const conversation = await buildConversation(fx, inbox.id);
      const path = `/conversations/${conversation.id}`;
      for (const [method, p, body] of [
        ['POST', `${path}/messages`, { content: 'Hello', message_type: 'incoming' }],
        ['POST', `${path}/messages`, { content: 'Hi there' }],
        ['POST', `${path}/labels`, { labels: ['billing'] }],
        ['POST', `${path}/toggle_status`, { status: 'resolved' }],
        ['POST', '/labels', { title: 'billing' }],
        ['POST', '/canned_responses', { short_code: 'hi', content: 'Hello!' }],
        [
          'POST',
          '/custom_attribute_definitions',
          {
            attribute_display_name: 'Plan',
            attribute_key: 'plan',
            attribute_model: 'contact_attribute',
            attribute_display_type: 'text',
          },
        ],
        ['POST', '/teams', { name: `team ${fx.account.id}` }],
      ] as const) {
        const res = await fx.asAdmin(method, p, body);
        expect(res.status, `${p}: ${res.text}`).toBe(200);
      }
    }
    await sql`select report_rollups_fold(100000)`.execute(server().db);
    for (const fx of [gone, kept]) {
      const inbox = await buildInbox(fx);
      await buildConversation(fx, inbox.id);
    }
    const before = await rowsOf(gone.account.id);
    // the account had rows in the tables that keep no foreign key to it (rollup deltas, counters)
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['conversations', 'messages', 'report_rollups', 'report_rollup_deltas']),
    );
    const keptBefore = await rowsOf(kept.account.id);

    const del = await server().request('DELETE', `/platform/api/v1/accounts/${gone.account.id}`, {
      token: gone.platformToken,
    });
    expect(del.status, del.text).toBe(200);
    expect(await rowsOf(gone.account.id)).toEqual({});
    expect(await rowsOf(kept.account.id)).toEqual(keptBefore);
  });
});
