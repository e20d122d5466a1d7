import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Company, Database } from '../../core/db/schema.js';
import type { CompanyView } from '../../serializers/company.js';

/** CompaniesController::RESULTS_PER_PAGE */
export const COMPANIES_PER_PAGE = 25;

type CompanyRow = Company & { contacts_count: number };
type CompanyQuery = SelectQueryBuilder<Database, 'companies', CompanyRow>;

/** contacts_count, counted from the contacts (index on contacts.company_id): no counter to drift. */
const CONTACTS_COUNT = sql<number>`(select count(*)::int from contacts where contacts.company_id = companies.id)`;

/** The account's companies with their contact counts. */
export function accountCompanies(db: Db, accountId: number): CompanyQuery {
  return db
    .selectFrom('companies')
    .selectAll('companies')
    .select(CONTACTS_COUNT.as('contacts_count'))
    .where('companies.account_id', '=', accountId);
}

/** Sift's sort_on keys of the companies index. */
const SORTS: Record<string, (dir: 'asc' | 'desc') => RawBuilder<unknown>> = {
  name: (dir) => sql`companies.name ${sql.raw(dir)}`,
  domain: (dir) => sql`companies.domain ${sql.raw(dir)}`,
  created_at: (dir) => sql`companies.created_at ${sql.raw(dir)}`,
  contacts_count: (dir) => sql`${CONTACTS_COUNT} ${sql.raw(dir)} nulls last`,
};

/** `sort=name` / `sort=-contacts_count` (comma-separated); unknown keys are ignored, as Sift does. */
export function applySort(query: CompanyQuery, sort: string | undefined): CompanyQuery {
  let sorted = query;
  for (const part of (sort ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const desc = part.startsWith('-');
    const order = SORTS[desc ? part.slice(1) : part];
    if (order) sorted = sorted.orderBy(order(desc ? 'desc' : 'asc'));
  }
  return sorted.orderBy('companies.id');
}

export const viewOf = ({ contacts_count, ...company }: CompanyRow): CompanyView => ({
  company,
  contactsCount: contacts_count,
});
