import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { BulkActionBody } from './schemas.js';
import { enqueueBulkAction } from './service.js';

const tags = ['bulk actions'];
const security = [{ userToken: [] }];

/** /api/v1/accounts/:account_id/bulk_actions (Api::V1::Accounts::BulkActionsController). */
export async function bulkActionRoutes(app: App, deps: AppDeps) {
  app.post(
    '/bulk_actions',
    {
      schema: {
        tags,
        security,
        summary:
          'Change many conversations (status, assignee, team, labels) or contacts (delete, add labels); applied by a job',
        body: BulkActionBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await enqueueBulkAction(accountCtx(request, deps), request.body);
      return reply.status(200).send('');
    },
  );
}
