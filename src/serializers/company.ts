// Mirrors enterprise/app/views/api/v1/accounts/companies/_company.json.jbuilder (Chatwoot 4.x):
// timestamps as Rails renders them (ISO 8601), avatar_url "" when the company has none.
import { Type, type Static } from 'typebox';
import type { Company } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';
import { isoTime } from './time.js';

export const CompanySchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    contacts_count: Type.Integer(),
    domain: NullableString(),
    description: NullableString(),
    avatar_url: Type.String(),
    created_at: Type.String({ description: 'ISO 8601' }),
    updated_at: Type.String({ description: 'ISO 8601' }),
  },
  { title: 'Company' },
);

/** A company row with the number of contacts linked to it. */
export interface CompanyView {
  company: Company;
  contactsCount: number;
}

export function companyJson({ company, contactsCount }: CompanyView): Static<typeof CompanySchema> {
  return {
    id: company.id,
    name: company.name,
    contacts_count: contactsCount,
    domain: company.domain,
    description: company.description,
    avatar_url: company.avatar_url ?? '',
    created_at: isoTime(company.created_at)!,
    updated_at: isoTime(company.updated_at)!,
  };
}
