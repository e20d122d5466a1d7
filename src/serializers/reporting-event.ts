// Mirrors enterprise/app/views/api/v1/accounts/conversations/reporting_events.json.jbuilder, which
// renders each row through the api/v1/models/reporting_event partial: the model's columns, times
// as Rails' as_json gives them.
import { Type, type Static } from 'typebox';
import type { Selectable } from 'kysely';
import type { ReportingEventsTable } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';
import { isoTime } from './time.js';

const NullableNumber = () => Type.Union([Type.Number(), Type.Null()]);
const NullableInteger = () => Type.Union([Type.Integer(), Type.Null()]);

export const ReportingEventSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    value: NullableNumber(),
    account_id: Type.Integer(),
    inbox_id: NullableInteger(),
    user_id: NullableInteger(),
    conversation_id: NullableInteger(),
    created_at: NullableString(),
    updated_at: NullableString(),
    value_in_business_hours: NullableNumber(),
    event_start_time: NullableString(),
    event_end_time: NullableString(),
  },
  { title: 'ReportingEvent' },
);

export function reportingEventJson(row: Selectable<ReportingEventsTable>): Static<typeof ReportingEventSchema> {
  return {
    id: row.id,
    name: row.name,
    value: row.value,
    account_id: row.account_id,
    inbox_id: row.inbox_id,
    user_id: row.user_id,
    conversation_id: row.conversation_id,
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
    value_in_business_hours: row.value_in_business_hours,
    event_start_time: isoTime(row.event_start_time),
    event_end_time: isoTime(row.event_end_time),
  };
}
