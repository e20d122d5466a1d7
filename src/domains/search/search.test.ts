import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const word = () => `zq${randomBytes(4).toString('hex')}`;

async function say(fx: AccountFixture, displayId: number, content: string, extra: Record<string, unknown> = {}) {
  const res = await fx.asAdmin('POST', `/conversations/${displayId}/messages`, { content, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: number };
}

/** An account whose agent is a member of `mine` but not of `other`, with a conversation in each. */
async function twoInboxes() {
  const fx = await buildAccountFixture(server());
  const mine = await buildInbox(fx);
  const other = await buildInbox(fx);
  await fx.asAdmin('POST', '/inbox_members', { inbox_id: mine.id, user_ids: [fx.agent.id] });
  const seen = await buildConversation(fx, mine.id, { assignee_id: fx.agent.id });
  const hidden = await buildConversation(fx, other.id);
  return { fx, mine, other, seen, hidden };
}

describe('global search', () => {
  it("finds messages by substring, newest first, in the messages partial's shape, private notes included", async () => {
    const { fx, mine, seen } = await twoInboxes();
    const term = word();
    const first = await say(fx, seen.id, `Where is my parcel ${term}?`);
    const note = await say(fx, seen.id, `note: ${term.toUpperCase()} is late`, { private: true });
    await say(fx, seen.id, 'nothing to see here');

    const res = await fx.asAgent('GET', `/search/messages?q=${term.slice(0, 8)}`);
    expect(res.status, res.text).toBe(200);
    const messages = res.body.payload.messages;
    expect(messages.map((m: { id: number }) => m.id)).toEqual([note.id, first.id]);
    expect(messages[1]).toEqual({
      id: first.id,
      content: `Where is my parcel ${term}?`,
      inbox_id: mine.id,
      conversation_id: seen.id,
      message_type: 1,
      content_type: 'text',
      status: 'sent',
      content_attributes: {},
      created_at: expect.any(Number),
      private: false,
      source_id: null,
      sender: expect.objectContaining({ id: fx.admin.id, type: 'user' }),
    });
    expect(messages[0].private).toBe(true);
  });

  it('shows an agent only the inboxes it is a member of; the administrator sees all', async () => {
    const { fx, seen, hidden } = await twoInboxes();
    const term = word();
    await say(fx, seen.id, `mine ${term}`);
    await say(fx, hidden.id, `hidden ${term}`);

    const agent = await fx.asAgent('GET', `/search?q=${term}`);
    expect(agent.status, agent.text).toBe(200);
    expect(agent.body.payload.messages.map((m: { content: string }) => m.content)).toEqual([`mine ${term}`]);
    const agentConversations = await fx.asAgent('GET', '/search/conversations');
    expect(agentConversations.body.payload.conversations.map((c: { id: number }) => c.id)).toEqual([seen.id]);

    const admin = await fx.asAdmin('GET', `/search/messages?q=${term}`);
    expect(admin.body.payload.messages.map((m: { content: string }) => m.content).sort()).toEqual([
      `hidden ${term}`,
      `mine ${term}`,
    ]);
    const adminConversations = await fx.asAdmin('GET', '/search/conversations');
    expect(adminConversations.body.payload.conversations.map((c: { id: number }) => c.id)).toEqual([
      hidden.id,
      seen.id,
    ]);
  });

  it('finds conversations by display id and contact fields, with the search result partial', async () => {
    const { fx, mine, seen } = await twoInboxes();
    const first = await say(fx, seen.id, 'hello there');
    const res = await fx.asAgent('GET', `/search/conversations?q=${encodeURIComponent(seen.meta.sender.name)}`);
    expect(res.status, res.text).toBe(200);
    const [hit, ...rest] = res.body.payload.conversations;
    expect(rest).toEqual([]);
    expect(hit).toEqual({
      id: seen.id,
      account_id: fx.account.id,
      created_at: expect.any(Number),
      message: expect.objectContaining({ id: first.id, content: 'hello there', conversation_id: seen.id }),
      contact: {
        email: expect.any(String),
        id: seen.meta.sender.id,
        name: seen.meta.sender.name,
        phone_number: null,
        identifier: null,
        additional_attributes: {},
        last_activity_at: expect.toSatisfy((v) => v === null || typeof v === 'number'),
      },
      inbox: { id: mine.id, channel_id: expect.any(Number), name: expect.any(String), channel_type: 'Channel::Api' },
      assignee_type: 'User',
      agent: {
        id: fx.agent.id,
        available_name: expect.any(String),
        email: fx.agent.email,
        name: expect.any(String),
        role: 'agent',
      },
    });
    const byId = await fx.asAgent('GET', `/search/conversations?q=${seen.id}`);
    expect(byId.body.payload.conversations.map((c: { id: number }) => c.id)).toContain(seen.id);
  });

  it('finds resolved contacts by name, email, phone or identifier, most recently active first', async () => {
    const fx = await buildAccountFixture(server());
    const term = word();
    const a = await fx.asAdmin('POST', '/contacts', { name: `Ann ${term}`, email: `ann-${term}@example.com` });
    const b = await fx.asAdmin('POST', '/contacts', { name: 'Bob', phone_number: '+15550001111', identifier: term });
    await fx.asAdmin('POST', '/contacts', { name: `Anonymous ${term}` }); // not resolved: no email, phone, identifier
    const res = await fx.asAgent('GET', `/search/contacts?q=${term}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.payload.contacts.map((c: { id: number }) => c.id).sort()).toEqual(
      [a.body.payload.contact.id, b.body.payload.contact.id].sort(),
    );
    expect(Object.keys(res.body.payload.contacts[0])).toEqual([
      'email',
      'id',
      'name',
      'phone_number',
      'identifier',
      'additional_attributes',
      'last_activity_at',
    ]);
    const all = await fx.asAgent('GET', `/search?q=${term}`);
    expect(Object.keys(all.body.payload)).toEqual(['conversations', 'contacts', 'messages', 'articles']);
    expect(all.body.payload.contacts).toHaveLength(2);
    expect(all.body.payload.articles).toEqual([]);
  });

  it('pages by 15 and matches %, _ and \\ literally', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const term = word();
    for (let i = 0; i < 17; i++) await say(fx, c.id, `${term} 100% #${i}`);
    const page1 = await fx.asAdmin('GET', `/search/messages?q=${term}`);
    const page2 = await fx.asAdmin('GET', `/search/messages?q=${term}&page=2`);
    expect(page1.body.payload.messages).toHaveLength(15);
    expect(page2.body.payload.messages.map((m: { content: string }) => m.content)).toEqual([
      `${term} 100% #1`,
      `${term} 100% #0`,
    ]);
    expect(
      (await fx.asAdmin('GET', `/search/messages?q=${encodeURIComponent('100%')}`)).body.payload.messages,
    ).toHaveLength(15);
    expect(
      (await fx.asAdmin('GET', `/search/messages?q=${encodeURIComponent(`${term}_`)}`)).body.payload.messages,
    ).toEqual([]);
    expect((await fx.asAdmin('GET', `/search/messages?q=${encodeURIComponent('0%#')}`)).body.payload.messages).toEqual(
      [],
    );
  });

  it('answers bad page and oversized q with 4xx, and a blank q with everything visible', async () => {
    const { fx, seen } = await twoInboxes();
    await say(fx, seen.id, 'anything');
    for (const query of ['page=0', 'page=abc', 'page=-1', `page=${10 ** 9}`, `q=${'x'.repeat(1001)}`]) {
      const res = await fx.asAgent('GET', `/search/messages?${query}`);
      expect(res.status, `${query}: ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${query}: ${res.text}`).toBeLessThan(500);
    }
    const blank = await fx.asAgent('GET', '/search/messages?q=%20');
    expect(blank.status).toBe(200);
    expect(blank.body.payload.messages.map((m: { content: string }) => m.content)).toEqual(['anything']);
  });

  it("never returns another account's data, and refuses strangers", async () => {
    const { fx, seen } = await twoInboxes();
    const other = await buildAccountFixture(server());
    const term = word();
    await say(fx, seen.id, `secret ${term}`);
    await fx.asAdmin('POST', '/contacts', { name: `Carol ${term}`, email: `carol-${term}@example.com` });
    const res = await other.asAdmin('GET', `/search?q=${term}`);
    expect(res.status).toBe(200);
    expect(res.body.payload).toEqual({ conversations: [], contacts: [], messages: [], articles: [] });
    const crossed = await server().request('GET', `/api/v1/accounts/${fx.account.id}/search/messages?q=${term}`, {
      token: other.admin.access_token,
    });
    expect(crossed.status).toBe(401);
    expect(JSON.stringify(crossed.body)).not.toContain(term);
    const anonymous = await server().request('GET', `/api/v1/accounts/${fx.account.id}/search?q=${term}`);
    expect(anonymous.status).toBe(401);
  });
});
