import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture } from '../../../test/factories.js';
import { importContacts, type ImportProgress } from './importer.js';

const server = useTestServer();

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

/**
 * Rows whose keys come from small pools, so batches keep meeting one another: a row names a
 * contact an earlier batch created or changed, by one key or another, moves a key from one
 * contact to another, or names two contacts at once (a failed row).
 */
function tangledCsv(rows: number, seed: number): string {
  const pick = random(seed);
  const lines = ['name,email,phone_number,identifier,plan'];
  for (let i = 0; i < rows; i++) {
    const email = pick(3) ? `u${pick(400)}@example.com` : '';
    const phone = pick(3) ? `+1555000${String(pick(400)).padStart(4, '0')}` : '';
    const identifier = pick(2) ? `crm-${pick(400)}` : '';
    lines.push(`Row ${i},${email},${phone},${identifier},p${i}`);
  }
  return lines.join('\n');
}

async function contactsOf(accountId: number) {
  const rows = await server()
    .db.selectFrom('contacts')
    .select(['name', 'email', 'phone_number', 'identifier', 'custom_attributes', 'contact_type'])
    .where('account_id', '=', accountId)
    .execute();
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

describe('contact import with two writers', () => {
  it('lands as one writer would: same contacts, same failed rows, progress in row order', async () => {
    const csv = tangledCsv(3_000, 7);
    const outcomes = [];
    for (const writers of [1, 2]) {
      const fx = await buildAccountFixture(server());
      // contacts the file finds by each key
      for (let i = 0; i < 50; i++) {
        await fx.asAgent('POST', '/contacts', {
          name: `Existing ${i}`,
          email: `u${i * 7}@example.com`,
          phone_number: `+1555000${String(i * 5).padStart(4, '0')}`,
          identifier: `crm-${i * 3}`,
        });
      }
      const progress: ImportProgress[] = [];
      const result = await importContacts(
        server().db,
        fx.account.id,
        Readable.from([Buffer.from(csv)]),
        (p) => void progress.push(p),
        { batchSize: 40, writers },
      );
      outcomes.push({ result, progress, contacts: await contactsOf(fx.account.id) });
    }
    const [serial, concurrent] = outcomes;
    expect(serial!.result.failed).toBeGreaterThan(50); // the file does tangle contacts
    expect(concurrent!.result).toEqual(serial!.result);
    expect(concurrent!.progress).toEqual(serial!.progress);
    expect(concurrent!.contacts).toEqual(serial!.contacts);
  });

  it('sees a phone number the batch before freed, though the two batches share no key of their rows', async () => {
    const fx = await buildAccountFixture(server());
    await fx.asAgent('POST', '/contacts', { name: 'X', email: 'x@example.com', phone_number: '+15550000001' });
    const csv = [
      'name,email,phone_number,identifier,plan',
      // batch 1: X gets a new phone number, freeing its old one
      'X1,x@example.com,+15550000002,crm-x,one',
      'Other,o@example.com,,,',
      // batch 2: X's old phone number names nobody once batch 1 is in, so it makes a new contact
      'New,,+15550000001,,two',
      'Y,y@example.com,,,',
    ].join('\n');
    const result = await importContacts(server().db, fx.account.id, Readable.from([Buffer.from(csv)]), undefined, {
      batchSize: 2,
      writers: 2,
    });
    expect(result).toEqual({ total: 4, processed: 4, failed: 0, failures: [] });
    const contacts = await contactsOf(fx.account.id);
    expect(contacts.map((c) => [c.name, c.email, c.phone_number, c.identifier, c.custom_attributes])).toEqual([
      ['New', null, '+15550000001', null, { plan: 'two' }],
      ['Other', 'o@example.com', null, null, {}],
      ['X1', 'x@example.com', '+15550000002', 'crm-x', { plan: 'one' }],
      ['Y', 'y@example.com', null, null, {}],
    ]);
  });
});
