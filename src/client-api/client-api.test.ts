import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../test/factories.js';
import { publicApi } from '../../test/public-api.js';

const server = useTestServer();

const CONTACT_KEYS = ['source_id', 'pubsub_token', 'id', 'name', 'email'];
const RECORD_KEYS = [
  'id',
  'name',
  'email',
  'phone_number',
  'account_id',
  'created_at',
  'updated_at',
  'additional_attributes',
  'identifier',
  'custom_attributes',
  'last_activity_at',
  'contact_type',
  'middle_name',
  'last_name',
  'location',
  'country_code',
  'blocked',
];
const CONVERSATION_KEYS = [
  'id',
  'uuid',
  'inbox_id',
  'contact_last_seen_at',
  'status',
  'agent_last_seen_at',
  'messages',
  'contact',
];
const MESSAGE_KEYS = [
  'id',
  'content',
  'message_type',
  'content_type',
  'content_attributes',
  'created_at',
  'conversation_id',
  'sender',
];

async function setup() {
  const fx = await buildAccountFixture(server());
  const inbox = await buildInbox(fx);
  return { fx, inbox, api: publicApi(server()) };
}

describe('Client API: contacts', () => {
  it('creates an anonymous contact with a random UUID contact identifier and a generated name', async () => {
    const { inbox, api } = await setup();
    const res = await api.request('POST', `/inboxes/${inbox.inbox_identifier}/contacts`);
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(CONTACT_KEYS);
    expect(res.body.source_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.body.pubsub_token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    expect(res.body.name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    expect(res.body.email).toBeNull();
    const shown = await api.request('GET', `/inboxes/${inbox.inbox_identifier}/contacts/${res.body.source_id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(res.body);
  });

  it('finds an existing contact by identifier, email or phone number, and honours a given source_id', async () => {
    const { fx, inbox, api } = await setup();
    const agentSide = await fx.asAdmin('POST', '/contacts', {
      name: 'Ada',
      email: 'ada@example.com',
      phone_number: '+15550001111',
    });
    const byEmail = await api.contact(inbox.inbox_identifier, { email: 'ADA@example.com' });
    expect(byEmail).toMatchObject({ id: agentSide.body.payload.contact.id, name: 'Ada', email: 'ada@example.com' });
    const byPhone = await api.contact(inbox.inbox_identifier, { phone_number: '+15550001111' });
    expect(byPhone.id).toBe(byEmail.id);
    expect(byPhone.source_id).not.toBe(byEmail.source_id);

    const created = await api.contact(inbox.inbox_identifier, {
      name: 'Grace',
      email: 'grace@example.com',
      phone_number: '+15550002222',
      identifier: 'crm-7',
      custom_attributes: { plan: 'pro' },
      source_id: 'device-42',
    });
    expect(created.source_id).toBe('device-42');
    const again = await api.contact(inbox.inbox_identifier, { source_id: 'device-42', name: 'ignored' });
    expect(again).toEqual(created);
    const byIdentifier = await api.contact(inbox.inbox_identifier, { identifier: 'crm-7' });
    expect(byIdentifier.id).toBe(created.id);
    const agentView = await fx.asAdmin('GET', `/contacts/${created.id}`);
    expect(agentView.body.payload).toMatchObject({
      name: 'Grace',
      identifier: 'crm-7',
      custom_attributes: { plan: 'pro' },
    });
    expect(agentView.body.payload.contact_inboxes.map((ci: { source_id: string }) => ci.source_id)).toContain(
      'device-42',
    );
  });

  it('updates the contact and answers with the contact record; the identifier stays', async () => {
    const { inbox, api } = await setup();
    const contact = await api.contact(inbox.inbox_identifier, {
      name: 'Lin',
      identifier: 'lin-1',
      custom_attributes: { a: 1 },
    });
    const res = await api.request('PATCH', `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}`, {
      name: 'Lin Wu',
      email: 'Lin@Example.com',
      phone_number: '',
      identifier: 'other',
      custom_attributes: { b: 2 },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(RECORD_KEYS);
    expect(res.body).toMatchObject({
      id: contact.id,
      name: 'Lin Wu',
      email: 'lin@example.com',
      phone_number: null,
      identifier: 'lin-1',
      custom_attributes: { a: 1, b: 2 },
      contact_type: 'lead',
    });
    const put = await api.request('PUT', `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}`, {
      name: '',
    });
    expect(put.body.name).toBe('Lin Wu');
  });

  it('shows the inbox with its identity validation flag', async () => {
    const { inbox, api } = await setup();
    const res = await api.request('GET', `/inboxes/${inbox.inbox_identifier}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      identifier: inbox.inbox_identifier,
      identity_validation_enabled: false,
      timezone: 'UTC',
      working_hours_enabled: false,
    });
    expect(res.body.working_hours).toHaveLength(7);
    expect(JSON.stringify(res.body)).not.toContain(inbox.hmac_token);
  });
});

describe('Client API: conversations and messages', () => {
  it('creates, lists and shows conversations, and the agents see the contact at once', async () => {
    const { fx, inbox, api } = await setup();
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Zoe' });
    const base = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations`;
    const created = await api.request('POST', base, { custom_attributes: { order: 'A-1' } });
    expect(created.status, created.text).toBe(200);
    expect(Object.keys(created.body)).toEqual(CONVERSATION_KEYS);
    expect(created.body).toMatchObject({
      inbox_id: inbox.id,
      status: 'open',
      contact_last_seen_at: 0,
      agent_last_seen_at: 0,
      messages: [],
    });
    expect(Object.keys(created.body.contact)).toEqual(RECORD_KEYS);
    expect(created.body.contact).toMatchObject({ id: contact.id, name: 'Zoe' });

    const agentView = await fx.asAdmin('GET', `/conversations/${created.body.id}`);
    expect(agentView.body).toMatchObject({
      uuid: created.body.uuid,
      custom_attributes: { order: 'A-1' },
      meta: { sender: { id: contact.id } },
    });

    const second = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const list = await api.request('GET', base);
    expect(list.status).toBe(200);
    expect(list.body.map((c: { id: number }) => c.id)).toEqual([created.body.id, second.id]);
    const shown = await api.request('GET', `${base}/${second.id}`);
    expect(shown.body).toMatchObject({ id: second.id, uuid: second.uuid });
  });

  it("sends the contact's messages into the Application API and shows the agents' replies, never their private notes", async () => {
    const { fx, inbox, api } = await setup();
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Sam' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const base = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}`;

    const sent = await api.request('POST', `${base}/messages`, {
      content: 'hello',
      echo_id: 'tmp-1',
      private: true,
      message_type: 'outgoing',
      content_type: 'cards',
    });
    expect(sent.status, sent.text).toBe(200);
    expect(Object.keys(sent.body)).toEqual(MESSAGE_KEYS);
    expect(sent.body).toMatchObject({
      content: 'hello',
      message_type: 0,
      content_type: 'text',
      content_attributes: {},
      conversation_id: conversation.id,
      sender: { type: 'contact', id: contact.id, name: 'Sam' },
    });
    const agentConversation = (await fx.asAdmin('GET', `/conversations/${conversation.id}`)).body;
    expect(agentConversation.unread_count).toBe(1);
    expect(agentConversation.waiting_since).toBeGreaterThan(0);
    expect(agentConversation.messages[0]).toMatchObject({
      id: sent.body.id,
      private: false,
      message_type: 0,
      sender_type: 'Contact',
    });
    const listed = await fx.asAdmin('GET', '/conversations?status=open');
    expect(listed.body.data.payload.map((c: { id: number }) => c.id)).toContain(conversation.id);

    const reply = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'hi, how can I help?',
    });
    const note = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'SECRET internal note',
      private: true,
    });
    expect(note.status).toBe(200);
    await fx.asAdmin('POST', `/conversations/${conversation.id}/labels`, { labels: ['vip'] });

    const messages = await api.request('GET', `${base}/messages`);
    expect(messages.status).toBe(200);
    expect(messages.body.map((m: { content: string }) => m.content)).toEqual(['hello', 'hi, how can I help?']);
    expect(messages.body[1]).toMatchObject({
      id: reply.body.id,
      message_type: 1,
      sender: { type: 'user', id: fx.admin.id },
    });
    expect(Object.keys(messages.body[1].sender)).toEqual([
      'id',
      'name',
      'available_name',
      'avatar_url',
      'type',
      'availability_status',
      'thumbnail',
    ]);
    for (const path of [
      `${base}/messages`,
      base,
      `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations`,
    ]) {
      const res = await api.request('GET', path);
      expect(res.text).not.toContain('SECRET');
      expect(res.text).not.toContain(' added vip');
    }
    const before = await api.request('GET', `${base}/messages?before=${reply.body.id}`);
    expect(before.body.map((m: { id: number }) => m.id)).toEqual([sent.body.id]);
  });

  it('reopens a resolved conversation on a new message, with the system activity message', async () => {
    const { fx, inbox, api } = await setup();
    const contact = await api.contact(inbox.inbox_identifier, { name: 'ana lima' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const base = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}`;
    const resolved = await api.request('POST', `${base}/toggle_status`);
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expect((await api.request('POST', `${base}/toggle_status`)).body.status).toBe('resolved');

    await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'one more thing' });
    const agentMessages = (await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`)).body.payload.map(
      (m: { content: string }) => m.content,
    );
    expect(agentMessages).toEqual([
      'Conversation was resolved by Ana lima',
      'one more thing',
      'System reopened the conversation due to a new incoming message.',
    ]);
    expect((await api.request('GET', base)).body.status).toBe('open');
  });

  it('answers typing and last-seen with an empty 200, and marks what the contact has seen as read', async () => {
    const { fx, inbox, api } = await setup();
    const contact = await api.contact(inbox.inbox_identifier);
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const base = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}`;
    for (const typing_status of ['on', 'off', 'recording', 'sideways']) {
      const res = await api.request('POST', `${base}/toggle_typing`, { typing_status });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    }
    const reply = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'are you there?' });
    expect(reply.body.status).toBe('sent');
    const seen = await api.request('POST', `${base}/update_last_seen`);
    expect(seen.status).toBe(200);
    expect(seen.text).toBe('');
    const after = (await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`)).body.payload.find(
      (m: { id: number }) => m.id === reply.body.id,
    );
    expect(after.status).toBe('read');
    expect((await api.request('GET', base)).body.contact_last_seen_at).toBeGreaterThan(0);
  });

  it('stores multipart attachments and submitted values', async () => {
    const { fx, inbox, api } = await setup();
    const contact = await api.contact(inbox.inbox_identifier);
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const base = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}`;
    const form = new FormData();
    form.append('content', 'see attached');
    form.append('echo_id', 'e-9');
    form.append('attachments[]', new Blob([Buffer.from('PNGDATA')], { type: 'image/png' }), 'shot.png');
    const res = await fetch(new URL(`/public/api/v1${base}/messages`, server().url), { method: 'POST', body: form });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]).toMatchObject({
      file_type: 'image',
      extension: 'png',
      file_size: 7,
      message_id: body.id,
    });
    expect(await (await fetch(body.attachments[0].data_url)).text()).toBe('PNGDATA');

    const select = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'Pick one',
      content_type: 'input_select',
      content_attributes: { items: [{ title: 'Yes', value: 'yes' }] },
    });
    const answered = await api.request('PATCH', `${base}/messages/${select.body.id}`, {
      submitted_values: [{ title: 'Yes', value: 'yes', extra: 'dropped' }],
    });
    expect(answered.status, answered.text).toBe(200);
    expect(answered.body.content_attributes).toEqual({
      items: [{ title: 'Yes', value: 'yes' }],
      submitted_values: [{ title: 'Yes', value: 'yes' }],
    });
    const agentSide = (await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`)).body.payload.find(
      (m: { id: number }) => m.id === select.body.id,
    );
    expect(agentSide.content_attributes.submitted_values).toEqual([{ title: 'Yes', value: 'yes' }]);
  });
});

describe('Client API message effects', () => {
  it('leaves the conversation and contact exactly as the Application API path (insertMessage) does', async () => {
    const { fx, inbox, api } = await setup();
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Parity', email: 'parity@example.com' });
    const viaClient = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const viaAgents = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const db = server().db;
    const row = (displayId: number) =>
      db
        .selectFrom('conversations')
        .selectAll()
        .where('account_id', '=', fx.account.id)
        .where('display_id', '=', displayId)
        .executeTakeFirstOrThrow();
    const message = (id: number) =>
      db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const effects = async (displayId: number, messageId: number) => {
      const [c, m] = [await row(displayId), await message(messageId)];
      return {
        waiting: c.waiting_since !== null && new Date(c.waiting_since).getTime() === m.created_at.getTime(),
        activity: c.last_activity_at.getTime() === m.created_at.getTime(),
        status: c.status,
        message: { ...m, id: 0, conversation_id: 0, created_at: 0, updated_at: 0 },
      };
    };
    // waiting_since starts with the conversation; clear it so the first message must start it again
    await db
      .updateTable('conversations')
      .set({ waiting_since: null })
      .where('account_id', '=', fx.account.id)
      .execute();
    const first = await api.message(inbox.inbox_identifier, contact.source_id, viaClient.id, { content: 'same words' });
    const firstAgent = await fx.asAdmin('POST', `/conversations/${viaAgents.id}/messages`, {
      content: 'same words',
      message_type: 'incoming',
    });
    expect(await effects(viaClient.id, first.id)).toEqual(await effects(viaAgents.id, firstAgent.body.id));
    expect((await effects(viaClient.id, first.id)).waiting).toBe(true);
    const before = await db
      .selectFrom('contacts')
      .select('last_activity_at')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(before.last_activity_at).not.toBeNull();
    const second = await api.message(inbox.inbox_identifier, contact.source_id, viaClient.id, { content: 'again' });
    const secondAgent = await fx.asAdmin('POST', `/conversations/${viaAgents.id}/messages`, {
      content: 'again',
      message_type: 'incoming',
    });
    const [a, b] = [await effects(viaClient.id, second.id), await effects(viaAgents.id, secondAgent.body.id)];
    expect(a).toEqual(b);
    expect(a.waiting).toBe(false);
    expect(a.activity).toBe(true);
    const after = await db
      .selectFrom('contacts')
      .select('last_activity_at')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(new Date(after.last_activity_at!).getTime()).toBeGreaterThanOrEqual(
      new Date(before.last_activity_at!).getTime(),
    );
    const [agentA, agentB] = [
      (await fx.asAdmin('GET', `/conversations/${viaClient.id}`)).body,
      (await fx.asAdmin('GET', `/conversations/${viaAgents.id}`)).body,
    ];
    expect(agentA.unread_count).toBe(agentB.unread_count);
  });

  it('keeps a bot-handled conversation pending when the contact writes', async () => {
    const { fx, inbox, api } = await setup();
    const bot = (
      await fx.asAdmin('POST', '/agent_bots', { name: 'Helper', outgoing_url: 'https://bot.example.com/hook' })
    ).body;
    await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.id });
    const contact = await api.contact(inbox.inbox_identifier);
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    expect(conversation.status).toBe('pending');
    await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'hello bot' });
    const shown = await api.request(
      'GET',
      `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}`,
    );
    expect(shown.body.status).toBe('pending');
  });
});

describe('Client API contract', () => {
  it('publishes every Client API route in /openapi.json, with its refusals', async () => {
    const res = await server().request('GET', '/openapi.json');
    const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const contact = '/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}';
    const expected: Array<[string, string]> = [
      ['/public/api/v1/inboxes/{inbox_identifier}', 'get'],
      ['/public/api/v1/inboxes/{inbox_identifier}/contacts', 'post'],
      [contact, 'get'],
      [contact, 'patch'],
      [contact, 'put'],
      [`${contact}/conversations`, 'get'],
      [`${contact}/conversations`, 'post'],
      [`${contact}/conversations/{id}`, 'get'],
      [`${contact}/conversations/{id}/toggle_status`, 'post'],
      [`${contact}/conversations/{id}/toggle_typing`, 'post'],
      [`${contact}/conversations/{id}/update_last_seen`, 'post'],
      [`${contact}/conversations/{conversation_id}/messages`, 'get'],
      [`${contact}/conversations/{conversation_id}/messages`, 'post'],
      [`${contact}/conversations/{conversation_id}/messages/{id}`, 'patch'],
      ['/public/api/v1/csat_survey/{id}', 'get'],
      ['/public/api/v1/csat_survey/{id}', 'put'],
    ];
    for (const [path, method] of expected) {
      const operation = paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['200', '404', '429']));
      expect((operation as { security?: unknown }).security).toBeUndefined();
    }
  });
});
