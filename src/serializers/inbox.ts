// Mirrors app/views/api/v1/models/_inbox.json.jbuilder for API-channel inboxes (Chatwoot ~v4.13):
// common keys, the web-widget and Twilio keys every channel emits (null here), then the API block.
import { Type, type Static } from 'typebox';
import type { ChannelApi, Inbox, WorkingHours } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';
import { enumName } from '../core/db/enums.js';
import { isoTime } from './time.js';

export const SENDER_NAME_TYPES = ['friendly', 'professional'] as const;

export const WorkingHoursSchema = Type.Object({
  day_of_week: Type.Integer(),
  closed_all_day: Type.Boolean(),
  open_hour: Type.Union([Type.Integer(), Type.Null()]),
  open_minutes: Type.Union([Type.Integer(), Type.Null()]),
  close_hour: Type.Union([Type.Integer(), Type.Null()]),
  close_minutes: Type.Union([Type.Integer(), Type.Null()]),
  open_all_day: Type.Boolean(),
});

const Attributes = Type.Record(Type.String(), Type.Unknown());
const AlwaysNull = Type.Null({ description: 'Not applicable to API channels' });

export const InboxSchema = Type.Object(
  {
    id: Type.Integer(),
    avatar_url: Type.String(),
    channel_id: Type.Integer(),
    name: Type.String(),
    channel_type: Type.String(),
    greeting_enabled: Type.Boolean(),
    greeting_message: NullableString(),
    working_hours_enabled: Type.Boolean(),
    enable_email_collect: Type.Boolean(),
    csat_survey_enabled: Type.Boolean(),
    csat_config: Attributes,
    enable_auto_assignment: Type.Boolean(),
    auto_assignment_config: Attributes,
    out_of_office_message: NullableString(),
    working_hours: Type.Array(WorkingHoursSchema),
    timezone: Type.String(),
    callback_webhook_url: AlwaysNull,
    allow_messages_after_resolved: Type.Boolean(),
    lock_to_single_conversation: Type.Boolean(),
    sender_name_type: Type.Enum(SENDER_NAME_TYPES),
    business_name: NullableString(),
    allowed_domains: AlwaysNull,
    widget_color: AlwaysNull,
    website_url: AlwaysNull,
    hmac_mandatory: Type.Boolean(),
    welcome_title: AlwaysNull,
    welcome_tagline: AlwaysNull,
    web_widget_script: AlwaysNull,
    website_token: AlwaysNull,
    selected_feature_flags: AlwaysNull,
    reply_time: AlwaysNull,
    messaging_service_sid: AlwaysNull,
    phone_number: AlwaysNull,
    hmac_token: Type.Optional(Type.String({ description: 'Administrators only' })),
    secret: Type.Optional(Type.String({ description: 'Administrators only; signs webhook deliveries' })),
    webhook_url: NullableString(),
    inbox_identifier: Type.String({ description: 'The Client API inbox identifier' }),
    additional_attributes: Attributes,
    provider: AlwaysNull,
  },
  { title: 'Inbox' },
);

export type InboxJson = Static<typeof InboxSchema>;

/** An inbox with what its partial embeds. */
export interface InboxView {
  inbox: Inbox;
  channel: ChannelApi;
  workingHours: WorkingHours[];
}

export function workingHoursJson(row: WorkingHours) {
  return {
    day_of_week: row.day_of_week,
    closed_all_day: row.closed_all_day,
    open_hour: row.open_hour,
    open_minutes: row.open_minutes,
    close_hour: row.close_hour,
    close_minutes: row.close_minutes,
    open_all_day: row.open_all_day,
  };
}

/** `hmac_token` and `secret` appear only for administrators (the keys are absent otherwise). */
export function inboxJson({ inbox, channel, workingHours }: InboxView, options: { administrator: boolean }): InboxJson {
  return {
    id: inbox.id,
    avatar_url: inbox.avatar_url ?? '',
    channel_id: inbox.channel_id,
    name: inbox.name,
    channel_type: inbox.channel_type,
    greeting_enabled: inbox.greeting_enabled,
    greeting_message: inbox.greeting_message,
    working_hours_enabled: inbox.working_hours_enabled,
    enable_email_collect: inbox.enable_email_collect,
    csat_survey_enabled: inbox.csat_survey_enabled,
    csat_config: inbox.csat_config,
    enable_auto_assignment: inbox.enable_auto_assignment,
    auto_assignment_config: inbox.auto_assignment_config,
    out_of_office_message: inbox.out_of_office_message,
    working_hours: [...workingHours].sort((a, b) => a.day_of_week - b.day_of_week).map(workingHoursJson),
    timezone: inbox.timezone,
    callback_webhook_url: null,
    allow_messages_after_resolved: inbox.allow_messages_after_resolved,
    lock_to_single_conversation: inbox.lock_to_single_conversation,
    sender_name_type: enumName(SENDER_NAME_TYPES, inbox.sender_name_type),
    business_name: inbox.business_name,
    allowed_domains: null,
    widget_color: null,
    website_url: null,
    hmac_mandatory: channel.hmac_mandatory,
    welcome_title: null,
    welcome_tagline: null,
    web_widget_script: null,
    website_token: null,
    selected_feature_flags: null,
    reply_time: null,
    messaging_service_sid: null,
    phone_number: null,
    ...(options.administrator ? { hmac_token: channel.hmac_token, secret: channel.secret } : {}),
    webhook_url: channel.webhook_url,
    inbox_identifier: channel.identifier,
    additional_attributes: channel.additional_attributes,
    provider: null,
  };
}

/**
 * Inbox::EventDataPresenter#push_data (app/presenters/inbox/event_data_presenter.rb), the body of
 * inbox_created / inbox_updated webhooks: the inbox's settings, its working hours and channel as
 * raw rows. Chatwoot's has no id or name; Confab adds both first, so a receiver can tell which
 * inbox it is about. The channel row leaves out hmac_token and secret: a webhook body is not the
 * place for the keys that sign it.
 */
export function inboxEventJson({ inbox, channel, workingHours }: InboxView) {
  return {
    id: inbox.id,
    name: inbox.name,
    allow_messages_after_resolved: inbox.allow_messages_after_resolved,
    lock_to_single_conversation: inbox.lock_to_single_conversation,
    // newer Chatwoot; Confab never labels conversations on resolve
    add_label_to_resolve_conversation: false,
    auto_assignment_config: inbox.auto_assignment_config,
    enable_auto_assignment: inbox.enable_auto_assignment,
    enable_email_collect: inbox.enable_email_collect,
    greeting_enabled: inbox.greeting_enabled,
    greeting_message: inbox.greeting_message,
    csat_survey_enabled: inbox.csat_survey_enabled,
    business_name: inbox.business_name,
    sender_name_type: enumName(SENDER_NAME_TYPES, inbox.sender_name_type),
    timezone: inbox.timezone,
    out_of_office_message: inbox.out_of_office_message,
    working_hours_enabled: inbox.working_hours_enabled,
    working_hours: [...workingHours]
      .sort((a, b) => a.day_of_week - b.day_of_week)
      .map((row) => ({
        id: row.id,
        inbox_id: row.inbox_id,
        account_id: row.account_id,
        ...workingHoursJson(row),
      })),
    created_at: isoTime(inbox.created_at),
    updated_at: isoTime(inbox.updated_at),
    channel: {
      id: channel.id,
      account_id: channel.account_id,
      webhook_url: channel.webhook_url,
      created_at: isoTime(channel.created_at),
      updated_at: isoTime(channel.updated_at),
      identifier: channel.identifier,
      hmac_mandatory: channel.hmac_mandatory,
      additional_attributes: channel.additional_attributes,
    },
  };
}
