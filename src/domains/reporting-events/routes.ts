import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { ReportingEventSchema } from '../../serializers/reporting-event.js';
import { ConversationIdParams } from '../conversations/schemas.js';
import { conversationReportingEvents } from './service.js';

const tags = ['reports'];
const security = [{ userToken: [] }];

export async function reportingEventRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get(
    '/conversations/:conversation_id/reporting_events',
    {
      schema: {
        tags,
        security,
        summary: "The conversation's reporting events, oldest first",
        params: ConversationIdParams,
        response: { 200: Type.Array(ReportingEventSchema) },
      },
    },
    async (request) => conversationReportingEvents(accountCtx(request, deps), request.params.conversation_id),
  );
}
