import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { openCable, type CableClient } from '../../../test/cable.js';
import { publicApi } from '../../../test/public-api.js';
import { presenceData } from '../../core/realtime/presence.js';
import { startServerProcess, type ServerProcess } from '../../../test/processes.js';

const server = useTestServer();
const sockets: CableClient[] = [];
const processes: ServerProcess[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const child of processes) {
    child.child.kill('SIGTERM');
    await child.exited;
  }
});

async function cable(url = server().url) {
  const client = await openCable(url);
  sockets.push(client);
  return client;
}

async function agentIdentity(fx: AccountFixture, who: 'admin' | 'agent') {
  const token = fx[who].access_token;
  const profile = (await server().request('GET', '/api/v1/profile', { token })).body;
  return {
    channel: 'RoomChannel',
    pubsub_token: profile.pubsub_token as string,
    account_id: fx.account.id,
    user_id: profile.id as number,
  };
}

async function contactToken(conversationDisplayId: number, accountId: number) {
  const row = await server()
    .db.selectFrom('conversations')
    .innerJoin('contact_inboxes', 'contact_inboxes.id', 'conversations.contact_inbox_id')
    .select('contact_inboxes.pubsub_token')
    .where('conversations.account_id', '=', accountId)
    .where('conversations.display_id', '=', conversationDisplayId)
    .executeTakeFirstOrThrow();
  return row.pubsub_token;
}

const isEvent =
  (identifier: string, event: string, check: (data: any) => boolean = () => true) =>
  (f: any) =>
    f.identifier === identifier && f.message?.event === event && check(f.message.data);

describe('ActionCable /cable', () => {
  it('speaks the protocol: welcome, ping, confirm or reject with the identifier verbatim', async () => {
    const fx = await buildAccountFixture(server());
    const client = await cable();
    await client.next((f) => f.type === 'welcome');
    const bad = client.subscribe({ channel: 'RoomChannel', pubsub_token: 'nope' });
    expect(await client.next((f) => f.identifier === bad)).toEqual({ identifier: bad, type: 'reject_subscription' });
    const wrongAccount = client.subscribe({ ...(await agentIdentity(fx, 'agent')), account_id: 999999 });
    expect((await client.next((f) => f.identifier === wrongAccount)).type).toBe('reject_subscription');
    // the identifier comes back byte for byte, whatever its key order and spacing
    const identity = await agentIdentity(fx, 'agent');
    const identifier = `{"user_id": ${identity.user_id}, "channel":"RoomChannel","account_id":${fx.account.id},"pubsub_token":"${identity.pubsub_token}"}`;
    client.send({ command: 'subscribe', identifier });
    expect(await client.next((f) => f.identifier === identifier && f.type)).toEqual({
      identifier,
      type: 'confirm_subscription',
      last_event_id: expect.any(Number),
    });
    const presence = await client.next(isEvent(identifier, 'presence.update'));
    expect(presence.message.data).toEqual({
      account_id: fx.account.id,
      users: { [identity.user_id]: 'online' },
      contacts: {},
    });
    const ping = await client.next((f) => f.type === 'ping', 4000, 'ping');
    expect(Number.isInteger(ping.message)).toBe(true);

    const spec = (await server().request('GET', '/openapi.json')).body;
    expect(spec.info.description).toContain('last_event_id');

    const plain = new WebSocket(`${server().url.replace('http', 'ws')}/elsewhere`);
    await new Promise((resolve) => plain.once('error', resolve).once('close', resolve));
  });

  it('sends agents the push data and contacts the contact-safe shapes, never private notes', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const outsider = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const c = await buildConversation(fx, inbox.id);
    const hidden = await buildConversation(fx, outsider.id);

    const agent = await cable();
    const agentId = agent.subscribe(await agentIdentity(fx, 'agent'));
    const contact = await cable();
    const contactId = contact.subscribe({
      channel: 'RoomChannel',
      pubsub_token: await contactToken(c.id, fx.account.id),
    });
    await agent.next((f) => f.type === 'confirm_subscription');
    await contact.next((f) => f.type === 'confirm_subscription');

    const note = (
      await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'internal only', private: true })
    ).body;
    const reply = (await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'Hi there', echo_id: 'e-1' }))
      .body;
    await fx.asAdmin('POST', `/conversations/${hidden.id}/messages`, { content: 'not for the agent' });

    const created = await agent.next(isEvent(agentId, 'message.created', (d) => d.id === reply.id));
    expect(created.message.data).toMatchObject({
      id: reply.id,
      content: 'Hi there',
      account_id: fx.account.id,
      conversation_id: c.id,
      message_type: 1,
      echo_id: 'e-1',
      sender: { id: fx.admin.id, type: 'user' },
      conversation: { contact_inbox: { source_id: expect.any(String) } },
    });
    expect(typeof created.message.event_id).toBe('number');
    expect(agent.events(agentId).some((m) => m.event === 'message.created' && m.data.id === note.id)).toBe(true);

    const forContact = await contact.next(isEvent(contactId, 'message.created', (d) => d.id === reply.id));
    // Message#push_event_data, every key in Chatwoot's order, with account_id and the performer merged
    // by ActionCableListener#broadcast (the sender's push_event_data too)
    expect(Object.keys(forContact.message.data)).toEqual([
      'id',
      'content',
      'account_id',
      'inbox_id',
      'conversation_id',
      'message_type',
      'created_at',
      'updated_at',
      'private',
      'status',
      'source_id',
      'content_type',
      'content_attributes',
      'sender_type',
      'sender_id',
      'external_source_ids',
      'additional_attributes',
      'processed_message_content',
      'sentiment',
      'conversation',
      'echo_id',
      'sender',
      'performer',
    ]);
    expect(forContact.message.data).toMatchObject({
      account_id: fx.account.id,
      sender_type: 'User',
      sender_id: fx.admin.id,
      conversation: { contact_inbox: { source_id: expect.any(String) } },
    });
    expect(Object.keys(forContact.message.data.sender)).toEqual([
      'id',
      'name',
      'available_name',
      'avatar_url',
      'type',
      'availability_status',
      'thumbnail',
    ]);
    expect(forContact.message.data.performer).toEqual(forContact.message.data.sender);
    const { event_id: _a, ...agentFrame } = created.message;
    const { event_id: _c, ...contactFrame } = forContact.message;
    expect(contactFrame, 'contacts get what agents get for a public message').toEqual(agentFrame);

    // the agent, connected, resolves it: the performer carries their availability (User#push_event_data)
    expect((await fx.asAgent('POST', `/conversations/${c.id}/toggle_status`, { status: 'resolved' })).status).toBe(200);
    const status = await contact.next(isEvent(contactId, 'conversation.status_changed'));
    expect(status.message.data).toMatchObject({
      id: c.id,
      status: 'resolved',
      account_id: fx.account.id,
      performer: { id: fx.agent.id, type: 'user' },
    });
    const agentStatus = await agent.next(isEvent(agentId, 'conversation.status_changed'));
    expect(agentStatus.message.data).toMatchObject({
      id: c.id,
      status: 'resolved',
      account_id: fx.account.id,
      meta: { sender: { type: 'contact' } },
      contact_inbox: { pubsub_token: expect.any(String) },
    });
    expect(typeof agentStatus.message.data.updated_at).toBe('number');
    expect(agentStatus.message.data.performer).toMatchObject({
      id: fx.agent.id,
      type: 'user',
      availability_status: 'online',
    });

    await new Promise((r) => setTimeout(r, 200));
    const contactSaw = JSON.stringify(contact.events(contactId));
    expect(contactSaw).not.toContain('internal only');
    expect(contactSaw).not.toContain('Conversation was marked resolved');
    expect(contactSaw).not.toContain('pubsub_token');
    expect(JSON.stringify(agent.events(agentId))).not.toContain('not for the agent');
  });

  it("sends a contact's Client API message to agents and the contact exactly as the Application API path does", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Twin' });
    const viaClient = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const viaAgents = await api.conversation(inbox.inbox_identifier, contact.source_id);

    const agent = await cable();
    const agentId = agent.subscribe(await agentIdentity(fx, 'admin'));
    const widget = await cable();
    const widgetId = widget.subscribe({ channel: 'RoomChannel', pubsub_token: contact.pubsub_token });
    await agent.next((f) => f.type === 'confirm_subscription');
    await widget.next((f) => f.type === 'confirm_subscription');

    const fast = await api.message(inbox.inbox_identifier, contact.source_id, viaClient.id, {
      content: 'twin words',
      echo_id: 'twin',
    });
    const full = (
      await fx.asAdmin('POST', `/conversations/${viaAgents.id}/messages`, {
        content: 'twin words',
        message_type: 'incoming',
        echo_id: 'twin',
      })
    ).body;
    const same = (data: any) => ({
      ...data,
      id: 0,
      conversation_id: 0,
      created_at: 0,
      updated_at: 0,
      conversation: { ...data.conversation, last_activity_at: 0 },
    });
    const agentFast = await agent.next(isEvent(agentId, 'message.created', (d) => d.id === fast.id));
    const agentFull = await agent.next(isEvent(agentId, 'message.created', (d) => d.id === full.id));
    expect(same(agentFast.message.data)).toEqual(same(agentFull.message.data));
    expect(agentFast.message.data).toMatchObject({
      content: 'twin words',
      message_type: 0,
      echo_id: 'twin',
      sender: { id: contact.id, type: 'contact' },
      conversation: { unread_count: 1, contact_inbox: { source_id: contact.source_id } },
    });
    const widgetFast = await widget.next(isEvent(widgetId, 'message.created', (d) => d.id === fast.id));
    const widgetFull = await widget.next(isEvent(widgetId, 'message.created', (d) => d.id === full.id));
    expect(same(widgetFast.message.data)).toEqual(same(widgetFull.message.data));
  });

  it('sends typing to everyone but the typist, and private typing only to agents', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const admin = await cable();
    const adminId = admin.subscribe(await agentIdentity(fx, 'admin'));
    const contact = await cable();
    const contactId = contact.subscribe({
      channel: 'RoomChannel',
      pubsub_token: await contactToken(c.id, fx.account.id),
    });
    await admin.next((f) => f.type === 'confirm_subscription');
    await contact.next((f) => f.type === 'confirm_subscription');
    await fx.asAdmin('POST', `/conversations/${c.id}/toggle_typing_status`, { typing_status: 'on' });
    const typing = await contact.next(isEvent(contactId, 'conversation.typing_on'));
    expect(typing.message.data).toMatchObject({
      is_private: false,
      user: { id: fx.admin.id, type: 'user', availability_status: expect.any(String) },
      conversation: { id: c.id },
      account_id: fx.account.id,
    });
    expect(typing.message.data.performer).toEqual(typing.message.data.user);
    await fx.asAdmin('POST', `/conversations/${c.id}/toggle_typing_status`, { typing_status: 'off', is_private: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(contact.events(contactId).map((m) => m.event)).not.toContain('conversation.typing_off');
    expect(admin.events(adminId).map((m) => m.event)).not.toContain('conversation.typing_on');
  });

  it('replays what a reconnecting client missed after last_event_id, then goes live', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const identity = await agentIdentity(fx, 'admin');
    const first = await cable();
    const firstId = first.subscribe(identity);
    const seen = await (async () => {
      await first.next((f) => f.type === 'confirm_subscription');
      await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'before the drop' });
      return first.next(isEvent(firstId, 'message.created'));
    })();
    first.close();
    for (const content of ['missed 1', 'missed 2'])
      await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content });

    const again = await cable();
    const againId = again.subscribe({ ...identity, last_event_id: seen.message.event_id });
    await again.next(isEvent(againId, 'message.created', (d) => d.content === 'missed 2'));
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'live' });
    await again.next(isEvent(againId, 'message.created', (d) => d.content === 'live'));
    const contents = again
      .events(againId)
      .filter((m) => m.event === 'message.created')
      .map((m) => m.data.content);
    expect(contents).toEqual(['missed 1', 'missed 2', 'live']);
    const ids = again
      .events(againId)
      .filter((m) => m.event_id)
      .map((m) => m.event_id!);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("confirms a subscription with its stream's position, from which a client that saw no event yet replays what it missed", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'before the subscription' });
    const identity = await agentIdentity(fx, 'admin');
    const first = await cable();
    first.subscribe(identity);
    const confirm = (await first.next((f) => f.type === 'confirm_subscription')) as { last_event_id?: unknown };
    expect(confirm.last_event_id).toEqual(expect.any(Number));
    first.close();
    for (const content of ['missed 1', 'missed 2'])
      await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content });

    const again = await cable();
    const againId = again.subscribe({ ...identity, last_event_id: confirm.last_event_id });
    await again.next(isEvent(againId, 'message.created', (d) => d.content === 'missed 2'));
    await new Promise((r) => setTimeout(r, 200));
    const contents = again
      .events(againId)
      .filter((m) => m.event === 'message.created')
      .map((m) => m.data.content);
    expect(contents).toEqual(['missed 1', 'missed 2']);
    again.close();
  });

  it('reaches a socket on another node: a second server process on the same database', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    // the same transport as this test server: LISTEN/NOTIFY, or Redis when REDIS_URL is set (CI's second run)
    const node = await startServerProcess({
      DATABASE_URL: server().databaseUrl,
      CONFAB_DATA_DIR: path.join(os.tmpdir(), `confab-node-${Date.now()}`),
      REDIS_URL: process.env.REDIS_URL,
    });
    processes.push(node);
    const remote = await cable(node.url);
    const remoteId = remote.subscribe(await agentIdentity(fx, 'admin'));
    const local = await cable();
    const localId = local.subscribe(await agentIdentity(fx, 'admin'));
    await remote.next((f) => f.type === 'confirm_subscription');
    await local.next((f) => f.type === 'confirm_subscription');
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'posted on node A' });
    await remote.next(
      isEvent(remoteId, 'message.created', (d) => d.content === 'posted on node A'),
      5000,
      'A to B',
    );
    const viaB = await fetch(new URL(`/api/v1/accounts/${fx.account.id}/conversations/${c.id}/messages`, node.url), {
      method: 'POST',
      headers: { api_access_token: fx.admin.access_token, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'sent through B' }),
    });
    expect(viaB.status).toBe(200);
    await local.next(
      isEvent(localId, 'message.created', (d) => d.content === 'sent through B'),
      5000,
      'B to A',
    );
    // each node delivers each event once
    await new Promise((r) => setTimeout(r, 300));
    const created = (client: CableClient, id: string, content: string) =>
      client.events(id).filter((m) => m.event === 'message.created' && m.data?.content === content);
    expect(created(remote, remoteId, 'sent through B')).toHaveLength(1);
    expect(created(local, localId, 'posted on node A')).toHaveLength(1);
  });
});

describe('presence', () => {
  it('puts a connected contact in /contacts/active and its availability, and refuses to delete it', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const contactId = c.meta.sender.id;
    expect((await fx.asAdmin('GET', '/contacts/active')).body.payload).toEqual([]);
    const socket = await cable();
    const identifier = socket.subscribe({
      channel: 'RoomChannel',
      pubsub_token: await contactToken(c.id, fx.account.id),
    });
    const presence = await socket.next(isEvent(identifier, 'presence.update'));
    expect(presence.message.data).toEqual({ account_id: fx.account.id, users: {} });
    const active = await fx.asAdmin('GET', '/contacts/active');
    expect(active.body.payload.map((x: { id: number }) => x.id)).toEqual([contactId]);
    expect(active.body.payload[0].availability_status).toBe('online');
    const removal = await fx.asAdmin('DELETE', `/contacts/${contactId}`);
    expect(removal.status).toBe(422);
    expect(removal.body).toEqual({ message: `${c.meta.sender.name} is Online, please try again later` });
    // agents see online contacts in their presence updates
    const agent = await cable();
    const agentId = agent.subscribe(await agentIdentity(fx, 'admin'));
    expect((await agent.next(isEvent(agentId, 'presence.update'))).message.data.contacts).toEqual({
      [contactId]: 'online',
    });
  });
});

describe('presence snapshots', () => {
  it('are read once for the subscribes that ask at the same moment (a reconnect storm), not once each', async () => {
    const fx = await buildAccountFixture(server());
    const snapshots = await Promise.all(
      Array.from({ length: 20 }, () => presenceData(server().db, fx.account.id, true)),
    );
    expect(new Set(snapshots).size).toBe(1);
    expect(snapshots[0]!.data).toEqual({ account_id: fx.account.id, users: {}, contacts: {} });
    // the message with a user the snapshot predates, spliced into the empty list (a long list: below)
    const once = snapshots[0]!;
    expect(once.message).toBe(JSON.stringify({ event: 'presence.update', data: once.data }));
    expect(JSON.parse(once.withUser(7, 'busy').join(''))).toEqual({
      event: 'presence.update',
      data: { ...once.data, users: { 7: 'busy' } },
    });
  });

  it('reach a subscriber the shared snapshot predates with itself added, a large list in shared fragments', async () => {
    const fx = await buildAccountFixture(server());
    const db = server().db;
    // a thousand agents online: the list is over the size that goes as fragments shared by the sockets
    await sql`with u as (
        insert into users (name, email, pubsub_token, confirmed_at)
        select 'Online ' || n, 'online-' || n || '-' || ${fx.account.id} || '@example.com', md5(random()::text || n), now() from generate_series(1, 1000) n
        returning id
      ), member as (insert into account_users (account_id, user_id, role) select ${fx.account.id}, id, 0 from u returning user_id)
      insert into presence (account_id, kind, entity_id, last_seen_at) select ${fx.account.id}, 'User', user_id, now() from member`.execute(
      db,
    );
    const identity = await agentIdentity(fx, 'admin');
    // read now, so the subscribe below is answered from this snapshot, which lacks the admin
    const shared = await presenceData(db, fx.account.id, true);
    expect(Object.keys(shared.data.users)).toHaveLength(1000);
    expect(JSON.parse(shared.withUser(identity.user_id, 'online').join(''))).toEqual({
      event: 'presence.update',
      data: { ...shared.data, users: { ...shared.data.users, [identity.user_id]: 'online' } },
    });
    const socket = await cable();
    const identifier = socket.subscribe(identity);
    const presence = await socket.next(isEvent(identifier, 'presence.update'));
    expect(presence.message.data).toEqual({
      ...shared.data,
      users: { ...shared.data.users, [identity.user_id]: 'online' },
    });
  });
});

describe('message side effects', () => {
  it("announce the reply times and the contact's activity after the message, alike on either path", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const agent = await cable();
    const agentId = agent.subscribe(await agentIdentity(fx, 'admin'));
    await agent.next((f) => f.identifier === agentId && f.type === 'confirm_subscription');
    const RELEVANT = new Set(['message.created', 'first.reply.created', 'conversation.updated', 'contact.updated']);
    // a participant must be a member of the inbox
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    // conversation.updated as each path pushed it: the single statement reads the push view with its writes
    const pushed: Record<string, unknown[]> = {};
    for (const watched of [false, true]) {
      const contact = await api.contact(inbox.inbox_identifier, { name: watched ? 'Watched' : 'Quiet' });
      const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
      // a participant gives the notifications listener work: that conversation takes the transactional path
      if (watched) {
        const participants = await fx.asAdmin('POST', `/conversations/${conversation.id}/participants`, {
          user_ids: [fx.agent.id],
        });
        expect(participants.body).toEqual([expect.objectContaining({ id: fx.agent.id })]);
      }
      const visitor = await cable();
      const visitorId = visitor.subscribe({ channel: 'RoomChannel', pubsub_token: contact.pubsub_token });
      await visitor.next((f) => f.identifier === visitorId && f.type === 'confirm_subscription');
      const ours = (m: { event: string; data: any }) =>
        RELEVANT.has(m.event) &&
        (m.event === 'contact.updated'
          ? m.data.id === contact.id
          : (m.data.conversation_id ?? m.data.id) === conversation.id);
      const skip = agent.events(agentId).length;
      await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'a question' });
      expect(
        (
          await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
            content: 'an answer',
            echo_id: 'answer-echo',
          })
        ).status,
      ).toBe(200);
      await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'another question' });
      const seen = () => agent.events(agentId).slice(skip).filter(ours);
      await expect.poll(() => seen().length).toBeGreaterThanOrEqual(8);
      // and nothing more
      await new Promise((r) => setTimeout(r, 200));
      const events = seen();
      const [question, answer, again] = [events.slice(0, 2), events.slice(2, 5), events.slice(5, 8)] as const;
      expect(
        events.map((m) => m.event),
        `watched: ${watched}`,
      ).toEqual([
        // the conversation was waiting already: only the contact's activity moves
        'message.created',
        'contact.updated',
        'message.created',
        'first.reply.created',
        'conversation.updated',
        'message.created',
        'conversation.updated',
        'contact.updated',
      ]);
      expect(question[1]!.data).toMatchObject({ id: contact.id, account_id: fx.account.id });
      // push data: waiting_since in epoch seconds (0 when none), first_reply_created_at as stored (ISO 8601)
      expect(answer[2]!.data).toMatchObject({
        id: conversation.id,
        waiting_since: 0,
        first_reply_created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(again[1]!.data.waiting_since).toBeGreaterThan(0);
      // the message that moved it is its last message, read back as stored (no echo_id); the agent who wrote it performed it
      expect(answer[2]!.data.messages).toEqual([expect.objectContaining({ content: 'an answer', message_type: 1 })]);
      expect(answer[2]!.data.messages[0]).not.toHaveProperty('echo_id');
      expect(answer[2]!.data.performer).toMatchObject({ id: fx.admin.id, type: 'user' });
      expect(again[1]!.data.messages).toEqual([
        expect.objectContaining({ content: 'another question', message_type: 0 }),
      ]);
      expect(again[1]!.data).not.toHaveProperty('performer');
      // the contact hears of the conversation's updates, not of its own contact record
      const toVisitor = visitor.events(visitorId).filter(ours);
      expect(toVisitor.map((m) => m.event)).toEqual([
        'message.created',
        'message.created',
        'conversation.updated',
        'message.created',
        'conversation.updated',
      ]);
      const updates = [answer[2]!.data, again[1]!.data, toVisitor[2]!.data, toVisitor[4]!.data];
      for (const [index, data] of updates.slice(0, 2).entries()) {
        expect(data).toMatchObject({
          unread_count: index + 1,
          labels: [],
          status: 'open',
          inbox_id: inbox.id,
          contact_inbox: { source_id: contact.source_id },
        });
        expect(data.meta).toMatchObject({ sender: { id: contact.id, name: contact.name }, hmac_verified: false });
      }
      pushed[String(watched)] = updates;
    }
    // alike on either path, but for ids, names and times
    const shape = (value: unknown): unknown =>
      value === null
        ? null
        : Array.isArray(value)
          ? value.map(shape)
          : typeof value === 'object'
            ? Object.fromEntries(
                Object.entries(value as object)
                  .sort()
                  .map(([k, v]) => [k, shape(v)]),
              )
            : typeof value;
    expect(shape(pushed.false)).toEqual(shape(pushed.true));
    const fields = (data: any) => [
      data.unread_count,
      data.labels,
      data.status,
      data.meta?.assignee ?? null,
      data.meta?.team ?? null,
      (data.messages ?? []).map((m: any) => m.content),
    ];
    expect(pushed.false!.map(fields)).toEqual(pushed.true!.map(fields));
  });
});

describe('contact events', () => {
  it('go to the account stream: every agent of the account, nobody else', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const mine = await cable();
    const mineId = mine.subscribe(await agentIdentity(fx, 'agent'));
    const theirs = await cable();
    const theirsId = theirs.subscribe({ ...(await agentIdentity(other, 'admin')) });
    await mine.next((f) => f.type === 'confirm_subscription');
    await theirs.next((f) => f.type === 'confirm_subscription');
    const contact = (await fx.asAdmin('POST', '/contacts', { name: 'Live Contact', email: 'live@example.com' })).body
      .payload.contact;
    const created = await mine.next(isEvent(mineId, 'contact.created'));
    expect(created.message.data).toMatchObject({
      id: contact.id,
      name: 'Live Contact',
      type: 'contact',
      account_id: fx.account.id,
    });
    await fx.asAdmin('PATCH', `/contacts/${contact.id}`, { name: 'Renamed' });
    expect((await mine.next(isEvent(mineId, 'contact.updated'))).message.data.name).toBe('Renamed');
    await fx.asAdmin('DELETE', `/contacts/${contact.id}`);
    expect((await mine.next(isEvent(mineId, 'contact.deleted'))).message.data).toMatchObject({
      id: contact.id,
      name: 'Renamed',
    });
    expect(theirs.events(theirsId).filter((m) => m.event.startsWith('contact.'))).toEqual([]);
  });
});

describe('audiences', () => {
  it('sends each event to exactly its audience', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const elsewhere = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: elsewhere.id, user_ids: [fx.agent.id] });
    const c = await buildConversation(fx, inbox.id);
    const neighbour = await buildConversation(fx, inbox.id);

    const admin = await cable();
    const adminId = admin.subscribe(await agentIdentity(fx, 'admin'));
    const outsider = await cable(); // agent of another inbox
    const outsiderId = outsider.subscribe(await agentIdentity(fx, 'agent'));
    const stranger = await cable(); // administrator of another account
    const strangerId = stranger.subscribe(await agentIdentity(other, 'admin'));
    const contact = await cable();
    const contactId = contact.subscribe({
      channel: 'RoomChannel',
      pubsub_token: await contactToken(c.id, fx.account.id),
    });
    for (const socket of [admin, outsider, stranger, contact])
      await socket.next((f) => f.type === 'confirm_subscription');

    const team = (await fx.asAdmin('POST', '/teams', { name: 'ops' })).body;
    const created = await buildConversation(fx, inbox.id);
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'first' });
    const msg = (await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'edit me' })).body;
    await fx.asAdmin('PATCH', `/conversations/${c.id}/messages/${msg.id}`, { status: 'read' });
    await fx.asAdmin('POST', `/conversations/${c.id}/update_last_seen`);
    await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.admin.id });
    await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { team_id: team.id });
    await fx.asAdmin('POST', `/conversations/${c.id}/labels`, { labels: ['x'] });
    await fx.asAdmin('POST', `/conversations/${neighbour.id}/messages`, { content: 'for the neighbour' });
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'done' });
    await admin.next(isEvent(adminId, 'message.created', (d) => d.content === 'done'));
    await contact.next(isEvent(contactId, 'message.created', (d) => d.content === 'done'));
    await new Promise((r) => setTimeout(r, 300));

    const names = (client: CableClient, id: string) => [...new Set(client.events(id).map((m) => m.event))].sort();
    expect(names(admin, adminId)).toEqual([
      'account.cache_invalidated',
      'assignee.changed',
      'contact.created',
      'conversation.created',
      'conversation.read',
      'conversation.updated',
      'first.reply.created',
      'message.created',
      'message.updated',
      'presence.update',
      'team.changed',
    ]);
    // (events of the fixtures made just before subscribing may arrive too)
    expect(
      admin
        .events(adminId)
        .filter((m) => m.event === 'conversation.created')
        .map((m) => m.data.id),
    ).toContain(created.id);
    expect(names(contact, contactId)).toEqual([
      'conversation.updated',
      'message.created',
      'message.updated',
      'presence.update',
    ]);
    expect(
      contact
        .events(contactId)
        .filter((m) => m.event === 'message.created')
        .map((m) => m.data.content),
    ).toEqual(['first', 'edit me', 'done']);
    // contact events go to every agent of the account; conversation events only to the inbox's
    // (and the team's creation changed the account's cache keys, which every member hears of)
    expect(names(outsider, outsiderId)).toEqual(['account.cache_invalidated', 'contact.created', 'presence.update']);
    expect(names(stranger, strangerId)).toEqual(['presence.update']);
  });

  it('survives malformed frames and keeps serving', async () => {
    const fx = await buildAccountFixture(server());
    const rude = await cable();
    await rude.next((f) => f.type === 'welcome');
    for (const junk of [
      'not json',
      '{"command":"subscribe"}',
      '{"command":"subscribe","identifier":"{broken"}',
      '{"command":"message","identifier":"x","data":"{"}',
      '{"command":"dance","identifier":"{}"}',
      '[]',
      'null',
      '{"command":"subscribe","identifier":"{\\"channel\\":\\"Other\\",\\"pubsub_token\\":\\"t\\"}"}',
    ]) {
      (rude as unknown as { send(frame: unknown): void }).send(junk === 'not json' ? junk : JSON.parse(junk));
    }
    const other = '{"channel":"Other","pubsub_token":"t"}';
    expect((await rude.next((f) => f.identifier === other, 5000, 'reject')).type).toBe('reject_subscription');
    expect((await rude.next((f) => f.identifier === '{broken', 5000, 'reject')).type).toBe('reject_subscription');
    const huge = new WebSocket(`${server().url.replace('http', 'ws')}/cable`, ['actioncable-v1-json']);
    await new Promise((resolve) => huge.once('open', resolve));
    const closed = new Promise<number>((resolve) => huge.once('close', (code) => resolve(code)));
    huge.send('x'.repeat(200_000));
    expect(await closed).toBe(1009);
    const fine = await cable();
    const id = fine.subscribe(await agentIdentity(fx, 'admin'));
    expect((await fine.next((f) => f.identifier === id && f.type)).type).toBe('confirm_subscription');
  });
});
