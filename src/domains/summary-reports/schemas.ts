import { Type, type Static } from 'typebox';
import { LIMITS } from '../../core/http/schemas.js';

/** Rails params are strings; each is bounded here and read by the service as Chatwoot casts it. */
const Param = (description: string) => Type.Optional(Type.String({ maxLength: LIMITS.short, description }));
const IdList = (description: string) =>
  Type.Optional(Type.Array(Type.String({ maxLength: LIMITS.short }), { maxItems: 1000, description }));

const since = Param('Unix seconds; the window is [since, until)');
const until = Param('Unix seconds (excluded)');

/** SummaryReportsController#permitted_params. */
export const SummaryQuery = Type.Object({
  since,
  until,
  business_hours: Param('true: averages of the time inside business hours (value_in_business_hours)'),
});
export type SummaryQuery = Static<typeof SummaryQuery>;

/** LiveReportsController#permitted_params. */
export const LiveQuery = Type.Object({
  team_id: Param("Only the team's conversations"),
  group_by: Param('team_id or assignee_id (grouped_conversation_metrics)'),
});
export type LiveQuery = Static<typeof LiveQuery>;

/** ReportsController#conversations: `type` account or agent, `page` 25 agents a page. */
export const ConversationsQuery = Type.Object({
  type: Param('account (open, unattended, unassigned) or agent (per agent, 25 a page)'),
  user_id: Param('Accepted and unused, as upstream'),
  page: Param('Page of agents, from 1'),
});
export type ConversationsQuery = Static<typeof ConversationsQuery>;

/** The CSV downloads (agents, inboxes, labels, teams). */
export const CsvQuery = SummaryQuery;
export type CsvQuery = SummaryQuery;

/** ReportsController#conversation_traffic. */
export const TrafficQuery = Type.Object({
  timezone_offset: Param('Hours east of UTC (5.5 for India); default 0'),
  days_before: Param('Days before today (default 6)'),
});
export type TrafficQuery = Static<typeof TrafficQuery>;

/** first_response_time_distribution. */
export const RangeQuery = Type.Object({ since, until });
export type RangeQuery = Static<typeof RangeQuery>;

/** inbox_label_matrix. */
export const MatrixQuery = Type.Object({
  since,
  until,
  inbox_ids: IdList('inbox_ids[]=1&inbox_ids[]=2: only these inboxes'),
  label_ids: IdList('label_ids[]=1: only these labels'),
});
export type MatrixQuery = Static<typeof MatrixQuery>;

/** outgoing_messages_count. */
export const OutgoingQuery = Type.Object({
  since,
  until,
  group_by: Param('agent, team, inbox or label'),
});
export type OutgoingQuery = Static<typeof OutgoingQuery>;
