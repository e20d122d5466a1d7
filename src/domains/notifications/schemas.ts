import { Type } from 'typebox';
import { EpochSeconds, IdOrText, ShortText } from '../../core/http/schemas.js';
import { NotificationSchema } from '../../serializers/notification.js';

/** Request and response schemas of the notifications routes (also /openapi.json). */

export const ListQuery = Type.Object({
  page: Type.Optional(ShortText({ description: 'Page number, 15 a page (anything but a positive integer is page 1)' })),
  // other values are ignored, as NotificationFinder ignores them
  includes: Type.Optional(
    Type.Array(ShortText({ maxLength: 100 }), {
      maxItems: 20,
      description:
        'Also list read and/or snoozed notifications (`includes[]=read&includes[]=snoozed`); by default only unread, unsnoozed ones',
    }),
  ),
  sort_order: Type.Optional(ShortText({ description: 'asc or desc (default) by last activity' })),
});

export const CountQuery = Type.Pick(ListQuery, ['includes']);

export const ListResponse = Type.Object({
  data: Type.Object({
    meta: Type.Object({
      unread_count: Type.Integer(),
      count: Type.Integer({ description: 'Size of the requested list' }),
      current_page: Type.Union([Type.Integer(), Type.String()], { description: '1, or the page param as sent' }),
    }),
    payload: Type.Array(NotificationSchema),
  }),
});

export const ReadAllBody = Type.Object({
  primary_actor_type: Type.Optional(
    ShortText({ description: '"Conversation" to read only one conversation\'s notifications' }),
  ),
  primary_actor_id: Type.Optional(IdOrText()),
});

export const DestroyAllBody = Type.Object({
  type: Type.Optional(ShortText({ description: '"read": only the read ones; anything else: all' })),
});

export const SnoozeBody = Type.Object({
  snoozed_until: Type.Optional(EpochSeconds({ description: 'Epoch seconds' })),
});

export const UnreadCount = Type.Integer({ description: 'A bare number' });

export const NotificationSettingsBody = Type.Object({
  notification_settings: Type.Object({
    selected_email_flags: Type.Optional(Type.Array(ShortText(), { maxItems: 100 })),
    selected_push_flags: Type.Optional(Type.Array(ShortText(), { maxItems: 100 })),
  }),
});

export const NotificationSettingSchema = Type.Object(
  {
    id: Type.Integer(),
    user_id: Type.Integer(),
    account_id: Type.Integer(),
    all_email_flags: Type.Array(Type.String()),
    selected_email_flags: Type.Array(Type.String()),
    all_push_flags: Type.Array(Type.String()),
    selected_push_flags: Type.Array(Type.String()),
  },
  { title: 'NotificationSetting' },
);
