import { request } from './http.js';

// Chatwoot's reports as its dashboard reads them (app/javascript/dashboard/api/reports.js,
// summaryReports.js, liveReports.js): /api/v2 for reports, /api/v1 for CSAT.

const v2 = (accountId: number) => `/api/v2/accounts/${accountId}`;

/** Query text from defined values; arrays as Rails' `key[]=`. */
export function query(params: Record<string, string | number | boolean | undefined | Array<string | number>>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const item of value) search.append(`${key}[]`, String(item));
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A range in unix seconds, [since, until), with the browser's offset from UTC in hours. */
export interface Range {
  since: number;
  until: number;
  timezone_offset: number;
}

export type Metric =
  | 'conversations_count'
  | 'incoming_messages_count'
  | 'outgoing_messages_count'
  | 'avg_first_response_time'
  | 'avg_resolution_time'
  | 'resolutions_count'
  | 'reply_time'
  | 'bot_resolutions_count'
  | 'bot_handoffs_count';

export type GroupBy = 'day' | 'week' | 'month' | 'year' | 'hour';

/** One bucket of a timeseries: a count, or an average in seconds with the events it averages. */
export interface Point {
  value: number | null;
  timestamp: number;
  count?: number;
}

/** open / unattended / unassigned / pending right now (live_reports/conversation_metrics). */
export interface LiveMetrics {
  open: number;
  unattended: number;
  unassigned: number;
  pending?: number;
}

/** One agent of reports/conversations?type=agent: its open and unattended conversations. */
export interface AgentLoad {
  id: number;
  name: string;
  email: string;
  availability?: string;
  metric: { open: number; unattended: number };
}

/** A row of summary_reports/agent|inbox|label|team. */
export interface SummaryRow {
  id: number;
  conversations_count: number;
  resolved_conversations_count: number;
  avg_resolution_time: number | null;
  avg_first_response_time: number | null;
  avg_reply_time: number | null;
}

export type SummaryFigures = Partial<Record<Metric, number | null>> & {
  previous: Partial<Record<Metric, number | null>>;
};

export const liveMetrics = (accountId: number) =>
  request<LiveMetrics>('GET', `${v2(accountId)}/live_reports/conversation_metrics`);

export const agentLoads = (accountId: number, page: number) =>
  request<AgentLoad[]>('GET', `${v2(accountId)}/reports/conversations${query({ type: 'agent', page })}`);

export type Entity = 'agent' | 'inbox' | 'label' | 'team';

/** What a report is about: the whole account, or one agent, inbox, label or team (`type` and `id`). */
export type Subject = { type: 'account' } | { type: Entity; id: number };

const ACCOUNT: Subject = { type: 'account' };

export const timeseries = (
  accountId: number,
  metric: Metric,
  range: Range,
  group_by: GroupBy,
  business = false,
  subject: Subject = ACCOUNT,
) =>
  request<Point[]>(
    'GET',
    `${v2(accountId)}/reports${query({ metric, ...subject, group_by, business_hours: business || undefined, ...range })}`,
  );

export const summary = (accountId: number, range: Range, business = false, subject: Subject = ACCOUNT) =>
  request<SummaryFigures>(
    'GET',
    `${v2(accountId)}/reports/summary${query({ ...subject, business_hours: business || undefined, ...range })}`,
  );

/** bot_resolutions_count and bot_handoffs_count over the range, with `previous` (reports/bot_summary). */
export const botSummary = (accountId: number, range: Range) =>
  request<SummaryFigures>('GET', `${v2(accountId)}/reports/bot_summary${query({ ...ACCOUNT, ...range })}`);

/** Conversations and messages in inboxes with a bot, its resolution and handoff rates in whole percents. */
export interface BotMetrics {
  conversation_count: number;
  message_count: number;
  resolution_rate: number;
  handoff_rate: number;
}

export const botMetrics = (accountId: number, range: Range) =>
  request<BotMetrics>(
    'GET',
    `${v2(accountId)}/reports/bot_metrics${query({ since: range.since, until: range.until })}`,
  );

export const entitySummary = (accountId: number, entity: Entity, range: Range, business = false) =>
  request<SummaryRow[]>(
    'GET',
    `${v2(accountId)}/summary_reports/${entity}${query({ since: range.since, until: range.until, business_hours: business || undefined })}`,
  );

/** The CSV downloads, as text (the server sends text/csv; `request` keeps text it cannot parse as JSON). */
export const entityCsv = (accountId: number, entity: Entity, range: Range, business = false) =>
  request<string>(
    'GET',
    `${v2(accountId)}/reports/${entity === 'inbox' ? 'inboxes' : `${entity}s`}${query({
      since: range.since,
      until: range.until,
      business_hours: business || undefined,
    })}`,
  ).then(String);

export const trafficCsv = (accountId: number, timezoneOffset: number) =>
  request<string>(
    'GET',
    `${v2(accountId)}/reports/conversation_traffic${query({ timezone_offset: timezoneOffset })}`,
  ).then(String);

/** The CSAT filters of CsatSurveyResponsesController (rating and agents as arrays). */
export interface CsatFilters {
  since: number;
  until: number;
  user_ids?: number[];
  inbox_id?: number;
  team_id?: number;
  rating?: number[];
}

export interface CsatResponse {
  id: number;
  rating: number;
  feedback_message: string | null;
  conversation_id: number;
  contact?: { id: number; name: string; email?: string | null };
  assigned_agent?: { id: number; name: string; available_name?: string };
  created_at: number;
}

export interface CsatMetrics {
  total_count: number;
  ratings_count: Record<string, number>;
  total_sent_messages_count: number;
}

const csat = (accountId: number) => `/api/v1/accounts/${accountId}/csat_survey_responses`;
const csatQuery = (f: CsatFilters, extra: Record<string, string | number> = {}) =>
  query({
    ...extra,
    since: f.since,
    until: f.until,
    inbox_id: f.inbox_id,
    team_id: f.team_id,
    user_ids: f.user_ids ?? [],
    rating: f.rating ?? [],
  });

export const csatResponses = (accountId: number, filters: CsatFilters, page: number) =>
  request<CsatResponse[]>('GET', `${csat(accountId)}${csatQuery(filters, { page, sort: '-created_at' })}`);

export const csatMetrics = (accountId: number, filters: CsatFilters) =>
  request<CsatMetrics>('GET', `${csat(accountId)}/metrics${csatQuery(filters)}`);

/** The server's file starts with a UTF-8 byte order mark, which decoding the answer drops: it is put back. */
export const csatCsv = (accountId: number, filters: CsatFilters) =>
  request<string>('GET', `${csat(accountId)}/download${csatQuery(filters)}`).then((text) => `\uFEFF${String(text)}`);

/** The filters of the SLA report (enterprise AppliedSlasController; Chatwoot's dashboard api/sla.js). */
export interface SlaFilters {
  since: number;
  until: number;
  assigned_agent_id?: number | undefined;
  inbox_id?: number | undefined;
  team_id?: number | undefined;
  sla_policy_id?: number | undefined;
  label_list?: string | undefined;
}

/** A missed applied SLA as the report lists it: the policy applied, the conversation, its misses. */
export interface MissedSla {
  applied_sla: { id: number; sla_id: number; sla_name: string; sla_status: string; created_at: number };
  conversation: {
    id: number;
    contact: { name?: string };
    labels: string;
    assignee?: { id: number; name: string; available_name?: string };
  };
  sla_events: Array<{ id: number; event_type: 'frt' | 'nrt' | 'rt'; created_at: number }>;
}

export interface SlaMetrics {
  total_applied_slas: number;
  number_of_sla_misses: number;
  /** "100%", "66.67%" */
  hit_rate: string;
}

const slas = (accountId: number) => `/api/v1/accounts/${accountId}/applied_slas`;
const slaQuery = (f: SlaFilters, page?: number) => query({ ...f, page });

export const missedSlas = (accountId: number, filters: SlaFilters, page: number) =>
  request<{ payload: MissedSla[]; meta: { count: number; current_page: number | string } }>(
    'GET',
    `${slas(accountId)}${slaQuery(filters, page)}`,
  );

export const slaMetrics = (accountId: number, filters: SlaFilters) =>
  request<SlaMetrics>('GET', `${slas(accountId)}/metrics${slaQuery(filters)}`);

export const slaCsv = (accountId: number, filters: SlaFilters) =>
  request<string>('GET', `${slas(accountId)}/download${slaQuery(filters)}`).then(String);
