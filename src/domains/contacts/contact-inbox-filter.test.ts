import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();

async function contactIn(fx: AccountFixture, inboxId: number, sourceId: string, name = 'Filtered Contact') {
  const email = `${sourceId}.${name.toLowerCase().replace(/\W/g, '')}@example.com`;
  const contact = await fx.asAdmin('POST', '/contacts', { name, email });
  expect(contact.status, contact.text).toBe(200);
  const id = contact.body.payload.contact.id as number;
  const link = await fx.asAdmin('POST', `/contacts/${id}/contact_inboxes`, { inbox_id: inboxId, source_id: sourceId });
  expect(link.status, link.text).toBe(200);
  return id;
}

describe('POST /contact_inboxes/filter', () => {
  it('answers the contact reached through the source id, with its contact inboxes, unwrapped', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const other = await buildInbox(fx);
    const contactId = await contactIn(fx, inbox.id, 'src-123');
    // the same source id in another inbox is another contact
    const twin = await contactIn(fx, other.id, 'src-123', 'Twin');

    const res = await fx.asAdmin('POST', '/contact_inboxes/filter', { inbox_id: inbox.id, source_id: 'src-123' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.id).toBe(contactId);
    expect(Object.keys(res.body)).toEqual([
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
    ]);
    expect(res.body).toMatchObject({
      name: 'Filtered Contact',
      email: 'src-123.filteredcontact@example.com',
      availability_status: 'offline',
    });
    expect(res.body.contact_inboxes).toEqual([
      {
        source_id: 'src-123',
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
    const inOther = await fx.asAdmin('POST', '/contact_inboxes/filter', {
      inbox_id: String(other.id),
      source_id: 'src-123',
    });
    expect(inOther.status, inOther.text).toBe(200);
    expect(inOther.body.id).toBe(twin);
  });

  it('answers a bare 404 for a source id the inbox does not know, or none', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await contactIn(fx, inbox.id, 'known');
    for (const body of [
      { inbox_id: inbox.id, source_id: 'random_source_id' },
      { inbox_id: inbox.id },
      { inbox_id: inbox.id, source_id: null },
      { inbox_id: inbox.id, source_id: 42 },
    ]) {
      const res = await fx.asAdmin('POST', '/contact_inboxes/filter', body);
      expect(res.status, `${JSON.stringify(body)} ${res.text}`).toBe(404);
      expect(res.text).toBe('');
    }
    // a numeric source id reads as its text
    const numeric = await contactIn(fx, inbox.id, '4242');
    const byNumber = await fx.asAdmin('POST', '/contact_inboxes/filter', { inbox_id: inbox.id, source_id: 4242 });
    expect(byNumber.status, byNumber.text).toBe(200);
    expect(byNumber.body.id).toBe(numeric);
  });

  it('answers 404 with the error body for a missing, unknown or other account’s inbox', async () => {
    const fx = await buildAccountFixture(server());
    const stranger = await buildAccountFixture(server());
    const theirs = await buildInbox(stranger);
    await contactIn(stranger, theirs.id, 'theirs');
    for (const body of [
      {},
      { source_id: 'theirs' },
      { inbox_id: 999_999_999, source_id: 'theirs' },
      { inbox_id: 'abc', source_id: 'theirs' },
      { inbox_id: theirs.id, source_id: 'theirs' },
    ]) {
      const res = await fx.asAdmin('POST', '/contact_inboxes/filter', body);
      expect(res.status, `${JSON.stringify(body)} ${res.text}`).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
    }
  });

  it('refuses malformed input with 422', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const long = await fx.asAdmin('POST', '/contact_inboxes/filter', {
      inbox_id: inbox.id,
      source_id: 'x'.repeat(256),
    });
    expect(long.status, long.text).toBe(422);
    expect(long.body).toEqual({
      message: 'Source is too long (maximum is 255 characters)',
      attributes: ['source_id'],
    });
    const object = await fx.asAdmin('POST', '/contact_inboxes/filter', { inbox_id: { id: inbox.id }, source_id: 'a' });
    expect(object.status, object.text).toBe(422);
    expect(object.body).toMatchObject({ attributes: ['inbox_id'] });
  });

  it('lets agents filter only in their inboxes; refuses other accounts, bots and anonymous callers', async () => {
    const fx = await buildAccountFixture(server());
    const stranger = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const contactId = await contactIn(fx, inbox.id, 'agent-visible');
    const body = { inbox_id: inbox.id, source_id: 'agent-visible' };

    const outside = await fx.asAgent('POST', '/contact_inboxes/filter', body);
    expect(outside.status).toBe(401);
    expect(outside.body).toEqual({ error: 'You are not authorized to do this action' });
    // an agent outside the inbox learns nothing, not even whether the source id exists
    const outsideUnknown = await fx.asAgent('POST', '/contact_inboxes/filter', { ...body, source_id: 'nope' });
    expect(outsideUnknown.status).toBe(401);

    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const member = await fx.asAgent('POST', '/contact_inboxes/filter', body);
    expect(member.status, member.text).toBe(200);
    expect(member.body.id).toBe(contactId);

    const url = `/api/v1/accounts/${fx.account.id}/contact_inboxes/filter`;
    const other = await server().request('POST', url, { token: stranger.admin.access_token, body });
    expect(other.status).toBe(401);
    expect(other.body).toEqual({ error: 'You are not authorized to access this account' });
    // nor through their own account with this account's inbox
    const ownAccount = await stranger.asAdmin('POST', '/contact_inboxes/filter', body);
    expect(ownAccount.status).toBe(404);
    const bot = await fx.asAdmin('POST', '/agent_bots', { name: 'Finder', outgoing_url: 'https://bots.example.com/f' });
    expect((await server().request('POST', url, { token: bot.body.access_token, body })).status).toBe(401);
    expect((await server().request('POST', url, { body })).status).toBe(401);
  });
});
