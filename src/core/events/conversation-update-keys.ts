/**
 * Conversation attributes whose change Chatwoot announces as conversation_updated
 * (Conversation#list_of_keys, with enterprise's sla_policy_id): the webhooks and the automation
 * rules fold a transaction's changes by this one list.
 */
export const CONVERSATION_UPDATE_KEYS: ReadonlySet<string> = new Set([
  'team_id',
  'assignee_id',
  'status',
  'snoozed_until',
  'custom_attributes',
  'label_list',
  'waiting_since',
  'first_reply_created_at',
  'priority',
  'sla_policy_id',
]);
