import { accountCtx } from '../../core/http/account-scope.js';
import { itemRoutes } from '../../core/http/item-routes.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { companyJson } from '../../serializers/company.js';
import { CompanyBody, CompanyEnvelope, CompanyListQuery, CompanyPage, companyFieldsOf } from './schemas.js';
import {
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  searchCompanies,
  updateCompany,
  type CompanyPage as Page,
} from './service.js';

const tags = ['companies'];
const security = [{ userToken: [] }];

const pageJson = ({ companies, totalCount, page }: Page) => ({
  meta: { total_count: totalCount, page },
  payload: companies.map(companyJson),
});

/** Companies (Chatwoot 4.x, Api::V1::Accounts::CompaniesController). */
export async function companyRoutes(app: App, deps: AppDeps) {
  app.get(
    '/companies',
    {
      schema: {
        tags,
        security,
        summary: 'Companies of the account, 25 a page',
        querystring: CompanyListQuery,
        response: { 200: CompanyPage },
      },
    },
    async (request) => pageJson(await listCompanies(accountCtx(request, deps), request.query)),
  );
  app.get(
    '/companies/search',
    {
      schema: {
        tags,
        security,
        summary: 'Companies whose name or domain contains q',
        querystring: CompanyListQuery,
        response: { 200: CompanyPage },
      },
    },
    async (request) => pageJson(await searchCompanies(accountCtx(request, deps), request.query)),
  );
  itemRoutes(app, deps, {
    url: '/companies',
    tags,
    summaries: {
      create: 'Create a company',
      show: 'Show a company',
      update: 'Update a company',
      delete: 'Delete a company (administrators)',
    },
    body: CompanyBody,
    fieldsOf: companyFieldsOf,
    response: CompanyEnvelope,
    render: (company) => ({ payload: companyJson(company) }),
    create: createCompany,
    show: getCompany,
    update: updateCompany,
    remove: deleteCompany,
  });
}
