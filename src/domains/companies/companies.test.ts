import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const tag = () => randomBytes(3).toString('hex');

async function create(fx: AccountFixture, company: Record<string, unknown>) {
  const res = await fx.asAgent('POST', '/companies', { company });
  expect(res.status, res.text).toBe(200);
  return res.body.payload as { id: number; name: string; domain: string | null };
}

const companyCount = async (accountId: number) =>
  Number(
    (
      await server()
        .db.selectFrom('companies')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Links contacts to a company directly (the link's own endpoints are not part of this change). */
async function linkContacts(fx: AccountFixture, companyId: number, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await fx.asAdmin('POST', '/contacts', { name: `C ${tag()}`, email: `c${tag()}@example.com` });
    await server()
      .db.updateTable('contacts')
      .set({ company_id: companyId })
      .where('id', '=', res.body.payload.contact.id)
      .execute();
  }
}

describe('companies', () => {
  it('lets an agent create (wrapped or flat), show, update and list companies in the _company shape', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAgent('POST', '/companies', {
      company: { name: 'New Company', domain: 'newcompany.com', description: 'A new company' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      payload: {
        id: expect.any(Number),
        name: 'New Company',
        contacts_count: 0,
        domain: 'newcompany.com',
        description: 'A new company',
        avatar_url: '',
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
      },
    });
    expect(Object.keys(res.body.payload)).toEqual([
      'id',
      'name',
      'contacts_count',
      'domain',
      'description',
      'avatar_url',
      'created_at',
      'updated_at',
    ]);
    const id = res.body.payload.id;
    const flat = await fx.asAgent('POST', '/companies', { name: 'Flat Inc' });
    expect(flat.status, flat.text).toBe(200);
    expect(flat.body.payload).toMatchObject({ name: 'Flat Inc', domain: null, description: null });

    const show = await fx.asAgent('GET', `/companies/${id}`);
    expect(show.status).toBe(200);
    expect(show.body).toEqual(res.body);

    const patch = await fx.asAgent('PATCH', `/companies/${id}`, {
      company: { name: 'Updated Company Name', domain: 'updated.com' },
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body.payload).toMatchObject({ id, name: 'Updated Company Name', domain: 'updated.com' });
    expect(patch.body.payload.description).toBe('A new company');

    const list = await fx.asAgent('GET', '/companies?sort=name');
    expect(list.status).toBe(200);
    expect(list.body.meta).toEqual({ total_count: 2, page: 1 });
    expect(list.body.payload.map((c: { name: string }) => c.name)).toEqual(['Flat Inc', 'Updated Company Name']);
  });

  it('pages by 25 with total_count and page, and sorts by contacts_count either way', async () => {
    const fx = await buildAccountFixture(server());
    for (let i = 0; i < 27; i++) await create(fx, { name: `Company ${String(i).padStart(2, '0')}` });
    const page1 = await fx.asAdmin('GET', '/companies?page=1');
    const page2 = await fx.asAdmin('GET', '/companies?page=2');
    expect(page1.body.payload).toHaveLength(25);
    expect(page1.body.meta).toEqual({ total_count: 27, page: 1 });
    expect(page2.body.payload).toHaveLength(2);
    expect(page2.body.meta).toEqual({ total_count: 27, page: 2 });

    const other = await buildAccountFixture(server());
    const five = await create(other, { name: 'With 5' });
    const two = await create(other, { name: 'With 2' });
    const none = await create(other, { name: 'With 0' });
    await linkContacts(other, five.id, 5);
    await linkContacts(other, two.id, 2);
    const asc = await other.asAdmin('GET', '/companies?sort=contacts_count');
    expect(asc.body.payload.map((c: { id: number }) => c.id)).toEqual([none.id, two.id, five.id]);
    expect(asc.body.payload.map((c: { contacts_count: number }) => c.contacts_count)).toEqual([0, 2, 5]);
    const desc = await other.asAdmin('GET', '/companies?sort=-contacts_count');
    expect(desc.body.payload.map((c: { id: number }) => c.id)).toEqual([five.id, two.id, none.id]);
  });

  it('searches name and domain case-insensitively; a missing q is a 422', async () => {
    const fx = await buildAccountFixture(server());
    await create(fx, { name: 'Acme Corp', domain: 'acme.com' });
    await create(fx, { name: 'Tech Solutions', domain: 'tech.com' });
    await create(fx, { name: 'Global Inc', domain: 'global.com' });
    const byName = await fx.asAgent('GET', '/companies/search?q=tech');
    expect(byName.status, byName.text).toBe(200);
    expect(byName.body.payload.map((c: { name: string }) => c.name)).toEqual(['Tech Solutions']);
    expect(byName.body.meta).toEqual({ total_count: 1, page: 1 });
    const byDomain = await fx.asAgent('GET', '/companies/search?q=acme.com');
    expect(byDomain.body.payload.map((c: { domain: string }) => c.domain)).toEqual(['acme.com']);
    expect((await fx.asAgent('GET', '/companies/search?q=ACME')).body.payload).toHaveLength(1);
    const none = await fx.asAgent('GET', '/companies/search?q=nonexistent');
    expect(none.body).toEqual({ meta: { total_count: 0, page: 1 }, payload: [] });
    for (const query of ['', '?q=', '?q=%20']) {
      const missing = await fx.asAgent('GET', `/companies/search${query}`);
      expect(missing.status).toBe(422);
      expect(missing.body).toEqual({ error: 'Specify search string with parameter q' });
    }
  });

  it("refuses invalid companies with Chatwoot's error body and writes nothing", async () => {
    const fx = await buildAccountFixture(server());
    const taken = await create(fx, { name: 'Taken', domain: 'taken.com' });
    const cases: Array<[unknown, number, unknown]> = [
      [{ company: { name: '' } }, 422, { message: "Name can't be blank", attributes: ['name'] }],
      [{}, 422, { message: "Name can't be blank", attributes: ['name'] }],
      [
        { company: { name: 'x'.repeat(101) } },
        422,
        { message: 'Name is too long (maximum is 100 characters)', attributes: ['name'] },
      ],
      [
        { company: { name: 'Bad', domain: 'not a domain' } },
        422,
        { message: 'Domain must be a valid domain name', attributes: ['domain'] },
      ],
      [
        { company: { name: 'Dup', domain: 'taken.com' } },
        422,
        { message: 'Domain has already been taken', attributes: ['domain'] },
      ],
      [
        { company: { name: 'Long', description: 'd'.repeat(1001) } },
        422,
        { message: 'Description is too long (maximum is 1000 characters)', attributes: ['description'] },
      ],
    ];
    for (const [body, status, error] of cases) {
      const res = await fx.asAgent('POST', '/companies', body);
      expect(res.status, `${JSON.stringify(body).slice(0, 80)}: ${res.text}`).toBe(status);
      expect(res.body).toEqual(error);
    }
    const tooLong = await fx.asAgent('POST', '/companies', { company: { name: 'y'.repeat(300) } });
    expect(tooLong.status).toBe(422);
    const wrongType = await fx.asAgent('POST', '/companies', { company: { name: { a: 1 } } });
    expect(wrongType.status).toBeGreaterThanOrEqual(400);
    expect(wrongType.status).toBeLessThan(500);
    expect(await companyCount(fx.account.id)).toBe(1);

    const blanked = await fx.asAgent('PATCH', `/companies/${taken.id}`, { company: { name: ' ' } });
    expect(blanked.status).toBe(422);
    expect(blanked.body).toEqual({ message: "Name can't be blank", attributes: ['name'] });
    expect((await fx.asAgent('GET', `/companies/${taken.id}`)).body.payload.name).toBe('Taken');
    for (const query of ['page=0', 'page=x']) {
      expect((await fx.asAgent('GET', `/companies?${query}`)).status).toBe(422);
    }
  });

  it("writes a renamed company's name into its contacts' additional_attributes.company_name", async () => {
    const fx = await buildAccountFixture(server());
    const company = await create(fx, { name: 'Old Name' });
    await linkContacts(fx, company.id, 2);
    const loner = await fx.asAdmin('POST', '/contacts', { name: 'Loner', email: `l${tag()}@example.com` });
    expect((await fx.asAgent('PATCH', `/companies/${company.id}`, { name: 'New Name' })).status).toBe(200);
    const list = await fx.asAdmin('GET', '/contacts?sort=name');
    const companyNames = list.body.payload.map(
      (c: { name: string; additional_attributes: Record<string, unknown> }) => [
        c.name === 'Loner' ? 'Loner' : 'linked',
        c.additional_attributes.company_name,
      ],
    );
    expect(companyNames.sort()).toEqual([
      ['Loner', undefined],
      ['linked', 'New Name'],
      ['linked', 'New Name'],
    ]);
    expect(loner.status).toBe(200);
  });

  it('lets only administrators delete; the contacts stay, without a company', async () => {
    const fx = await buildAccountFixture(server());
    const company = await create(fx, { name: 'Doomed', domain: `doomed-${tag()}.com` });
    await linkContacts(fx, company.id, 1);
    const agent = await fx.asAgent('DELETE', `/companies/${company.id}`);
    expect(agent.status).toBe(401);
    expect(agent.body).toEqual({ error: 'You are not authorized to do this action' });
    expect(await companyCount(fx.account.id)).toBe(1);
    const admin = await fx.asAdmin('DELETE', `/companies/${company.id}`);
    expect(admin.status, admin.text).toBe(200);
    expect(admin.text).toBe('');
    expect(await companyCount(fx.account.id)).toBe(0);
    expect((await fx.asAdmin('GET', `/companies/${company.id}`)).status).toBe(404);
    const orphans = await server()
      .db.selectFrom('contacts')
      .select(['company_id'])
      .where('account_id', '=', fx.account.id)
      .execute();
    expect(orphans).toEqual([{ company_id: null }]);
  });

  it("refuses another account's companies and strangers", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = await create(other, { name: 'Other Account Company', domain: 'other.com' });
    await create(fx, { name: 'My Company', domain: 'other.com' }); // domains are unique per account only
    const list = await fx.asAdmin('GET', '/companies');
    expect(list.body.payload.map((c: { name: string }) => c.name)).toEqual(['My Company']);
    expect((await fx.asAdmin('GET', '/companies/search?q=Other%20Account')).body.payload).toEqual([]);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { company: { name: 'Hijacked' } }],
      ['DELETE', undefined],
    ] as const) {
      const res = await fx.asAdmin(method, `/companies/${theirs.id}`, body);
      expect(res.status, `${method}: ${res.text}`).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
    }
    expect((await other.asAdmin('GET', `/companies/${theirs.id}`)).body.payload.name).toBe('Other Account Company');
    const crossed = await server().request('GET', `/api/v1/accounts/${other.account.id}/companies`, {
      token: fx.admin.access_token,
    });
    expect(crossed.status).toBe(401);
    expect(JSON.stringify(crossed.body)).not.toContain('Other Account Company');
    const anonymous = await server().request('GET', `/api/v1/accounts/${fx.account.id}/companies`);
    expect(anonymous.status).toBe(401);
  });
});
