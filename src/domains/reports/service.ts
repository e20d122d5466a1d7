/**
 * Chatwoot's Api::V2::Accounts::ReportsController#index, #summary, #bot_summary and #bot_metrics
 * (V2::Reports::Conversations::ReportBuilder / MetricBuilder, Timeseries::Count- and
 * AverageReportBuilder, BotMetricsBuilder). Administrators only (ReportPolicy#view?).
 */
import type { AccountCtx } from '../../core/http/account-scope.js';
import { requireAdministrator } from '../../core/http/account-scope.js';
import { recordNotFound, unprocessable } from '../../core/errors.js';
import { parseId } from '../../core/http/ids.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { spreadsheetCsv } from '../../core/csv/spreadsheet.js';
import { formatDuration, reportingPeriod, requiredWindow } from '../../core/reports/format.js';
import { castBoolean, parseReportRange, previousRange, type RangeInput } from '../../core/reports/range.js';
import { aggregates, botCounts, isMetric, timeseries, type Metric, type Point, type ReportScope } from './queries.js';

export const REPORT_TYPES = ['account', 'agent', 'inbox', 'label', 'team'] as const;

/** A report service's context: the account's, and the clock that picks the zone of an offset. */
export type ReportCtx = AccountCtx & { clock?: Clock };

export interface ReportInput extends RangeInput {
  metric?: string | undefined;
  type?: string | undefined;
  id?: string | number | undefined;
}

const now = (ctx: ReportCtx) => (ctx.clock ?? systemClock).now();

/** The report's subject in this account; another account's (or no) id is a 404, as `find` raises. */
async function resolveScope(ctx: ReportCtx, input: ReportInput): Promise<ReportScope> {
  const type = REPORT_TYPES.find((t) => t === input.type);
  if (!type) throw unprocessable(`type must be one of ${REPORT_TYPES.join(', ')}`);
  if (type === 'account') return { type };
  const id = parseId(input.id);
  if (id === undefined) throw recordNotFound();
  const accountId = ctx.account.id;
  if (type === 'label') {
    const label = await ctx.db
      .selectFrom('labels')
      .select('title')
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!label) throw recordNotFound();
    return { type, id, title: label.title };
  }
  // an agent is named by its user id, through the account's membership
  const [table, column] = (
    { agent: ['account_users', 'user_id'], inbox: ['inboxes', 'id'], team: ['teams', 'id'] } as const
  )[type];
  const found = await ctx.db
    .selectFrom(table)
    .select('id')
    .where('account_id', '=', accountId)
    .where(column, '=', id)
    .executeTakeFirst();
  if (!found) throw recordNotFound();
  return { type, id } as ReportScope;
}

/** GET /api/v2/accounts/:id/reports: one metric's timeseries. */
export async function reportTimeseries(ctx: ReportCtx, input: ReportInput): Promise<Point[]> {
  requireAdministrator(ctx);
  // Chatwoot logs an unknown metric and answers {}; a client asking for one has a bug worth a 422
  if (!isMetric(input.metric)) throw unprocessable('Invalid metric');
  const range = parseReportRange(input, now(ctx));
  const scope = await resolveScope(ctx, input);
  if (!range) return [];
  return timeseries(ctx.db, ctx.account.id, scope, input.metric, range, ctx.config.reportRollups);
}

const SUMMARY_METRICS: readonly Metric[] = [
  'conversations_count',
  'outgoing_messages_count',
  'avg_first_response_time',
  'avg_resolution_time',
  'resolutions_count',
  'reply_time',
  'incoming_messages_count',
];
const BOT_SUMMARY_METRICS: readonly Metric[] = ['bot_resolutions_count', 'bot_handoffs_count'];

type Figures = Record<string, number | null>;
/** The figures by metric name, and the previous period's under `previous`. */
type Summary = Record<string, number | null | Figures>;

async function summaryOf(ctx: ReportCtx, input: ReportInput, metrics: readonly Metric[]): Promise<Summary> {
  requireAdministrator(ctx);
  const range = parseReportRange(input, now(ctx));
  const scope = await resolveScope(ctx, input);
  // MetricBuilder#summary leaves incoming messages out of an agent's summary
  const wanted = scope.type === 'agent' ? metrics.filter((m) => m !== 'incoming_messages_count') : metrics;
  if (!range) {
    const empty = Object.fromEntries(wanted.map((m) => [m, m.startsWith('avg_') || m === 'reply_time' ? null : 0]));
    return { ...empty, previous: { ...empty } };
  }
  const previous = previousRange(range);
  const result = await aggregates(
    ctx.db,
    ctx.account.id,
    scope,
    wanted,
    { from: range.since, to: range.until },
    { from: previous.since, to: previous.until },
    range.businessHours,
    ctx.config.reportRollups,
  );
  return { ...result.current, previous: result.previous };
}

/** GET /reports/summary: the conversation metrics over the range and the period before it (`previous`). */
export function reportSummary(ctx: ReportCtx, input: ReportInput): Promise<Summary> {
  return summaryOf(ctx, input, SUMMARY_METRICS);
}

/** GET /reports/bot_summary: bot resolutions and handoffs, with `previous`. */
export function reportBotSummary(ctx: ReportCtx, input: ReportInput): Promise<Summary> {
  return summaryOf(ctx, input, BOT_SUMMARY_METRICS);
}

export interface BotMetrics {
  conversation_count: number;
  message_count: number;
  resolution_rate: number;
  handoff_rate: number;
}

/** GET /reports/bot_metrics (BotMetricsBuilder#metrics): rates are whole percents, truncated as `to_i`. */
export async function reportBotMetrics(ctx: ReportCtx, input: ReportInput): Promise<BotMetrics> {
  requireAdministrator(ctx);
  const range = parseReportRange(input, now(ctx));
  if (!range) return { conversation_count: 0, message_count: 0, resolution_rate: 0, handoff_rate: 0 };
  const counts = await botCounts(ctx.db, ctx.account.id, { from: range.since, to: range.until });
  const rate = (n: number) => (counts.conversations === 0 ? 0 : Math.trunc((n / counts.conversations) * 100));
  return {
    conversation_count: counts.conversations,
    message_count: counts.messages,
    resolution_rate: rate(counts.resolved),
    handoff_rate: rate(counts.handoffs),
  };
}

/** The conversations_summary.csv.erb columns (reports.conversation_csv). */
const CONVERSATIONS_SUMMARY_HEADERS = [
  'Conversations',
  'Messages received',
  'Messages sent',
  'Avg first response time',
  'Avg resolution time',
  'Resolution count',
  'Avg customer waiting time',
];

/**
 * GET /reports/conversations_summary (conversations_summary_report.csv; ReportsHelper
 * #generate_conversations_report): the account's summary over [since, until) as one row, times as
 * Reports::TimeFormatPresenter prints them, under the reporting period and a blank line.
 */
export async function conversationsSummaryCsv(ctx: ReportCtx, input: ReportInput): Promise<string> {
  requireAdministrator(ctx);
  const window = requiredWindow(input);
  const empty = { from: window.since, to: window.since };
  const { current } = await aggregates(
    ctx.db,
    ctx.account.id,
    { type: 'account' },
    SUMMARY_METRICS,
    { from: window.since, to: window.until },
    empty,
    castBoolean(input.business_hours),
    ctx.config.reportRollups,
  );
  const row = [
    current.conversations_count,
    current.incoming_messages_count,
    current.outgoing_messages_count,
    formatDuration(current.avg_first_response_time),
    formatDuration(current.avg_resolution_time),
    current.resolutions_count,
    formatDuration(current.reply_time),
  ];
  return `${spreadsheetCsv(null, [[reportingPeriod(window)]])}\n${spreadsheetCsv(CONVERSATIONS_SUMMARY_HEADERS, [row])}`;
}
