import { Type, type Static } from 'typebox';
import { NullableShortText, NullableText, Page } from '../../core/http/schemas.js';

/** Most conditions or actions one rule holds (Chatwoot sets no bound; the dashboard builds a handful). */
export const MAX_RULE_ENTRIES = 100;

/**
 * POST / PATCH /automation_rules (AutomationRulesController#automation_rules_permit): top-level
 * fields. `conditions` and `actions` are stored as sent (the controller assigns the raw params);
 * the service checks their shape and names with the model's validations.
 */
export const AutomationRuleBody = Type.Object({
  name: Type.Optional(NullableShortText()),
  description: Type.Optional(NullableText()),
  event_name: Type.Optional(
    NullableShortText({
      description:
        'conversation_created, conversation_updated, conversation_opened, conversation_resolved or message_created',
    }),
  ),
  active: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  conditions: Type.Optional(
    Type.Union([Type.Array(Type.Unknown(), { maxItems: MAX_RULE_ENTRIES }), Type.Null()], {
      description: '[{attribute_key, filter_operator, values, query_operator, custom_attribute_type?}]',
    }),
  ),
  actions: Type.Optional(
    Type.Union([Type.Array(Type.Unknown(), { maxItems: MAX_RULE_ENTRIES }), Type.Null()], {
      description: '[{action_name, action_params}]',
    }),
  ),
});
export type AutomationRuleBody = Static<typeof AutomationRuleBody>;

export const CloneParams = Type.Object({ automation_rule_id: Type.String({ description: 'Numeric id' }) });

export const RunsQuery = Type.Object({
  page: Type.Optional(Page()),
});

/** Runs per page of GET /automation_rules/:id/runs. */
export const RUNS_PAGE_SIZE = 25;
