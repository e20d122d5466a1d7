import { sql } from 'kysely';
import { recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import { takenAs } from '../../core/db/unique.js';
import { transactionally } from '../../core/events/bus.js';
import { unprocessable } from '../../core/errors.js';
import type { CompanyView } from '../../serializers/company.js';
import { accountCompanies, applySort, COMPANIES_PER_PAGE, viewOf } from './queries.js';
import type { CompanyFields, CompanyListQuery } from './schemas.js';

/** Limits::COMPANY_NAME_LENGTH_LIMIT and COMPANY_DESCRIPTION_LENGTH_LIMIT */
export const NAME_LIMIT = 100;
const DESCRIPTION_LIMIT = 1000;
/** company.rb: labels of letters, digits and inner hyphens, at least two of them, dot-separated. */
export const DOMAIN_FORMAT = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)+$/;

export interface CompanyPage {
  companies: CompanyView[];
  totalCount: number;
  page: number;
}

/** Company's validations; a blank domain is stored as none (uniqueness applies only when present). */
function companyColumns(fields: CompanyFields, creating: boolean) {
  const errors: FieldError[] = [];
  const { name, domain, description } = fields;
  if ((creating || name !== undefined) && isBlank(name)) errors.push({ attribute: 'name', message: "can't be blank" });
  else if (name && name.length > NAME_LIMIT)
    errors.push({ attribute: 'name', message: `is too long (maximum is ${NAME_LIMIT} characters)` });
  const cleanDomain = domain === undefined ? undefined : isBlank(domain) ? null : domain;
  if (cleanDomain && !DOMAIN_FORMAT.test(cleanDomain))
    errors.push({ attribute: 'domain', message: 'must be a valid domain name' });
  if (description && description.length > DESCRIPTION_LIMIT)
    errors.push({ attribute: 'description', message: `is too long (maximum is ${DESCRIPTION_LIMIT} characters)` });
  if (errors.length) throw validationFailed(errors);
  return {
    ...(name !== undefined && { name: name! }),
    ...(cleanDomain !== undefined && { domain: cleanDomain }),
    ...(description !== undefined && { description }),
  };
}

async function fetchCompany(ctx: AccountCtx, rawId: string): Promise<CompanyView> {
  const id = parseId(rawId);
  const row =
    id === undefined
      ? undefined
      : await accountCompanies(ctx.db, ctx.account.id).where('companies.id', '=', id).executeTakeFirst();
  if (!row) throw recordNotFound();
  return viewOf(row);
}

async function pageOf(ctx: AccountCtx, query: CompanyListQuery, q?: string): Promise<CompanyPage> {
  const page = query.page ?? 1;
  const pattern = q === undefined ? undefined : `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let scope = accountCompanies(ctx.db, ctx.account.id);
  if (pattern)
    scope = scope.where((eb) =>
      eb.or([eb('companies.name', 'ilike', pattern), eb('companies.domain', 'ilike', pattern)]),
    );
  let counting = ctx.db
    .selectFrom('companies')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', ctx.account.id);
  if (pattern) counting = counting.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('domain', 'ilike', pattern)]));
  const [rows, count] = await Promise.all([
    applySort(scope, query.sort)
      .limit(COMPANIES_PER_PAGE)
      .offset((page - 1) * COMPANIES_PER_PAGE)
      .execute(),
    counting.executeTakeFirstOrThrow(),
  ]);
  return { companies: rows.map(viewOf), totalCount: Number(count.n), page };
}

/** GET /companies: every member may list (CompanyPolicy#index?). */
export function listCompanies(ctx: AccountCtx, query: CompanyListQuery): Promise<CompanyPage> {
  return pageOf(ctx, query);
}

/** GET /companies/search?q=: name or domain contains q, case-insensitively; a blank q is a 422. */
export function searchCompanies(ctx: AccountCtx, query: CompanyListQuery): Promise<CompanyPage> {
  if (isBlank(query.q)) throw unprocessable('Specify search string with parameter q');
  return pageOf(ctx, query, query.q);
}

export function getCompany(ctx: AccountCtx, rawId: string): Promise<CompanyView> {
  return fetchCompany(ctx, rawId);
}

export async function createCompany(ctx: AccountCtx, fields: CompanyFields): Promise<CompanyView> {
  const columns = companyColumns(fields, true);
  return takenAs('domain', () =>
    transactionally(ctx, async (tx) => {
      const company = await tx
        .insertInto('companies')
        .values({ account_id: ctx.account.id, name: columns.name!, ...columns })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { company, contactsCount: 0 };
    }),
  );
}

export async function updateCompany(ctx: AccountCtx, rawId: string, fields: CompanyFields): Promise<CompanyView> {
  const { company, contactsCount } = await fetchCompany(ctx, rawId);
  const columns = companyColumns(fields, false);
  return takenAs('domain', () =>
    transactionally(ctx, async (tx) => {
      const updated = await tx
        .updateTable('companies')
        .set({ ...columns, updated_at: new Date() })
        .where('account_id', '=', ctx.account.id)
        .where('id', '=', company.id)
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw recordNotFound();
      // Companies::SyncContactNamesJob: a renamed company's contacts carry its new name in
      // additional_attributes.company_name (written without contact callbacks upstream too)
      if (columns.name !== undefined && columns.name !== company.name) {
        await tx
          .updateTable('contacts')
          .set({
            additional_attributes: sql`additional_attributes || jsonb_build_object('company_name', ${columns.name}::text)`,
            updated_at: new Date(),
          })
          .where('account_id', '=', ctx.account.id)
          .where('company_id', '=', company.id)
          .execute();
      }
      return { company: updated, contactsCount };
    }),
  );
}

/**
 * DELETE /companies/:id: administrators only (CompanyPolicy#destroy?), checked before the lookup as
 * upstream's before_action order does; the contacts stay, without a company (dependent: :nullify).
 */
export async function deleteCompany(ctx: AccountCtx, rawId: string): Promise<void> {
  requireAdministrator(ctx);
  const { company } = await fetchCompany(ctx, rawId);
  await transactionally(ctx, async (tx) => {
    await tx.deleteFrom('companies').where('account_id', '=', ctx.account.id).where('id', '=', company.id).execute();
  });
}
