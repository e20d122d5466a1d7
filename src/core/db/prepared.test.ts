import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';
import { prepared } from './prepared.js';

// the Client API's prepared message statement: the fast paths, whatever CONFAB_FAST_PATHS the suite runs with
const server = useTestServer({ CONFAB_FAST_PATHS: 'true' });

describe('prepared statements', () => {
  it('take their generic plan from the first run; every other statement with values gets a plan for them', async () => {
    const db = server().db;
    const modeOf = async (query: ReturnType<typeof sql<{ jit: string; mode: string }>>) =>
      (await query.execute(db)).rows[0];
    const unnamed = () =>
      modeOf(sql`select current_setting('jit') as jit, current_setting('plan_cache_mode') as mode, ${1}::int as v`);
    const marked = () =>
      modeOf(
        prepared(sql`select current_setting('jit') as jit, current_setting('plan_cache_mode') as mode, ${1}::int as v`),
      );
    // whichever pooled connection each lands on, in whatever mode the last statement left it
    for (let i = 0; i < 6; i++) {
      expect(await unnamed()).toMatchObject({ jit: 'off', mode: 'auto' });
      expect(await marked()).toMatchObject({ jit: 'off', mode: 'force_generic_plan' });
    }
    // a mode set inside a transaction that rolls back is undone: the next statements still get theirs
    for (const first of [marked, unnamed]) {
      await db
        .transaction()
        .execute(async (tx) => {
          await (first === marked
            ? prepared(sql`select ${1}::int as v`).execute(tx)
            : sql`select ${1}::int as v`.execute(tx));
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await unnamed()).toMatchObject({ mode: 'auto' });
      expect(await marked()).toMatchObject({ mode: 'force_generic_plan' });
    }
    // a marked statement runs its generic plan from the first run (PostgreSQL counts them per statement)
    const counts = await db.transaction().execute(async (tx) => {
      await prepared(sql`select id from conversations where id = ${1} /* plan probe */`).execute(tx);
      const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`select generic_plans::int,
        custom_plans::int from pg_prepared_statements where statement like '%plan probe%'`.execute(tx);
      return rows[0];
    });
    expect(counts).toEqual({ generic_plans: 1, custom_plans: 0 });
  });

  it('keep working when another node migrates a table under them', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Migrated' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    // an agent's private note: storeMessage's prepared statement, inside the message's transaction
    const agentConversation = await buildConversation(fx, inbox.id);
    const note = (content: string) =>
      fx.asAdmin('POST', `/conversations/${agentConversation.id}/messages`, { content, private: true });
    // enough messages for every pooled connection to have prepared the statements
    for (let i = 0; i < 12; i++) {
      await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: `before ${i}` });
      expect((await note(`before ${i}`)).status).toBe(200);
    }
    // what a newer node's migration does: the message statements' `returning *` changes shape
    await sql`alter table messages add column added_by_a_newer_node integer`.execute(server().db);
    for (let i = 0; i < 12; i++) {
      const sent = await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, {
        content: `after ${i}`,
      });
      expect(sent.content).toBe(`after ${i}`);
      // the transaction that met the stale plan ran once more: one note, never two
      const noted = await note(`after ${i}`);
      expect(noted.status, noted.text).toBe(200);
      expect(noted.body.content).toBe(`after ${i}`);
    }
    const notes = await sql<{ n: string }>`select count(*) as n from messages
      where conversation_id = (select id from conversations where display_id = ${agentConversation.id}
        and account_id = ${fx.account.id}) and private`.execute(server().db);
    expect(Number(notes.rows[0]!.n)).toBe(24);
  });
});
