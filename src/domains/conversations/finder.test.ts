import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { labelCounters, labelRecount } from '../../../test/label-counts.js';

const server = useTestServer();
const ids = (res: { body: { data: { payload: Array<{ id: number }> } } }) => res.body.data.payload.map((c) => c.id);

describe("the conversation finder's parameter matrix", () => {
  it('sorts by every sort_by value and its legacy alias', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const a = await buildConversation(fx, inbox.id);
    const b = await buildConversation(fx, inbox.id);
    const c = await buildConversation(fx, inbox.id);
    await fx.asAdmin('POST', `/conversations/${a.id}/toggle_priority`, { priority: 'low' });
    await fx.asAdmin('POST', `/conversations/${c.id}/toggle_priority`, { priority: 'urgent' });
    await fx.asAdmin('POST', `/conversations/${b.id}/messages`, { content: 'reply' }); // b stops waiting and becomes the latest
    const order = async (sortBy: string) => ids(await fx.asAdmin('GET', `/conversations?sort_by=${sortBy}`));
    expect(await order('last_activity_at_desc')).toEqual([b.id, c.id, a.id]);
    expect(await order('latest')).toEqual([b.id, c.id, a.id]);
    expect(await order('last_activity_at_asc')).toEqual([a.id, c.id, b.id]);
    expect(await order('created_at_asc')).toEqual([a.id, b.id, c.id]);
    expect(await order('sort_on_created_at')).toEqual([a.id, b.id, c.id]);
    expect(await order('created_at_desc')).toEqual([c.id, b.id, a.id]);
    expect(await order('priority_desc')).toEqual([c.id, a.id, b.id]);
    expect(await order('sort_on_priority')).toEqual([c.id, a.id, b.id]);
    expect(await order('priority_asc')).toEqual([a.id, c.id, b.id]);
    expect(await order('priority_desc_created_at_asc')).toEqual([c.id, a.id, b.id]);
    // conversations that are not waiting come last
    expect(await order('waiting_since_asc')).toEqual([a.id, c.id, b.id]);
    expect(await order('sort_on_waiting_since')).toEqual([a.id, c.id, b.id]);
    expect(await order('waiting_since_desc')).toEqual([c.id, a.id, b.id]);
    expect(await order('nonsense')).toEqual([b.id, c.id, a.id]);
  });

  it('pages 25 at a time; q ignores status; source_id, conversation_type and updated_within filter', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const made = [];
    for (let i = 0; i < 26; i++) made.push(await buildConversation(fx, inbox.id));
    const first = await fx.asAdmin('GET', '/conversations');
    expect(first.body.data.payload).toHaveLength(25);
    expect(first.body.data.meta.all_count).toBe(26);
    expect(ids(await fx.asAdmin('GET', '/conversations?page=2'))).toEqual([made[0]!.id]);

    const target = made[3]!;
    await fx.asAdmin('POST', `/conversations/${target.id}/messages`, {
      content: 'needle in a haystack',
      message_type: 'incoming',
    });
    await fx.asAdmin('POST', `/conversations/${target.id}/toggle_status`, { status: 'resolved' });
    expect(ids(await fx.asAdmin('GET', '/conversations?q=NEEDLE'))).toEqual([target.id]);
    expect(ids(await fx.asAdmin('GET', '/conversations?q=needle&status=open'))).toEqual([target.id]);
    expect(ids(await fx.asAdmin('GET', '/conversations?q=100%25'))).toEqual([]);

    const shown = (await fx.asAdmin('GET', `/conversations/${target.id}`)).body;
    const source = shown.messages[0].conversation.contact_inbox.source_id as string;
    expect(ids(await fx.asAdmin('GET', `/conversations?status=all&source_id=${source}`))).toEqual([target.id]);

    await fx.asAdmin('POST', `/conversations/${made[5]!.id}/participants`, { user_ids: [fx.admin.id] });
    expect(ids(await fx.asAdmin('GET', '/conversations?conversation_type=participating'))).toEqual([made[5]!.id]);
    await fx.asAdmin('POST', `/conversations/${made[6]!.id}/messages`, {
      content: `hey (mention://user/${fx.admin.id}/admin)`,
      private: true,
    });
    expect(ids(await fx.asAdmin('GET', '/conversations?conversation_type=mention'))).toEqual([made[6]!.id]);
    expect((await fx.asAdmin('GET', '/conversations?conversation_type=unattended')).body.data.meta.all_count).toBe(25);

    await server()
      .db.updateTable('conversations')
      .set({ updated_at: sql`now() - interval '1 hour'` })
      .where('display_id', '!=', made[7]!.id)
      .execute();
    expect(ids(await fx.asAdmin('GET', '/conversations?updated_within=600'))).toEqual([made[7]!.id]);
  });

  it('lets agents see conversations of their inboxes and of their teams, and keeps counters exact', async () => {
    const fx = await buildAccountFixture(server());
    const mine = await buildInbox(fx);
    const other = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: mine.id, user_ids: [fx.agent.id] });
    const team = (await fx.asAdmin('POST', '/teams', { name: 'tier2' })).body;
    await fx.asAdmin('POST', `/teams/${team.id}/team_members`, { user_ids: [fx.agent.id] });
    const inMine = await buildConversation(fx, mine.id);
    const viaTeam = await buildConversation(fx, other.id, { team_id: team.id });
    const hidden = await buildConversation(fx, other.id);
    expect(ids(await fx.asAgent('GET', '/conversations')).sort()).toEqual([inMine.id, viaTeam.id].sort());
    expect((await fx.asAgent('GET', `/conversations/${viaTeam.id}`)).status).toBe(200);
    expect((await fx.asAgent('GET', `/conversations/${hidden.id}`)).status).toBe(401);
    expect((await fx.asAgent('POST', `/conversations/${hidden.id}/messages`, { content: 'x' })).status).toBe(401);
    expect(ids(await fx.asAgent('GET', `/conversations?team_id=${team.id}`))).toEqual([viaTeam.id]);

    // churn, then compare the maintained counters with a plain count
    await fx.asAdmin('POST', `/conversations/${hidden.id}/assignments`, { assignee_id: fx.admin.id });
    await fx.asAdmin('POST', `/conversations/${inMine.id}/toggle_status`, { status: 'pending' });
    await fx.asAdmin('POST', `/conversations/${viaTeam.id}/assignments`, { team_id: 0 });
    await fx.asAdmin('DELETE', `/conversations/${hidden.id}`);
    const counters = await server()
      .db.selectFrom('conversation_counts')
      .select(['status', 'inbox_id', 'team_id', 'assignee_id', 'n'])
      .where('account_id', '=', fx.account.id)
      .where('n', '>', 0)
      .orderBy('status')
      .orderBy('inbox_id')
      .orderBy('team_id')
      .orderBy('assignee_id')
      .execute();
    const counted = await server()
      .db.selectFrom('conversations')
      .select([
        'status',
        'inbox_id',
        sql<number>`coalesce(team_id, 0)`.as('team_id'),
        sql<number>`coalesce(assignee_id, 0)`.as('assignee_id'),
        sql<number>`count(*)::int`.as('n'),
      ])
      .where('account_id', '=', fx.account.id)
      .groupBy(['status', 'inbox_id', sql`coalesce(team_id, 0)`, sql`coalesce(assignee_id, 0)`])
      .orderBy('status')
      .orderBy('inbox_id')
      .orderBy('team_id')
      .orderBy('assignee_id')
      .execute();
    expect(
      counters.map((r) => ({ ...r, team_id: Number(r.team_id), assignee_id: Number(r.assignee_id), n: Number(r.n) })),
    ).toEqual(
      counted.map((r) => ({ ...r, team_id: Number(r.team_id), assignee_id: Number(r.assignee_id), n: Number(r.n) })),
    );
    expect((await fx.asAdmin('GET', '/conversations/meta?status=all')).body.meta).toEqual({
      mine_count: 0,
      assigned_count: 0,
      unassigned_count: 2,
      all_count: 2,
    });

    // the per-label counters follow taggings, label renames and key changes
    await fx.asAdmin('POST', `/conversations/${inMine.id}/labels`, { labels: ['vip', 'billing'] });
    await fx.asAdmin('POST', `/conversations/${viaTeam.id}/labels`, { labels: ['vip'] });
    await fx.asAdmin('POST', `/conversations/${inMine.id}/assignments`, { assignee_id: fx.agent.id });
    await fx.asAdmin('POST', `/conversations/${inMine.id}/labels`, { labels: ['billing'] });
    await fx.asAdmin('POST', '/labels', { title: 'vip' });
    const vip = (await fx.asAdmin('GET', '/labels')).body.payload.find((l: { title: string }) => l.title === 'vip');
    await fx.asAdmin('PATCH', `/labels/${vip.id}`, { title: 'gold' });
    await fx.asAdmin('POST', `/conversations/${viaTeam.id}/toggle_status`, { status: 'resolved' });
    const labelCounted = await labelRecount(server().db, fx.account.id);
    expect(await labelCounters(server().db, fx.account.id)).toEqual(labelCounted);
    expect(labelCounted.map((r) => r.label).sort()).toEqual(['billing', 'gold']);
    expect((await fx.asAdmin('GET', '/conversations/meta?status=all&labels[]=gold')).body.meta).toMatchObject({
      all_count: 1,
    });
    const filtered = await fx.asAdmin('POST', '/conversations/filter', {
      payload: [{ attribute_key: 'labels', filter_operator: 'equal_to', values: ['billing'] }],
    });
    expect(filtered.body.meta).toEqual({ mine_count: 0, assigned_count: 1, unassigned_count: 0, all_count: 1 });
  });
});
