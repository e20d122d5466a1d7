import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture } from '../../../test/factories.js';
import { lookupStatement } from './import-batch.js';

const server = useTestServer();

/** The relations a plan (EXPLAIN's JSON) reads, by the node that reads them. */
function scans(plan: Record<string, unknown>): string[] {
  const own =
    typeof plan['Relation Name'] === 'string' ? [`${plan['Node Type']} ${plan['Index Name'] ?? ''}`.trim()] : [];
  return [...own, ...((plan.Plans as Record<string, unknown>[] | undefined) ?? []).flatMap(scans)];
}

describe('the import batch lookup', () => {
  it("probes each key's unique index in an account the statistics do not know yet", async () => {
    const db = server().db;
    // another account with many contacts, analyzed: its account id is then the only one the
    // statistics know, and the new account's looks like a single contact
    const big = await buildAccountFixture(server());
    await sql`insert into contacts (account_id, name, email, phone_number, identifier)
      select ${big.account.id}, 'P' || n, 'p' || n || '@example.com', '+1555' || lpad(n::text, 7, '0'), 'crm-' || n
        from generate_series(1, 20000) n`.execute(db);
    await sql`analyze contacts`.execute(db);
    const fresh = await buildAccountFixture(server());
    const rows = Array.from({ length: 50 }, (_, i) => ({
      row: i + 2,
      email: `q${i}@example.com`,
      phone_number: `+1666${String(i).padStart(7, '0')}`,
      identifier: `new-${i}`,
      additional: {},
      custom: {},
    }));
    for (const account of [fresh.account.id, big.account.id]) {
      const { rows: explained } = await sql<{
        'QUERY PLAN': Array<{ Plan: Record<string, unknown> }>;
      }>`explain (format json)
        ${lookupStatement(account, rows)}`.execute(db);
      expect(scans(explained[0]!['QUERY PLAN'][0]!.Plan).sort(), `account ${account}`).toEqual([
        'Index Scan contacts_account_email_key',
        'Index Scan contacts_account_identifier_key',
        'Index Scan contacts_account_phone_key',
      ]);
    }
  });
});
