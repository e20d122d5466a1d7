import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { openCable, type CableClient } from '../../../test/cable.js';
import { publicApi } from '../../../test/public-api.js';

const server = useTestServer();
const sockets: CableClient[] = [];
afterAll(() => {
  for (const socket of sockets) socket.close();
});

async function adminCable(fx: AccountFixture) {
  const profile = (await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token })).body;
  const socket = await openCable(server().url);
  sockets.push(socket);
  const id = socket.subscribe({
    channel: 'RoomChannel',
    pubsub_token: profile.pubsub_token,
    account_id: fx.account.id,
    user_id: profile.id,
  });
  await socket.next((f) => f.type === 'confirm_subscription');
  return { socket, id };
}

const same = (data: any) => ({
  ...data,
  id: 0,
  conversation_id: 0,
  created_at: 0,
  updated_at: 0,
  ...(data.conversation
    ? {
        conversation: {
          ...data.conversation,
          last_activity_at: 0,
          contact_inbox: { source_id: typeof data.conversation.contact_inbox?.source_id },
        },
      }
    : {}),
});

describe("an agent's plain reply (one statement when nobody else has work for it)", () => {
  it('leaves the conversation, the message, the answer and the realtime events as the transactional path does', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const quiet = await buildConversation(fx, inbox.id);
    const watched = await buildConversation(fx, inbox.id);
    // a participant (a member of the inbox) gives the notifications listener work: that conversation takes the transactional path
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const participants = await fx.asAdmin('POST', `/conversations/${watched.id}/participants`, {
      user_ids: [fx.agent.id],
    });
    expect(participants.body).toEqual([expect.objectContaining({ id: fx.agent.id })]);
    const { socket, id } = await adminCable(fx);
    const db = server().db;
    const row = (displayId: number) =>
      db
        .selectFrom('conversations')
        .selectAll()
        .where('account_id', '=', fx.account.id)
        .where('display_id', '=', displayId)
        .executeTakeFirstOrThrow();
    const stored = (messageId: number) =>
      db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirstOrThrow();
    const effects = async (displayId: number, messageId: number) => {
      const [c, m] = [await row(displayId), await stored(messageId)];
      return {
        firstReply:
          c.first_reply_created_at !== null && new Date(c.first_reply_created_at).getTime() === m.created_at.getTime(),
        activity: c.last_activity_at.getTime() === m.created_at.getTime(),
        waiting: c.waiting_since,
        status: c.status,
        message: { ...m, id: 0, conversation_id: 0, created_at: 0, updated_at: 0 },
      };
    };
    const isEvent = (event: string, messageId: number) => (f: any) =>
      f.identifier === id && f.message?.event === event && f.message.data.id === messageId;

    for (const [round, content] of [
      [1, 'First answer'],
      [2, 'Second answer'],
    ] as const) {
      const fast = await fx.asAdmin('POST', `/conversations/${quiet.id}/messages`, { content, echo_id: `e-${round}` });
      const full = await fx.asAdmin('POST', `/conversations/${watched.id}/messages`, {
        content,
        echo_id: `e-${round}`,
      });
      expect(fast.status, fast.text).toBe(200);
      expect(same(fast.body)).toEqual(same(full.body));
      expect(fast.body).toMatchObject({
        content,
        message_type: 1,
        echo_id: `e-${round}`,
        sender: { id: fx.admin.id, type: 'user' },
      });
      const [a, b] = [await effects(quiet.id, fast.body.id), await effects(watched.id, full.body.id)];
      expect(a).toEqual(b);
      expect(a).toMatchObject({ firstReply: round === 1, activity: true, waiting: null });

      const pushed = [
        await socket.next(isEvent('message.created', fast.body.id)),
        await socket.next(isEvent('message.created', full.body.id)),
      ];
      expect(same(pushed[0].message.data)).toEqual(same(pushed[1].message.data));
      if (round === 1) {
        const firsts = [
          await socket.next(isEvent('first.reply.created', fast.body.id)),
          await socket.next(isEvent('first.reply.created', full.body.id)),
        ];
        expect(same(firsts[0].message.data)).toEqual(same(firsts[1].message.data));
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    const firstReplies = socket.events(id).filter((m) => m.event === 'first.reply.created');
    expect(firstReplies).toHaveLength(2);

    // a retried echo_id answers with the stored reply and stores nothing
    const again = await fx.asAdmin('POST', `/conversations/${quiet.id}/messages`, {
      content: 'First answer',
      echo_id: 'e-1',
    });
    const count = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('echo_id', '=', 'e-1')
      .where('account_id', '=', fx.account.id)
      .executeTakeFirstOrThrow();
    expect(again.status).toBe(200);
    expect(Number(count.n)).toBe(2);
  });

  it("notifies the assignee of another agent's reply, and nobody of the assignee's own", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const own = await buildConversation(fx, inbox.id, { assignee_id: fx.admin.id });
    const theirs = await buildConversation(fx, inbox.id, { assignee_id: fx.agent.id });
    const unread = async (as: AccountFixture['asAdmin']) => (await as('GET', '/notifications/unread_count')).body;
    const [adminBefore, agentBefore] = [await unread(fx.asAdmin), await unread(fx.asAgent)];
    expect(
      (await fx.asAdmin('POST', `/conversations/${own.id}/messages`, { content: 'my own conversation' })).status,
    ).toBe(200);
    expect(await unread(fx.asAdmin)).toBe(adminBefore);
    expect(await unread(fx.asAgent)).toBe(agentBefore);
    const reply = (
      await fx.asAdmin('POST', `/conversations/${theirs.id}/messages`, { content: 'in your conversation' })
    ).body;
    const list = (await fx.asAgent('GET', '/notifications')).body.data.payload;
    expect(list[0]).toMatchObject({
      notification_type: 'assigned_conversation_new_message',
      secondary_actor: { id: reply.id },
    });
  });

  it('keeps an overlong echo_id as a retry key on both APIs instead of failing the unique index', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    // random, so it does not compress below the index entry limit
    const echo = randomBytes(5_000).toString('hex');
    const first = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'long echo',
      echo_id: echo,
    });
    const retry = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'long echo',
      echo_id: echo,
    });
    expect(first.status, first.text).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier);
    const own = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const sent = await api.message(inbox.inbox_identifier, contact.source_id, own.id, {
      content: 'long echo',
      echo_id: echo,
    });
    const again = await api.message(inbox.inbox_identifier, contact.source_id, own.id, {
      content: 'long echo',
      echo_id: echo,
    });
    expect(again.id).toBe(sent.id);
  });
  it('finds and checks the conversation itself: inbox members and team members reply, others get 401 or 404 and nothing is stored', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const teamInbox = await buildInbox(fx);
    const theirInbox = await buildInbox(other);
    const byInbox = await buildConversation(fx, inbox.id);
    const byTeam = await buildConversation(fx, teamInbox.id);
    const theirs = await buildConversation(other, theirInbox.id);
    const reply = (path: string, content: string) => fx.asAgent('POST', path, { content });
    const stored = async (content: string) =>
      Number(
        (
          await server()
            .db.selectFrom('messages')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('content', '=', content)
            .executeTakeFirstOrThrow()
        ).n,
      );

    // not yet a member of either inbox or of a team
    for (const c of [byInbox, byTeam]) {
      const refused = await reply(`/conversations/${c.id}/messages`, `hidden ${c.id}`);
      expect([refused.status, refused.body]).toEqual([401, { error: 'You are not authorized to do this action' }]);
      expect(await stored(`hidden ${c.id}`)).toBe(0);
    }
    // another account's display id names a conversation of this account, or none
    const unknown = await reply(`/conversations/${theirs.id + 1000}/messages`, 'nowhere');
    expect([unknown.status, unknown.body]).toEqual([404, { error: 'Resource could not be found' }]);
    expect((await reply('/conversations/abc/messages', 'nowhere')).status).toBe(404);
    expect(await stored('nowhere')).toBe(0);
    // a body that is not a message still answers the conversation's 404 first
    const bad = await fx.asAgent('POST', `/conversations/${theirs.id + 1000}/messages`, {
      content: 'x',
      message_type: 'sideways',
    });
    expect(bad.status).toBe(404);

    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const team = (await fx.asAdmin('POST', '/teams', { name: `Team ${randomBytes(4).toString('hex')}` })).body;
    await fx.asAdmin('POST', `/teams/${team.id}/team_members`, { user_ids: [fx.agent.id] });
    await fx.asAdmin('POST', `/conversations/${byTeam.id}/assignments`, { team_id: team.id });
    for (const c of [byInbox, byTeam]) {
      const ok = await reply(`/conversations/${c.id}/messages`, `seen ${c.id}`);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body).toMatchObject({ content: `seen ${c.id}`, message_type: 1, sender: { id: fx.agent.id } });
      expect(await stored(`seen ${c.id}`)).toBe(1);
    }
  });
});
