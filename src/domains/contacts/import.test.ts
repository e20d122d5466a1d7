import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, uploadContactsCsv, type AccountFixture } from '../../../test/factories.js';
import { waitFor } from '../../../test/processes.js';

const server = useTestServer();

const upload = (fx: AccountFixture, token: string, csv: string | undefined, field = 'import_file') =>
  uploadContactsCsv(server(), fx, csv, { token, field });

async function lastImport(fx: AccountFixture) {
  return server()
    .db.selectFrom('data_imports')
    .selectAll()
    .where('account_id', '=', fx.account.id)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

/** Uploads as the administrator and waits for the job to finish; the data_imports row. */
async function importAndWait(fx: AccountFixture, csv: string, timeout = 20_000) {
  expect((await upload(fx, fx.admin.access_token, csv)).status).toBe(200);
  await waitFor(async () => (await lastImport(fx)).status === 2, timeout, 'import to finish');
  return lastImport(fx);
}

describe('contact CSV import and export', () => {
  it('imports in the background: upserts by identifier, email, phone; reports bad rows; good rows land', async () => {
    const fx = await buildAccountFixture(server());
    await fx.asAgent('POST', '/contacts', {
      name: 'Existing',
      email: 'existing@example.com',
      custom_attributes: { tier: 'gold' },
    });
    const csv = [
      '\ufeffname,email,phone_number,identifier,company,city,plan',
      'Ann,ann@example.com,15550000001,crm-1,Acme,Rome,pro',
      'Bad Email,not-an-email,,,,,',
      'Updated Existing,EXISTING@example.com,,,,,free',
      'Bad Phone,,12ab,,,,',
      '"Quoted, Name",quoted@example.com,,,,,',
      'Ann Again,,+15550000001,,,,team',
    ].join('\n');
    const res = await upload(fx, fx.admin.access_token, csv);
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('');
    await waitFor(async () => (await lastImport(fx)).status === 2, 20_000, 'import to finish');
    const done = await lastImport(fx);
    expect(done).toMatchObject({ total_records: 6, processed_records: 4 });
    expect(done.failed_records).toEqual([
      { row: 3, errors: 'Email Invalid email' },
      { row: 5, errors: 'Phone number should be in e164 format' },
    ]);
    const list = (await fx.asAgent('GET', '/contacts?sort=email')).body.payload as Array<Record<string, any>>;
    expect(list.map((c) => c.email)).toEqual(['ann@example.com', 'existing@example.com', 'quoted@example.com']);
    expect(list[0]).toMatchObject({
      name: 'Ann Again',
      phone_number: '+15550000001',
      identifier: 'crm-1',
      additional_attributes: { company: 'Acme', city: 'Rome' },
      custom_attributes: { plan: 'team' },
    });
    expect(list[1]).toMatchObject({ name: 'Updated Existing', custom_attributes: { tier: 'gold', plan: 'free' } });
    expect(list[2]!.name).toBe('Quoted, Name');
    const chunks = await server().db.selectFrom('data_import_chunks').select('seq').execute();
    expect(chunks).toEqual([]);
  });

  it('matches across batches, merges rows of one contact, and refuses a row whose keys name two contacts', async () => {
    const fx = await buildAccountFixture(server());
    await fx.asAgent('POST', '/contacts', { name: 'E', email: 'e@example.com', custom_attributes: { tier: 'gold' } });
    await fx.asAgent('POST', '/contacts', { name: 'P', phone_number: '+15550009999' });
    // more rows than a batch holds: the last one updates a contact the first batch created
    const rows = Array.from({ length: 6_000 }, (_, i) => `R${i},r${i}@example.com,,crm-${i},`);
    const csv = [
      'name,email,phone_number,identifier,plan',
      'Clash,e@example.com,+15550009999,,',
      'E again,E@example.com,,e-1,pro',
      ...rows,
      'R0 renamed,,,crm-0,late',
    ].join('\n');
    expect(await importAndWait(fx, csv, 60_000)).toMatchObject({
      total_records: 6_003,
      processed_records: 6_002,
      failed_records: [{ row: 2, errors: 'Phone number has already been taken' }],
    });
    const byEmail = async (email: string) =>
      server()
        .db.selectFrom('contacts')
        .selectAll()
        .where('account_id', '=', fx.account.id)
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
    expect(await byEmail('e@example.com')).toMatchObject({
      name: 'E again',
      identifier: 'e-1',
      custom_attributes: { tier: 'gold', plan: 'pro' },
    });
    expect(await byEmail('r0@example.com')).toMatchObject({
      name: 'R0 renamed',
      identifier: 'crm-0',
      custom_attributes: { plan: 'late' },
    });
    const list = await fx.asAgent('GET', '/contacts');
    expect(list.body.meta.count).toBe(6_002);
  });

  it('reports a row whose identifier is past what the index holds, and imports the rest of its batch', async () => {
    const fx = await buildAccountFixture(server());
    // random text: PostgreSQL compresses a repetitive one under the index entry limit
    const csv = [
      'name,email,identifier',
      `Long,long@example.com,${randomBytes(4_500).toString('base64')}`,
      'Fine,fine@example.com,crm-2',
    ].join('\n');
    expect(await importAndWait(fx, csv)).toMatchObject({
      total_records: 2,
      processed_records: 1,
      failed_records: [{ row: 2, errors: 'Identifier is too long (maximum is 255 characters)' }],
    });
    expect((await fx.asAgent('GET', '/contacts')).body.payload.map((c: { email: string }) => c.email)).toEqual([
      'fine@example.com',
    ]);
  });

  it('refuses a missing or empty file (422) and agents (401)', async () => {
    const fx = await buildAccountFixture(server());
    for (const [csv, field] of [
      [undefined, 'import_file'],
      ['', 'import_file'],
      ['name\nx', 'other_field'],
    ] as const) {
      const res = await upload(fx, fx.admin.access_token, csv, field);
      expect(res.status).toBe(422);
      expect(JSON.parse(res.text)).toEqual({ error: 'File is blank' });
    }
    const json = await fx.asAdmin('POST', '/contacts/import', { import_file: 'x' });
    expect(json.status).toBe(422);
    expect((await upload(fx, fx.agent.access_token, 'name\nx')).status).toBe(401);
    expect(
      await server().db.selectFrom('data_imports').select('id').where('account_id', '=', fx.account.id).execute(),
    ).toEqual([]);
  });

  it('exports resolved contacts as CSV, with chosen columns, a filter or a label', async () => {
    const fx = await buildAccountFixture(server());
    const a = (await fx.asAgent('POST', '/contacts', { name: 'Alpha, Inc', email: 'a@example.com' })).body.payload
      .contact;
    const b = (await fx.asAgent('POST', '/contacts', { name: 'Beta', phone_number: '+15551112222' })).body.payload
      .contact;
    await fx.asAgent('POST', '/contacts', { name: 'Visitor only' });
    await fx.asAgent('POST', `/contacts/${b.id}/labels`, { labels: ['vip'] });
    const all = await fx.asAdmin('POST', '/contacts/export', {});
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(all.text).toBe(
      `id,name,email,phone_number\n${a.id},"Alpha, Inc",a@example.com,\n${b.id},Beta,,+15551112222\n`,
    );
    const picked = await fx.asAdmin('POST', '/contacts/export', { column_names: ['email', 'nonsense', 'name'] });
    expect(picked.text.split('\n')[0]).toBe('email,name');
    const byLabel = await fx.asAdmin('POST', '/contacts/export', { label: 'vip' });
    expect(byLabel.text).toBe(`id,name,email,phone_number\n${b.id},Beta,,+15551112222\n`);
    const filtered = await fx.asAdmin('POST', '/contacts/export', {
      payload: [{ attribute_key: 'email', filter_operator: 'contains', values: ['a@'] }],
    });
    expect(filtered.text.trim().split('\n')).toHaveLength(2);
    expect((await fx.asAgent('POST', '/contacts/export', {})).status).toBe(401);
  });
});
