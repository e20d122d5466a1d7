// A contact write and what its events cause commit together: every contact write, in either API,
// writes its webhook deliveries (the outbox) and runs every transactional listener in its own
// transaction, so no crash between two commits can lose a contact_created or contact_updated.
// And the Client API's new contacts publish contact.created, as Chatwoot's Contact does on every
// create (after_create_commit → WebhookListener and ActionCableListener#contact_created).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { openCable, type CableClient } from '../../../test/cable.js';
import { publicApi } from '../../../test/public-api.js';
import { startReceiver } from '../../../test/webhook-receiver.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
const sockets: CableClient[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await receiver.close();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A delivery of a contact with this name fails, as a full disk or a dropped connection would at that moment. */
const REFUSED = 'refused by the outbox';

/** What the transactional listeners saw of contact events, and in which transaction. */
const seen: Array<{ name: string; contactId: number; xid: string }> = [];

beforeAll(async () => {
  const db = server().db;
  // triggers in this test's own database note which transaction wrote each contact row and each delivery
  await sql`create table test_writes (
    id bigserial primary key, xid text not null default txid_current()::text,
    tbl text not null, op text not null, row_id bigint, event text)`.execute(db);
  await sql`create function test_log_write() returns trigger language plpgsql as $$
    begin
      if TG_TABLE_NAME = 'webhook_deliveries' then
        if NEW.payload->>'name' = ${sql.lit(REFUSED)} then raise exception 'the outbox refuses this delivery'; end if;
        insert into test_writes (tbl, op, row_id, event) values (TG_TABLE_NAME, TG_OP, (NEW.payload->>'id')::bigint, NEW.event);
      elsif TG_OP = 'DELETE' then
        insert into test_writes (tbl, op, row_id) values (TG_TABLE_NAME, TG_OP, OLD.id);
      else
        insert into test_writes (tbl, op, row_id) values (TG_TABLE_NAME, TG_OP, NEW.id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger test_contacts_written after insert or update or delete on contacts
    for each row execute function test_log_write()`.execute(db);
  await sql`create trigger test_deliveries_written after insert on webhook_deliveries
    for each row execute function test_log_write()`.execute(db);
  // a listener of our own beside the webhooks and notifications ones: it sees contact.deleted and
  // contact.merged too, which no webhook is sent for
  server().bus.subscribeTransactional(
    async (tx, events) => {
      for (const event of events) {
        if (!event.name.startsWith('contact.')) continue;
        const { rows } = await sql<{ xid: string }>`select txid_current()::text as xid`.execute(tx);
        seen.push({
          name: event.name,
          contactId: (event.payload as { contactId: number }).contactId,
          xid: rows[0]!.xid,
        });
      }
    },
    { textMessageInterest: () => sql<boolean>`false` },
  );
});

/** The transaction that last wrote (`op`) the contact row. */
async function contactWrite(contactId: number, op: 'INSERT' | 'UPDATE' | 'DELETE'): Promise<string> {
  const row = await sql<{
    xid: string;
  }>`select xid from test_writes where tbl = 'contacts' and row_id = ${contactId} and op = ${op}
    order by id desc limit 1`.execute(server().db);
  expect(row.rows, `no ${op} of contact ${contactId}`).toHaveLength(1);
  return row.rows[0]!.xid;
}

/** The transactions that wrote the contact's deliveries of `event`. */
async function deliveryWrites(contactId: number, event: string): Promise<string[]> {
  const { rows } = await sql<{
    xid: string;
  }>`select xid from test_writes where tbl = 'webhook_deliveries' and row_id = ${contactId} and event = ${event}
    order by id`.execute(server().db);
  return rows.map((r) => r.xid);
}

const listenedIn = (contactId: number, name: string) =>
  seen.filter((s) => s.contactId === contactId && s.name === name).map((s) => s.xid);

/** An account whose account-wide webhook (at its own path) takes `subscriptions`. */
async function subscribedAccount(subscriptions: string[]) {
  const fx = await buildAccountFixture(server());
  const path = `/${fx.account.id}`;
  const res = await fx.asAdmin('POST', '/webhooks', { webhook: { url: `${receiver.url}${path}`, subscriptions } });
  expect(res.status, res.text).toBe(200);
  const inbox = await buildInbox(fx);
  const got = () => receiver.received.filter((r) => r.path === path).map((r) => r.body);
  return { fx, inbox, got };
}

async function createContact(fx: AccountFixture, body: Record<string, unknown>) {
  const res = await fx.asAdmin('POST', '/contacts', body);
  expect(res.status, res.text).toBe(200);
  return res.body.payload.contact as { id: number; name: string };
}

describe('contact writes commit their deliveries with them', () => {
  let fx: AccountFixture;
  let inbox: { inbox_identifier: string };
  beforeAll(async () => {
    ({ fx, inbox } = await subscribedAccount(['contact_created', 'contact_updated']));
  });

  it('creates a contact and its contact_created delivery in one transaction (Application API)', async () => {
    const contact = await createContact(fx, { name: 'Ada', email: 'ada@example.com' });
    const xid = await contactWrite(contact.id, 'INSERT');
    expect(await deliveryWrites(contact.id, 'contact_created')).toEqual([xid]);
    expect(listenedIn(contact.id, 'contact.created')).toEqual([xid]);
  });

  it('updates a contact and writes its contact_updated delivery in one transaction (Application API)', async () => {
    const contact = await createContact(fx, { name: 'Grace' });
    const res = await fx.asAdmin('PATCH', `/contacts/${contact.id}`, { name: 'Grace Hopper' });
    expect(res.status, res.text).toBe(200);
    const xid = await contactWrite(contact.id, 'UPDATE');
    expect(await deliveryWrites(contact.id, 'contact_updated')).toEqual([xid]);
    expect(listenedIn(contact.id, 'contact.updated')).toEqual([xid]);
  });

  it('deletes a contact and hands contact.deleted to the listeners in the same transaction', async () => {
    const contact = await createContact(fx, { name: 'Leaving' });
    expect((await fx.asAdmin('DELETE', `/contacts/${contact.id}`)).status).toBe(200);
    const xid = await contactWrite(contact.id, 'DELETE');
    // Chatwoot has no contact_deleted webhook: the listeners are what there is to see
    expect(listenedIn(contact.id, 'contact.deleted')).toEqual([xid]);
  });

  it("merges two contacts, and the base's contact_updated delivery commits with the merge", async () => {
    const base = await createContact(fx, { name: 'Base' });
    const mergee = await createContact(fx, { name: 'Mergee', phone_number: '+15550001111' });
    const res = await fx.asAdmin('POST', '/actions/contact_merge', {
      base_contact_id: base.id,
      mergee_contact_id: mergee.id,
    });
    expect(res.status, res.text).toBe(200);
    const xid = await contactWrite(base.id, 'UPDATE');
    expect(await contactWrite(mergee.id, 'DELETE')).toBe(xid);
    expect(await deliveryWrites(base.id, 'contact_updated')).toEqual([xid]);
    expect(listenedIn(mergee.id, 'contact.deleted')).toEqual([xid]);
    expect(listenedIn(base.id, 'contact.merged')).toEqual([xid]);
    expect(listenedIn(base.id, 'contact.updated')).toEqual([xid]);
    // the phone number the base took from the mergee is among the changes (ContactMergeAction's update!)
    await receiver.waitFor(() =>
      receiver.received.some((r) => r.body.event === 'contact_updated' && r.body.id === base.id),
    );
    const delivered = receiver.received.find((r) => r.body.event === 'contact_updated' && r.body.id === base.id)!.body;
    expect(delivered.changed_attributes).toContainEqual({
      phone_number: { previous_value: null, current_value: '+15550001111' },
    });
  });

  it('creates a Client API contact and its contact_created delivery in one transaction', async () => {
    const contact = await publicApi(server()).contact(inbox.inbox_identifier, {
      name: 'Visitor',
      email: 'visitor@example.com',
    });
    const xid = await contactWrite(contact.id, 'INSERT');
    expect(await deliveryWrites(contact.id, 'contact_created')).toEqual([xid]);
    expect(listenedIn(contact.id, 'contact.created')).toEqual([xid]);
  });

  it('updates a Client API contact and writes its contact_updated delivery in one transaction', async () => {
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Anonymous' });
    const res = await api.request('PATCH', `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}`, {
      email: 'known@example.com',
    });
    expect(res.status, res.text).toBe(200);
    const xid = await contactWrite(contact.id, 'UPDATE');
    expect(await deliveryWrites(contact.id, 'contact_updated')).toEqual([xid]);
    expect(listenedIn(contact.id, 'contact.updated')).toEqual([xid]);
  });
});

describe('a contact write whose delivery cannot be written', () => {
  let fx: AccountFixture;
  let inbox: { inbox_identifier: string };
  beforeAll(async () => {
    ({ fx, inbox } = await subscribedAccount(['contact_created', 'contact_updated']));
  });
  const contactsNamed = async (name: string) =>
    (
      await server()
        .db.selectFrom('contacts')
        .select('id')
        .where('account_id', '=', fx.account.id)
        .where('name', '=', name)
        .execute()
    ).length;

  it('stores no contact (Application API create)', async () => {
    const res = await fx.asAdmin('POST', '/contacts', { name: REFUSED, email: 'refused@example.com' });
    expect(res.status, res.text).toBe(500);
    expect(await contactsNamed(REFUSED)).toBe(0);
  });

  it('leaves the contact as it was (Application API update)', async () => {
    const contact = await createContact(fx, { name: 'Unchanged' });
    expect((await fx.asAdmin('PATCH', `/contacts/${contact.id}`, { name: REFUSED })).status).toBe(500);
    expect((await fx.asAdmin('GET', `/contacts/${contact.id}`)).body.payload.name).toBe('Unchanged');
  });

  it('stores no contact and no contact inbox (Client API create)', async () => {
    const res = await publicApi(server()).request('POST', `/inboxes/${inbox.inbox_identifier}/contacts`, {
      name: REFUSED,
      source_id: 'refused-source',
    });
    expect(res.status, res.text).toBe(500);
    expect(await contactsNamed(REFUSED)).toBe(0);
    expect(
      await server().db.selectFrom('contact_inboxes').select('id').where('source_id', '=', 'refused-source').execute(),
    ).toEqual([]);
  });

  it('leaves the contact as it was (Client API update)', async () => {
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Still Me' });
    const path = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}`;
    expect((await api.request('PATCH', path, { name: REFUSED, email: 'still@example.com' })).status).toBe(500);
    expect((await api.request('GET', path)).body).toMatchObject({ name: 'Still Me', email: null });
  });

  it('merges nothing', async () => {
    // only contact_updated here, so the mergee (whose name the nameless base takes) can be created
    const { fx: other } = await subscribedAccount(['contact_updated']);
    const base = await createContact(other, { email: 'nameless@example.com' });
    const mergee = await createContact(other, { name: REFUSED });
    const res = await other.asAdmin('POST', '/actions/contact_merge', {
      base_contact_id: base.id,
      mergee_contact_id: mergee.id,
    });
    expect(res.status, res.text).toBe(500);
    expect((await other.asAdmin('GET', `/contacts/${mergee.id}`)).status).toBe(200);
    expect((await other.asAdmin('GET', `/contacts/${base.id}`)).body.payload.name).toBe('');
  });
});

describe('Client API contacts publish contact.created', () => {
  it("to the account's webhooks and agents, once: finding the contact again creates nothing", async () => {
    const { fx, inbox, got } = await subscribedAccount(['contact_created']);
    const agent = (await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token })).body;
    const socket = await openCable(server().url);
    sockets.push(socket);
    const identifier = socket.subscribe({
      channel: 'RoomChannel',
      pubsub_token: agent.pubsub_token,
      account_id: fx.account.id,
      user_id: agent.id,
    });
    await socket.next((f) => f.identifier === identifier && f.type === 'confirm_subscription');

    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, {
      name: 'New Visitor',
      email: 'new-visitor@example.com',
    });
    const pushed = await socket.next((f) => f.identifier === identifier && f.message?.event === 'contact.created');
    // the agent needs no membership of the inbox: contact events go to every agent of the account
    expect(pushed.message.data).toMatchObject({
      id: contact.id,
      name: 'New Visitor',
      email: 'new-visitor@example.com',
      type: 'contact',
      account_id: fx.account.id,
    });
    await receiver.waitFor(() => got().length >= 1);
    expect(got()[0]).toMatchObject({
      event: 'contact_created',
      id: contact.id,
      name: 'New Visitor',
      email: 'new-visitor@example.com',
      account: { id: fx.account.id },
    });

    // found by email (a new contact inbox of the same contact), and a source_id already known: no contact is created
    const again = await api.contact(inbox.inbox_identifier, { email: 'new-visitor@example.com' });
    expect(again.id).toBe(contact.id);
    expect((await api.contact(inbox.inbox_identifier, { source_id: again.source_id })).id).toBe(contact.id);
    await sleep(300);
    expect(got()).toHaveLength(1);
    expect(socket.events(identifier).filter((m) => m.event === 'contact.created')).toHaveLength(1);
  });
});
