// Mirrors enterprise/app/views/api/v1/models/_sla_policy.json.jbuilder (every sla_policies
// answer wraps it in `payload`), and SlaPolicy#push_event_data (a notification's secondary actor).
import { Type, type Static } from 'typebox';
import type { SlaPolicy } from '../core/db/schema.js';

const Threshold = Type.Union([Type.Number(), Type.Null()], { description: 'seconds' });

export const SlaPolicySchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    first_response_time_threshold: Threshold,
    next_response_time_threshold: Threshold,
    only_during_business_hours: Type.Boolean(),
    resolution_time_threshold: Threshold,
  },
  { title: 'SlaPolicy' },
);
export type SlaPolicyJson = Static<typeof SlaPolicySchema>;

export function slaPolicyJson(p: SlaPolicy): SlaPolicyJson {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    first_response_time_threshold: p.first_response_time_threshold,
    next_response_time_threshold: p.next_response_time_threshold,
    only_during_business_hours: p.only_during_business_hours,
    resolution_time_threshold: p.resolution_time_threshold,
  };
}

const PushThreshold = Type.Union([Type.Number(), Type.Null()]);
export const SlaPolicyPushSchema = Type.Object(
  { id: Type.Integer(), name: Type.String(), frt: PushThreshold, nrt: PushThreshold, rt: PushThreshold },
  { title: 'SlaPolicyPushData' },
);

/** SlaPolicy#push_event_data (a notification's secondary actor for an SLA miss). */
export function slaPolicyPushJson(p: SlaPolicy): Static<typeof SlaPolicyPushSchema> {
  return {
    id: p.id,
    name: p.name,
    frt: p.first_response_time_threshold,
    nrt: p.next_response_time_threshold,
    rt: p.resolution_time_threshold,
  };
}
