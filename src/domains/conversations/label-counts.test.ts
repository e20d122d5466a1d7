// The list's per-label counters (migration 0154): a tagging appends a delta instead of holding a
// counter row shared by its inbox, so it no longer takes the inbox's lock; the counts stay exact
// through concurrent taggings and key changes, and the folder folds the deltas into the counters.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { foldedLabelCounters, labelCounters, labelRecount } from '../../../test/label-counts.js';

const server = useTestServer({ CONFAB_REPORT_ROLLUP_FOLD_MS: '50' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function deltasOf(accountId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from conversation_label_count_deltas
    where account_id = ${accountId}`.execute(server().db);
  return rows[0]!.n;
}

describe('per-label conversation counters', () => {
  it('tags a conversation while another transaction holds a tagging of the same inbox open', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const held = await buildConversation(fx, inbox.id);
    const other = await buildConversation(fx, inbox.id);
    const heldRow = await server()
      .db.selectFrom('conversations')
      .select('id')
      .where('account_id', '=', fx.account.id)
      .where('display_id', '=', held.id)
      .executeTakeFirstOrThrow();
    const outcome = await server()
      .db.transaction()
      .execute(async (tx) => {
        await tx
          .insertInto('taggings')
          .values({ account_id: fx.account.id, taggable_type: 'Conversation', taggable_id: heldRow.id, name: 'held' })
          .execute();
        // before 0154 this waited for the open transaction's inbox lock (until the race below gave up)
        const tagged = fx.asAdmin('POST', `/conversations/${other.id}/labels`, { labels: ['billing'] });
        const res = await Promise.race([tagged, sleep(5000).then(() => 'still waiting' as const)]);
        return res === 'still waiting' ? res : res.status;
      });
    expect(outcome).toBe(200);
    expect((await fx.asAdmin('GET', `/conversations/${other.id}/labels`)).body.payload).toEqual(['billing']);
  });

  it('stays exact through concurrent taggings and key changes, and folds its deltas', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversations = [];
    for (let i = 0; i < 6; i += 1) conversations.push(await buildConversation(fx, inbox.id));
    const step = (method: string, path: string, body: unknown) =>
      fx.asAdmin(method, path, body).then((res) => expect(res.status, res.text).toBe(200));
    // every conversation gets the same sequence, all at once: each step is a label change or a key change
    await Promise.all(
      conversations.map(async (c, i) => {
        await Promise.all([
          step('POST', `/conversations/${c.id}/labels`, { labels: ['a', 'b'] }),
          step('POST', `/conversations/${c.id}/toggle_status`, { status: 'resolved' }),
          step('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id }),
        ]);
        await Promise.all([
          step('POST', `/conversations/${c.id}/labels`, { labels: i % 2 ? ['b', 'c'] : ['c'] }),
          step('POST', `/conversations/${c.id}/toggle_status`, { status: 'open' }),
        ]);
      }),
    );
    const recount = await labelRecount(server().db, fx.account.id);
    expect(recount.length).toBeGreaterThan(0);
    expect(await labelCounters(server().db, fx.account.id)).toEqual(recount);
    expect((await fx.asAdmin('GET', '/conversations/meta?status=all&labels[]=c')).body.meta.all_count).toBe(6);

    // the folder empties the deltas into the counters, and the counters alone say the same
    const until = Date.now() + 10_000;
    while ((await deltasOf(fx.account.id)) > 0 && Date.now() < until) await sleep(50);
    expect(await deltasOf(fx.account.id)).toBe(0);
    expect(await foldedLabelCounters(server().db, fx.account.id)).toEqual(recount);
    expect((await fx.asAdmin('GET', '/conversations/meta?status=all&labels[]=c')).body.meta.all_count).toBe(6);
  });

  it("drops the deltas of an account that is gone, and goes on folding the others'", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    await sql`insert into conversation_label_count_deltas (account_id, label, status, inbox_id, team_id, assignee_id, n)
      values (${-fx.account.id}, 'orphan', 0, 1, 0, 0, 1)`.execute(server().db);
    await fx.asAdmin('POST', `/conversations/${conversation.id}/labels`, { labels: ['kept'] });
    const until = Date.now() + 10_000;
    while ((await deltasOf(fx.account.id)) + (await deltasOf(-fx.account.id)) > 0 && Date.now() < until)
      await sleep(50);
    expect(await deltasOf(-fx.account.id)).toBe(0);
    expect(await deltasOf(fx.account.id)).toBe(0);
    const { rows } = await sql<{ label: string; n: number }>`select label, n::int from conversation_label_counts
      where account_id in (${fx.account.id}, ${-fx.account.id}) and n > 0`.execute(server().db);
    expect(rows).toEqual([{ label: 'kept', n: 1 }]);
  });
});
