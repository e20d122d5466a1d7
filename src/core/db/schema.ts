import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Database row types, written beside migrations/*.sql (snake_case as on the wire). */

/*
 * schema.test.ts compares these declarations with the migrated database (columns, nullability,
 * type families, Generated<> for defaults); json-rows.ts derives its timestamp lists from them.
 * pg parses timestamptz as Date; inserts and updates may also pass ISO strings.
 */
/** NOT NULL with a default (now()): optional on insert. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** NOT NULL without a default: required on insert. */
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb NOT NULL with a default ('{}' or '[]'): optional on insert. */
type Json<T = Record<string, unknown>> = ColumnType<T, T | string | undefined, T | string>;
/** jsonb NOT NULL without a default: required on insert. */
type RequiredJson<T = Record<string, unknown>> = ColumnType<T, T | string, T | string>;

export interface AccountsTable {
  id: Generated<number>;
  name: string;
  locale: Generated<string>;
  domain: string | null;
  support_email: string | null;
  status: Generated<number>;
  features: Json<Record<string, boolean>>;
  limits: Json;
  custom_attributes: Json;
  settings: Json;
  auto_resolve_duration: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  display_name: string | null;
  email: string;
  encrypted_password: string | null;
  provider: Generated<string>;
  type: string | null;
  pubsub_token: string;
  avatar_url: string | null;
  avatar_blob_id: number | null;
  message_signature: string | null;
  ui_settings: Json;
  custom_attributes: Json;
  confirmed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccountUsersTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  role: Generated<number>;
  inviter_id: number | null;
  availability: Generated<number>;
  auto_offline: Generated<boolean>;
  active_at: NullableTimestamp;
  /** Assignment V2: the agent's capacity policy (0050). */
  agent_capacity_policy_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AgentBotsTable {
  id: Generated<number>;
  name: string | null;
  description: string | null;
  outgoing_url: string | null;
  account_id: number | null;
  bot_type: Generated<number>;
  bot_config: Json;
  avatar_url: string | null;
  avatar_blob_id: number | null;
  /** Signs this bot's webhook deliveries (0008). */
  secret: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformAppsTable {
  id: Generated<number>;
  name: string;
  revoked_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type TokenOwnerType = 'User' | 'AgentBot' | 'PlatformApp';
export type PermissibleType = 'Account' | 'User' | 'AgentBot';

export interface AccessTokensTable {
  id: Generated<number>;
  owner_type: TokenOwnerType;
  owner_id: number;
  token: string;
  token_digest: Buffer;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformAppPermissiblesTable {
  id: Generated<number>;
  platform_app_id: number;
  permissible_type: PermissibleType;
  permissible_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SsoAuthTokensTable {
  id: Generated<number>;
  user_id: number;
  token_digest: Buffer;
  expires_at: RequiredTimestamp;
  created_at: Timestamp;
}

/** Password reset and e-mail confirmation tokens, by digest (0040_user_auth_tokens.sql). */
export interface UserAuthTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: UserAuthTokenPurpose;
  token_digest: Buffer;
  expires_at: RequiredTimestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}
export type UserAuthTokenPurpose = 'reset_password' | 'confirmation';

export interface ChannelApiTable {
  id: Generated<number>;
  account_id: number;
  webhook_url: string | null;
  identifier: string;
  hmac_token: string;
  hmac_mandatory: Generated<boolean>;
  secret: string;
  additional_attributes: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InboxesTable {
  id: Generated<number>;
  account_id: number;
  channel_type: string;
  channel_id: number;
  name: string;
  avatar_url: string | null;
  avatar_blob_id: number | null;
  greeting_enabled: Generated<boolean>;
  greeting_message: string | null;
  enable_email_collect: Generated<boolean>;
  csat_survey_enabled: Generated<boolean>;
  csat_config: Json;
  enable_auto_assignment: Generated<boolean>;
  auto_assignment_config: Json;
  out_of_office_message: string | null;
  working_hours_enabled: Generated<boolean>;
  timezone: Generated<string>;
  allow_messages_after_resolved: Generated<boolean>;
  lock_to_single_conversation: Generated<boolean>;
  sender_name_type: Generated<number>;
  business_name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkingHoursTable {
  id: Generated<number>;
  inbox_id: number;
  account_id: number;
  day_of_week: number;
  closed_all_day: Generated<boolean>;
  open_hour: number | null;
  open_minutes: number | null;
  close_hour: number | null;
  close_minutes: number | null;
  open_all_day: Generated<boolean>;
}

export interface MembershipTable {
  id: Generated<number>;
  user_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface InboxMembersTable extends MembershipTable {
  inbox_id: number;
  /** The member's place in the inbox's round-robin queue: smallest is next (0050). */
  round_robin_turn: Generated<number>;
}
export interface TeamMembersTable extends MembershipTable {
  team_id: number;
}

export interface TeamsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: string | null;
  allow_auto_assign: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AgentBotInboxesTable {
  id: Generated<number>;
  inbox_id: number;
  agent_bot_id: number;
  account_id: number;
  status: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserSessionsTable {
  id: Generated<number>;
  user_id: number;
  client: string;
  token_digest: Buffer;
  expires_at: RequiredTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactsTable {
  id: Generated<number>;
  account_id: number;
  name: Generated<string>;
  middle_name: string | null;
  last_name: string | null;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  avatar_url: string | null;
  avatar_blob_id: number | null;
  location: string | null;
  country_code: string | null;
  blocked: Generated<boolean>;
  contact_type: Generated<number>;
  custom_attributes: Json;
  additional_attributes: Json;
  last_activity_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  company_id: number | null;
}

export interface CompaniesTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  domain: string | null;
  description: string | null;
  avatar_url: string | null;
  custom_attributes: Json;
  additional_attributes: Json;
  last_activity_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactInboxesTable {
  id: Generated<number>;
  contact_id: number;
  inbox_id: number;
  source_id: string;
  hmac_verified: Generated<boolean>;
  pubsub_token: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NotesTable {
  id: Generated<number>;
  account_id: number;
  contact_id: number;
  user_id: number | null;
  content: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LabelsTable {
  id: Generated<number>;
  account_id: number;
  title: string;
  description: string | null;
  color: Generated<string>;
  show_on_sidebar: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TaggingsTable {
  id: Generated<number>;
  account_id: number;
  taggable_type: 'Contact' | 'Conversation';
  taggable_id: number;
  name: string;
  created_at: Timestamp;
}

export interface CustomAttributeDefinitionsTable {
  id: Generated<number>;
  account_id: number;
  attribute_display_name: string;
  attribute_key: string;
  attribute_display_type: Generated<number>;
  attribute_model: Generated<number>;
  attribute_description: string | null;
  attribute_values: Json<unknown[]>;
  default_value: string | null;
  regex_pattern: string | null;
  regex_cue: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DataImportsTable {
  id: Generated<number>;
  account_id: number;
  data_type: Generated<string>;
  status: Generated<number>;
  total_records: Generated<number>;
  processed_records: Generated<number>;
  failed_records: Json<unknown[]>;
  file_path: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DataImportChunksTable {
  data_import_id: number;
  seq: number;
  data: Buffer;
}

export interface CannedResponsesTable {
  id: Generated<number>;
  account_id: number;
  short_code: string;
  content: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A macro (Chatwoot's Macro): visibility personal 0, global 1. */
export interface MacrosTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  visibility: Generated<number>;
  created_by_id: number | null;
  updated_by_id: number | null;
  actions: Json<unknown[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One draft per user and conversation (Chatwoot's CONVERSATION::DRAFT_MESSAGE Redis key). */
export interface DraftMessagesTable {
  account_id: number;
  conversation_id: number;
  user_id: number;
  message: string;
  updated_at: Timestamp;
}

export interface ConversationsTable {
  id: Generated<number>;
  account_id: number;
  inbox_id: number;
  contact_id: number;
  contact_inbox_id: number | null;
  /** Assigned by a trigger from the account's counter when not given. */
  display_id: Generated<number>;
  uuid: Generated<string>;
  status: Generated<number>;
  priority: number | null;
  assignee_id: number | null;
  team_id: number | null;
  campaign_id: number | null;
  sla_policy_id: number | null;
  snoozed_until: NullableTimestamp;
  identifier: string | null;
  additional_attributes: Json;
  custom_attributes: Json;
  agent_last_seen_at: NullableTimestamp;
  assignee_last_seen_at: NullableTimestamp;
  contact_last_seen_at: NullableTimestamp;
  first_reply_created_at: NullableTimestamp;
  waiting_since: NullableTimestamp;
  last_activity_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomFiltersTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  name: string;
  filter_type: Generated<number>;
  /** Any JSON: the dashboard saves `{payload: [...]}`; the column default is the string "{}". */
  query: Json<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConversationCountsTable {
  account_id: number;
  status: number;
  inbox_id: number;
  team_id: number;
  assignee_id: number;
  n: number;
}

/** Resolved contacts per account, kept by triggers (0125): the account's count is the sum of its slots. */
export interface ContactCountsTable {
  account_id: number;
  slot: number;
  n: number;
}

export interface ConversationParticipantsTable {
  id: Generated<number>;
  account_id: number;
  conversation_id: number;
  user_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type SenderType = 'User' | 'Contact' | 'AgentBot';

export interface MessagesTable {
  id: Generated<number>;
  account_id: number;
  inbox_id: number;
  conversation_id: number;
  message_type: number;
  content_type: Generated<number>;
  content: string | null;
  private: Generated<boolean>;
  status: Generated<number>;
  source_id: string | null;
  content_attributes: Json;
  additional_attributes: Json;
  external_source_ids: Json;
  sentiment: Json;
  sender_type: SenderType | null;
  sender_id: number | null;
  echo_id: string | null;
  idempotency_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AttachmentsTable {
  id: Generated<number>;
  account_id: number;
  message_id: number;
  file_type: Generated<number>;
  external_url: string | null;
  coordinates_lat: number | null;
  coordinates_long: number | null;
  fallback_title: string | null;
  extension: string | null;
  storage_key: string | null;
  filename: string | null;
  content_type: string | null;
  file_size: number | null;
  width: number | null;
  height: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An uploaded file outside messages (an ActiveStorage blob): avatars, /upload, direct uploads. */
export interface BlobsTable {
  id: Generated<number>;
  account_id: number | null;
  key: string;
  filename: string;
  content_type: string;
  byte_size: number;
  checksum: string | null;
  /** false while a direct upload waits for its bytes */
  uploaded: Generated<boolean>;
  /** SHA-256 (hex) of a direct upload's one-time PUT token */
  upload_token_digest: string | null;
  created_at: Timestamp;
}

export interface RealtimeEventsTable {
  id: Generated<number>;
  streams: string[];
  event: string;
  /** ActionCable's message data: always an object. */
  data: RequiredJson<object>;
  created_at: Timestamp;
}

export interface PresenceTable {
  account_id: number;
  kind: 'User' | 'Contact';
  entity_id: number;
  last_seen_at: Timestamp;
}

export interface CsatSurveyResponsesTable {
  id: Generated<number>;
  account_id: number;
  conversation_id: number;
  message_id: number;
  contact_id: number;
  assigned_agent_id: number | null;
  rating: number;
  feedback_message: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AutomationRulesTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: string | null;
  event_name: string;
  /** Chatwoot's conditions as sent: [{attribute_key, filter_operator, values, query_operator, custom_attribute_type?}]. */
  conditions: Json<unknown[]>;
  /** [{action_name, action_params}] */
  actions: Json<unknown[]>;
  active: Generated<boolean>;
  /** Reauthorizable: evaluations whose conditions did not validate since they last changed. */
  authorization_error_count: Generated<number>;
  /** Reauthorizable: the threshold was reached (the rule was deactivated and the administrators told). */
  reauthorization_required: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One rule evaluated for one event (Confab's record of automation runs). */
export interface AutomationRuleRunsTable {
  id: Generated<number>;
  account_id: number;
  automation_rule_id: number;
  conversation_id: number | null;
  message_id: number | null;
  event_name: string;
  event_key: string;
  /** the automation_events row the run is of (null before 0065) */
  event_id: ColumnType<number | null, number | null | undefined, number | null>;
  matched: boolean;
  actions: Json<unknown[]>;
  error: string | null;
  created_at: Timestamp;
}

export interface AutomationEventsTable {
  id: Generated<number>;
  account_id: number;
  event_name: string;
  conversation_id: number;
  message_id: number | null;
  changed_attributes: Json<Record<string, [unknown, unknown]>> | null;
  occurred_at: Timestamp;
}

export interface AutomationEventRunsTable {
  id: Generated<number>;
  account_id: number;
  event_name: string;
  run_ids: number[];
  event_ids: number[];
  /** null where the event had none (message_ids of conversation events) */
  conversation_ids: number[];
  message_ids: number[];
  last_event_id: number;
  missed_rule_ids: ColumnType<number[], number[] | undefined, number[]>;
  unchanged_rule_ids: ColumnType<number[], number[] | undefined, number[]>;
  created_at: Timestamp;
}

export interface ReportingEventsTable {
  id: Generated<number>;
  name: string;
  value: number | null;
  value_in_business_hours: number | null;
  account_id: number;
  inbox_id: number | null;
  user_id: number | null;
  conversation_id: number | null;
  event_start_time: NullableTimestamp;
  event_end_time: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Per-slot report aggregates (migration 0100); sums are numeric, read back as strings. */
export interface ReportRollupsTable {
  account_id: number;
  source: string;
  dimension: number;
  grain: number;
  key: number;
  slot: RequiredTimestamp;
  n: number;
  total: string;
  valued: number;
  total_bh: string;
  valued_bh: number;
}

/** Changes not yet folded into report_rollups (migration 0100). */
export interface ReportRollupDeltasTable {
  id: Generated<number>;
  account_id: number;
  source: string;
  at: RequiredTimestamp;
  inbox_id: number | null;
  user_id: number | null;
  n: number;
  value: number | null;
  value_bh: number | null;
}

/** Client API rate-limit windows shared by the nodes (migration 0120, unlogged). */
export interface RateLimitCountersTable {
  key: string;
  hits: number;
  expires_at: RequiredTimestamp;
}

export interface WebhooksTable {
  id: Generated<number>;
  account_id: number;
  inbox_id: number | null;
  name: string | null;
  url: string;
  subscriptions: Json<string[]>;
  webhook_type: Generated<number>;
  secret: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type DeliveryKind = 'account_webhook' | 'api_inbox_webhook' | 'agent_bot_webhook' | 'automation_webhook';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  account_id: number;
  kind: DeliveryKind;
  webhook_id: number | null;
  inbox_id: number | null;
  agent_bot_id: number | null;
  url: string;
  event: string;
  /** Null until the node that queued it with a one-statement message sets it (migration 0158). */
  payload: ColumnType<
    Record<string, unknown> | null,
    Record<string, unknown> | string | null,
    Record<string, unknown> | string | null
  >;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  response_code: number | null;
  latency_ms: number | null;
  last_error: string | null;
  message_id: number | null;
  redelivery_of: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  delivered_at: NullableTimestamp;
  /** When the next try is due (a retry's backoff). */
  next_attempt_at: Timestamp;
  /** The drainer that claimed it, while a try is in flight. */
  locked_by: string | null;
}

export type NotificationActorType = 'Message' | 'User' | 'AgentBot' | 'SlaPolicy';

export interface NotificationsTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  notification_type: number;
  primary_actor_type: Generated<'Conversation'>;
  primary_actor_id: number;
  secondary_actor_type: NotificationActorType | null;
  secondary_actor_id: number | null;
  read_at: NullableTimestamp;
  snoozed_until: NullableTimestamp;
  last_activity_at: Timestamp;
  meta: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NotificationSettingsTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  email_flags: Generated<number>;
  push_flags: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccountCacheKeysTable {
  account_id: number;
  key: 'label' | 'inbox' | 'team';
  stamp: number;
}

export interface JobMarksTable {
  key: string;
  created_at: Timestamp;
}

export interface SlaPoliciesTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: string | null;
  first_response_time_threshold: number | null;
  next_response_time_threshold: number | null;
  resolution_time_threshold: number | null;
  only_during_business_hours: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppliedSlasTable {
  id: Generated<number>;
  account_id: number;
  sla_policy_id: number;
  conversation_id: number;
  sla_status: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SlaEventsTable {
  id: Generated<number>;
  account_id: number;
  applied_sla_id: number;
  conversation_id: number;
  inbox_id: number;
  sla_policy_id: number;
  event_type: number;
  meta: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Assignment V2 (0050). */
export interface AssignmentPoliciesTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: string | null;
  assignment_order: Generated<number>;
  conversation_priority: Generated<number>;
  fair_distribution_limit: Generated<number>;
  fair_distribution_window: Generated<number>;
  enabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InboxAssignmentPoliciesTable {
  id: Generated<number>;
  account_id: number;
  inbox_id: number;
  assignment_policy_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AgentCapacityPoliciesTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: string | null;
  exclusion_rules: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InboxCapacityLimitsTable {
  id: Generated<number>;
  account_id: number;
  agent_capacity_policy_id: number;
  inbox_id: number;
  conversation_limit: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AutoAssignmentsTable {
  id: Generated<number>;
  account_id: number;
  inbox_id: number;
  user_id: number;
  conversation_id: number;
  assigned_at: Timestamp;
}

/** Portal config (Portal::CONFIG_JSON_KEYS); locales are Chatwoot's codes ('en', 'pt_BR'). */
export interface PortalConfig {
  allowed_locales?: string[];
  default_locale?: string;
  draft_locales?: string[];
  [key: string]: unknown;
}

export interface PortalsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  slug: string;
  custom_domain: string | null;
  color: string | null;
  header_text: string | null;
  homepage_link: string | null;
  page_title: string | null;
  config: Json<PortalConfig>;
  archived: Generated<boolean>;
  avatar_url: string | null;
  avatar_blob_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CategoriesTable {
  id: Generated<number>;
  account_id: number;
  portal_id: number;
  name: string;
  slug: string;
  locale: Generated<string>;
  description: string | null;
  position: number | null;
  icon: string | null;
  parent_category_id: number | null;
  associated_category_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RelatedCategoriesTable {
  category_id: number;
  related_category_id: number;
}

/**
 * Articles per portal, locale, category, author and status, kept by triggers (0150); a missing
 * category or author is 0.
 */
export interface ArticleCountsTable {
  portal_id: number;
  locale: string;
  category_id: number;
  author_id: number;
  status: number;
  n: number;
}

/** Every lexeme an account's articles have had (0152): search.ts expands a prefix from them. */
export interface ArticleLexemesTable {
  account_id: number;
  lexeme: string;
}

/**
 * What the articles index's search filters, counts and orders by, one narrow row per article, kept
 * by triggers (0153); `vector` is the article's search_vector stripped, stored out of line.
 */
export interface ArticleSearchRowsTable {
  article_id: number;
  account_id: number;
  portal_id: number;
  category_id: number | null;
  author_id: number | null;
  status: number;
  position: number | null;
  locale: string;
  updated_at: RequiredTimestamp;
  vector: string;
  /** Generated filler that makes PostgreSQL move the vector out of the row (see 0153); never written. */
  toast_start: ColumnType<string | null, never, never>;
}

export interface ArticlesTable {
  id: Generated<number>;
  account_id: number;
  portal_id: number;
  category_id: number | null;
  author_id: number | null;
  associated_article_id: number | null;
  title: string;
  slug: string;
  content: string | null;
  description: string | null;
  status: Generated<number>;
  position: number | null;
  locale: Generated<string>;
  meta: Json;
  views: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Generated by the database from title, description and content; never written. */
  search_vector: ColumnType<string | null, never, never>;
}

export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  account_users: AccountUsersTable;
  agent_bots: AgentBotsTable;
  platform_apps: PlatformAppsTable;
  access_tokens: AccessTokensTable;
  platform_app_permissibles: PlatformAppPermissiblesTable;
  sso_auth_tokens: SsoAuthTokensTable;
  user_auth_tokens: UserAuthTokensTable;
  channel_api: ChannelApiTable;
  inboxes: InboxesTable;
  working_hours: WorkingHoursTable;
  inbox_members: InboxMembersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  agent_bot_inboxes: AgentBotInboxesTable;
  user_sessions: UserSessionsTable;
  contacts: ContactsTable;
  companies: CompaniesTable;
  contact_inboxes: ContactInboxesTable;
  notes: NotesTable;
  labels: LabelsTable;
  taggings: TaggingsTable;
  custom_attribute_definitions: CustomAttributeDefinitionsTable;
  data_imports: DataImportsTable;
  data_import_chunks: DataImportChunksTable;
  canned_responses: CannedResponsesTable;
  custom_filters: CustomFiltersTable;
  conversations: ConversationsTable;
  conversation_display_ids: { account_id: number; last_value: Generated<number> };
  conversation_counts: ConversationCountsTable;
  conversation_label_counts: ConversationCountsTable & { label: string };
  conversation_label_count_deltas: ConversationCountsTable & { id: Generated<number>; label: string };
  conversation_participants: ConversationParticipantsTable;
  contact_counts: ContactCountsTable;
  messages: MessagesTable;
  draft_messages: DraftMessagesTable;
  macros: MacrosTable;
  job_marks: JobMarksTable;
  attachments: AttachmentsTable;
  blobs: BlobsTable;
  realtime_events: RealtimeEventsTable;
  presence: PresenceTable;
  csat_survey_responses: CsatSurveyResponsesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  account_cache_keys: AccountCacheKeysTable;
  sla_policies: SlaPoliciesTable;
  applied_slas: AppliedSlasTable;
  sla_events: SlaEventsTable;
  assignment_policies: AssignmentPoliciesTable;
  inbox_assignment_policies: InboxAssignmentPoliciesTable;
  agent_capacity_policies: AgentCapacityPoliciesTable;
  inbox_capacity_limits: InboxCapacityLimitsTable;
  auto_assignments: AutoAssignmentsTable;
  automation_rules: AutomationRulesTable;
  automation_rule_runs: AutomationRuleRunsTable;
  automation_events: AutomationEventsTable;
  automation_event_runs: AutomationEventRunsTable;
  reporting_events: ReportingEventsTable;
  report_rollups: ReportRollupsTable;
  report_rollup_deltas: ReportRollupDeltasTable;
  rate_limit_counters: RateLimitCountersTable;
  portals: PortalsTable;
  categories: CategoriesTable;
  related_categories: RelatedCategoriesTable;
  articles: ArticlesTable;
  article_counts: ArticleCountsTable;
  article_lexemes: ArticleLexemesTable;
  article_search_rows: ArticleSearchRowsTable;
}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type User = Selectable<UsersTable>;
export type Macro = Selectable<MacrosTable>;
export type Company = Selectable<CompaniesTable>;
export type SlaPolicy = Selectable<SlaPoliciesTable>;
export type AppliedSla = Selectable<AppliedSlasTable>;
export type SlaEvent = Selectable<SlaEventsTable>;
export type AccountUser = Selectable<AccountUsersTable>;
export type AgentBot = Selectable<AgentBotsTable>;
export type PlatformApp = Selectable<PlatformAppsTable>;
export type ChannelApi = Selectable<ChannelApiTable>;
export type Inbox = Selectable<InboxesTable>;
export type WorkingHours = Selectable<WorkingHoursTable>;
export type Team = Selectable<TeamsTable>;
export type Contact = Selectable<ContactsTable>;
export type ContactInbox = Selectable<ContactInboxesTable>;
export type Note = Selectable<NotesTable>;
export type Label = Selectable<LabelsTable>;
export type CustomAttributeDefinition = Selectable<CustomAttributeDefinitionsTable>;
export type CannedResponse = Selectable<CannedResponsesTable>;
export type CustomFilter = Selectable<CustomFiltersTable>;
export type Conversation = Selectable<ConversationsTable>;
export type Message = Selectable<MessagesTable>;
export type Attachment = Selectable<AttachmentsTable>;
export type Blob = Selectable<BlobsTable>;
export type CsatSurveyResponse = Selectable<CsatSurveyResponsesTable>;
export type Webhook = Selectable<WebhooksTable>;
export type AutomationRule = Selectable<AutomationRulesTable>;
export type AutomationRuleRun = Selectable<AutomationRuleRunsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
export type Notification = Selectable<NotificationsTable>;
export type NotificationSetting = Selectable<NotificationSettingsTable>;
export type AssignmentPolicy = Selectable<AssignmentPoliciesTable>;
export type AgentCapacityPolicy = Selectable<AgentCapacityPoliciesTable>;
export type InboxCapacityLimit = Selectable<InboxCapacityLimitsTable>;
export type Portal = Selectable<PortalsTable>;
export type Category = Selectable<CategoriesTable>;
export type Article = Selectable<ArticlesTable>;
