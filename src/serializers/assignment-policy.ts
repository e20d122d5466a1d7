// Mirrors Chatwoot's app/views/api/v1/accounts/assignment_policies/_assignment_policy.json.jbuilder
// (index, show, create, update, and inboxes/assignment_policies show and create) and
// assignment_policies/inboxes/create.json.jbuilder (the inbox link). Timestamps are epoch seconds.
import { Type, type Static } from 'typebox';
import { ASSIGNMENT_ORDERS, ASSIGNMENT_PRIORITIES, enumName } from '../core/db/enums.js';
import type { AssignmentPolicy } from '../core/db/schema.js';
import { epochSeconds } from './time.js';

export const AssignmentPolicySchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    assignment_order: Type.String(),
    conversation_priority: Type.String(),
    fair_distribution_limit: Type.Integer(),
    fair_distribution_window: Type.Integer(),
    enabled: Type.Boolean(),
    assigned_inbox_count: Type.Integer(),
    created_at: Type.Integer(),
    updated_at: Type.Integer(),
  },
  { title: 'AssignmentPolicy' },
);
export type AssignmentPolicyJson = Static<typeof AssignmentPolicySchema>;

/** A policy and how many inboxes use it. */
export interface AssignmentPolicyView {
  policy: AssignmentPolicy;
  inboxCount: number;
}

export function assignmentPolicyJson({ policy, inboxCount }: AssignmentPolicyView): AssignmentPolicyJson {
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description,
    assignment_order: enumName(ASSIGNMENT_ORDERS, policy.assignment_order),
    conversation_priority: enumName(ASSIGNMENT_PRIORITIES, policy.conversation_priority),
    fair_distribution_limit: policy.fair_distribution_limit,
    fair_distribution_window: policy.fair_distribution_window,
    enabled: policy.enabled,
    assigned_inbox_count: inboxCount,
    created_at: epochSeconds(policy.created_at),
    updated_at: epochSeconds(policy.updated_at),
  };
}

export const InboxAssignmentPolicySchema = Type.Object(
  {
    id: Type.Integer(),
    inbox_id: Type.Integer(),
    assignment_policy_id: Type.Integer(),
    created_at: Type.Integer(),
    updated_at: Type.Integer(),
  },
  { title: 'InboxAssignmentPolicy' },
);

export function inboxAssignmentPolicyJson(row: {
  id: number;
  inbox_id: number;
  assignment_policy_id: number;
  created_at: Date;
  updated_at: Date;
}): Static<typeof InboxAssignmentPolicySchema> {
  return {
    id: row.id,
    inbox_id: row.inbox_id,
    assignment_policy_id: row.assignment_policy_id,
    created_at: epochSeconds(row.created_at),
    updated_at: epochSeconds(row.updated_at),
  };
}
