/**
 * The standard filter keys of Chatwoot's lib/filters/filter_keys.yml, per entity: how each maps
 * to SQL, its data type and its operators. Keys not listed here are looked up as the account's
 * custom attributes.
 */
import { sql, type RawBuilder } from 'kysely';
import { CONVERSATION_PRIORITY, CONVERSATION_STATUS, MESSAGE_TYPE } from '../../core/db/enums.js';

export type DataType = 'text' | 'text_case_insensitive' | 'number' | 'boolean' | 'labels' | 'date' | 'link';
export type Operator =
  | 'equal_to'
  | 'not_equal_to'
  | 'contains'
  | 'does_not_contain'
  | 'is_present'
  | 'is_not_present'
  | 'is_greater_than'
  | 'is_less_than'
  | 'days_before'
  | 'starts_with'
  /** Automation rules only: `values: {from: [...], to: [...]}` against the event's changed attributes. */
  | 'attribute_changed';

export interface KeySpec {
  /**
   * `column` on the entity's table, or a key inside its additional_attributes; `table` when the key
   * lives on a joined table (automation conditions read the contact and the event's message).
   */
  source: ({ column: string } | { additional: string }) & { table?: JoinedTable };
  dataType: DataType;
  operators: readonly Operator[];
  /** Values map through this before comparison (enum names to stored integers). */
  enumValues?: Readonly<Record<string, number>>;
}

/** Tables an automation condition may read besides the conversation (joined by the caller). */
export type JoinedTable = 'contacts' | 'messages';

/** Chatwoot's `custom_attribute_type` of a condition, and the table whose custom_attributes it reads. */
export type CustomAttributeModel = 'conversation_attribute' | 'contact_attribute';

export interface EntitySpec {
  table: 'contacts' | 'conversations';
  taggableType: 'Contact' | 'Conversation';
  /** custom_attribute_definitions.attribute_model for this entity. */
  attributeModel: number;
  keys: Readonly<Record<string, KeySpec>>;
  /**
   * Automation conditions: a custom attribute key is the conversation's or the contact's, as the
   * condition's custom_attribute_type says (`customDefault` when absent).
   */
  customTables?: Readonly<Record<CustomAttributeModel, 'contacts' | 'conversations'>>;
  customDefault?: CustomAttributeModel;
  /**
   * A trigram-indexed text holding these keys' columns: a substring condition on one of them also
   * asks the document for the substring (implied, so the answer is the same), which lets the index
   * find the candidates instead of a scan of the account's rows.
   */
  substringIndex?: { keys: readonly string[]; document: RawBuilder<unknown> };
}

/**
 * The expression contacts_search_trgm_idx (0003) covers: name, email, phone number and identifier
 * joined by a unit separator. A query must use it verbatim to reach the index.
 */
export const CONTACT_SEARCH_DOCUMENT = sql`(coalesce(contacts.name, '') || chr(31) || coalesce(contacts.email, '') || chr(31) || coalesce(contacts.phone_number, '') || chr(31) || coalesce(contacts.identifier, ''))`;

const EQ = ['equal_to', 'not_equal_to'] as const;
const EQ_PRESENT = ['equal_to', 'not_equal_to', 'is_present', 'is_not_present'] as const;
const EQ_CONTAINS = ['equal_to', 'not_equal_to', 'contains', 'does_not_contain'] as const;
const DATES = ['is_greater_than', 'is_less_than', 'days_before'] as const;
const LABELS = ['equal_to', 'not_equal_to', 'is_present', 'is_not_present'] as const;

export const CONTACT_FILTERS: EntitySpec = {
  table: 'contacts',
  taggableType: 'Contact',
  attributeModel: 1,
  keys: {
    name: { source: { column: 'name' }, dataType: 'text_case_insensitive', operators: EQ_CONTAINS },
    phone_number: {
      source: { column: 'phone_number' },
      dataType: 'text_case_insensitive',
      operators: [...EQ_CONTAINS, 'starts_with'],
    },
    email: { source: { column: 'email' }, dataType: 'text_case_insensitive', operators: EQ_CONTAINS },
    identifier: { source: { column: 'identifier' }, dataType: 'text_case_insensitive', operators: EQ },
    country_code: { source: { additional: 'country_code' }, dataType: 'text_case_insensitive', operators: EQ },
    city: { source: { additional: 'city' }, dataType: 'text_case_insensitive', operators: EQ_CONTAINS },
    company: { source: { additional: 'company' }, dataType: 'text_case_insensitive', operators: EQ_CONTAINS },
    labels: { source: { column: 'labels' }, dataType: 'labels', operators: LABELS },
    created_at: { source: { column: 'created_at' }, dataType: 'date', operators: DATES },
    last_activity_at: { source: { column: 'last_activity_at' }, dataType: 'date', operators: DATES },
    blocked: { source: { column: 'blocked' }, dataType: 'boolean', operators: EQ },
  },
  substringIndex: { keys: ['name', 'email', 'phone_number', 'identifier'], document: CONTACT_SEARCH_DOCUMENT },
};

export const CONVERSATION_FILTERS: EntitySpec = {
  table: 'conversations',
  taggableType: 'Conversation',
  attributeModel: 0,
  keys: {
    status: { source: { column: 'status' }, dataType: 'text', operators: EQ, enumValues: CONVERSATION_STATUS },
    assignee_id: { source: { column: 'assignee_id' }, dataType: 'number', operators: EQ_PRESENT },
    inbox_id: { source: { column: 'inbox_id' }, dataType: 'number', operators: EQ_PRESENT },
    team_id: { source: { column: 'team_id' }, dataType: 'number', operators: EQ_PRESENT },
    priority: { source: { column: 'priority' }, dataType: 'text', operators: EQ, enumValues: CONVERSATION_PRIORITY },
    display_id: { source: { column: 'display_id' }, dataType: 'number', operators: EQ_CONTAINS },
    campaign_id: { source: { column: 'campaign_id' }, dataType: 'number', operators: EQ_PRESENT },
    labels: { source: { column: 'labels' }, dataType: 'labels', operators: LABELS },
    browser_language: { source: { additional: 'browser_language' }, dataType: 'text', operators: EQ },
    conversation_language: { source: { additional: 'conversation_language' }, dataType: 'text', operators: EQ },
    country_code: { source: { additional: 'country_code' }, dataType: 'text', operators: EQ },
    referer: { source: { additional: 'referer' }, dataType: 'link', operators: EQ_CONTAINS },
    created_at: { source: { column: 'created_at' }, dataType: 'date', operators: DATES },
    last_activity_at: { source: { column: 'last_activity_at' }, dataType: 'date', operators: DATES },
    mail_subject: { source: { additional: 'mail_subject' }, dataType: 'text', operators: EQ_CONTAINS },
  },
};

const conversationKey = (key: string) => CONVERSATION_FILTERS.keys[key]!;
const contactKey = (key: string): KeySpec => ({
  ...CONTACT_FILTERS.keys[key]!,
  source: { ...CONTACT_FILTERS.keys[key]!.source, table: 'contacts' },
});

/**
 * Automation rule conditions (AutomationRule#conditions_attributes, looked up in filter_keys.yml as
 * ConditionsFilterService does: conversation keys first, then the contact's, then the message's),
 * over `conversations` joined with its contact and, for message_created, the event's message.
 */
export const AUTOMATION_CONDITIONS: EntitySpec = {
  table: 'conversations',
  taggableType: 'Conversation',
  attributeModel: 0,
  customTables: { conversation_attribute: 'conversations', contact_attribute: 'contacts' },
  // ConditionsFilterService::ATTRIBUTE_MODEL: a condition without custom_attribute_type reads the contact's
  customDefault: 'contact_attribute',
  keys: {
    content: {
      source: { column: 'content', table: 'messages' },
      dataType: 'text_case_insensitive',
      operators: EQ_CONTAINS,
    },
    email: contactKey('email'),
    country_code: conversationKey('country_code'),
    status: conversationKey('status'),
    message_type: {
      source: { column: 'message_type', table: 'messages' },
      dataType: 'text',
      operators: EQ,
      enumValues: MESSAGE_TYPE,
    },
    browser_language: conversationKey('browser_language'),
    assignee_id: conversationKey('assignee_id'),
    team_id: conversationKey('team_id'),
    referer: conversationKey('referer'),
    city: contactKey('city'),
    company: contactKey('company'),
    inbox_id: conversationKey('inbox_id'),
    mail_subject: conversationKey('mail_subject'),
    phone_number: contactKey('phone_number'),
    priority: conversationKey('priority'),
    conversation_language: conversationKey('conversation_language'),
    labels: conversationKey('labels'),
  },
};
