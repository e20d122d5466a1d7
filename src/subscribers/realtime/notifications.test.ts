import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import {
  buildAccountFixture,
  buildConversation,
  buildInbox,
  buildUser,
  type AccountFixture,
} from '../../../test/factories.js';
import { openCable, type CableClient } from '../../../test/cable.js';

/** Who hears the events of notifications, mentions, first replies and cache invalidation. */
const server = useTestServer();
const sockets: CableClient[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

/** A confirmed subscription for this token (and user, for agents); returns the events it gets. */
async function listen(identity: Record<string, unknown>) {
  const client = await openCable(server().url);
  sockets.push(client);
  const identifier = client.subscribe({ channel: 'RoomChannel', ...identity });
  await client.next((f) => f.identifier === identifier && f.type === 'confirm_subscription', 5000, 'confirmation');
  const named = (event: string) => client.events(identifier).filter((m) => m.event === event);
  return {
    named,
    next: (event: string, check: (data: any) => boolean = () => true) =>
      client
        .next((f) => f.identifier === identifier && f.message?.event === event && check(f.message.data), 5000, event)
        .then((f) => f.message.data),
  };
}

async function asUser(accountId: number, token: string) {
  const profile = (await server().request('GET', '/api/v1/profile', { token })).body;
  return listen({ pubsub_token: profile.pubsub_token, account_id: accountId, user_id: profile.id });
}

async function asContact(fx: AccountFixture, displayId: number) {
  const row = await server()
    .db.selectFrom('conversations')
    .innerJoin('contact_inboxes', 'contact_inboxes.id', 'conversations.contact_inbox_id')
    .select('contact_inboxes.pubsub_token')
    .where('conversations.account_id', '=', fx.account.id)
    .where('conversations.display_id', '=', displayId)
    .executeTakeFirstOrThrow();
  return listen({ pubsub_token: row.pubsub_token });
}

/** Long enough for a broadcast that should not come to have come. */
const settle = () => new Promise((r) => setTimeout(r, 400));

async function setup() {
  const fx = await buildAccountFixture(server());
  const inbox = await buildInbox(fx);
  await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
  const c = await buildConversation(fx, inbox.id);
  const stranger = await buildAccountFixture(server());
  const sockets = {
    agent: await asUser(fx.account.id, fx.agent.access_token),
    admin: await asUser(fx.account.id, fx.admin.access_token),
    stranger: await asUser(stranger.account.id, stranger.admin.access_token),
    contact: await asContact(fx, c.id),
  };
  return { fx, inbox, c, stranger, sockets };
}

describe('notification events', () => {
  it('go to the notified user alone, with their counts', async () => {
    const { fx, c, sockets } = await setup();
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, {
      content: 'Where is my order?',
      message_type: 'incoming',
    });
    await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id });
    const created = await sockets.agent.next('notification.created');
    // made by the listener, not by a request: no performer
    expect(Object.keys(created).sort()).toEqual(['account_id', 'count', 'notification', 'unread_count']);
    expect(created).toMatchObject({ unread_count: 1, count: 1, account_id: fx.account.id });
    expect(Object.keys(created.notification)).toEqual([
      'id',
      'notification_type',
      'primary_actor_type',
      'primary_actor_id',
      'read_at',
      'secondary_actor',
      'user',
      'created_at',
      'last_activity_at',
      'snoozed_until',
      'meta',
      'account_id',
      'primary_actor',
      'push_message_title',
    ]);
    expect(created.notification).toMatchObject({
      notification_type: 'conversation_assignment',
      primary_actor: { id: c.id },
      user: { id: fx.agent.id },
      push_message_title: `${c.meta.sender.name}: Where is my order?`,
    });
    const id = created.notification.id;

    await fx.asAgent('PATCH', `/notifications/${id}`);
    const updated = await sockets.agent.next('notification.updated');
    expect(updated).toMatchObject({
      notification: { id, read_at: expect.any(String) },
      unread_count: 0,
      count: 0,
      performer: { id: fx.agent.id, type: 'user' },
    });
    await fx.asAgent('POST', `/notifications/${id}/unread`);
    await sockets.agent.next('notification.updated', (d) => d.notification.read_at === null);

    // a newer notification about the same conversation replaces it: created, then the old one deleted
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'Hello?', message_type: 'incoming' });
    const replacing = await sockets.agent.next('notification.created', (d) => d.notification.id !== id);
    expect(replacing).toMatchObject({
      notification: { notification_type: 'assigned_conversation_new_message' },
      unread_count: 1,
      count: 1,
    });
    expect(await sockets.agent.next('notification.deleted')).toEqual({
      notification: { id },
      unread_count: 1,
      count: 1,
      account_id: fx.account.id,
    });

    await fx.asAgent('DELETE', `/notifications/${replacing.notification.id}`);
    expect(
      await sockets.agent.next('notification.deleted', (d) => d.notification.id === replacing.notification.id),
    ).toMatchObject({ unread_count: 0, count: 0 });

    await settle();
    for (const other of [sockets.admin, sockets.stranger, sockets.contact]) {
      expect(['notification.created', 'notification.updated', 'notification.deleted'].flatMap(other.named)).toEqual([]);
    }
  });
});

describe("the counts a reply's notifications carry", () => {
  it('are those of the default list after the reply (unread, not snoozed), as GET /notifications counts them', async () => {
    const { fx, inbox, sockets } = await setup();
    // four conversations assigned to the agent, each with its assignment notification
    const ids: number[] = [];
    const conversations = [];
    for (let i = 0; i < 4; i++) {
      const c = await buildConversation(fx, inbox.id);
      conversations.push(c);
      await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id });
      const created = await sockets.agent.next('notification.created', (d) => d.notification.primary_actor.id === c.id);
      ids.push(created.notification.id);
    }
    const [read, snoozed, replaced] = ids;
    expect((await fx.asAgent('PATCH', `/notifications/${read}`)).status).toBe(200);
    const until = Math.floor(Date.now() / 1000) + 3600;
    expect((await fx.asAgent('POST', `/notifications/${snoozed}/snooze`, { snoozed_until: until })).status).toBe(200);
    // an agent's plain reply (the one-statement path) in the third: the assignee is told, and the
    // third's assignment notification replaced; left unread: the fourth's and the new one
    const res = await fx.asAdmin('POST', `/conversations/${conversations[2]!.id}/messages`, { content: 'On its way' });
    expect(res.status, res.text).toBe(200);
    const created = await sockets.agent.next(
      'notification.created',
      (d) => d.notification.notification_type === 'assigned_conversation_new_message',
    );
    expect(created).toMatchObject({ unread_count: 2, count: 2, account_id: fx.account.id });
    expect(await sockets.agent.next('notification.deleted', (d) => d.notification.id === replaced)).toEqual({
      notification: { id: replaced },
      unread_count: 2,
      count: 2,
      account_id: fx.account.id,
    });
    const list = await fx.asAgent('GET', '/notifications');
    expect(list.body.data.meta).toMatchObject({ count: 2, unread_count: 2 });
  });
});

describe('conversation.mentioned', () => {
  it('goes to the mentioned agent only', async () => {
    const { fx, c, sockets } = await setup();
    const content = `Look [@Agent](mention://user/${fx.agent.id}/Agent)`;
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content, private: true });
    const mentioned = await sockets.agent.next('conversation.mentioned');
    expect(mentioned).toMatchObject({
      id: c.id,
      account_id: fx.account.id,
      meta: { sender: { id: c.meta.sender.id } },
      contact_inbox: { pubsub_token: expect.any(String) },
    });
    await settle();
    for (const other of [sockets.admin, sockets.stranger, sockets.contact])
      expect(other.named('conversation.mentioned')).toEqual([]);
    // a public message with the same markup mentions nobody
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content });
    await settle();
    expect(sockets.agent.named('conversation.mentioned')).toHaveLength(1);
  });
});

describe('first.reply.created', () => {
  it('goes to the inbox agents when an agent first replies, once', async () => {
    const { fx, inbox, c, sockets } = await setup();
    const outsider = await buildUser(server(), fx.platformToken);
    await server().request('POST', `/platform/api/v1/accounts/${fx.account.id}/account_users`, {
      token: fx.platformToken,
      body: { user_id: outsider.id, role: 'agent' },
    });
    const outsiderSocket = await asUser(fx.account.id, outsider.access_token);
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'note first', private: true });
    const reply = (await fx.asAgent('POST', `/conversations/${c.id}/messages`, { content: 'Hello!' })).body;
    for (const agent of [sockets.agent, sockets.admin]) {
      expect(await agent.next('first.reply.created')).toMatchObject({
        id: reply.id,
        conversation_id: c.id,
        inbox_id: inbox.id,
        account_id: fx.account.id,
        sender: { id: fx.agent.id },
      });
    }
    await fx.asAgent('POST', `/conversations/${c.id}/messages`, { content: 'Anything else?' });
    await sockets.agent.next('message.created', (d) => d.content === 'Anything else?');
    await settle();
    expect(sockets.agent.named('first.reply.created')).toHaveLength(1);
    for (const other of [outsiderSocket, sockets.stranger, sockets.contact])
      expect(other.named('first.reply.created')).toEqual([]);
  });
});

describe('account.cache_invalidated', () => {
  it('goes to every member of the account when a label, inbox or team changes, with the keys GET /accounts/:id shows', async () => {
    const { fx, inbox, sockets } = await setup();
    expect((await fx.asAdmin('POST', '/labels', { title: `vip-${Date.now()}` })).status).toBe(200);
    for (const member of [sockets.agent, sockets.admin]) {
      const data = await member.next('account.cache_invalidated');
      expect(data).toMatchObject({
        account_id: fx.account.id,
        cache_keys: { label: expect.stringMatching(/^\d{10}$/), inbox: expect.any(String), team: expect.any(String) },
      });
    }
    const [event] = sockets.agent.named('account.cache_invalidated');
    const account = (
      await server().request('GET', `/api/v1/accounts/${fx.account.id}`, { token: fx.agent.access_token })
    ).body;
    expect(account.cache_keys).toEqual(event!.data.cache_keys);

    await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, { name: 'Renamed' });
    expect(
      (await sockets.agent.next('account.cache_invalidated', (d) => d.cache_keys.inbox !== '0000000000')).cache_keys
        .inbox,
    ).toMatch(/^\d{10}$/);
    await fx.asAdmin('POST', '/teams', { name: `t-${Date.now()}` });
    await sockets.agent.next('account.cache_invalidated', (d) => d.cache_keys.team !== '0000000000');
    // a refused change announces nothing
    const before = sockets.agent.named('account.cache_invalidated').length;
    expect((await fx.asAgent('POST', '/labels', { title: 'nope' })).status).toBe(401);
    await settle();
    expect(sockets.agent.named('account.cache_invalidated')).toHaveLength(before);
    expect(sockets.stranger.named('account.cache_invalidated')).toEqual([]);
    expect(sockets.contact.named('account.cache_invalidated')).toEqual([]);
  });
});
