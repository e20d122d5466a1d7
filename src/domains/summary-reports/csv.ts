import { sql } from 'kysely';
import { spreadsheetCsv } from '../../core/csv/spreadsheet.js';
import { unprocessable } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseWindow, type Window } from '../../core/reports/range.js';
import type { CsvQuery } from './schemas.js';
import { labelRows, summaryRows, type SummaryRow } from './summary.js';

/**
 * ReportsController#agents, #inboxes, #labels, #teams (Api::V2::Accounts::ReportsHelper and the
 * `*.csv.erb` views): one row per agent, inbox, label or team with the summary builders' numbers,
 * times formatted by Reports::TimeFormatPresenter, then the reporting period. Every cell goes
 * through spreadsheetCsv, so a name starting with `=` cannot run as a formula.
 */

const UNITS: [number, string][] = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** Reports::TimeFormatPresenter#format: "--" for none, else the two largest non-zero units. */
export function formatDuration(seconds: number | null | undefined): string {
  const total = Math.trunc(seconds ?? 0);
  if (total === 0) return '--';
  let rest = Math.abs(total);
  const parts: string[] = [];
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  }
  return parts.slice(0, 2).join(' ');
}

/** The UTC date of an instant, as Date.strptime(x, '%s') gives it. */
const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/** reports.period: "Reporting period 2024-01-15 to 2024-01-16". */
const periodLine = (w: Window) => [`Reporting period ${utcDate(w.since)} to ${utcDate(w.until)}`];

/** The views print the period from since and until, so both are required (a 500 upstream without). */
function requiredWindow(q: CsvQuery): Window {
  const window = parseWindow(q);
  if (!window) throw unprocessable('since and until are required');
  return window;
}

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
    [...agents.map((a) => [a.name, ...metrics(byId.get(a.id))]), periodLine(window)],
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
      periodLine(window),
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
    [...teams.map((t) => [t.name, ...metrics(byId.get(t.id))]), periodLine(window)],
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
      periodLine(window),
    ],
  );
}
