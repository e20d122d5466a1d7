// Mirrors app/views/api/v1/accounts/automation_rules/partials/_automation_rule.json.jbuilder
// (index, show, create, update and clone views). `files` (send_attachment blobs) is not served.
import { Type, type Static } from 'typebox';
import type { AutomationRule, AutomationRuleRun } from '../core/db/schema.js';
import { isoTime } from './time.js';

export const AutomationRuleSchema = Type.Object(
  {
    id: Type.Integer(),
    account_id: Type.Integer(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    event_name: Type.String(),
    /** As saved: [{attribute_key, filter_operator, values, query_operator, custom_attribute_type?}]. */
    conditions: Type.Array(Type.Unknown()),
    /** As saved: [{action_name, action_params}]. */
    actions: Type.Array(Type.Unknown()),
    /** created_at in Unix seconds. */
    created_on: Type.Integer(),
    active: Type.Boolean(),
  },
  { title: 'AutomationRule' },
);
export type AutomationRuleJson = Static<typeof AutomationRuleSchema>;

export function automationRuleJson(rule: AutomationRule): AutomationRuleJson {
  return {
    id: rule.id,
    account_id: rule.account_id,
    name: rule.name,
    description: rule.description,
    event_name: rule.event_name,
    conditions: rule.conditions,
    actions: rule.actions,
    created_on: Math.floor(rule.created_at.getTime() / 1000),
    active: rule.active,
  };
}

/** Confab extension (no Chatwoot view): one evaluation of a rule for one event. */
export const AutomationRuleRunSchema = Type.Object(
  {
    id: Type.Integer(),
    automation_rule_id: Type.Integer(),
    conversation_id: Type.Union([Type.Integer(), Type.Null()]),
    message_id: Type.Union([Type.Integer(), Type.Null()]),
    event_name: Type.String(),
    matched: Type.Boolean(),
    actions: Type.Array(
      Type.Object({
        action_name: Type.String(),
        applied: Type.Boolean(),
        error: Type.Optional(Type.String()),
      }),
    ),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
  },
  { title: 'AutomationRuleRun' },
);
export type AutomationRuleRunJson = Static<typeof AutomationRuleRunSchema>;

export function automationRuleRunJson(run: AutomationRuleRun): AutomationRuleRunJson {
  return {
    id: run.id,
    automation_rule_id: run.automation_rule_id,
    conversation_id: run.conversation_id,
    message_id: run.message_id,
    event_name: run.event_name,
    matched: run.matched,
    actions: run.actions as AutomationRuleRunJson['actions'],
    error: run.error,
    created_at: isoTime(run.created_at)!,
  };
}
