import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
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
  app.post(
    '/companies',
    {
      schema: { tags, security, summary: 'Create a company', body: CompanyBody, response: { 200: CompanyEnvelope } },
    },
    async (request) => ({
      payload: companyJson(await createCompany(accountCtx(request, deps), companyFieldsOf(request.body))),
    }),
  );
  app.get(
    '/companies/:id',
    {
      schema: { tags, security, summary: 'Show a company', params: IdParams, response: { 200: CompanyEnvelope } },
    },
    async (request) => ({ payload: companyJson(await getCompany(accountCtx(request, deps), request.params.id)) }),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/companies/:id',
    schema: {
      tags,
      security,
      summary: 'Update a company',
      params: IdParams,
      body: CompanyBody,
      response: { 200: CompanyEnvelope },
    },
    handler: async (request) => ({
      payload: companyJson(
        await updateCompany(accountCtx(request, deps), request.params.id, companyFieldsOf(request.body)),
      ),
    }),
  });
  app.delete(
    '/companies/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a company (administrators)',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteCompany(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
}
