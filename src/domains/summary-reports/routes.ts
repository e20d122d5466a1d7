import { accountCtx } from '../../core/http/account-scope.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { agentsCsv, inboxesCsv, labelsCsv, teamsCsv } from './csv.js';
import { firstResponseTimeDistribution, inboxLabelMatrix, outgoingMessagesCount } from './distribution.js';
import { conversationMetrics, conversationsReport, groupedConversationMetrics } from './live.js';
import {
  ConversationsQuery,
  CsvQuery,
  LiveQuery,
  MatrixQuery,
  OutgoingQuery,
  RangeQuery,
  SummaryQuery,
  TrafficQuery,
} from './schemas.js';
import { agentSummary, channelSummary, inboxSummary, labelSummary, teamSummary } from './summary.js';
import { conversationTrafficCsv } from './traffic.js';

const security = [{ userToken: [] }];

/**
 * /api/v2/accounts/:account_id: SummaryReportsController, LiveReportsController and the
 * ReportsController actions of this folder (the timeseries and summary live in domains/reports).
 */
export async function summaryReportRoutes(app: App, deps: AppDeps) {
  const summaries = {
    agent: agentSummary,
    team: teamSummary,
    inbox: inboxSummary,
    label: labelSummary,
    channel: channelSummary,
  };
  for (const [name, build] of Object.entries(summaries)) {
    app.get(
      `/summary_reports/${name}`,
      { schema: { tags: ['summary reports'], security, summary: `Per-${name} summary`, querystring: SummaryQuery } },
      async (request) => build(accountCtx(request, deps), request.query),
    );
  }

  const live = ['live reports'];
  app.get(
    '/live_reports/conversation_metrics',
    { schema: { tags: live, security, summary: 'Open, unattended, unassigned, pending now', querystring: LiveQuery } },
    async (request) => conversationMetrics(accountCtx(request, deps), request.query),
  );
  app.get(
    '/live_reports/grouped_conversation_metrics',
    { schema: { tags: live, security, summary: 'Open conversations by team or assignee', querystring: LiveQuery } },
    async (request) => groupedConversationMetrics(accountCtx(request, deps), request.query),
  );

  const reports = ['reports'];
  app.get(
    '/reports/conversations',
    {
      schema: {
        tags: reports,
        security,
        summary: 'Live conversation counts, account or per agent',
        querystring: ConversationsQuery,
      },
    },
    async (request, reply) => {
      const result = await conversationsReport(accountCtx(request, deps), request.query);
      // head :unprocessable_entity: no type, or one upstream has no scope for
      if (result === null) return reply.code(422).send();
      return result;
    },
  );
  app.get(
    '/reports/first_response_time_distribution',
    {
      schema: {
        tags: reports,
        security,
        summary: 'First response times in buckets, by channel type',
        querystring: RangeQuery,
      },
    },
    async (request) => firstResponseTimeDistribution(accountCtx(request, deps), request.query),
  );
  app.get(
    '/reports/inbox_label_matrix',
    { schema: { tags: reports, security, summary: 'Conversations per inbox and label', querystring: MatrixQuery } },
    async (request) => inboxLabelMatrix(accountCtx(request, deps), request.query),
  );
  app.get(
    '/reports/outgoing_messages_count',
    {
      schema: {
        tags: reports,
        security,
        summary: 'Outgoing messages by agent, team, inbox or label',
        querystring: OutgoingQuery,
      },
    },
    async (request, reply) => {
      const result = await outgoingMessagesCount(accountCtx(request, deps), request.query);
      return result === null ? reply.code(422).send() : result;
    },
  );

  const downloads = [
    ['agents', 'agents_report', agentsCsv],
    ['inboxes', 'inboxes_report', inboxesCsv],
    ['labels', 'labels_report', labelsCsv],
    ['teams', 'teams_report', teamsCsv],
  ] as const;
  for (const [path, file, build] of downloads) {
    app.get(
      `/reports/${path}`,
      { schema: { tags: reports, security, summary: `${file}.csv`, querystring: CsvQuery, produces: ['text/csv'] } },
      async (request, reply) => {
        const csv = await build(accountCtx(request, deps), request.query);
        reply.type('text/csv').header('content-disposition', `attachment; filename=${file}.csv`);
        return csv;
      },
    );
  }
  app.get(
    '/reports/conversation_traffic',
    {
      schema: {
        tags: reports,
        security,
        summary: 'Conversations per hour over the last days (conversation_traffic_reports.csv)',
        querystring: TrafficQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const ctx = { ...accountCtx(request, deps), ...(deps.clock ? { clock: deps.clock } : {}) };
      const csv = await conversationTrafficCsv(ctx, request.query);
      reply.type('text/csv').header('content-disposition', 'attachment; filename=conversation_traffic_reports.csv');
      return csv;
    },
  );
}
