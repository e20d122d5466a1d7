import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import {
  buildAccount,
  buildAccountFixture,
  buildAgentBot,
  buildConversation,
  buildInbox,
  buildUser,
  type AccountFixture,
} from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';

const server = useTestServer({ CONFAB_JOB_POLL_MS: '50' });

/** Another agent of the fixture's account, with a scoped request helper. */
async function addAgent(fx: AccountFixture, accountId = fx.account.id) {
  const user = await buildUser(server(), fx.platformToken);
  const res = await server().request('POST', `/platform/api/v1/accounts/${accountId}/account_users`, {
    token: fx.platformToken,
    body: { user_id: user.id, role: 'agent' },
  });
  if (res.status !== 200) throw new Error(res.text);
  const as = (method: string, path: string, body?: unknown) =>
    server().request(method, `/api/v1/accounts/${accountId}${path}`, { token: user.access_token, body });
  return { ...user, as };
}

const asAgent = (fx: AccountFixture) => fx.asAgent;
const list = async (as: AccountFixture['asAgent'], query = '') => {
  const res = await as('GET', `/notifications${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body.data as {
    meta: { unread_count: number; count: number; current_page: number | string };
    payload: any[];
  };
};
const dbIdOf = async (accountId: number, displayId: number) =>
  (
    await server()
      .db.selectFrom('conversations')
      .select('id')
      .where('account_id', '=', accountId)
      .where('display_id', '=', displayId)
      .executeTakeFirstOrThrow()
  ).id;

/** An inbox the fixture's agent is a member of, and a conversation in it. */
async function setup() {
  const fx = await buildAccountFixture(server());
  const inbox = await buildInbox(fx);
  await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
  const c = await buildConversation(fx, inbox.id);
  return { fx, inbox, c };
}

describe('notification generation', () => {
  it('notifies the new assignee of an assignment, never a self-assignment', async () => {
    const { fx, inbox, c } = await setup();
    expect((await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id })).status).toBe(
      200,
    );
    const { meta, payload } = await list(asAgent(fx));
    expect(meta).toEqual({ unread_count: 1, count: 1, current_page: 1 });
    expect(Object.keys(payload[0])).toEqual([
      'id',
      'notification_type',
      'push_message_title',
      'primary_actor_type',
      'primary_actor_id',
      'primary_actor',
      'read_at',
      'secondary_actor',
      'user',
      'created_at',
      'last_activity_at',
      'snoozed_until',
      'meta',
    ]);
    expect(payload[0]).toMatchObject({
      notification_type: 'conversation_assignment',
      push_message_title: `A conversation (#${c.id}) has been assigned to you`,
      primary_actor_type: 'Conversation',
      primary_actor_id: await dbIdOf(fx.account.id, c.id),
      primary_actor: {
        id: c.id,
        inbox_id: inbox.id,
        meta: { assignee: { id: fx.agent.id } },
        contact_inbox: { source_id: expect.any(String) },
      },
      read_at: null,
      snoozed_until: null,
      meta: {},
      secondary_actor: { id: fx.admin.id, type: 'user' },
      user: { id: fx.agent.id, type: 'user' },
    });
    expect(typeof payload[0].created_at).toBe('number');

    const mine = await buildConversation(fx, inbox.id);
    await fx.asAdmin('POST', `/conversations/${mine.id}/assignments`, { assignee_id: fx.admin.id });
    expect((await list(fx.asAdmin)).payload).toEqual([]);
  });

  it('tells the assignee and the participants of a new message, never its author, and keeps one per conversation', async () => {
    const { fx, c } = await setup();
    await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id });
    await fx.asAdmin('POST', `/conversations/${c.id}/participants`, { user_ids: [fx.admin.id] });
    const incoming = (
      await fx.asAdmin('POST', `/conversations/${c.id}/messages`, {
        content: 'one two three four five six seven eight nine ten eleven',
        message_type: 'incoming',
      })
    ).body;

    let agentList = await list(asAgent(fx));
    // RemoveDuplicateNotificationJob: the assignment notification gave way to the newer one
    expect(agentList.payload).toHaveLength(1);
    expect(agentList.payload[0]).toMatchObject({
      notification_type: 'assigned_conversation_new_message',
      push_message_title: `A new message is created in conversation (#${c.id})`,
      secondary_actor: { id: incoming.id, content: incoming.content, message_type: 0, sender: { type: 'contact' } },
    });
    expect((await list(fx.asAdmin)).payload[0]).toMatchObject({
      notification_type: 'participating_conversation_new_message',
      secondary_actor: { id: incoming.id },
    });

    const reply = (await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'on it' })).body;
    agentList = await list(asAgent(fx));
    expect(agentList.payload[0]).toMatchObject({
      notification_type: 'assigned_conversation_new_message',
      secondary_actor: { id: reply.id },
    });
    // the admin wrote it: their notification is still the one about the contact's message
    expect((await list(fx.asAdmin)).payload.map((n) => n.secondary_actor.id)).toEqual([incoming.id]);

    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'a note', private: true });
    expect((await list(asAgent(fx))).payload[0].secondary_actor.id).toBe(reply.id);
  });

  it('turns mentions in a private note into notifications for members who can open the conversation', async () => {
    const { fx, c } = await setup();
    const outsider = await addAgent(fx);
    const team = (await fx.asAdmin('POST', '/teams', { name: `team-${Date.now()}` })).body;
    const teammate = await addAgent(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: c.inbox_id, user_ids: [fx.agent.id, teammate.id] });
    await fx.asAdmin('POST', `/teams/${team.id}/team_members`, { user_ids: [teammate.id] });
    const content =
      `Hey [@Agent](mention://user/${fx.agent.id}/Agent), [@Out](mention://user/${outsider.id}/Out), ` +
      `[@Me](mention://user/${fx.admin.id}/Me) and [@Team](mention://team/${team.id}/Team) look`;
    const note = (await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content, private: true })).body;

    const [mention] = (await list(asAgent(fx))).payload;
    expect(mention).toMatchObject({
      notification_type: 'conversation_mention',
      push_message_title: `You have been mentioned in conversation (#${c.id})`,
      secondary_actor: { id: note.id, private: true },
    });
    expect((await list(teammate.as)).payload.map((n) => n.notification_type)).toEqual(['conversation_mention']);
    expect((await list(outsider.as)).payload).toEqual([]);
    expect((await list(fx.asAdmin)).payload).toEqual([]);
    const participants = (await fx.asAdmin('GET', `/conversations/${c.id}/participants`)).body.map(
      (a: { id: number }) => a.id,
    );
    expect(participants.sort()).toEqual([fx.agent.id, teammate.id].sort());
  });

  it('makes conversation_creation notifications only for inbox members subscribed to them', async () => {
    const { fx, inbox } = await setup();
    const other = await addAgent(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id, other.id] });
    const defaults = (await fx.asAgent('GET', '/notification_settings')).body;
    expect(defaults).toMatchObject({
      user_id: fx.agent.id,
      account_id: fx.account.id,
      selected_email_flags: ['email_conversation_assignment'],
      selected_push_flags: ['push_conversation_assignment'],
    });
    expect(defaults.all_email_flags).toHaveLength(8);
    const set = await fx.asAgent('PATCH', '/notification_settings', {
      notification_settings: { selected_push_flags: ['push_conversation_creation'] },
    });
    expect(set.body).toMatchObject({ selected_email_flags: [], selected_push_flags: ['push_conversation_creation'] });

    const c = await buildConversation(fx, inbox.id);
    const [created] = (await list(fx.asAgent)).payload;
    expect(created).toMatchObject({
      notification_type: 'conversation_creation',
      push_message_title: expect.stringMatching(new RegExp(`^A conversation \\(#${c.id}\\) has been created in `)),
      secondary_actor: { id: fx.admin.id, type: 'user' },
    });
    expect((await list(other.as)).payload).toEqual([]);
  });

  it('notifies of what a contact does through the Client API: a new conversation, then a message to the assignee', async () => {
    const { fx, inbox } = await setup();
    await fx.asAgent('PATCH', '/notification_settings', {
      notification_settings: { selected_email_flags: ['email_conversation_creation'] },
    });
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Widget Visitor' });
    const c = await api.conversation(inbox.inbox_identifier, contact.source_id);
    // a contact is not Current.user: no secondary actor
    expect((await list(fx.asAgent)).payload[0]).toMatchObject({
      notification_type: 'conversation_creation',
      primary_actor: { id: c.id },
      secondary_actor: null,
    });
    await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id });
    const message = await api.message(inbox.inbox_identifier, contact.source_id, c.id, { content: 'Is anyone there?' });
    expect((await list(fx.asAgent)).payload).toMatchObject([
      {
        notification_type: 'assigned_conversation_new_message',
        secondary_actor: { id: message.id, sender: { name: 'Widget Visitor' } },
      },
    ]);
  });

  it("says nothing about a blocked contact's conversation", async () => {
    const { fx, c } = await setup();
    await fx.asAdmin('PATCH', `/contacts/${c.meta.sender.id}`, { blocked: true });
    await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id });
    expect((await list(fx.asAgent)).payload).toEqual([]);
  });
});

describe('notifications API', () => {
  /** The agent with one assignment notification; returns its id. */
  async function notified() {
    const { fx, inbox, c } = await setup();
    await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id });
    const [n] = (await list(fx.asAgent)).payload;
    return { fx, inbox, c, id: n.id as number };
  }

  it('marks read and unread, counts, lists read ones on request, and deletes', async () => {
    const { fx, id } = await notified();
    expect((await fx.asAgent('GET', '/notifications/unread_count')).text).toBe('1');
    const read = await fx.asAgent('PATCH', `/notifications/${id}`);
    expect(read.status).toBe(200);
    expect(Object.keys(read.body)).toEqual([
      'id',
      'account_id',
      'user_id',
      'notification_type',
      'primary_actor_type',
      'primary_actor_id',
      'secondary_actor_type',
      'secondary_actor_id',
      'read_at',
      'created_at',
      'updated_at',
      'snoozed_until',
      'last_activity_at',
      'meta',
    ]);
    expect(read.body).toMatchObject({
      id,
      notification_type: 'conversation_assignment',
      secondary_actor_type: 'User',
      secondary_actor_id: fx.admin.id,
      read_at: expect.stringMatching(/Z$/),
    });
    expect((await list(fx.asAgent)).payload).toEqual([]);
    expect((await fx.asAgent('GET', '/notifications/unread_count')).body).toBe(0);
    const withRead = await list(fx.asAgent, '?includes[]=read&includes[]=whatever');
    expect(withRead.meta).toEqual({ unread_count: 0, count: 1, current_page: 1 });
    expect((await fx.asAgent('PUT', `/notifications/${id}`)).status).toBe(200);

    const unread = await fx.asAgent('POST', `/notifications/${id}/unread`);
    expect(unread.body).toMatchObject({ id, read_at: null });
    expect((await list(fx.asAgent)).payload.map((n) => n.id)).toEqual([id]);

    const gone = await fx.asAgent('DELETE', `/notifications/${id}`);
    expect([gone.status, gone.text]).toEqual([200, '']);
    expect((await list(fx.asAgent, '?includes[]=read&includes[]=snoozed')).payload).toEqual([]);
    expect((await fx.asAgent('DELETE', `/notifications/${id}`)).status).toBe(404);
  });

  it("reads all, or one conversation's, and destroys all or only the read ones", async () => {
    const { fx, inbox, c, id } = await notified();
    const second = await buildConversation(fx, inbox.id);
    await fx.asAdmin('POST', `/conversations/${second.id}/assignments`, { assignee_id: fx.agent.id });
    const secondId = (await list(fx.asAgent)).payload.find((n) => n.primary_actor.id === second.id).id;

    const one = await fx.asAgent('POST', '/notifications/read_all', {
      primary_actor_type: 'Conversation',
      primary_actor_id: await dbIdOf(fx.account.id, c.id),
    });
    expect([one.status, one.text]).toEqual([200, '']);
    expect((await list(fx.asAgent)).payload.map((n) => n.id)).toEqual([secondId]);

    await fx.asAgent('POST', '/notifications/destroy_all', { type: 'read' });
    expect((await list(fx.asAgent, '?includes[]=read')).payload.map((n) => n.id)).toEqual([secondId]);
    await fx.asAgent('POST', '/notifications/read_all');
    expect((await list(fx.asAgent)).meta).toMatchObject({ unread_count: 0, count: 0 });
    await fx.asAgent('POST', '/notifications/destroy_all');
    expect((await list(fx.asAgent, '?includes[]=read')).meta.count).toBe(0);
    expect(id).not.toBe(secondId);
  });

  it('snoozes until a time, then brings it back unread by itself', async () => {
    const { fx, id } = await notified();
    const bad = await fx.asAgent('POST', `/notifications/${id}/snooze`, { snoozed_until: 'tomorrow' });
    expect([bad.status, bad.body]).toEqual([422, { error: 'invalid date' }]);
    expect((await list(fx.asAgent)).payload.map((n) => n.id)).toEqual([id]);

    const until = Math.floor(Date.now() / 1000) + 2;
    const snoozed = await fx.asAgent('POST', `/notifications/${id}/snooze`, { snoozed_until: until });
    expect(snoozed.body).toMatchObject({
      id,
      snoozed_until: new Date(until * 1000).toISOString(),
      meta: { last_snoozed_at: null },
    });
    expect((await list(fx.asAgent)).payload).toEqual([]);
    expect((await list(fx.asAgent, '?includes[]=snoozed')).payload.map((n) => n.id)).toEqual([id]);

    const deadline = Date.now() + 10_000;
    let back: any[] = [];
    while (Date.now() < deadline && back.length === 0) {
      await new Promise((r) => setTimeout(r, 200));
      back = (await list(fx.asAgent)).payload;
    }
    expect(back[0]).toMatchObject({
      id,
      snoozed_until: null,
      read_at: null,
      meta: { last_snoozed_at: new Date(until * 1000).toISOString() },
    });
  });

  it('pages 15 at a time, newest first unless asked otherwise, echoing the page', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const displayIds: number[] = [];
    for (let i = 0; i < 16; i++) {
      const c = await buildConversation(fx, inbox.id);
      await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id });
      displayIds.push(c.id);
    }
    const first = await list(fx.asAgent);
    expect(first.meta).toEqual({ unread_count: 16, count: 16, current_page: 1 });
    expect(first.payload.map((n) => n.primary_actor.id)).toEqual(displayIds.slice(1).reverse());
    const second = await list(fx.asAgent, '?page=2');
    expect(second.meta.current_page).toBe('2');
    expect(second.payload.map((n) => n.primary_actor.id)).toEqual([displayIds[0]]);
    expect((await list(fx.asAgent, '?sort_order=asc')).payload[0].primary_actor.id).toBe(displayIds[0]);
    expect((await list(fx.asAgent, '?page=abc')).payload).toHaveLength(15);
    const badSort = await fx.asAgent('GET', '/notifications?sort_order=sideways');
    expect(badSort.status).toBe(422);
  });

  it('shows and changes only your own notifications in this account', async () => {
    const { fx, id } = await notified();
    const colleague = await addAgent(fx);
    for (const [method, path] of [
      ['PATCH', `/notifications/${id}`],
      ['DELETE', `/notifications/${id}`],
      ['POST', `/notifications/${id}/unread`],
      ['POST', `/notifications/${id}/snooze`],
      ['PATCH', '/notifications/abc'],
    ] as const) {
      const res = await colleague.as(method, path, method === 'POST' ? { snoozed_until: 1 } : undefined);
      expect([res.status, res.body], `${method} ${path}`).toEqual([404, { error: 'Resource could not be found' }]);
    }
    expect((await list(colleague.as)).payload).toEqual([]);
    await colleague.as('POST', '/notifications/read_all');
    await colleague.as('POST', '/notifications/destroy_all');
    expect((await list(fx.asAgent)).payload.map((n) => n.id)).toEqual([id]);

    // the same user in another account sees that account's notifications only, and not this one by id
    const otherAccount = await buildAccount(server(), fx.platformToken);
    await server().request('POST', `/platform/api/v1/accounts/${otherAccount.id}/account_users`, {
      token: fx.platformToken,
      body: { user_id: fx.agent.id, role: 'agent' },
    });
    const inOther = (method: string, path: string, body?: unknown) =>
      server().request(method, `/api/v1/accounts/${otherAccount.id}${path}`, { token: fx.agent.access_token, body });
    expect((await list(inOther)).payload).toEqual([]);
    expect((await inOther('PATCH', `/notifications/${id}`)).status).toBe(404);

    const stranger = await buildUser(server(), fx.platformToken);
    const res = await server().request('GET', `/api/v1/accounts/${fx.account.id}/notifications`, {
      token: stranger.access_token,
    });
    expect([res.status, res.body]).toEqual([401, { error: 'You are not authorized to access this account' }]);
    expect((await server().request('GET', `/api/v1/accounts/${fx.account.id}/notifications`)).status).toBe(401);
    const bot = await buildAgentBot(server(), fx.platformToken);
    const asBot = await server().request('GET', `/api/v1/accounts/${fx.account.id}/notifications`, {
      token: bot.access_token,
    });
    expect([asBot.status, asBot.body]).toEqual([401, { error: 'Access to this endpoint is not authorized for bots' }]);
    expect((await fx.asAgent('GET', '/notifications')).body.data.payload[0].read_at).toBeNull();
  });

  it('refuses unknown notification flags and leaves the settings as they were', async () => {
    const fx = await buildAccountFixture(server());
    const bad = await fx.asAgent('PATCH', '/notification_settings', {
      notification_settings: { selected_email_flags: ['email_everything'] },
    });
    expect([bad.status, bad.body]).toEqual([
      422,
      { message: 'Selected email flags is invalid', attributes: ['selected_email_flags'] },
    ]);
    expect((await fx.asAgent('PUT', '/notification_settings', {})).status).toBe(422);
    expect((await fx.asAgent('GET', '/notification_settings')).body.selected_email_flags).toEqual([
      'email_conversation_assignment',
    ]);
  });

  it('describes its routes in /openapi.json', async () => {
    const spec = (await server().request('GET', '/openapi.json')).body;
    for (const path of [
      '/notifications',
      '/notifications/unread_count',
      '/notifications/read_all',
      '/notifications/destroy_all',
      '/notifications/{id}',
      '/notifications/{id}/snooze',
      '/notifications/{id}/unread',
      '/notification_settings',
    ]) {
      expect(spec.paths[`/api/v1/accounts/{account_id}${path}`], path).toBeDefined();
    }
  });
});
