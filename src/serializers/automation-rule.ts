// Mirrors app/views/api/v1/accounts/automation_rules/partials/_automation_rule.json.jbuilder
// (index, show, create, update and clone views): `files` (AutomationRule#file_base_data) only when
// the rule has any.
import { Type, type Static } from 'typebox';
import type { AutomationRule, AutomationRuleRun, Blob } from '../core/db/schema.js';
import { isoTime } from './time.js';

const RuleFileSchema = Type.Object({
  id: Type.Integer(),
  automation_rule_id: Type.Integer(),
  file_type: Type.String(),
  account_id: Type.Integer(),
  file_url: Type.String(),
  blob_id: Type.Integer(),
  filename: Type.String(),
});

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
    /** The files its send_attachment actions send; absent when it has none. */
    files: Type.Optional(Type.Array(RuleFileSchema)),
  },
  { title: 'AutomationRule' },
);
export type AutomationRuleJson = Static<typeof AutomationRuleSchema>;

/** A rule with what its partial shows besides its columns: the blobs its send_attachment actions name. */
export interface AutomationRuleView {
  rule: AutomationRule;
  files: Blob[];
}

export function automationRuleJson(view: AutomationRuleView, fileUrl: (blob: Blob) => string): AutomationRuleJson {
  const { rule } = view;
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
    ...(view.files.length
      ? {
          files: view.files.map((blob) => ({
            // ActiveStorage's attachment id; a rule's files are its blobs here
            id: blob.id,
            automation_rule_id: rule.id,
            file_type: blob.content_type,
            account_id: rule.account_id,
            file_url: fileUrl(blob),
            blob_id: blob.id,
            filename: blob.filename,
          })),
        }
      : {}),
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
