/**
 * The standard filter keys of Chatwoot's lib/filters/filter_keys.yml, per entity: how each maps
 * to SQL, its data type and its operators. Keys not listed here are looked up as the account's
 * custom attributes.
 */
import { CONVERSATION_PRIORITY, CONVERSATION_STATUS } from '../../core/db/enums.js';

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
  | 'starts_with';

export interface KeySpec {
  /** `column` on the entity's table, or a key inside its additional_attributes. */
  source: { column: string } | { additional: string };
  dataType: DataType;
  operators: readonly Operator[];
  /** Values map through this before comparison (enum names to stored integers). */
  enumValues?: Readonly<Record<string, number>>;
}

export interface EntitySpec {
  table: 'contacts' | 'conversations';
  taggableType: 'Contact' | 'Conversation';
  /** custom_attribute_definitions.attribute_model for this entity. */
  attributeModel: number;
  keys: Readonly<Record<string, KeySpec>>;
}

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
