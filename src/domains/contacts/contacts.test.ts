import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const CONTACT_KEYS = [
  'additional_attributes',
  'availability_status',
  'email',
  'id',
  'name',
  'phone_number',
  'blocked',
  'identifier',
  'thumbnail',
  'custom_attributes',
  'created_at',
  'contact_inboxes',
];

async function contact(fx: AccountFixture, body: Record<string, unknown>) {
  const res = await fx.asAgent('POST', '/contacts', body);
  if (res.status !== 200) throw new Error(res.text);
  return res.body.payload.contact as { id: number; email: string };
}

describe('contacts', () => {
  it('creates a contact, with its contact inbox when inbox_id is given', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const res = await fx.asAgent('POST', '/contacts', {
      name: 'Jane Doe',
      email: 'Jane@Example.COM',
      phone_number: '+15551234567',
      identifier: 'crm-1',
      custom_attributes: { plan: 'pro' },
      additional_attributes: { city: 'Rome' },
      inbox_id: inbox.id,
    });
    expect(res.status, res.text).toBe(200);
    const { contact, contact_inbox } = res.body.payload;
    expect(Object.keys(contact)).toEqual(CONTACT_KEYS);
    expect(contact).toMatchObject({
      name: 'Jane Doe',
      email: 'jane@example.com',
      phone_number: '+15551234567',
      identifier: 'crm-1',
      availability_status: 'offline',
      blocked: false,
      thumbnail: '',
      custom_attributes: { plan: 'pro' },
      additional_attributes: { city: 'Rome' },
    });
    expect(Number.isInteger(contact.created_at)).toBe(true);
    expect(contact.contact_inboxes).toEqual([
      {
        source_id: contact_inbox.source_id,
        inbox: {
          id: inbox.id,
          avatar_url: '',
          channel_id: expect.any(Number),
          name: expect.any(String),
          channel_type: 'Channel::Api',
          provider: null,
        },
      },
    ]);
    expect(contact_inbox.source_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(contact_inbox.inbox).toMatchObject({
      id: inbox.id,
      account_id: fx.account.id,
      channel_type: 'Channel::Api',
    });
    const plain = await fx.asAgent('POST', '/contacts', { name: 'No inbox', email: 'x@example.com' });
    expect(plain.body.payload.contact_inbox).toEqual({ inbox: null, source_id: null });
  });

  it('refuses duplicates and bad formats with 422, writing nothing', async () => {
    const fx = await buildAccountFixture(server());
    await contact(fx, { name: 'A', email: 'a@example.com', phone_number: '+15550000001', identifier: 'id-1' });
    const cases: Array<[Record<string, unknown>, string, string[]]> = [
      [{ email: 'A@EXAMPLE.com' }, 'Email has already been taken', ['email']],
      [{ phone_number: '+15550000001' }, 'Phone number has already been taken', ['phone_number']],
      [{ identifier: 'id-1' }, 'Identifier has already been taken', ['identifier']],
      [{ email: 'nope' }, 'Email Invalid email', ['email']],
      [{ phone_number: '5551234' }, 'Phone number should be in e164 format', ['phone_number']],
      [{ phone_number: 'abc+12312312321' }, 'Phone number should be in e164 format', ['phone_number']],
      [{ name: 'x'.repeat(256) }, 'Name is too long (maximum is 255 characters)', ['name']],
    ];
    for (const [body, message, attributes] of cases) {
      const res = await fx.asAgent('POST', '/contacts', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toEqual({ message, attributes });
    }
    const bad = await fx.asAgent('POST', '/contacts', { name: 'x', email: 'fresh@example.com', inbox_id: 987654 });
    expect(bad.status).toBe(404);
    expect((await fx.asAgent('GET', '/contacts')).body.meta.count).toBe(1);
  });

  it('lists resolved contacts 15 a page, sorted, filtered by labels, with or without contact inboxes', async () => {
    const fx = await buildAccountFixture(server());
    for (let i = 0; i < 17; i++)
      await contact(fx, { name: `Person ${String(i).padStart(2, '0')}`, email: `p${i}@example.com` });
    await contact(fx, { name: 'Anonymous visitor' });
    const first = await fx.asAgent('GET', '/contacts?sort=name');
    expect(first.body.meta).toEqual({ count: 17, current_page: 1 });
    expect(first.body.payload).toHaveLength(15);
    expect(first.body.payload[0].name).toBe('Person 00');
    const second = await fx.asAgent('GET', '/contacts?sort=-name&page=2&include_contact_inboxes=false');
    expect(second.body.meta).toEqual({ count: 17, current_page: '2' });
    expect(second.body.payload.map((c: { name: string }) => c.name)).toEqual(['Person 01', 'Person 00']);
    expect(second.body.payload[0]).not.toHaveProperty('contact_inboxes');
    const tagged = first.body.payload[3];
    await fx.asAgent('POST', `/contacts/${tagged.id}/labels`, { labels: ['VIP'] });
    const byLabel = await fx.asAgent('GET', '/contacts?labels[]=vip&labels[]=other');
    expect(byLabel.body.payload.map((c: { id: number }) => c.id)).toEqual([tagged.id]);
  });

  it('searches name, email, phone and identifier; requires q', async () => {
    const fx = await buildAccountFixture(server());
    const a = await contact(fx, { name: 'Zed Alpha', email: 'zed@alpha.io' });
    const b = await contact(fx, { name: 'Other', phone_number: '+4915112345678' });
    const c = await contact(fx, { name: 'Third', identifier: 'CRM-777' });
    for (const [q, ids] of [
      ['ALPHA', [a.id]],
      ['51123', [b.id]],
      ['crm-77', [c.id]],
      ['%', []],
    ] as const) {
      const res = await fx.asAgent('GET', `/contacts/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(
        res.body.payload.map((x: { id: number }) => x.id),
        q,
      ).toEqual(ids);
      expect(res.body.meta).toMatchObject({ count: ids.length, current_page: 1, has_more: false });
    }
    const none = await fx.asAgent('GET', '/contacts/search');
    expect(none.status).toBe(422);
    expect(none.body).toEqual({ error: 'Specify search string with parameter q' });
  });

  it('searches and filters by substring, not by its trigrams scattered over the contact', async () => {
    const fx = await buildAccountFixture(server());
    const hit = await contact(fx, { name: 'Person 12', email: 'person12345@example.com' });
    // every trigram of "son12345" is here, but never in one run
    const scattered = await contact(fx, { name: 'Mason Lee', email: 'on123x34z45@example.com', identifier: '2345' });
    const inName = await contact(fx, { name: 'PERSON12345 Jr', phone_number: '+15550001234' });
    const long = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const longOne = await contact(fx, { name: 'Long', email: `${long}@example.com` });
    await contact(fx, { name: 'Near', email: `${long.replace('m', 'M-')}@example.com` });
    const search = async (q: string) => {
      const res = await fx.asAgent('GET', `/contacts/search?q=${encodeURIComponent(q)}`);
      expect(res.status, res.text).toBe(200);
      return res.body.payload.map((x: { id: number }) => x.id).sort((a: number, b: number) => a - b);
    };
    expect(await search('son12345')).toEqual([hit.id, inName.id]);
    expect(await search('SON12345@')).toEqual([hit.id]);
    expect(await search(long.toUpperCase())).toEqual([longOne.id]);
    expect(await search('n 12')).toEqual([hit.id]);
    const filter = async (values: string[]) => {
      const res = await fx.asAgent('POST', '/contacts/filter', {
        payload: [{ attribute_key: 'email', filter_operator: 'contains', values }],
      });
      expect(res.status, res.text).toBe(200);
      return res.body.payload.map((x: { id: number }) => x.id).sort((a: number, b: number) => a - b);
    };
    // the name holds it too, but the filter asks the email
    expect(await filter(['Son12345'])).toEqual([hit.id]);
    expect(await filter(['son12345', 'x34z'])).toEqual([hit.id, scattered.id]);
    expect(await filter(['@'])).toHaveLength(4);
  });

  it('filters with standard keys, labels and custom attributes; refuses bad payloads', async () => {
    const fx = await buildAccountFixture(server());
    await fx.asAdmin('POST', '/custom_attribute_definitions', {
      attribute_display_name: 'LTV',
      attribute_key: 'ltv',
      attribute_display_type: 'number',
      attribute_model: 'contact_attribute',
    });
    const rich = await contact(fx, {
      name: 'Rich',
      email: 'rich@example.com',
      custom_attributes: { ltv: 5000 },
      additional_attributes: { city: 'Berlin' },
    });
    const poor = await contact(fx, {
      name: 'Poor',
      email: 'poor@example.com',
      custom_attributes: { ltv: 5 },
      additional_attributes: { city: 'Bern' },
    });
    await fx.asAgent('POST', `/contacts/${poor.id}/labels`, { labels: ['churn'] });
    const filter = (payload: unknown[]) => fx.asAgent('POST', '/contacts/filter', { payload });
    const ids = (res: { body: { payload: Array<{ id: number }> } }) =>
      res.body.payload.map((x) => x.id).sort((x, y) => x - y);
    expect(ids(await filter([{ attribute_key: 'ltv', filter_operator: 'is_greater_than', values: ['100'] }]))).toEqual([
      rich.id,
    ]);
    expect(ids(await filter([{ attribute_key: 'city', filter_operator: 'contains', values: ['ber'] }]))).toEqual([
      rich.id,
      poor.id,
    ]);
    expect(ids(await filter([{ attribute_key: 'labels', filter_operator: 'equal_to', values: ['churn'] }]))).toEqual([
      poor.id,
    ]);
    const or = await filter([
      { attribute_key: 'name', filter_operator: 'equal_to', values: ['rich'], query_operator: 'OR' },
      { attribute_key: 'email', filter_operator: 'equal_to', values: ['POOR@example.com'] },
    ]);
    expect(ids(or)).toEqual([rich.id, poor.id]);
    expect(or.body.meta).toEqual({ count: 2, current_page: 1 });
    const bad = await filter([{ attribute_key: 'shoe', filter_operator: 'equal_to', values: ['9'] }]);
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatch(/^Invalid attribute key - \[shoe\]/);
    const badOp = await filter([{ attribute_key: 'country_code', filter_operator: 'contains', values: ['us'] }]);
    expect(badOp.body).toEqual({
      error: 'Invalid operator. The allowed operators for country_code are [equal_to,not_equal_to].',
    });

    // a stored value that is not a number (custom attributes take any JSON) matches nothing, and fails nothing
    await contact(fx, { name: 'Odd', email: 'odd@example.com', custom_attributes: { ltv: 'lots' } });
    const odd = await filter([{ attribute_key: 'ltv', filter_operator: 'is_greater_than', values: ['100'] }]);
    expect(odd.status, odd.text).toBe(200);
    expect(ids(odd)).toEqual([rich.id]);
  });

  it('shows, updates (merging attributes) and deletes; agents cannot delete', async () => {
    const fx = await buildAccountFixture(server());
    const c = await contact(fx, {
      name: 'Up',
      email: 'up@example.com',
      custom_attributes: { a: 1, b: 2 },
      additional_attributes: { x: 1 },
    });
    const show = await fx.asAgent('GET', `/contacts/${c.id}`);
    expect(show.body.payload.id).toBe(c.id);
    const patch = await fx.asAgent('PATCH', `/contacts/${c.id}`, {
      name: 'Updated',
      custom_attributes: { b: 3, c: 4 },
      additional_attributes: { y: 2 },
      blocked: true,
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body.payload).toMatchObject({
      name: 'Updated',
      blocked: true,
      custom_attributes: { a: 1, b: 3, c: 4 },
      additional_attributes: { x: 1, y: 2 },
    });
    const drop = await fx.asAgent('POST', `/contacts/${c.id}/destroy_custom_attributes`, {
      custom_attributes: ['a', 'c'],
    });
    expect(drop.body.payload.custom_attributes).toEqual({ b: 3 });
    expect((await fx.asAgent('DELETE', `/contacts/${c.id}`)).status).toBe(401);
    expect((await fx.asAdmin('DELETE', `/contacts/${c.id}`)).status).toBe(200);
    expect((await fx.asAgent('GET', `/contacts/${c.id}`)).status).toBe(404);
  });

  it('manages labels (replace) and notes (newest first, author as agent)', async () => {
    const fx = await buildAccountFixture(server());
    const c = await contact(fx, { email: 'notes@example.com' });
    expect((await fx.asAgent('POST', `/contacts/${c.id}/labels`, { labels: ['a1', 'b2', 'a1'] })).body).toEqual({
      payload: ['a1', 'b2'],
    });
    expect((await fx.asAgent('POST', `/contacts/${c.id}/labels`, { labels: ['c3'] })).body).toEqual({
      payload: ['c3'],
    });
    expect((await fx.asAgent('GET', `/contacts/${c.id}/labels`)).body).toEqual({ payload: ['c3'] });
    const first = await fx.asAgent('POST', `/contacts/${c.id}/notes`, { content: 'First' });
    expect(first.status, first.text).toBe(200);
    expect(Object.keys(first.body)).toEqual([
      'id',
      'content',
      'account_id',
      'contact_id',
      'user',
      'created_at',
      'updated_at',
    ]);
    expect(first.body).toMatchObject({
      content: 'First',
      account_id: fx.account.id,
      contact_id: c.id,
      user: { id: fx.agent.id },
    });
    const second = await fx.asAgent('POST', `/contacts/${c.id}/notes`, { note: { content: 'Second' } });
    expect(
      (await fx.asAgent('GET', `/contacts/${c.id}/notes`)).body.map((n: { content: string }) => n.content),
    ).toEqual(['Second', 'First']);
    expect(
      (await fx.asAgent('PATCH', `/contacts/${c.id}/notes/${first.body.id}`, { content: 'Edited' })).body.content,
    ).toBe('Edited');
    expect((await fx.asAgent('POST', `/contacts/${c.id}/notes`, { content: ' ' })).body).toEqual({
      message: "Content can't be blank",
      attributes: ['content'],
    });
    expect((await fx.asAgent('DELETE', `/contacts/${c.id}/notes/${second.body.id}`)).status).toBe(200);
    expect((await fx.asAgent('GET', `/contacts/${c.id}/notes/${second.body.id}`)).status).toBe(404);
  });

  it('adds contact inboxes idempotently and lists contactable inboxes', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await contact(fx, { email: 'ci@example.com' });
    expect((await fx.asAgent('POST', `/contacts/${c.id}/contact_inboxes`, { inbox_id: inbox.id })).status).toBe(401);
    const res = await fx.asAdmin('POST', `/contacts/${c.id}/contact_inboxes`, {
      inbox_id: inbox.id,
      source_id: 'ext-1',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ source_id: 'ext-1', inbox: { id: inbox.id } });
    expect(
      (await fx.asAdmin('POST', `/contacts/${c.id}/contact_inboxes`, { inbox_id: inbox.id, source_id: 'ext-1' }))
        .status,
    ).toBe(200);
    expect((await fx.asAdmin('GET', `/contacts/${c.id}`)).body.payload.contact_inboxes).toHaveLength(1);
    const contactable = await fx.asAdmin('GET', `/contacts/${c.id}/contactable_inboxes`);
    expect(contactable.body.payload).toEqual([
      {
        inbox: expect.objectContaining({ id: inbox.id, inbox_identifier: inbox.inbox_identifier }),
        source_id: 'ext-1',
      },
    ]);
    expect((await fx.asAgent('GET', `/contacts/${c.id}/contactable_inboxes`)).body.payload).toEqual([]);
    expect((await fx.asAdmin('POST', `/contacts/${c.id}/contact_inboxes`, { inbox_id: 987654 })).status).toBe(404);
  });

  it('merges the mergee into the base in one go', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const base = await contact(fx, { name: 'Base', email: 'base@example.com', custom_attributes: { keep: 'base' } });
    const mergee = await contact(fx, {
      name: 'Mergee',
      phone_number: '+15559990000',
      custom_attributes: { keep: 'mergee', extra: 1 },
      inbox_id: inbox.id,
    });
    await fx.asAgent('POST', `/contacts/${mergee.id}/notes`, { content: 'moved' });
    await fx.asAgent('POST', `/contacts/${mergee.id}/labels`, { labels: ['moved-label'] });
    const conversation = (await fx.asAdmin('POST', '/conversations', { inbox_id: inbox.id, contact_id: mergee.id }))
      .body;
    await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'from the mergee',
      message_type: 'incoming',
    });
    const res = await fx.asAgent('POST', '/actions/contact_merge', {
      base_contact_id: base.id,
      mergee_contact_id: mergee.id,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      id: base.id,
      name: 'Base',
      email: 'base@example.com',
      phone_number: '+15559990000',
      custom_attributes: { keep: 'base', extra: 1 },
    });
    expect(res.body).not.toHaveProperty('contact_inboxes');
    expect((await fx.asAgent('GET', `/contacts/${mergee.id}`)).status).toBe(404);
    // the mergee's contact inbox, and the one the conversation was opened with (no source_id: a new one, as Chatwoot builds it)
    expect((await fx.asAgent('GET', `/contacts/${base.id}`)).body.payload.contact_inboxes).toHaveLength(2);
    expect(
      (await fx.asAgent('GET', `/contacts/${base.id}/notes`)).body.map((n: { content: string }) => n.content),
    ).toEqual(['moved']);
    expect((await fx.asAgent('GET', `/contacts/${base.id}/labels`)).body.payload).toEqual(['moved-label']);
    const moved = (await fx.asAdmin('GET', `/contacts/${base.id}/conversations`)).body.payload;
    expect(moved.map((c: { id: number }) => c.id)).toEqual([conversation.id]);
    expect(moved[0].meta.sender.id).toBe(base.id);
    expect(moved[0].messages[0]).toMatchObject({
      content: 'from the mergee',
      sender: { type: 'contact', id: base.id },
    });
    expect(
      (await fx.asAgent('POST', '/actions/contact_merge', { base_contact_id: base.id, mergee_contact_id: 987654 }))
        .status,
    ).toBe(404);
  });

  it("lists the contact's conversations the caller can see, latest activity first", async () => {
    const fx = await buildAccountFixture(server());
    const shared = await buildInbox(fx);
    const hidden = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: shared.id, user_ids: [fx.agent.id] });
    const person = await contact(fx, { email: 'person@example.com' });
    const first = (await fx.asAdmin('POST', '/conversations', { inbox_id: shared.id, contact_id: person.id })).body;
    const second = (await fx.asAdmin('POST', '/conversations', { inbox_id: hidden.id, contact_id: person.id })).body;
    await fx.asAdmin('POST', `/conversations/${first.id}/messages`, { content: 'latest' });
    const all = await fx.asAdmin('GET', `/contacts/${person.id}/conversations`);
    expect(all.status, all.text).toBe(200);
    expect(all.body.payload.map((c: { id: number }) => c.id)).toEqual([first.id, second.id]);
    expect(
      (await fx.asAgent('GET', `/contacts/${person.id}/conversations`)).body.payload.map((c: { id: number }) => c.id),
    ).toEqual([first.id]);
    expect((await fx.asAgent('GET', '/contacts/987654/conversations')).status).toBe(404);
  });

  it('never resolves a contact of another account', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = await contact(other, { email: 'theirs@example.com' });
    for (const [method, path, body] of [
      ['GET', `/contacts/${theirs.id}`],
      ['PATCH', `/contacts/${theirs.id}`, { name: 'x' }],
      ['DELETE', `/contacts/${theirs.id}`],
      ['GET', `/contacts/${theirs.id}/labels`],
      ['GET', `/contacts/${theirs.id}/notes`],
      ['POST', `/contacts/${theirs.id}/notes`, { content: 'x' }],
      ['GET', `/contacts/${theirs.id}/contactable_inboxes`],
      ['GET', `/contacts/${theirs.id}/conversations`],
      ['POST', '/actions/contact_merge', { base_contact_id: theirs.id, mergee_contact_id: theirs.id }],
    ] as const) {
      const res = await fx.asAdmin(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await fx.asAdmin('GET', '/contacts/search?q=theirs')).body.payload).toEqual([]);
  });
});
