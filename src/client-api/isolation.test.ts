import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../test/factories.js';
import { publicApi } from '../../test/public-api.js';

const server = useTestServer();
const NOT_FOUND = { status: 404, error: 'Not Found' };

describe('Client API isolation', () => {
  it('never resolves an unknown inbox, a contact of another inbox, or a conversation of another contact', async () => {
    const fx = await buildAccountFixture(server());
    const [inbox, other] = [await buildInbox(fx), await buildInbox(fx)];
    const api = publicApi(server());
    const alice = await api.contact(inbox.inbox_identifier, { name: 'Alice', email: 'alice@example.com' });
    const bob = await api.contact(inbox.inbox_identifier, { name: 'Bob' });
    const carol = await api.contact(other.inbox_identifier, { name: 'Carol' });
    const aliceConversation = await api.conversation(inbox.inbox_identifier, alice.source_id);
    await api.message(inbox.inbox_identifier, alice.source_id, aliceConversation.id, {
      content: 'alice private stuff',
    });
    const agentMade = await buildConversation(fx, inbox.id);

    const refused: Array<[string, string, unknown?]> = [
      ['POST', '/inboxes/nope/contacts', {}],
      ['GET', '/inboxes/nope'],
      ['GET', `/inboxes/${inbox.inbox_identifier}/contacts/${carol.source_id}`],
      ['PATCH', `/inboxes/${inbox.inbox_identifier}/contacts/${carol.source_id}`, { name: 'x' }],
      ['GET', `/inboxes/${inbox.inbox_identifier}/contacts/${carol.source_id}/conversations`],
      ['POST', `/inboxes/${inbox.inbox_identifier}/contacts/${carol.source_id}/conversations`, {}],
      ['GET', `/inboxes/${other.inbox_identifier}/contacts/${alice.source_id}`],
    ];
    const bobBase = `/inboxes/${inbox.inbox_identifier}/contacts/${bob.source_id}/conversations`;
    for (const id of [aliceConversation.id, agentMade.id, 'abc', 999999]) {
      refused.push(
        ['GET', `${bobBase}/${id}`],
        ['POST', `${bobBase}/${id}/toggle_status`],
        ['POST', `${bobBase}/${id}/toggle_typing`, { typing_status: 'on' }],
        ['POST', `${bobBase}/${id}/update_last_seen`],
        ['GET', `${bobBase}/${id}/messages`],
        ['POST', `${bobBase}/${id}/messages`, { content: 'intrusion' }],
      );
    }
    for (const [method, path, body] of refused) {
      const res = await api.request(method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
      expect(res.body).toEqual(NOT_FOUND);
      expect(res.text).not.toContain('alice private stuff');
    }
    expect((await api.request('GET', bobBase)).body).toEqual([]);
    // nothing of Alice's changed
    const stored = await server()
      .db.selectFrom('messages')
      .select('content')
      .where('content', '=', 'intrusion')
      .execute();
    expect(stored).toEqual([]);
    expect((await fx.asAdmin('GET', `/conversations/${aliceConversation.id}`)).body.status).toBe('open');
  });

  it('refuses to update or show a private note, an activity message, or a message of another conversation', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier);
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const otherConversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const note = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'SECRET note',
      private: true,
    });
    await fx.asAdmin('POST', `/conversations/${conversation.id}/labels`, { labels: ['billing'] });
    const activity = (await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`)).body.payload.find(
      (m: { message_type: number }) => m.message_type === 2,
    );
    const elsewhere = await fx.asAdmin('POST', `/conversations/${otherConversation.id}/messages`, {
      content: 'elsewhere',
    });
    const base = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}/messages`;
    for (const id of [note.body.id, activity.id, elsewhere.body.id]) {
      const res = await api.request('PATCH', `${base}/${id}`, { submitted_values: [{ title: 'x' }] });
      expect(res.status, res.text).toBe(404);
      expect(res.text).not.toContain('SECRET');
    }
    const row = await server()
      .db.selectFrom('messages')
      .select('content_attributes')
      .where('id', '=', note.body.id)
      .executeTakeFirstOrThrow();
    expect(row.content_attributes).toEqual({});
  });

  it('keeps one account out of another even with the same display ids', async () => {
    const fxA = await buildAccountFixture(server());
    const fxB = await buildAccountFixture(server());
    const [inboxA, inboxB] = [await buildInbox(fxA), await buildInbox(fxB)];
    const api = publicApi(server());
    const a = await api.contact(inboxA.inbox_identifier, { email: 'same@example.com' });
    const b = await api.contact(inboxB.inbox_identifier, { email: 'same@example.com' });
    expect(a.id).not.toBe(b.id);
    const ca = await api.conversation(inboxA.inbox_identifier, a.source_id);
    const cb = await api.conversation(inboxB.inbox_identifier, b.source_id);
    expect(ca.id).toBe(cb.id);
    await api.message(inboxB.inbox_identifier, b.source_id, cb.id, { content: 'from B' });
    const messages = await api.request(
      'GET',
      `/inboxes/${inboxA.inbox_identifier}/contacts/${a.source_id}/conversations/${ca.id}/messages`,
    );
    expect(messages.body).toEqual([]);
    expect(
      (await api.request('GET', `/inboxes/${inboxA.inbox_identifier}/contacts/${b.source_id}/conversations/${cb.id}`))
        .status,
    ).toBe(404);
  });

  it('shows an unverified contact inbox only its own conversations, even for the same contact', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const phone = await api.contact(inbox.inbox_identifier, { email: 'dev@example.com' });
    const laptop = await api.contact(inbox.inbox_identifier, { email: 'dev@example.com' });
    expect(laptop.id).toBe(phone.id);
    const onPhone = await api.conversation(inbox.inbox_identifier, phone.source_id);
    const list = await api.request(
      'GET',
      `/inboxes/${inbox.inbox_identifier}/contacts/${laptop.source_id}/conversations`,
    );
    expect(list.body).toEqual([]);
    expect(
      (
        await api.request(
          'GET',
          `/inboxes/${inbox.inbox_identifier}/contacts/${laptop.source_id}/conversations/${onPhone.id}`,
        )
      ).status,
    ).toBe(404);
  });
});

describe('Client API bad input', () => {
  it("answers bad bodies with 4xx and Chatwoot's bodies, writing nothing", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contacts = `/inboxes/${inbox.inbox_identifier}/contacts`;
    const before = await server()
      .db.selectFrom('contacts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', fx.account.id)
      .executeTakeFirstOrThrow();
    expect((await api.request('POST', contacts, { email: 'not-an-email' })).body).toEqual({
      message: 'Email Invalid email',
      attributes: ['email'],
    });
    expect((await api.request('POST', contacts, { phone_number: '12345' })).body).toEqual({
      message: 'Phone number should be in e164 format',
      attributes: ['phone_number'],
    });
    expect((await api.request('POST', contacts, { name: 'x'.repeat(256) })).status).toBe(422);
    expect((await api.request('POST', contacts, { custom_attributes: 'plan' })).body).toEqual({
      message: 'Custom attributes is invalid',
      attributes: ['custom_attributes'],
    });
    const malformed = await server().request('POST', `/public/api/v1${contacts}`, { rawBody: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: 'Malformed JSON in request body' });
    const after = await server()
      .db.selectFrom('contacts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', fx.account.id)
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);

    const contact = await api.contact(inbox.inbox_identifier);
    const taken = await api.contact(inbox.inbox_identifier, { email: 'taken@example.com' });
    const patch = await api.request('PATCH', `${contacts}/${contact.source_id}`, { email: 'taken@example.com' });
    expect(patch.status).toBe(422);
    expect(patch.body).toEqual({ message: 'Email has already been taken', attributes: ['email'] });
    expect(taken.id).not.toBe(contact.id);

    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const messages = `${contacts}/${contact.source_id}/conversations/${conversation.id}/messages`;
    expect((await api.request('POST', messages, { content: 'h'.repeat(150_001) })).body).toEqual({
      message: 'Content is too long (maximum is 150000 characters)',
      attributes: ['content'],
    });
    expect((await api.request('POST', messages, {})).body).toEqual({
      message: "Content can't be blank",
      attributes: ['content'],
    });
    expect((await api.request('POST', messages, { content: { text: 'hi' } })).status).toBe(422);
    // PostgreSQL cannot store NUL: refused, never a 500, whether the field is checked or the database refuses it
    expect((await api.request('POST', messages, { content: 'a\u0000b' })).body).toEqual({
      message: 'Content is invalid',
      attributes: ['content'],
    });
    expect((await api.request('POST', messages, { content: 'hi', echo_id: 'e\u0000' })).body).toEqual({
      message: 'Echo is invalid',
      attributes: ['echo_id'],
    });
    const nulName = await api.request('POST', contacts, { name: 'a\u0000b' });
    expect(nulName.status).toBe(422);
    expect(nulName.body.attributes).toEqual(['base']);
    expect(
      (await api.request('PATCH', `${contacts}/${contact.source_id}`, { custom_attributes: { plan: 'a\u0000' } }))
        .status,
    ).toBe(422);
    expect(
      (await api.request('GET', `/inboxes/${inbox.inbox_identifier}%00/contacts/${contact.source_id}`)).status,
    ).toBe(422);
    expect(
      (await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'a\u0000b' })).status,
    ).toBe(422);
    expect(
      (await api.request('POST', `${contacts}/${contact.source_id}/conversations`, { custom_attributes: [1] })).status,
    ).toBe(422);
    expect((await api.request('GET', messages)).body).toEqual([]);
    expect((await api.request('GET', `${contacts}/${contact.source_id}/conversations`)).body).toHaveLength(1);
  });

  it('stores a burst of 100 messages from one contact exactly once each, in order, and dedupes echo_id retries', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier);
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const messages = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}/messages`;

    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api.request('POST', messages, { content: `b${i}`, echo_id: `b${i}` })),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(100).fill(200));
    const rows = await server()
      .db.selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.id', 'messages.content'])
      .where('conversations.account_id', '=', fx.account.id)
      .where('conversations.display_id', '=', conversation.id)
      .orderBy('messages.id')
      .execute();
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.content)).size).toBe(100);
    // each response is the row stored for its request, and ids follow commit order
    expect(new Map(burst.map((r) => [r.body.content, r.body.id]))).toEqual(new Map(rows.map((r) => [r.content, r.id])));

    // sequential sends keep the order they were sent in
    for (let i = 0; i < 5; i++) await api.request('POST', messages, { content: `s${i}` });
    const latest = (await api.request('GET', messages)).body.map((m: { content: string }) => m.content);
    expect(latest.slice(-5)).toEqual(['s0', 's1', 's2', 's3', 's4']);

    const retries = await Promise.all(
      Array.from({ length: 5 }, () => api.request('POST', messages, { content: 'once', echo_id: 'retry-1' })),
    );
    expect(new Set(retries.map((r) => r.body.id)).size).toBe(1);
    const again = await api.request('POST', messages, { content: 'once', echo_id: 'retry-1' });
    expect(again.body.id).toBe(retries[0]!.body.id);
    const onces = await server()
      .db.selectFrom('messages')
      .select('id')
      .where('content', '=', 'once')
      .where('account_id', '=', fx.account.id)
      .execute();
    expect(onces).toHaveLength(1);
  });

  it('reads an empty JSON body and form-encoded bodies as Rails does', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const empty = await server().request('POST', `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`, {
      rawBody: '',
    });
    expect(empty.status, empty.text).toBe(200);
    const form = await server().request('POST', `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`, {
      rawBody: 'name=Form+User&email=form%40example.com&custom_attributes[plan]=pro&__proto__[polluted]=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status, form.text).toBe(200);
    expect(form.body).toMatchObject({ name: 'Form User', email: 'form@example.com' });
    const record = await fx.asAdmin('GET', `/contacts/${form.body.id}`);
    expect(record.body.payload.custom_attributes).toEqual({ plan: 'pro' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
