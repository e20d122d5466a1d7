// Mirrors Chatwoot's enterprise/app/views/api/v1/models/_agent_capacity_policy.json.jbuilder (with
// the assigned agents' count) and agent_capacity_policies/inbox_limits/create.json.jbuilder.
// Timestamps are epoch seconds.
import { Type, type Static } from 'typebox';
import type { AgentCapacityPolicy, InboxCapacityLimit } from '../core/db/schema.js';
import { epochSeconds } from './time.js';

export const AgentCapacityPolicySchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    exclusion_rules: Type.Record(Type.String(), Type.Unknown()),
    created_at: Type.Integer(),
    updated_at: Type.Integer(),
    account_id: Type.Integer(),
    assigned_agent_count: Type.Integer(),
    inbox_capacity_limits: Type.Array(
      Type.Object({ id: Type.Integer(), inbox_id: Type.Integer(), conversation_limit: Type.Integer() }),
    ),
  },
  { title: 'AgentCapacityPolicy' },
);
export type AgentCapacityPolicyJson = Static<typeof AgentCapacityPolicySchema>;

export interface AgentCapacityPolicyView {
  policy: AgentCapacityPolicy;
  agentCount: number;
  limits: InboxCapacityLimit[];
}

export function agentCapacityPolicyJson({
  policy,
  agentCount,
  limits,
}: AgentCapacityPolicyView): AgentCapacityPolicyJson {
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description,
    exclusion_rules: policy.exclusion_rules,
    created_at: epochSeconds(policy.created_at),
    updated_at: epochSeconds(policy.updated_at),
    account_id: policy.account_id,
    assigned_agent_count: agentCount,
    inbox_capacity_limits: limits.map((limit) => ({
      id: limit.id,
      inbox_id: limit.inbox_id,
      conversation_limit: limit.conversation_limit,
    })),
  };
}

export const InboxCapacityLimitSchema = Type.Object(
  {
    id: Type.Integer(),
    inbox_id: Type.Integer(),
    agent_capacity_policy_id: Type.Integer(),
    conversation_limit: Type.Integer(),
    created_at: Type.Integer(),
    updated_at: Type.Integer(),
  },
  { title: 'InboxCapacityLimit' },
);

export function inboxCapacityLimitJson(limit: InboxCapacityLimit): Static<typeof InboxCapacityLimitSchema> {
  return {
    id: limit.id,
    inbox_id: limit.inbox_id,
    agent_capacity_policy_id: limit.agent_capacity_policy_id,
    conversation_limit: limit.conversation_limit,
    created_at: epochSeconds(limit.created_at),
    updated_at: epochSeconds(limit.updated_at),
  };
}
