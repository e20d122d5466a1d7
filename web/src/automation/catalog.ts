// What the automation editor offers, per event: the condition attributes and operators of
// Chatwoot's dashboard (settings/automation/constants.js) that Confab's server accepts
// (src/domains/filters/keys.ts AUTOMATION_CONDITIONS), and the actions with the input each one's
// params need (AUTOMATION_ACTION_TYPES; RULE_ACTIONS and MACRO_ACTIONS on the server).

/** How a condition's values are entered. */
export type ValueInput =
  | 'text'
  | 'comma'
  | 'status'
  | 'priority'
  | 'message_type'
  | 'inbox'
  | 'agent'
  | 'team'
  | 'number'
  | 'date'
  | 'list'
  | 'checkbox';

/** Whose custom attribute a condition reads (Chatwoot's custom_attribute_type). */
export type CustomModel = 'conversation_attribute' | 'contact_attribute';

export interface ConditionSpec {
  key: string;
  label: string;
  operators: readonly string[];
  input: ValueInput;
  hint?: string;
  /** Set on the account's custom attributes: whose attribute it is. */
  custom?: CustomModel;
  /** A list attribute's values. */
  options?: readonly string[];
}

/** Operators that take no value. */
export const PRESENCE = new Set(['is_present', 'is_not_present']);

const EQ = ['equal_to', 'not_equal_to'] as const;
const EQ_CONTAINS = ['equal_to', 'not_equal_to', 'contains', 'does_not_contain'] as const;
const EQ_PRESENT = ['equal_to', 'not_equal_to', 'is_present', 'is_not_present'] as const;

const C: Readonly<Record<string, ConditionSpec>> = {
  message_type: { key: 'message_type', label: 'Message type', operators: EQ, input: 'message_type' },
  content: {
    key: 'content',
    label: 'Message content',
    operators: EQ_CONTAINS,
    input: 'comma',
    hint: 'Several words separated by commas: any of them matches',
  },
  email: { key: 'email', label: 'Email', operators: EQ_CONTAINS, input: 'text' },
  inbox_id: { key: 'inbox_id', label: 'Inbox', operators: EQ, input: 'inbox' },
  conversation_language: {
    key: 'conversation_language',
    label: 'Conversation language',
    operators: EQ,
    input: 'text',
    hint: 'A language code, e.g. en',
  },
  phone_number: {
    key: 'phone_number',
    label: 'Phone number',
    operators: [...EQ_CONTAINS, 'starts_with'],
    input: 'text',
  },
  status: { key: 'status', label: 'Status', operators: EQ, input: 'status' },
  browser_language: {
    key: 'browser_language',
    label: 'Browser language',
    operators: EQ,
    input: 'text',
    hint: 'A language code, e.g. en',
  },
  mail_subject: { key: 'mail_subject', label: 'Email subject', operators: EQ_CONTAINS, input: 'text' },
  country_code: {
    key: 'country_code',
    label: 'Country',
    operators: EQ,
    input: 'text',
    hint: 'A country code, e.g. US',
  },
  referer: { key: 'referer', label: 'Referrer link', operators: EQ_CONTAINS, input: 'text' },
  priority: { key: 'priority', label: 'Priority', operators: EQ, input: 'priority' },
  assignee_id: { key: 'assignee_id', label: 'Assignee', operators: EQ_PRESENT, input: 'agent' },
  team_id: { key: 'team_id', label: 'Team', operators: EQ_PRESENT, input: 'team' },
};

const pick = (...keys: string[]) => keys.map((k) => C[k]!);

/** conversation_opened's and conversation_resolved's conditions (the same in the dashboard). */
const LATER_CONDITIONS = pick(
  'browser_language',
  'email',
  'mail_subject',
  'country_code',
  'referer',
  'assignee_id',
  'phone_number',
  'team_id',
  'inbox_id',
  'conversation_language',
  'priority',
);

/** The events a rule listens to, in the dashboard's order, each with its conditions. */
export const EVENTS: ReadonlyArray<{ key: string; label: string; conditions: ConditionSpec[] }> = [
  {
    key: 'conversation_created',
    label: 'Conversation created',
    conditions: pick(
      'status',
      'browser_language',
      'mail_subject',
      'country_code',
      'phone_number',
      'referer',
      'email',
      'inbox_id',
      'conversation_language',
      'priority',
    ),
  },
  {
    key: 'conversation_updated',
    label: 'Conversation updated',
    conditions: pick(
      'status',
      'browser_language',
      'mail_subject',
      'country_code',
      'referer',
      'phone_number',
      'assignee_id',
      'team_id',
      'email',
      'inbox_id',
      'conversation_language',
      'priority',
    ),
  },
  {
    key: 'conversation_resolved',
    label: 'Conversation resolved',
    conditions: LATER_CONDITIONS,
  },
  {
    key: 'message_created',
    label: 'Message created',
    conditions: pick('message_type', 'content', 'email', 'inbox_id', 'conversation_language', 'phone_number'),
  },
  {
    key: 'conversation_opened',
    label: 'Conversation opened',
    conditions: LATER_CONDITIONS,
  },
];

export const eventOf = (key: string) => EVENTS.find((e) => e.key === key) ?? EVENTS[0]!;

/**
 * The operators the server's condition compiler takes per custom attribute type
 * (src/domains/filters/compile.ts CUSTOM_OPERATORS): a superset of the dashboard's, which leaves
 * out contains on text and presence on lists, numbers and links.
 */
const CUSTOM_OPERATORS: Readonly<Record<string, readonly string[]>> = {
  text: [...EQ_CONTAINS, 'is_present', 'is_not_present'],
  link: [...EQ_CONTAINS, 'is_present', 'is_not_present'],
  list: EQ_PRESENT,
  number: [...EQ, 'is_greater_than', 'is_less_than', 'is_present', 'is_not_present'],
  currency: [...EQ, 'is_greater_than', 'is_less_than', 'is_present', 'is_not_present'],
  percent: [...EQ, 'is_greater_than', 'is_less_than', 'is_present', 'is_not_present'],
  date: [...EQ, 'is_greater_than', 'is_less_than', 'days_before', 'is_present', 'is_not_present'],
  checkbox: EQ,
};

const CUSTOM_INPUTS: Readonly<Record<string, ValueInput>> = {
  number: 'number',
  currency: 'number',
  percent: 'number',
  date: 'date',
  list: 'list',
  checkbox: 'checkbox',
};

/** A custom attribute definition as a condition every event offers (the dashboard appends them to each). */
export function customCondition(
  definition: {
    attribute_key: string;
    attribute_display_name: string;
    attribute_display_type: string;
    attribute_values?: string[];
  },
  custom: CustomModel,
): ConditionSpec {
  const type = definition.attribute_display_type;
  return {
    key: definition.attribute_key,
    label: definition.attribute_display_name,
    operators: CUSTOM_OPERATORS[type] ?? CUSTOM_OPERATORS.text!,
    input: CUSTOM_INPUTS[type] ?? 'text',
    custom,
    options: definition.attribute_values ?? [],
  };
}

/** A condition's identity in the attribute picker: custom keys may repeat across models. */
export const conditionId = (c: { key: string; custom?: CustomModel }) => (c.custom ? `${c.custom}:${c.key}` : c.key);

/** How an action's params are entered. */
export type ParamInput =
  | 'none'
  | 'agent'
  | 'team'
  | 'labels'
  | 'team_message'
  | 'message'
  | 'emails'
  | 'url'
  | 'priority'
  | 'status'
  | 'sla'
  | 'attachment';

export const ACTION_TYPES: Readonly<Record<string, { label: string; input: ParamInput }>> = {
  assign_agent: { label: 'Assign to agent', input: 'agent' },
  assign_team: { label: 'Assign a team', input: 'team' },
  remove_assigned_team: { label: 'Remove the team', input: 'none' },
  add_label: { label: 'Add labels', input: 'labels' },
  remove_label: { label: 'Remove labels', input: 'labels' },
  send_email_to_team: { label: 'Send an email to teams', input: 'team_message' },
  send_message: { label: 'Send a message', input: 'message' },
  add_private_note: { label: 'Add a private note', input: 'message' },
  send_attachment: { label: 'Send an attachment', input: 'attachment' },
  send_email_transcript: { label: 'Send an email transcript', input: 'emails' },
  mute_conversation: { label: 'Mute conversation', input: 'none' },
  snooze_conversation: { label: 'Snooze conversation', input: 'none' },
  resolve_conversation: { label: 'Resolve conversation', input: 'none' },
  change_status: { label: 'Change status', input: 'status' },
  change_priority: { label: 'Change priority', input: 'priority' },
  send_webhook_event: { label: 'Send a webhook event', input: 'url' },
  add_sla: { label: 'Add SLA policy', input: 'sla' },
};

const COMMON = [
  'assign_agent',
  'assign_team',
  'add_label',
  'remove_label',
  'send_email_to_team',
  'send_message',
  'add_private_note',
  'send_attachment',
  'send_email_transcript',
  'change_priority',
  'send_webhook_event',
];

/**
 * A rule's actions for its event: everything the server runs, less the status changes that would
 * undo the event itself (no resolve on conversation_resolved), as the dashboard leaves them out.
 */
export function ruleActions(event: string, sla: boolean): string[] {
  const state =
    event === 'conversation_resolved'
      ? []
      : event === 'conversation_opened'
        ? ['mute_conversation', 'snooze_conversation']
        : ['mute_conversation', 'snooze_conversation', 'resolve_conversation'];
  return [...COMMON, ...state, ...(sla ? ['add_sla'] : [])];
}

/** MacrosController's actions (MACRO_ACTIONS on the server). */
export const MACRO_ACTIONS = [
  'assign_agent',
  'assign_team',
  'remove_assigned_team',
  'add_label',
  'remove_label',
  'send_message',
  'add_private_note',
  'send_attachment',
  'send_email_transcript',
  'mute_conversation',
  'snooze_conversation',
  'resolve_conversation',
  'change_status',
  'change_priority',
  'send_webhook_event',
];

export const STATUSES = ['open', 'pending', 'resolved', 'snoozed'];
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'];
export const MESSAGE_TYPES = ['incoming', 'outgoing'];
