import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { AutomationRule } from '../../core/db/schema.js';
import { queueConversationMail } from '../conversation-mail/queue.js';
import type { CustomAttributeSpec } from '../filters/compile.js';
import { AUTOMATION_CONDITIONS, CONTACT_FILTERS, CONVERSATION_FILTERS } from '../filters/keys.js';
import type { AutomationJob } from './listener.js';
import { activeRules } from './queries.js';

/** Reauthorizable::AUTHORIZATION_ERROR_THRESHOLD (AutomationRule keeps the default). */
export const AUTHORIZATION_ERROR_THRESHOLD = 2;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The account's custom attribute keys, by Chatwoot's attribute_model name. */
async function customKeys(db: Db, accountId: number): Promise<Record<'conversation' | 'contact', Set<string>>> {
  const rows = await db
    .selectFrom('custom_attribute_definitions')
    .select(['attribute_key', 'attribute_model'])
    .where('account_id', '=', accountId)
    .execute();
  const of = (model: number) => new Set(rows.filter((r) => r.attribute_model === model).map((r) => r.attribute_key));
  return { conversation: of(CONVERSATION_FILTERS.attributeModel), contact: of(CONTACT_FILTERS.attributeModel) };
}

/**
 * AutomationRules::ConditionValidationService: every condition names a standard key with one of
 * its operators (attribute_changed always allowed) or an existing custom attribute of the account
 * (of the model its custom_attribute_type names; either model when it names none), and its query
 * operator is blank, AND or OR.
 */
export function conditionsValid(
  conditions: unknown,
  customs: Record<'conversation' | 'contact', Set<string>>,
): boolean {
  if (!Array.isArray(conditions)) return false;
  return conditions.every((condition) => {
    if (!isObject(condition)) return false;
    const op = condition.query_operator;
    if (op !== undefined && op !== null && op !== '') {
      if (typeof op !== 'string' || !['AND', 'OR'].includes(op.toUpperCase())) return false;
    }
    const key = String(condition.attribute_key ?? '');
    const operator = String(condition.filter_operator ?? '');
    if (Object.hasOwn(AUTOMATION_CONDITIONS.keys, key)) {
      return (
        operator === 'attribute_changed' || (AUTOMATION_CONDITIONS.keys[key]!.operators as string[]).includes(operator)
      );
    }
    const type = condition.custom_attribute_type;
    if (type === 'conversation_attribute') return customs.conversation.has(key);
    if (type === 'contact_attribute') return customs.contact.has(key);
    return customs.conversation.has(key) || customs.contact.has(key);
  });
}

/** The same sets from the custom attributes an evaluation already read (run.ts automationAttributes). */
export const customKeysOf = (
  customs: readonly CustomAttributeSpec[],
): Record<'conversation' | 'contact', Set<string>> => ({
  conversation: new Set(customs.filter((c) => c.model === 'conversation_attribute').map((c) => c.attribute_key)),
  contact: new Set(customs.filter((c) => c.model === 'contact_attribute').map((c) => c.attribute_key)),
});

/**
 * ConditionsFilterService#rule_valid? after an event's rules were evaluated: each active rule of the
 * event whose conditions no longer validate counts an authorization error (Reauthorizable
 * #authorization_error!); at the threshold (prompt_reauthorization! →
 * handle_automation_rule_reauthorization) it is flagged, deactivated, and the account's
 * administrators get AccountNotificationMailer#automation_rule_disabled — all in one transaction.
 */
export async function noteInvalidRules(db: Db, job: Pick<AutomationJob, 'account_id' | 'event_name'>): Promise<void> {
  const rules = await activeRules(db, job.account_id, [job.event_name]);
  if (rules.length === 0) return;
  const customs = await customKeys(db, job.account_id);
  for (const rule of invalidRules(rules, customs))
    await db.transaction().execute((tx) => authorizationErrors(tx, rule, 1));
}

/** The rules whose conditions no longer validate. */
export const invalidRules = (
  rules: readonly AutomationRule[],
  customs: Record<'conversation' | 'contact', Set<string>>,
): AutomationRule[] => rules.filter((rule) => !conditionsValid(rule.conditions, customs));

/**
 * Counts `errors` authorization errors for the rule (one per event it was evaluated for: the
 * automation drainer evaluates a batch of events at once) and disables it at the threshold, in the
 * caller's transaction.
 */
export async function authorizationErrors(tx: Db, rule: AutomationRule, errors: number): Promise<void> {
  {
    const counted = await tx
      .updateTable('automation_rules')
      .set({ authorization_error_count: sql`authorization_error_count + ${errors}::int` })
      .where('id', '=', rule.id)
      .where('account_id', '=', rule.account_id)
      .where('active', '=', true)
      .returning(['authorization_error_count', 'reauthorization_required'])
      .executeTakeFirst();
    if (
      !counted ||
      counted.reauthorization_required ||
      counted.authorization_error_count < AUTHORIZATION_ERROR_THRESHOLD
    )
      return;
    await tx
      .updateTable('automation_rules')
      .set({ reauthorization_required: true, active: false, updated_at: new Date() })
      .where('id', '=', rule.id)
      .execute();
    await queueConversationMail(tx, {
      kind: 'automation_rule_disabled',
      account_id: rule.account_id,
      rule_id: rule.id,
    });
  }
}
