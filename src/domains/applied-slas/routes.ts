import { accountCtx } from '../../core/http/account-scope.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { AppliedSlaQuery } from './schemas.js';
import { appliedSlaCsv, appliedSlaMetrics, listAppliedSlas } from './service.js';

const tags = ['applied slas'];
const security = [{ userToken: [] }];

/** enterprise AppliedSlasController: index, metrics, download (administrators, `sla` feature on). */
export async function appliedSlaRoutes(app: App, deps: AppDeps) {
  app.get(
    '/applied_slas',
    { schema: { tags, security, summary: 'Missed applied SLAs, 25 a page', querystring: AppliedSlaQuery } },
    async (request) => listAppliedSlas(accountCtx(request, deps), request.query),
  );
  app.get(
    '/applied_slas/metrics',
    { schema: { tags, security, summary: 'Applied SLAs, misses and hit rate', querystring: AppliedSlaQuery } },
    async (request) => appliedSlaMetrics(accountCtx(request, deps), request.query),
  );
  app.get(
    '/applied_slas/download',
    {
      schema: {
        tags,
        security,
        summary: 'Missed applied SLAs as CSV (breached_conversation.csv)',
        querystring: AppliedSlaQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const csv = await appliedSlaCsv(
        accountCtx(request, deps),
        request.query,
        `${request.protocol}://${request.hostname}`,
      );
      reply.type('text/csv').header('content-disposition', 'attachment; filename=breached_conversation.csv');
      return csv;
    },
  );
}
