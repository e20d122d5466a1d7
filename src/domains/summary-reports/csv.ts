import { sql } from 'kysely';
import { spreadsheetCsv } from '../../core/csv/spreadsheet.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { formatDuration, reportingPeriod, requiredWindow } from '../../core/reports/format.js';
import type { CsvQuery } from './schemas.js';
import { labelRows, summaryRows, type SummaryRow } from './summary.js';

/**
 * ReportsController#agents, #inboxes, #labels, #teams (Api::V2::Accounts::ReportsHelper and the
 * `*.csv.erb` views): one row per agent, inbox, label or team with the summary builders' numbers,
 * times formatted by Reports::TimeFormatPresenter, then the reporting period. Every cell goes
 * through spreadsheetCsv, so a name starting with `=` cannot run as a formula.
 */

const metrics = (r: SummaryRow | undefined) => [
  r?.conversations_count ?? 0,
  formatDuration(r?.avg_first_response_time),
  formatDuration(r?.avg_resolution_time),
  formatDuration(r?.avg_reply_time),
  r?.resolved_conversations_count ?? 0,
];

/** Channel#name of each channel model, the "Inbox type" column. */
const CHANNEL_NAMES: Record<string, string> = {
  'Channel::Api': 'API',
  'Channel::WebWidget': 'Website',
  'Channel::Email': 'Email',
  'Channel::FacebookPage': 'Facebook',
  'Channel::Instagram': 'Instagram',
  'Channel::TwitterProfile': 'Twitter',
  'Channel::TwilioSms': 'Twilio SMS',
  'Channel::Sms': 'SMS',
  'Channel::Whatsapp': 'Whatsapp',
  'Channel::Line': 'LINE',
  'Channel::Telegram': 'Telegram',
  'Channel::Tiktok': 'TikTok',
};

async function names(ctx: AccountCtx, table: 'users' | 'inboxes' | 'teams') {
  const account = ctx.account.id;
  const query = {
    // Current.account.users: the members, by membership
    users: sql`select u.id, u.name, null as channel_type from account_users au join users u on u.id = au.user_id
      where au.account_id = ${account} order by au.id`,
    inboxes: sql`select i.id, i.name, i.channel_type from inboxes i where i.account_id = ${account} order by i.id`,
    teams: sql`select t.id, t.name, null as channel_type from teams t where t.account_id = ${account} order by t.id`,
  }[table];
  const { rows } = await sql<{ id: string; name: string | null; channel_type: string | null }>`${query}`.execute(
    ctx.db,
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, channel_type: r.channel_type }));
}

/** GET /reports/agents (agents_report.csv). */
export async function agentsCsv(ctx: AccountCtx, q: CsvQuery) {
  requireAdministrator(ctx);
  const window = requiredWindow(q);
  const [rows, agents] = await Promise.all([summaryRows(ctx, q, 'agent'), names(ctx, 'users')]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return spreadsheetCsv(
    [
      'Agent name',
      'Assigned conversations',
      'Avg first response time',
      'Avg resolution time',
      'Avg customer waiting time',
      'Resolution Count',
    ],
    [...agents.map((a) => [a.name, ...metrics(byId.get(a.id))]), [reportingPeriod(window)]],
  );
}

/** GET /reports/inboxes (inboxes_report.csv). */
export async function inboxesCsv(ctx: AccountCtx, q: CsvQuery) {
  requireAdministrator(ctx);
  const window = requiredWindow(q);
  const [rows, inboxes] = await Promise.all([summaryRows(ctx, q, 'inbox'), names(ctx, 'inboxes')]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return spreadsheetCsv(
    [
      'Inbox name',
      'Inbox type',
      'No. of conversations',
      'Avg first response time',
      'Avg resolution time',
      'Avg customer waiting time',
      'Resolution Count',
    ],
    [
      ...inboxes.map((i) => [
        i.name,
        CHANNEL_NAMES[i.channel_type ?? ''] ?? i.channel_type,
        ...metrics(byId.get(i.id)),
      ]),
      [reportingPeriod(window)],
    ],
  );
}

/** GET /reports/teams (teams_report.csv). */
export async function teamsCsv(ctx: AccountCtx, q: CsvQuery) {
  requireAdministrator(ctx);
  const window = requiredWindow(q);
  const [rows, teams] = await Promise.all([summaryRows(ctx, q, 'team'), names(ctx, 'teams')]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return spreadsheetCsv(
    [
      'Team name',
      'Conversations count',
      'Avg first response time',
      'Avg resolution time',
      'Avg customer waiting time',
      'Resolution Count',
    ],
    [...teams.map((t) => [t.name, ...metrics(byId.get(t.id))]), [reportingPeriod(window)]],
  );
}

/** GET /reports/labels (labels_report.csv). */
export async function labelsCsv(ctx: AccountCtx, q: CsvQuery) {
  requireAdministrator(ctx);
  const window = requiredWindow(q);
  const rows = await labelRows(ctx, q);
  return spreadsheetCsv(
    [
      'Label',
      'No. of conversations',
      'Avg first response time',
      'Avg resolution time',
      'Avg reply time',
      'Resolution Count',
    ],
    [
      ...rows.map((r) => [
        r.name,
        r.conversations_count,
        formatDuration(r.avg_first_response_time),
        formatDuration(r.avg_resolution_time),
        formatDuration(r.avg_reply_time),
        r.resolved_conversations_count,
      ]),
      [reportingPeriod(window)],
    ],
  );
}
