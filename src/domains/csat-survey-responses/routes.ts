import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import type { App, AppDeps } from '../../core/http/types.js';
import {
  CsatMetricsSchema,
  CsatSurveyResponseSchema,
  csatSurveyResponseJson,
} from '../../serializers/csat-survey-response.js';
import { CsatQuery } from './schemas.js';
import { csatCsv, csatMetrics, listCsatSurveyResponses } from './service.js';

const tags = ['csat survey responses'];
const security = [{ userToken: [] }];
const url = '/csat_survey_responses';

/** Api::V1::Accounts::CsatSurveyResponsesController: index, metrics, download (administrators). */
export async function csatSurveyResponseRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'CSAT survey responses, 25 a page (a bare array, as index.json.jbuilder renders it)',
        querystring: CsatQuery,
        response: { 200: Type.Array(CsatSurveyResponseSchema) },
      },
    },
    async (request) =>
      (await listCsatSurveyResponses(accountCtx(request, deps), request.query)).map(csatSurveyResponseJson),
  );
  app.get(
    `${url}/metrics`,
    {
      schema: {
        tags,
        security,
        summary: 'Responses counted (in all and by rating) and CSAT surveys sent; response rate = total / sent',
        querystring: CsatQuery,
        response: { 200: CsatMetricsSchema },
      },
    },
    async (request) => csatMetrics(accountCtx(request, deps), request.query),
  );
  app.get(
    `${url}/download`,
    {
      schema: {
        tags,
        security,
        summary: 'The filtered responses as CSV (csat_report.csv, with a UTF-8 byte order mark)',
        querystring: CsatQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const csv = await csatCsv(accountCtx(request, deps), request.query, `${request.protocol}://${request.host}`);
      // CsvExportConcern#render_csv_with_bom: a BOM so spreadsheets read the file as UTF-8
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="csat_report.csv"; filename*=UTF-8''csat_report.csv`);
      return `\uFEFF${csv}`;
    },
  );
}
