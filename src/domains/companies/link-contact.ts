import { createRequire } from 'node:module';
import { sql } from 'kysely';
import { featureEnabled } from '../../core/db/account-features.js';
import type { Db } from '../../core/db/kysely.js';
import type { Contact } from '../../core/db/schema.js';
import { isEmail } from '../../core/http/values.js';
import { DOMAIN_FORMAT, NAME_LIMIT } from './service.js';

/**
 * A contact's company from its e-mail's domain: Chatwoot 4.x's Enterprise::Concerns::Contact
 * (after_commit associate_company_from_email) with Contacts::CompanyAssociationService and
 * Companies::BusinessEmailDetectorService. Confab runs it inside the contact's own transaction, from
 * every write that sets a contact's e-mail: the Application API, the Client API and the CSV import.
 *
 * Upstream rescues and logs any error so the contact write stands. Here nothing in it can fail on
 * ordinary data: whatever Company's validations would refuse (a name that is blank or too long, a
 * domain Company would not take) is skipped up front, and a company another writer created first is
 * found through `on conflict do nothing` instead of an exception that would abort the transaction.
 */

// The free and disposable mail providers, one list (email-providers' all.json: ~8,700 domains,
// free webmail and throwaway services alike), standing in for upstream's EmailProviderInfo and
// ValidEmail2's disposable-domain list.
const PROVIDERS: ReadonlySet<string> = new Set(
  (createRequire(import.meta.url)('email-providers/all.json') as string[]).map((d) => d.toLowerCase()),
);

/** Companies::BusinessEmailDetectorService#perform: a valid address whose domain no mail provider hands out. */
export function isBusinessEmail(email: string | null | undefined): boolean {
  if (!email || !isEmail(email)) return false;
  const domain = emailDomain(email);
  return domain !== '' && !PROVIDERS.has(domain);
}

const emailDomain = (email: string) => (email.split('@').pop() ?? '').toLowerCase();

/** `domain.split('.').first.tr('-_', ' ').titleize`: "acme-corp.io" → "Acme Corp". */
export function companyNameFromDomain(domain: string): string {
  return (domain.split('.')[0] ?? '')
    .replace(/[-_]/g, ' ')
    .split(' ')
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** A contact as this write left it, with the e-mail it had before (null for a new contact). */
export interface ContactEmailChange {
  previousEmail: string | null;
  contact: Contact;
}

/** should_associate_company?, less the feature check: a first e-mail, and no company yet. */
const wantsCompany = ({ previousEmail, contact }: ContactEmailChange) =>
  !!contact.email && contact.company_id === null && previousEmail === null;

/** derive_company_name: additional_attributes.company_name when there is one, else the domain's. */
function companyNameFor(contact: Contact, domain: string): string | undefined {
  const given = (contact.additional_attributes as Record<string, unknown> | null)?.company_name;
  const name = given === undefined || given === null ? companyNameFromDomain(domain) : String(given);
  // Company validates presence and COMPANY_NAME_LENGTH_LIMIT; upstream's create! would raise and be rescued
  if (name.trim() === '' || name.length > NAME_LIMIT || name.includes('\u0000')) return undefined;
  return name;
}

/**
 * find_or_create_by!(account, domain), safe against a concurrent creator (the unique index decides).
 * Without a name Company would take (or with a domain it would not), only an existing one is found.
 */
async function findOrCreateCompany(tx: Db, accountId: number, domain: string, name: string | undefined) {
  const created =
    !name || !DOMAIN_FORMAT.test(domain)
      ? undefined
      : await tx
          .insertInto('companies')
          .values({ account_id: accountId, name, domain })
          .onConflict((oc) => oc.columns(['account_id', 'domain']).where('domain', 'is not', null).doNothing())
          .returning(['id', 'name'])
          .executeTakeFirst();
  if (created) return created;
  return tx
    .selectFrom('companies')
    .select(['id', 'name'])
    .where('account_id', '=', accountId)
    .where('domain', '=', domain)
    .executeTakeFirst();
}

/**
 * Links each contact that just got its first e-mail, has no company and a business domain to the
 * account's company for that domain (created when missing), when the account has `companies` on.
 * Returns the contacts as they now are (unchanged ones as given), in the same order.
 */
export async function linkCompaniesByEmail(tx: Db, changes: ContactEmailChange[]): Promise<Contact[]> {
  const result = changes.map((change) => change.contact);
  const candidates = changes
    .map((change, index) => ({ ...change, index }))
    .filter((change) => wantsCompany(change) && isBusinessEmail(change.contact.email));
  if (candidates.length === 0) return result;
  // the feature check last, as upstream orders it: unrelated writes never read the account
  const accountIds = [...new Set(candidates.map((c) => c.contact.account_id))];
  const accounts = await tx.selectFrom('accounts').select(['id', 'features']).where('id', 'in', accountIds).execute();
  const enabled = new Set(accounts.filter((a) => featureEnabled(a.features, 'companies')).map((a) => a.id));
  for (const { contact, index } of candidates) {
    if (!enabled.has(contact.account_id)) continue;
    const domain = emailDomain(contact.email!);
    const company = await findOrCreateCompany(tx, contact.account_id, domain, companyNameFor(contact, domain));
    if (!company) continue;
    // update_columns upstream: the link and the name, without the contact's own callbacks
    result[index] = await tx
      .updateTable('contacts')
      .set({
        company_id: company.id,
        additional_attributes: sql`coalesce(additional_attributes, '{}'::jsonb) || jsonb_build_object('company_name', ${company.name}::text)`,
      })
      .where('account_id', '=', contact.account_id)
      .where('id', '=', contact.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // company.record_activity_at!: the company's last activity is its latest contact's
    if (contact.last_activity_at) {
      await tx
        .updateTable('companies')
        .set({ last_activity_at: sql`greatest(last_activity_at, ${contact.last_activity_at})` })
        .where('id', '=', company.id)
        .execute();
    }
  }
  return result;
}

/** linkCompaniesByEmail for one contact write. */
export async function linkCompanyByEmail(tx: Db, change: ContactEmailChange): Promise<Contact> {
  return (await linkCompaniesByEmail(tx, [change]))[0]!;
}
