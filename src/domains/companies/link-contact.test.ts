import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox, uploadContactsCsv, type AccountFixture } from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';
import { waitFor } from '../../../test/processes.js';
import { companyNameFromDomain, isBusinessEmail } from './link-contact.js';

const server = useTestServer();
const tag = () => randomBytes(4).toString('hex');

/** The account with Chatwoot's `companies` feature toggled through the Platform API. */
async function companiesOn(fx: AccountFixture, on = true) {
  const res = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
    token: fx.platformToken,
    body: { features: { companies: on } },
  });
  expect(res.status, res.text).toBe(200);
  if (on) expect(res.body.features.companies).toBe(true);
  else expect(res.body.features).not.toHaveProperty('companies');
}

async function createContact(fx: AccountFixture, contact: Record<string, unknown>) {
  const res = await fx.asAgent('POST', '/contacts', { name: `C ${tag()}`, ...contact });
  expect(res.status, res.text).toBe(200);
  return res.body.payload.contact as Record<string, any>;
}

async function companies(fx: AccountFixture) {
  const res = await fx.asAgent('GET', '/companies?sort=name');
  expect(res.status, res.text).toBe(200);
  return res.body.payload as Array<{ id: number; name: string; domain: string | null; contacts_count: number }>;
}

const contactRow = (id: number) =>
  server().db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('a contact gets its company from its first business e-mail', () => {
  it('links a business e-mail to a new company, and the next contact of the domain to the same one', async () => {
    const fx = await buildAccountFixture(server());
    await companiesOn(fx);
    const domain = `acme-corp.t${tag()}.io`;
    const first = await createContact(fx, { email: `ann@${domain}` });
    const listed = await companies(fx);
    expect(listed).toEqual([
      expect.objectContaining({ name: companyNameFromDomain(domain), domain, contacts_count: 1 }),
    ]);
    expect(listed[0]!.name).toBe('Acme Corp');
    // the contact partial shows company_id after identifier, and the synced name
    expect(first.company_id).toBe(listed[0]!.id);
    expect(first.additional_attributes).toEqual({ company_name: listed[0]!.name });
    expect(Object.keys(first).indexOf('company_id')).toBe(Object.keys(first).indexOf('identifier') + 1);

    const second = await createContact(fx, { email: `bob@${domain.toUpperCase()}` });
    expect(second.company_id).toBe(listed[0]!.id);
    expect((await companies(fx)).map((c) => [c.domain, c.contacts_count])).toEqual([[domain, 2]]);
    const shown = await fx.asAgent('GET', `/contacts/${second.id}`);
    expect(shown.body.payload).toMatchObject({
      company_id: listed[0]!.id,
      additional_attributes: { company_name: listed[0]!.name },
    });
  });

  it('names the company from additional_attributes.company_name when the contact has one', async () => {
    const fx = await buildAccountFixture(server());
    await companiesOn(fx);
    const domain = `globex-${tag()}.com`;
    const contact = await createContact(fx, {
      email: `hank@${domain}`,
      additional_attributes: { company_name: 'Globex Corporation', city: 'Springfield' },
    });
    const [company] = await companies(fx);
    expect(company).toMatchObject({ name: 'Globex Corporation', domain, contacts_count: 1 });
    expect(contact.additional_attributes).toEqual({ company_name: 'Globex Corporation', city: 'Springfield' });
  });

  it('links on the update that gives a contact its first e-mail, not on a later change of e-mail', async () => {
    const fx = await buildAccountFixture(server());
    await companiesOn(fx);
    const contact = await createContact(fx, { phone_number: `+1555${Math.floor(1e6 + Math.random() * 8e6)}` });
    expect(contact.company_id).toBeNull();
    const domain = `initech.t${tag()}.com`;
    const res = await fx.asAgent('PATCH', `/contacts/${contact.id}`, { email: `peter@${domain}` });
    expect(res.status, res.text).toBe(200);
    const [company] = await companies(fx);
    expect(company).toMatchObject({ domain, contacts_count: 1 });
    expect(res.body.payload).toMatchObject({
      company_id: company!.id,
      additional_attributes: { company_name: 'Initech' },
    });

    // an e-mail replacing an e-mail is not a first e-mail: the company stays as it is
    const other = await createContact(fx, { email: `milton@gmail.com` });
    const changed = await fx.asAgent('PATCH', `/contacts/${other.id}`, { email: `milton@${domain}` });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.payload.company_id).toBeNull();
    expect((await companies(fx)).map((c) => c.contacts_count)).toEqual([1]);
  });

  it('gives a free or disposable mail address no company', async () => {
    const fx = await buildAccountFixture(server());
    await companiesOn(fx);
    for (const email of [`ann.${tag()}@gmail.com`, `bob.${tag()}@outlook.com`, `eve.${tag()}@mailinator.com`]) {
      const contact = await createContact(fx, { email });
      expect(contact.company_id, email).toBeNull();
      expect(contact.additional_attributes).toEqual({});
    }
    expect(await companies(fx)).toEqual([]);
  });

  it('links nothing, and shows no company_id, while the account has the feature off', async () => {
    const fx = await buildAccountFixture(server());
    const contact = await createContact(fx, { email: `ann@off-${tag()}.com` });
    expect(contact).not.toHaveProperty('company_id');
    expect((await contactRow(contact.id)).company_id).toBeNull();
    await companiesOn(fx, false);
    const updated = await createContact(fx, { email: `bob@off-${tag()}.com` });
    expect((await contactRow(updated.id)).company_id).toBeNull();
    expect(await companies(fx)).toEqual([]);
  });

  it('keeps the company a contact already has', async () => {
    const fx = await buildAccountFixture(server());
    await companiesOn(fx);
    const made = await fx.asAgent('POST', '/companies', {
      company: { name: 'Chosen Co', domain: `chosen-${tag()}.com` },
    });
    expect(made.status, made.text).toBe(200);
    const contact = await createContact(fx, { phone_number: `+1555${Math.floor(1e6 + Math.random() * 8e6)}` });
    await server()
      .db.updateTable('contacts')
      .set({ company_id: made.body.payload.id })
      .where('id', '=', contact.id)
      .execute();
    const res = await fx.asAgent('PATCH', `/contacts/${contact.id}`, { email: `zoe@elsewhere-${tag()}.com` });
    expect(res.status, res.text).toBe(200);
    expect(res.body.payload.company_id).toBe(made.body.payload.id);
    expect((await companies(fx)).map((c) => c.name)).toEqual(['Chosen Co']);
  });

  it("never uses another account's company of the same domain", async () => {
    const [fx, other] = [await buildAccountFixture(server()), await buildAccountFixture(server())];
    await companiesOn(fx);
    await companiesOn(other);
    const domain = `shared-${tag()}.com`;
    const theirs = await other.asAgent('POST', '/companies', { company: { name: 'Theirs', domain } });
    expect(theirs.status, theirs.text).toBe(200);
    const contact = await createContact(fx, { email: `ann@${domain}` });
    const ours = await companies(fx);
    expect(ours).toEqual([expect.objectContaining({ domain, contacts_count: 1 })]);
    expect(ours[0]!.id).not.toBe(theirs.body.payload.id);
    expect(contact.company_id).toBe(ours[0]!.id);
    const theirList = (await other.asAgent('GET', '/companies')).body.payload;
    expect(theirList).toEqual([expect.objectContaining({ id: theirs.body.payload.id, contacts_count: 0 })]);
    // and the other account cannot read the linked contact
    expect((await other.asAgent('GET', `/contacts/${contact.id}`)).status).toBe(404);
  });

  it('writes nothing half-way when the contact write itself is refused', async () => {
    const fx = await buildAccountFixture(server());
    await companiesOn(fx);
    const domain = `refused-${tag()}.com`;
    await createContact(fx, { email: `ann@${domain}` });
    const dup = await fx.asAgent('POST', '/contacts', { name: 'Dup', email: `ann@${domain}` });
    expect(dup.status).toBe(422);
    expect(dup.body).toMatchObject({ message: expect.stringContaining('Email') });
    const bad = await fx.asAgent('POST', '/contacts', { name: 'Bad', email: `not-an-email@` });
    expect(bad.status).toBe(422);
    expect((await companies(fx)).map((c) => c.contacts_count)).toEqual([1]);
  });

  it('links a merged contact that takes its first e-mail from the mergee', async () => {
    const fx = await buildAccountFixture(server());
    const domain = `wayne.t${tag()}.com`;
    const mergee = await createContact(fx, { email: `bruce@${domain}` });
    await companiesOn(fx);
    const base = await createContact(fx, { phone_number: `+1555${Math.floor(1e6 + Math.random() * 8e6)}` });
    const res = await fx.asAgent('POST', '/actions/contact_merge', {
      base_contact_id: base.id,
      mergee_contact_id: mergee.id,
    });
    expect(res.status, res.text).toBe(200);
    const [company] = await companies(fx);
    expect(company).toMatchObject({ domain, name: 'Wayne', contacts_count: 1 });
    expect(res.body).toMatchObject({ id: base.id, email: `bruce@${domain}`, company_id: company!.id });
  });

  it('links contacts created or given their first e-mail through the Client API', async () => {
    const fx = await buildAccountFixture(server());
    await companiesOn(fx);
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const domain = `umbrella.t${tag()}.com`;
    const created = await api.contact(inbox.inbox_identifier, { name: 'Alice', email: `alice@${domain}` });
    expect((await contactRow(created.id)).company_id).not.toBeNull();
    const anonymous = await api.contact(inbox.inbox_identifier, { name: 'Carlos' });
    const res = await api.request('PATCH', `/inboxes/${inbox.inbox_identifier}/contacts/${anonymous.source_id}`, {
      email: `carlos@${domain}`,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.additional_attributes).toEqual({ company_name: 'Umbrella' });
    const [company] = await companies(fx);
    expect(company).toMatchObject({ domain, name: 'Umbrella', contacts_count: 2 });
    expect((await contactRow(anonymous.id)).company_id).toBe(company!.id);
  });

  it('links contacts the CSV import creates or gives a first e-mail', async () => {
    const fx = await buildAccountFixture(server());
    await companiesOn(fx);
    const phone = `+1555${Math.floor(1e6 + Math.random() * 8e6)}`;
    const existing = await createContact(fx, { phone_number: phone });
    const domain = `hooli.t${tag()}.com`;
    const csv = [
      'name,email,phone_number',
      `Gavin,gavin@${domain},`,
      `Known,known@${domain},${phone}`,
      'Free,free@gmail.com,',
    ].join('\n');
    const res = await uploadContactsCsv(server(), fx, csv);
    expect(res.status, res.text).toBe(200);
    await waitFor(async () => (await companies(fx)).some((c) => c.contacts_count === 2), 20_000, 'import to link');
    const [company] = await companies(fx);
    expect(company).toMatchObject({ domain, name: 'Hooli', contacts_count: 2 });
    expect((await contactRow(existing.id)).company_id).toBe(company!.id);
    const free = await server()
      .db.selectFrom('contacts')
      .selectAll()
      .where('account_id', '=', fx.account.id)
      .where('email', '=', 'free@gmail.com')
      .executeTakeFirstOrThrow();
    expect(free.company_id).toBeNull();
  });
});

describe('business e-mail detection', () => {
  it('tells free and disposable providers from business domains, and titleizes a domain', () => {
    expect(isBusinessEmail('ann@gmail.com')).toBe(false);
    expect(isBusinessEmail('ann@YAHOO.com')).toBe(false);
    expect(isBusinessEmail('ann@mailinator.com')).toBe(false);
    expect(isBusinessEmail('ann@chatwoot.com')).toBe(true);
    expect(isBusinessEmail('not-an-email')).toBe(false);
    expect(isBusinessEmail(null)).toBe(false);
    expect(companyNameFromDomain('acme-corp_labs.co.uk')).toBe('Acme Corp Labs');
  });
});
