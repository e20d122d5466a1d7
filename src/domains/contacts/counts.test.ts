// The resolved-contact counters (0125_contact_counts.sql) against a recount of the rows, after
// every kind of write that can add, remove or (un)resolve a contact: the API's create, update and
// delete, a merge, a CSV import with new and matched rows, a visitor from the Client API, and
// writes from several connections at once. GET /contacts's meta.count is read from them.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox, uploadContactsCsv, type AccountFixture } from '../../../test/factories.js';
import { waitFor } from '../../../test/processes.js';

const server = useTestServer();

async function recount(accountId: number): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from contacts where account_id = ${accountId}
    and (email is not null or phone_number is not null or identifier is not null)`.execute(server().db);
  return Number(rows[0]!.n);
}

async function kept(accountId: number): Promise<number> {
  const { rows } = await sql<{ n: string | null }>`select sum(n) as n from contact_counts
    where account_id = ${accountId}`.execute(server().db);
  return Number(rows[0]!.n ?? 0);
}

/** The counters, the recount and the list's meta.count agree; returns the count. */
async function expectCounted(fx: AccountFixture): Promise<number> {
  const expected = await recount(fx.account.id);
  expect(await kept(fx.account.id), 'counters against a recount').toBe(expected);
  const list = await fx.asAgent('GET', '/contacts');
  expect(list.status, list.text).toBe(200);
  expect(list.body.meta.count, list.text).toBe(expected);
  return expected;
}

async function importCsv(fx: AccountFixture, csv: string) {
  const res = await uploadContactsCsv(server(), fx, csv);
  expect(res.status, res.text).toBe(200);
  await waitFor(
    async () =>
      (
        await server()
          .db.selectFrom('data_imports')
          .select('status')
          .where('account_id', '=', fx.account.id)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow()
      ).status === 2,
    20_000,
    'import to finish',
  );
}

describe('resolved contact counters', () => {
  it('equal a recount after creates, updates, deletes, merges, imports and Client API visitors', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    expect(await expectCounted(fx)).toBe(0);

    const create = async (body: Record<string, unknown>) => {
      const res = await fx.asAgent('POST', '/contacts', body);
      expect(res.status, res.text).toBe(200);
      return res.body.payload.contact as { id: number };
    };
    const a = await create({ name: 'A', email: 'a@example.com' });
    const b = await create({ name: 'B', phone_number: '+15550001111' });
    const visitor = await create({ name: 'Visitor' });
    await create({ name: 'Other account', email: 'x@example.com' }).then(() => undefined);
    expect(await expectCounted(fx)).toBe(3);
    // the other account's counters moved on their own
    await other.asAgent('POST', '/contacts', { name: 'O', identifier: 'o-1' });
    expect(await expectCounted(other)).toBe(1);

    // a visitor that gets an identifier counts; a contact that loses its only key stops counting
    expect((await fx.asAgent('PATCH', `/contacts/${visitor.id}`, { identifier: 'v-1' })).status).toBe(200);
    expect(await expectCounted(fx)).toBe(4);
    expect((await fx.asAgent('PATCH', `/contacts/${b.id}`, { phone_number: '' })).status).toBe(200);
    expect(await expectCounted(fx)).toBe(3);
    // an update that leaves it resolved changes nothing
    expect((await fx.asAgent('PATCH', `/contacts/${a.id}`, { name: 'A2', phone_number: '+15550002222' })).status).toBe(
      200,
    );
    expect(await expectCounted(fx)).toBe(3);

    const merged = await fx.asAgent('POST', '/actions/contact_merge', {
      base_contact_id: a.id,
      mergee_contact_id: visitor.id,
    });
    expect(merged.status, merged.text).toBe(200);
    expect(await expectCounted(fx)).toBe(2);
    expect((await fx.asAdmin('DELETE', `/contacts/${a.id}`)).status).toBe(200);
    expect(await expectCounted(fx)).toBe(1);

    // an import: new rows, a row matching an existing contact, a visitor made a lead, a bad row
    await importCsv(
      fx,
      [
        'name,email,phone_number,identifier',
        'N1,n1@example.com,,',
        'N2,,+15550003333,',
        'N3,,,n-3',
        'Renamed,x@example.com,,',
        'Bad,not-an-email,,',
      ].join('\n'),
    );
    expect(await expectCounted(fx)).toBe(4);

    // a Client API visitor: a contact with no key, not counted
    const inbox = await buildInbox(fx);
    const visitorRes = await server().request('POST', `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`);
    expect(visitorRes.status, visitorRes.text).toBe(200);
    expect(await expectCounted(fx)).toBe(4);
    expect(await expectCounted(other)).toBe(1);
  });

  it('stay exact under concurrent creates and deletes from many connections', async () => {
    const fx = await buildAccountFixture(server());
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        fx.asAgent('POST', '/contacts', { name: `C${i}`, email: `c${i}@example.com` }),
      ),
    );
    for (const res of created) expect(res.status, res.text).toBe(200);
    expect(await expectCounted(fx)).toBe(24);
    const ids = created.map((res) => res.body.payload.contact.id as number);
    const deleted = await Promise.all(ids.slice(0, 10).map((id) => fx.asAdmin('DELETE', `/contacts/${id}`)));
    for (const res of deleted) expect(res.status, res.text).toBe(200);
    expect(await expectCounted(fx)).toBe(14);
  });

  it('count a filter exactly, from a short page or by counting past a full one', async () => {
    const fx = await buildAccountFixture(server());
    const rows = ['name,email', ...Array.from({ length: 40 }, (_, i) => `P${i},p${i}@example.com`)];
    await importCsv(fx, rows.join('\n'));
    expect(await expectCounted(fx)).toBe(40);
    const filter = (page: number) =>
      fx.asAgent('POST', `/contacts/filter?page=${page}`, {
        payload: [{ attribute_key: 'email', filter_operator: 'contains', values: ['P1'] }],
      });
    // p1, p10..p19: 11 rows, one page
    expect((await filter(1)).body.meta.count).toBe(11);
    // page 2 is empty: still the whole count
    expect((await filter(2)).body.meta.count).toBe(11);
    const all = (page: number) =>
      fx.asAgent('POST', `/contacts/filter?page=${page}`, {
        payload: [{ attribute_key: 'email', filter_operator: 'contains', values: ['@example'] }],
      });
    for (const page of [1, 2, 3, 4]) expect((await all(page)).body.meta.count, `page ${page}`).toBe(40);
    const other = await buildAccountFixture(server());
    expect((await other.asAgent('POST', '/contacts/filter', { payload: [] })).body.meta.count).toBe(0);
  });
});
