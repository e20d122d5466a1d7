import { accountCtx } from '../../core/http/account-scope.js';
import type { App, AppDeps } from '../../core/http/types.js';
import {
  BotMetricsQuery,
  BotMetricsResult,
  ConversationsSummaryQuery,
  ReportQuery,
  SummaryQuery,
  SummaryResult,
  Timeseries,
} from './schemas.js';
import {
  conversationsSummaryCsv,
  reportBotMetrics,
  reportBotSummary,
  reportSummary,
  reportTimeseries,
  type ReportCtx,
} from './service.js';
import { yearInReview } from './year-in-review.js';

const tags = ['reports'];
const security = [{ userToken: [] }];

/** Api::V2::Accounts::ReportsController: index, summary, bot_summary, bot_metrics (under /api/v2/accounts/:account_id). */
export async function reportRoutes(app: App, deps: AppDeps) {
  const ctx = (request: Parameters<typeof accountCtx>[0]): ReportCtx => ({
    ...accountCtx(request, deps),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  app.get(
    '/reports',
    {
      schema: {
        tags,
        security,
        summary: "One metric's timeseries for the account, an agent, inbox, label or team",
        querystring: ReportQuery,
        response: { 200: Timeseries },
      },
    },
    async (request) => reportTimeseries(ctx(request), request.query),
  );
  app.get(
    '/reports/summary',
    {
      schema: {
        tags,
        security,
        summary: 'Conversation metrics over a range, with the previous period of the same length',
        querystring: SummaryQuery,
        response: { 200: SummaryResult },
      },
    },
    async (request) => reportSummary(ctx(request), request.query),
  );
  app.get(
    '/reports/bot_summary',
    {
      schema: {
        tags,
        security,
        summary: 'Bot resolutions and handoffs over a range, with the previous period',
        querystring: SummaryQuery,
        response: { 200: SummaryResult },
      },
    },
    async (request) => reportBotSummary(ctx(request), request.query),
  );
  app.get(
    '/reports/bot_metrics',
    {
      schema: {
        tags,
        security,
        summary: 'Conversations and messages in inboxes with an active bot, and its resolution and handoff rates',
        querystring: BotMetricsQuery,
        response: { 200: BotMetricsResult },
      },
    },
    async (request) => reportBotMetrics(ctx(request), request.query),
  );
  app.get(
    '/reports/conversations_summary',
    {
      schema: {
        tags,
        security,
        summary: "The account's conversation summary over the range (conversations_summary_report.csv)",
        querystring: ConversationsSummaryQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const csv = await conversationsSummaryCsv(ctx(request), request.query);
      reply.type('text/csv').header('content-disposition', 'attachment; filename=conversations_summary_report.csv');
      return csv;
    },
  );
  app.get(
    '/year_in_review',
    {
      schema: {
        tags,
        security,
        summary: "The caller's year: conversations assigned, busiest day, average first response",
      },
    },
    async (request) => yearInReview(accountCtx(request, deps)),
  );
}
