import { Type } from 'typebox';
import { LIMITS } from '../../core/http/schemas.js';

/** A query value Rails reads as text: the string, or a number's text; bounded like a short text. */
const QueryText = (description: string) =>
  Type.Optional(Type.Unsafe<string>({ type: 'string', maxLength: LIMITS.short, description }));

const RangeFields = {
  since: QueryText('Start of the range, unix seconds (included)'),
  until: QueryText('End of the range, unix seconds (excluded)'),
  timezone_offset: QueryText('Hours east of UTC (e.g. -8, 5.5); picks a named zone with that offset now, DST included'),
  business_hours: QueryText('true: average value_in_business_hours instead of value'),
};

export const ReportQuery = Type.Object({
  metric: QueryText(
    'conversations_count, incoming_messages_count, outgoing_messages_count, avg_first_response_time, avg_resolution_time, reply_time, resolutions_count, bot_resolutions_count or bot_handoffs_count',
  ),
  type: QueryText('account, agent, inbox, label or team'),
  id: QueryText('The agent, inbox, label or team (type other than account)'),
  group_by: QueryText('day (default), week (starting Sunday), month, year or hour'),
  ...RangeFields,
});

export const SummaryQuery = Type.Object({
  type: QueryText('account, agent, inbox, label or team'),
  id: QueryText('The agent, inbox, label or team (type other than account)'),
  ...RangeFields,
});

export const BotMetricsQuery = Type.Object({ ...RangeFields });

/** ReportsHelper#build_params: since and until (both required: the view prints them), business_hours. */
export const ConversationsSummaryQuery = Type.Object({
  since: RangeFields.since,
  until: RangeFields.until,
  business_hours: RangeFields.business_hours,
});

export const Timeseries = Type.Array(
  Type.Object({
    value: Type.Union([Type.Number(), Type.Null()], {
      description: 'The count, or the average in seconds (0 for an empty bucket, null when its events have no value)',
    }),
    timestamp: Type.Integer({ description: "The bucket's start, unix seconds" }),
    count: Type.Optional(Type.Integer({ description: 'Averages only: the events averaged' })),
  }),
);

const Figure = { type: ['number', 'null'] };

/** The period's figures by metric name (null: no event to average), the previous period's under `previous`. */
export const SummaryResult = Type.Unsafe<Record<string, number | null | Record<string, number | null>>>({
  type: 'object',
  required: ['previous'],
  properties: { previous: { type: 'object', additionalProperties: Figure } },
  additionalProperties: Figure,
});

export const BotMetricsResult = Type.Object({
  conversation_count: Type.Integer(),
  message_count: Type.Integer(),
  resolution_rate: Type.Integer(),
  handoff_rate: Type.Integer(),
});
