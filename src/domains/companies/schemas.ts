import { Type, type Static } from 'typebox';
import { NullableShortText, NullableText, Page, SearchText, ShortText } from '../../core/http/schemas.js';
import { CompanySchema } from '../../serializers/company.js';

const CompanyFields = Type.Object({
  name: Type.Optional(NullableShortText({ description: 'At most 100 characters' })),
  domain: Type.Optional(NullableShortText({ description: 'e.g. acme.com; unique in the account' })),
  description: Type.Optional(NullableText({ description: 'At most 1,000 characters' })),
});

/** `params.require(:company).permit(:name, :domain, :description, :avatar)`; flat JSON works through wrap_parameters. */
export const CompanyBody = Type.Object({ company: Type.Optional(CompanyFields), ...CompanyFields.properties });
export type CompanyFields = Static<typeof CompanyFields>;
export type CompanyBody = Static<typeof CompanyBody>;
export const companyFieldsOf = ({ company, ...flat }: CompanyBody): CompanyFields => ({ ...flat, ...company });

export const CompanyListQuery = Type.Object({
  page: Type.Optional(Page()),
  sort: Type.Optional(ShortText({ description: 'name, domain, created_at, contacts_count; "-" for descending' })),
  q: Type.Optional(SearchText({ description: 'companies/search: a substring of the name or domain' })),
});
export type CompanyListQuery = Static<typeof CompanyListQuery>;

export const CompanyPage = Type.Object({
  meta: Type.Object({ total_count: Type.Integer(), page: Type.Integer() }),
  payload: Type.Array(CompanySchema),
});
export const CompanyEnvelope = Type.Object({ payload: CompanySchema });
