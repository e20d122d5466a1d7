import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { conversationUrl } from '../../core/dashboard-urls.js';
import { idFilter, idList } from '../../core/reports/filters.js';
import { reportingPeriod } from '../../core/reports/format.js';
import { parseWindow } from '../../core/reports/range.js';
import { spreadsheetCsv } from '../../core/csv/spreadsheet.js';
import { onlineContacts } from '../../core/realtime/presence.js';
import type { CsatMetricsJson, CsatSurveyResponseView, CsatAgent } from '../../serializers/csat-survey-response.js';
import { listAgentViews } from '../agents/queries.js';
import { companiesShown } from '../contacts/service.js';
import { csatMetricsRow, csvRows, pageOfResponses, type CsatFilters, type CsatRange } from './queries.js';
import { MAX_PAGE, MAX_RANGE_DAYS, type CsatQuery } from './schemas.js';

/**
 * Api::V1::Accounts::CsatSurveyResponsesController: index (25 a page), metrics and download, for
 * administrators only (CsatSurveyResponsePolicy; agents get Pundit's 401). Filters as
 * set_csat_survey_responses chains them: created in [since, until) when both are given, the
 * assigned agents (`user_ids[]`), the conversation's inbox and team, the rating.
 */
export const RESULTS_PER_PAGE = 25;

/**
 * DateRangeHelper#range, through the reports' one window parser (a 500 upstream for text that is
 * not Unix seconds; a 422 `{error}` here, worded as every report words it), within two years.
 */
export function csatRange(q: Pick<CsatQuery, 'since' | 'until'>): CsatRange | undefined {
  return parseWindow(q, MAX_RANGE_DAYS) ?? undefined;
}

/** A list param: `where(column: [...])`, no filter when absent or blank (`present?`). */
function listFilter(raw: string[] | undefined): number[] | undefined {
  const ids = idList(raw);
  return ids.length === 0 ? undefined : ids;
}

export function csatFilters(q: CsatQuery): CsatFilters {
  return {
    range: csatRange(q),
    userIds: listFilter(q.user_ids),
    inboxId: idFilter(q.inbox_id),
    teamId: idFilter(q.team_id),
    ratings: listFilter(q.rating),
  };
}

/** Kaminari's page: Ruby's to_i of the param (leading digits), below 1 is 1. */
function pageOf(raw: string | undefined): number {
  const digits = /^\s*[+-]?\d+/.exec(raw ?? '')?.[0];
  const page = digits === undefined ? 1 : Number(digits);
  return Number.isFinite(page) && page >= 1 ? page : 1;
}

/** GET /csat_survey_responses: one page, each with its contact and assigned agent. */
export async function listCsatSurveyResponses(ctx: AccountCtx, q: CsatQuery): Promise<CsatSurveyResponseView[]> {
  requireAdministrator(ctx);
  const filters = csatFilters(q);
  const page = pageOf(q.page);
  if (page > MAX_PAGE) return [];
  const rows = await pageOfResponses(ctx.db, ctx.account.id, filters, {
    page,
    perPage: RESULTS_PER_PAGE,
    descending: q.sort?.trim() === '-created_at',
  });
  const contactIds = [...new Set(rows.map((r) => r.contact_id))];
  const agentIds = [...new Set(rows.flatMap((r) => (r.assigned_agent_id === null ? [] : [r.assigned_agent_id])))];
  const [contacts, online, members, users] = await Promise.all([
    contactIds.length
      ? ctx.db
          .selectFrom('contacts')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', 'in', contactIds)
          .execute()
      : [],
    onlineContacts(ctx.db, contactIds),
    listAgentViews(ctx.db, ctx.account.id, agentIds),
    // an agent removed from the account still shows (Chatwoot keeps the response's user)
    agentIds.length ? ctx.db.selectFrom('users').selectAll().where('id', 'in', agentIds).execute() : [],
  ]);
  const companies = companiesShown(ctx);
  const contactOf = new Map(contacts.map((contact) => [contact.id, contact]));
  const agentOf = new Map<number, CsatAgent>(users.map((user) => [user.id, { former: user }]));
  for (const member of members) agentOf.set(member.user.id, { member });
  return rows.map(({ display_id, ...response }) => {
    const contact = contactOf.get(response.contact_id);
    const agent = response.assigned_agent_id === null ? undefined : agentOf.get(response.assigned_agent_id);
    return {
      response,
      displayId: display_id,
      ...(contact ? { contact: { contact, online: online.has(contact.id), companies } } : {}),
      ...(agent ? { agent } : {}),
    };
  });
}

/** GET /csat_survey_responses/metrics (metrics.json.jbuilder). */
export async function csatMetrics(ctx: AccountCtx, q: CsatQuery): Promise<CsatMetricsJson> {
  requireAdministrator(ctx);
  const { ratings, sent } = await csatMetricsRow(ctx.db, ctx.account.id, csatFilters(q));
  const ratingsCount: Record<string, number> = {};
  let total = 0;
  for (const { rating, n } of ratings) {
    ratingsCount[String(rating)] = Number(n);
    total += Number(n);
  }
  return { total_count: total, ratings_count: ratingsCount, total_sent_messages_count: sent };
}

/** config/locales/en.yml reports.csat.headers, in download.csv.erb's order. */
const CSV_HEADERS = [
  'Agent Name',
  'Rating',
  'Feedback Comment',
  'Contact Name',
  'Contact Email Address',
  'Contact Phone Number',
  'Link to the conversation',
  'Recorded date',
];

const presence = (value: string | null) => (value === null || value.trim() === '' ? null : value);
/** ActiveSupport::TimeWithZone#to_s in UTC: "2024-05-01 10:00:00 UTC". */
const railsTime = (at: Date) => `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/**
 * GET /csat_survey_responses/download: csat_report.csv (download.csv.erb), every filtered
 * response, then the line "Reporting period <since> to <until>" (reports.period) when the range
 * is given — Chatwoot fails without it; here the line is left out. Cells go through
 * spreadsheetCsv, so a contact's feedback starting with `=` cannot run as a formula.
 */
export async function csatCsv(ctx: AccountCtx, q: CsatQuery, ownUrl: string): Promise<string> {
  requireAdministrator(ctx);
  const filters = csatFilters(q);
  const rows = await csvRows(ctx.db, ctx.account.id, filters);
  const base = ctx.config.frontendUrl ?? ownUrl;
  const lines = rows.map((row) => [
    row.agent_name === null ? null : `${row.agent_name} (${row.agent_email})`,
    row.rating,
    presence(row.feedback_message),
    presence(row.contact_name),
    presence(row.contact_email),
    presence(row.contact_phone_number),
    conversationUrl(base, ctx.account.id, row.display_id),
    railsTime(new Date(row.created_at)),
  ]);
  if (filters.range) lines.push([reportingPeriod(filters.range)]);
  return spreadsheetCsv(CSV_HEADERS, lines);
}
