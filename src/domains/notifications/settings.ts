import type { Db } from '../../core/db/kysely.js';
import type { NotificationSetting } from '../../core/db/schema.js';
import { validationFailed } from '../../core/errors.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { NOTIFICATION_TYPES, type NotificationType } from '../../serializers/notification.js';

/**
 * NotificationSetting (FlagShihTzu flag columns): bit n-1 of email_flags / push_flags is
 * notification type n. A user without a row has what Chatwoot gives every new account user
 * (AccountUser#create_notification_setting): email and push for conversation_assignment only.
 */
const TYPES = Object.keys(NOTIFICATION_TYPES) as NotificationType[];
const bit = (type: NotificationType) => 1 << (NOTIFICATION_TYPES[type] - 1);
const DEFAULT_FLAGS = bit('conversation_assignment');

export const EMAIL_FLAGS = TYPES.map((type) => `email_${type}`);
export const PUSH_FLAGS = TYPES.map((type) => `push_${type}`);

/** NotificationBuilder#user_subscribed_to_notification?: either delivery flag of conversation_creation. */
export async function subscribedToCreation(tx: Db, accountId: number, userId: number): Promise<boolean> {
  const row = await tx
    .selectFrom('notification_settings')
    .select(['email_flags', 'push_flags'])
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const flags = row ? row.email_flags | row.push_flags : DEFAULT_FLAGS;
  return (flags & bit('conversation_creation')) !== 0;
}

async function ownSetting(ctx: AccountCtx, userId: number): Promise<NotificationSetting> {
  // the row Chatwoot makes when the user joins the account, made on first use here
  await ctx.db
    .insertInto('notification_settings')
    .values({ account_id: ctx.account.id, user_id: userId, email_flags: DEFAULT_FLAGS, push_flags: DEFAULT_FLAGS })
    .onConflict((oc) => oc.columns(['account_id', 'user_id']).doNothing())
    .execute();
  return ctx.db
    .selectFrom('notification_settings')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
}

const selected = (flags: number, prefix: string) =>
  TYPES.filter((type) => flags & bit(type)).map((type) => `${prefix}_${type}`);

/** show.json.jbuilder: every flag name, and the ones set. */
export function notificationSettingJson(setting: NotificationSetting) {
  return {
    id: setting.id,
    user_id: setting.user_id,
    account_id: setting.account_id,
    all_email_flags: EMAIL_FLAGS,
    selected_email_flags: selected(setting.email_flags, 'email'),
    all_push_flags: PUSH_FLAGS,
    selected_push_flags: selected(setting.push_flags, 'push'),
  };
}

export async function showNotificationSetting(ctx: AccountCtx, userId: number) {
  return notificationSettingJson(await ownSetting(ctx, userId));
}

/** FlagShihTzu's selected_<column>=: exactly the flags given (none when the key is absent); an unknown flag is a 422. */
function flagsFrom(names: string[] | undefined, prefix: 'email' | 'push', attribute: string): number {
  let flags = 0;
  for (const name of names ?? []) {
    if (name === '') continue;
    const type = name.startsWith(`${prefix}_`) ? (name.slice(prefix.length + 1) as NotificationType) : undefined;
    if (!type || !Object.hasOwn(NOTIFICATION_TYPES, type))
      throw validationFailed([{ attribute, message: 'is invalid' }]);
    flags |= bit(type);
  }
  return flags;
}

export interface NotificationSettingsBody {
  notification_settings?: { selected_email_flags?: string[]; selected_push_flags?: string[] };
}

export async function updateNotificationSetting(ctx: AccountCtx, userId: number, body: NotificationSettingsBody) {
  const wanted = body.notification_settings ?? {};
  const email = flagsFrom(wanted.selected_email_flags, 'email', 'selected_email_flags');
  const push = flagsFrom(wanted.selected_push_flags, 'push', 'selected_push_flags');
  const setting = await ownSetting(ctx, userId);
  const updated = await ctx.db
    .updateTable('notification_settings')
    .set({ email_flags: email, push_flags: push, updated_at: new Date() })
    .where('id', '=', setting.id)
    .where('account_id', '=', ctx.account.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return notificationSettingJson(updated);
}
