/** Chatwoot's integer enums, rendered as their names on the wire. */
export const ACCOUNT_STATUSES = ['active', 'suspended'] as const;
export const ACCOUNT_USER_ROLES = ['agent', 'administrator'] as const;
export const AVAILABILITIES = ['online', 'offline', 'busy'] as const;
export const BOT_TYPES = ['webhook'] as const;

export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type AccountUserRole = (typeof ACCOUNT_USER_ROLES)[number];
export type Availability = (typeof AVAILABILITIES)[number];

export function enumName<T extends readonly string[]>(names: T, value: number): T[number] {
  return names[value] ?? names[0]!;
}

export function enumValue<T extends readonly string[]>(names: T, name: T[number]): number {
  return names.indexOf(name);
}

export const CONVERSATION_STATUSES = ['open', 'resolved', 'pending', 'snoozed'] as const;
export const CONVERSATION_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'] as const;
export const MESSAGE_CONTENT_TYPES = [
  'text',
  'input_text',
  'input_textarea',
  'input_email',
  'input_select',
  'cards',
  'form',
  'article',
  'incoming_email',
  'input_csat',
  'integrations',
  'sticker',
  'voice_call',
] as const;
export const MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
/** Macro.visibility. */
export const MACRO_VISIBILITIES = ['personal', 'global'] as const;
export const ATTACHMENT_FILE_TYPES = [
  'image',
  'audio',
  'video',
  'file',
  'location',
  'fallback',
  'share',
  'story_mention',
  'contact',
] as const;

export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export type ConversationPriority = (typeof CONVERSATION_PRIORITIES)[number];
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type MessageContentType = (typeof MESSAGE_CONTENT_TYPES)[number];

/** name → stored integer, for lookups of names given on the wire. */
export function enumIndex<T extends readonly string[]>(names: T): Readonly<Record<T[number], number>> {
  return Object.fromEntries(names.map((name, index) => [name, index])) as Record<T[number], number>;
}

/**
 * The stored integers by name, for code that writes or compares them (`MESSAGE_TYPE.incoming`):
 * the one place a Chatwoot enum's numbers are written down, derived from the name lists above.
 */
export const CONVERSATION_STATUS = enumIndex(CONVERSATION_STATUSES);
export const MESSAGE_TYPE = enumIndex(MESSAGE_TYPES);
export const MESSAGE_CONTENT_TYPE = enumIndex(MESSAGE_CONTENT_TYPES);
export const ACCOUNT_USER_ROLE = enumIndex(ACCOUNT_USER_ROLES);
export const CONVERSATION_PRIORITY = enumIndex(CONVERSATION_PRIORITIES);
export const MESSAGE_STATUS = enumIndex(MESSAGE_STATUSES);

/** AppliedSla#sla_status (enterprise/app/models/applied_sla.rb). */
export const SLA_STATUSES = ['active', 'hit', 'missed', 'active_with_misses'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];
export const SLA_STATUS = enumIndex(SLA_STATUSES);
/** SlaEvent#event_type: first response, next response, resolution. */
export const SLA_EVENT_TYPES = ['frt', 'nrt', 'rt'] as const;
export type SlaEventType = (typeof SLA_EVENT_TYPES)[number];
export const SLA_EVENT_TYPE = enumIndex(SLA_EVENT_TYPES);

/** AssignmentPolicy#assignment_order (balanced is Chatwoot's enterprise order). */
export const ASSIGNMENT_ORDERS = ['round_robin', 'balanced'] as const;
/** AssignmentPolicy#conversation_priority. */
export const ASSIGNMENT_PRIORITIES = ['earliest_created', 'longest_waiting'] as const;

/** Article.status (help center). */
export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
export const ARTICLE_STATUS = enumIndex(ARTICLE_STATUSES);
