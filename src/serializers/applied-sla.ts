// Mirrors enterprise/app/views/api/v1/models/_applied_sla.json.jbuilder (= AppliedSla#push_event_data)
// and _sla_event.json.jbuilder (SlaEvent#push_event_data has its timestamps the other way round): the conversation partial's
// `applied_sla` and `sla_events` (enterprise/app/views/enterprise/api/v1/conversations/partials/
// _conversation.json.jbuilder) and the applied_slas report.
import { Type, type Static } from 'typebox';
import { enumName, SLA_EVENT_TYPES, SLA_STATUSES } from '../core/db/enums.js';
import type { AppliedSla, SlaEvent, SlaPolicy } from '../core/db/schema.js';
import { epochSeconds } from './time.js';

const Threshold = Type.Union([Type.Number(), Type.Null()]);

export const AppliedSlaSchema = Type.Object(
  {
    id: Type.Integer(),
    sla_id: Type.Integer(),
    sla_status: Type.Enum(SLA_STATUSES),
    created_at: Type.Integer(),
    updated_at: Type.Integer(),
    sla_description: Type.Union([Type.String(), Type.Null()]),
    sla_name: Type.String(),
    sla_first_response_time_threshold: Threshold,
    sla_next_response_time_threshold: Threshold,
    sla_only_during_business_hours: Type.Boolean(),
    sla_resolution_time_threshold: Threshold,
  },
  { title: 'AppliedSla' },
);

export const SlaEventSchema = Type.Object(
  {
    id: Type.Integer(),
    event_type: Type.Enum(SLA_EVENT_TYPES),
    meta: Type.Record(Type.String(), Type.Unknown()),
    updated_at: Type.Integer(),
    created_at: Type.Integer(),
  },
  { title: 'SlaEvent' },
);

/** An applied SLA with its policy: what its partial reads. */
export interface AppliedSlaView {
  applied: AppliedSla;
  policy: SlaPolicy;
}

export function appliedSlaJson({ applied: a, policy: p }: AppliedSlaView): Static<typeof AppliedSlaSchema> {
  return {
    id: a.id,
    sla_id: a.sla_policy_id,
    sla_status: enumName(SLA_STATUSES, a.sla_status),
    created_at: epochSeconds(a.created_at),
    updated_at: epochSeconds(a.updated_at),
    sla_description: p.description,
    sla_name: p.name,
    sla_first_response_time_threshold: p.first_response_time_threshold,
    sla_next_response_time_threshold: p.next_response_time_threshold,
    sla_only_during_business_hours: p.only_during_business_hours,
    sla_resolution_time_threshold: p.resolution_time_threshold,
  };
}

export function slaEventJson(e: SlaEvent): Static<typeof SlaEventSchema> {
  return {
    id: e.id,
    event_type: enumName(SLA_EVENT_TYPES, e.event_type),
    meta: e.meta,
    updated_at: epochSeconds(e.updated_at),
    created_at: epochSeconds(e.created_at),
  };
}

/** SlaEvent#push_event_data: the partial's keys, created_at before updated_at. */
export function slaEventPushJson(e: SlaEvent) {
  return {
    id: e.id,
    event_type: enumName(SLA_EVENT_TYPES, e.event_type),
    meta: e.meta,
    created_at: epochSeconds(e.created_at),
    updated_at: epochSeconds(e.updated_at),
  };
}
