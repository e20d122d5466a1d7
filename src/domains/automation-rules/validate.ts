import type { Db } from '../../core/db/kysely.js';
import { AppError } from '../../core/errors.js';
import { actionProblems, normalizeActions } from '../automation-actions/check.js';
import { actionHandler } from '../automation-actions/registry.js';
import { AUTOMATION_CONDITIONS } from '../filters/keys.js';

/** AutomationRule#actions_attributes (+ enterprise add_sla): the action names a rule may hold. */
export const RULE_ACTIONS = [
  'send_message',
  'add_label',
  'remove_label',
  'send_email_to_team',
  'assign_team',
  'assign_agent',
  'send_webhook_event',
  'mute_conversation',
  'send_attachment',
  'change_status',
  'resolve_conversation',
  'open_conversation',
  'pending_conversation',
  'snooze_conversation',
  'change_priority',
  'send_email_transcript',
  'add_private_note',
  'add_sla',
] as const;

/** The events AutomationRuleListener handles (and the dashboard offers); other names are stored and never fire. */
export const RULE_EVENTS = [
  'conversation_created',
  'conversation_updated',
  'conversation_opened',
  'conversation_resolved',
  'message_created',
] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];

/** A rule's fields after validation, ready to store. */
export interface RuleColumns {
  name?: string;
  description?: string | null;
  event_name?: string;
  active?: boolean;
  conditions?: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
}

type Errors = Record<string, string[]>;

/** AttachmentConcern's answer (`render_could_not_create_error(I18n.t('errors.attachments.invalid'))`). */
const invalidAttachment = () => new AppError('unprocessable', 422, { error: 'Invalid attachment' });

/**
 * AttachmentConcern#validate_and_prepare_attachments, which the controller runs before the model's
 * validations: every send_attachment must name a file of the account (a signed id, or a blob id),
 * else the whole request is a 422 `{"error":"Invalid attachment"}`.
 */
async function checkAttachments(db: Db, accountId: number, actions: unknown[] | null | undefined): Promise<void> {
  if (!Array.isArray(actions)) return;
  const check = actionHandler('send_attachment')!.check!;
  for (const action of actions) {
    if (!isObject(action) || action.action_name !== 'send_attachment') continue;
    const params = Array.isArray(action.action_params) ? action.action_params : [];
    if (await check(db, { accountId, params })) throw invalidAttachment();
  }
}

/** `render json: { error: @automation_rule.errors.messages }, status: :unprocessable_entity`. */
const invalidRule = (errors: Errors) => new AppError('unprocessable', 422, { error: errors });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** PostgreSQL's text and jsonb hold no NUL: such input is invalid, not a 500. */
const hasNul = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\0')
    : typeof value === 'object' &&
      value !== null &&
      Object.entries(value).some(([k, v]) => k.includes('\0') || hasNul(v));

/** Every custom attribute key of the account (json_conditions_format accepts any of them, of either model). */
async function customAttributeKeys(db: Db, accountId: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('custom_attribute_definitions')
    .select('attribute_key')
    .where('account_id', '=', accountId)
    .execute();
  return new Set(rows.map((row) => row.attribute_key));
}

/**
 * AutomationRule's validations, with Chatwoot's messages, plus Confab's: the ids and labels named
 * in actions must be the account's (each action's check()), and the NOT NULL columns must be given
 * (a 500 upstream). Errors render as `{"error": {"conditions": [...], "actions": [...]}}`.
 */
export async function validateRule(
  db: Db,
  accountId: number,
  input: {
    name?: string | null;
    description?: string | null;
    event_name?: string | null;
    active?: boolean | null;
    conditions?: unknown[] | null;
    actions?: unknown[] | null;
  },
  creating: boolean,
): Promise<RuleColumns> {
  await checkAttachments(db, accountId, input.actions);
  const errors: Errors = {};
  const add = (key: string, message: string) => {
    errors[key] = [...(errors[key] ?? []), message];
  };
  const columns: RuleColumns = {};

  if ((creating && input.name === undefined) || input.name === null) add('name', "can't be blank");
  else if (input.name !== undefined) columns.name = input.name;
  if ((creating && input.event_name === undefined) || input.event_name === null || input.event_name === '')
    add('event_name', "can't be blank");
  else if (input.event_name !== undefined) columns.event_name = input.event_name;
  if (input.description !== undefined) columns.description = input.description;
  if (input.active !== undefined && input.active !== null) columns.active = input.active;

  // conditions and actions are NOT NULL: the controller stores what is sent, so a rule needs both
  if (input.conditions === null || (creating && input.conditions === undefined)) add('conditions', "can't be blank");
  else if (input.conditions !== undefined) {
    if (!input.conditions.every(isObject)) add('conditions', 'is invalid');
    else {
      const conditions = input.conditions;
      columns.conditions = conditions;
      const customs = await customAttributeKeys(db, accountId);
      const unsupported = conditions
        .map((c) => String(c.attribute_key ?? ''))
        .filter((key) => !Object.hasOwn(AUTOMATION_CONDITIONS.keys, key) && !customs.has(key));
      if (unsupported.length) add('conditions', `Automation conditions ${unsupported.join(',')} not supported.`);
      if (conditions.filter((c) => c.query_operator === undefined || c.query_operator === null).length > 1)
        add('conditions', 'Automation conditions should have query operator.');
      for (const condition of conditions) {
        const op = condition.query_operator;
        if (op === undefined || op === null || op === '') continue;
        if (typeof op !== 'string' || !['AND', 'OR'].includes(op.toUpperCase())) {
          add('conditions', 'Query operator must be either "AND" or "OR"');
        }
      }
    }
  }

  if (input.actions === null || (creating && input.actions === undefined)) add('actions', "can't be blank");
  else if (input.actions !== undefined) {
    if (!input.actions.every(isObject)) add('actions', 'is invalid');
    else {
      const actions = input.actions;
      const names = actions.map((a) => String(a.action_name ?? ''));
      const unsupported = names.filter((name) => !(RULE_ACTIONS as readonly string[]).includes(name));
      if (unsupported.length) add('actions', `Automation actions ${unsupported.join(',')} not supported.`);
      const entries = actions.map((a) => ({
        action_name: String(a.action_name ?? ''),
        action_params: a.action_params,
      }));
      const problems = await actionProblems(db, accountId, entries);
      for (const { action_name, message } of problems) add('actions', `${action_name}: ${message}`);
      // stored as Chatwoot stores them: send_attachment's signed ids become their blobs' ids
      if (problems.length === 0 && unsupported.length === 0)
        columns.actions = await normalizeActions(
          db,
          accountId,
          actions as (Record<string, unknown> & { action_name: string })[],
        );
    }
  }
  if (hasNul(input)) add('base', 'is invalid');
  if (Object.keys(errors).length) throw invalidRule(errors);
  return columns;
}
