import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { loadPushView } from './push-view.js';
import { loadConversationViews } from './views.js';

const server = useTestServer();

/** The conversation row behind a display id, as the listeners have it. */
async function row(accountId: number, displayId: number) {
  return server()
    .db.selectFrom('conversations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('display_id', '=', displayId)
    .executeTakeFirstOrThrow();
}

describe('push view', () => {
  it('embeds what the batched page views embed, from its one statement', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    expect((await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] })).status).toBe(
      200,
    );
    const team = (await fx.asAdmin('POST', '/teams', { name: `support-${Date.now()}` })).body;
    // a team assignment keeps the assignee only if they are in the team (Chatwoot's ensure_assignee_is_from_team)
    expect((await fx.asAdmin('POST', `/teams/${team.id}/team_members`, { user_ids: [fx.agent.id] })).status).toBe(200);
    const plain = await buildConversation(fx, inbox.id);
    const busy = await buildConversation(fx, inbox.id);
    expect(
      (await fx.asAdmin('POST', `/conversations/${busy.id}/assignments`, { assignee_id: fx.agent.id })).status,
    ).toBe(200);
    expect((await fx.asAdmin('POST', `/conversations/${busy.id}/assignments`, { team_id: team.id })).status).toBe(200);
    expect((await fx.asAdmin('POST', `/conversations/${busy.id}/labels`, { labels: ['vip', 'billing'] })).status).toBe(
      200,
    );
    for (const content of ['one', 'two']) {
      expect(
        (await fx.asAdmin('POST', `/conversations/${busy.id}/messages`, { content, message_type: 'incoming' })).status,
      ).toBe(200);
    }
    // the assignee is online in this account
    await server()
      .db.insertInto('presence')
      .values({ account_id: fx.account.id, kind: 'User', entity_id: fx.agent.id })
      .execute();

    for (const displayId of [plain.id, busy.id]) {
      const conversation = await row(fx.account.id, displayId);
      const [batched] = await loadConversationViews(server().db, fx.account.id, [conversation]);
      const { lastMessage: _last, lastNonActivityMessage: _lastNonActivity, ...expected } = batched!;
      expect(await loadPushView(server().db, conversation)).toEqual(expected);
    }
    const busyView = await loadPushView(server().db, await row(fx.account.id, busy.id));
    expect(busyView).toMatchObject({
      labels: expect.arrayContaining(['vip', 'billing']),
      unreadCount: 2,
      assignee: { online: true },
      team: { isMember: false },
    });
    expect(busyView!.assignee!.user.id).toBe(fx.agent.id);
    expect(busyView!.contact.created_at).toBeInstanceOf(Date);
  });

  it('shows no assignee for a user who left the account, as the page views do', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    expect((await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.admin.id })).status).toBe(
      200,
    );
    await server()
      .db.deleteFrom('account_users')
      .where('account_id', '=', fx.account.id)
      .where('user_id', '=', fx.admin.id)
      .execute();
    const conversation = await row(fx.account.id, c.id);
    const view = await loadPushView(server().db, conversation);
    expect(view).not.toHaveProperty('assignee');
    expect((await loadConversationViews(server().db, fx.account.id, [conversation]))[0]).not.toHaveProperty('assignee');
  });
});
