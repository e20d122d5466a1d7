import type { Db } from '../../core/db/kysely.js';
import type { Notification } from '../../core/db/schema.js';
import { transactionally } from '../../core/events/bus.js';
import { AppError, botNotAllowed, recordNotFound } from '../../core/errors.js';
import { performerOf, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { epochDate } from '../../core/http/values.js';
import { notificationJson, notificationRecordJson } from '../../serializers/notification.js';
import { finderCounts, finderPage, ownNotification, type FinderOptions } from './queries.js';
import { scheduleUnsnooze } from './unsnooze.js';
import { loadNotificationViews } from './views.js';

/** Api::V1::Accounts::NotificationsController: a user's own notifications in the account. */

function userIdOf(ctx: AccountCtx): number {
  if (ctx.actor.kind !== 'user') throw botNotAllowed();
  return ctx.actor.user.id;
}

async function fetchOwn(ctx: AccountCtx, rawId: string): Promise<Notification> {
  const id = parseId(rawId);
  const notification = id === undefined ? undefined : await ownNotification(ctx.db, ctx.account.id, userIdOf(ctx), id);
  if (!notification) throw recordNotFound();
  return notification;
}

export interface ListQuery {
  page?: string;
  includes?: string[];
  sort_order?: string;
}

const DIRECTIONS = ['asc', 'desc', 'ASC', 'DESC'];

/** Rails' `order(column: dir)` accepts these four spellings and raises on anything else. */
function ascending(sortOrder: string | undefined): boolean {
  if (sortOrder === undefined || sortOrder === '') return false;
  if (!DIRECTIONS.includes(sortOrder)) {
    throw new AppError('unprocessable', 422, {
      error: `Direction "${sortOrder}" is invalid. Valid directions are: [:asc, :desc, :ASC, :DESC, "asc", "desc", "ASC", "DESC"]`,
    });
  }
  return sortOrder.toLowerCase() === 'asc';
}

/** Kaminari's page: a positive integer, else the first page. */
function pageNumber(raw: string | undefined): number {
  const page = Number.parseInt(raw ?? '', 10);
  return Number.isFinite(page) && page >= 1 ? Math.min(page, 1_000_000) : 1;
}

const finderOptions = (query: ListQuery): FinderOptions => ({ includes: query.includes ?? [] });

/** GET /notifications: 15 a page, with the finder's counts; current_page echoes `page` as sent. */
export async function listNotifications(ctx: AccountCtx, query: ListQuery) {
  const userId = userIdOf(ctx);
  const options = finderOptions(query);
  const [rows, counts] = await Promise.all([
    finderPage(ctx.db, ctx.account.id, userId, {
      ...options,
      page: pageNumber(query.page),
      ascending: ascending(query.sort_order),
    }),
    finderCounts(ctx.db, ctx.account.id, userId, options),
  ]);
  const views = await loadNotificationViews(ctx.db, ctx.account.id, rows);
  return {
    data: {
      meta: { unread_count: counts.unreadCount, count: counts.count, current_page: query.page ?? 1 },
      payload: views.map((view) => notificationJson(view, ctx.storage)),
    },
  };
}

export async function unreadCount(ctx: AccountCtx, query: ListQuery): Promise<number> {
  return (await finderCounts(ctx.db, ctx.account.id, userIdOf(ctx), finderOptions(query))).unreadCount;
}

/** One notification's change, and its notification.updated when something changed. */
async function change(
  ctx: AccountCtx,
  notification: Notification,
  set: Partial<Pick<Notification, 'read_at' | 'snoozed_until' | 'meta'>>,
  after?: (tx: Db, updated: Notification) => Promise<void>,
) {
  return transactionally(ctx, async (tx, batch) => {
    const updated = await tx
      .updateTable('notifications')
      .set({ ...set, ...(set.meta ? { meta: JSON.stringify(set.meta) } : {}), updated_at: new Date() })
      .where('id', '=', notification.id)
      .where('account_id', '=', ctx.account.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await after?.(tx, updated);
    batch.emit('notification.updated', {
      accountId: ctx.account.id,
      userId: notification.user_id,
      notificationId: notification.id,
      performer: performerOf(ctx),
    });
    return notificationRecordJson(updated);
  });
}

/** PATCH|PUT /notifications/:id: read now (again, if it already was). */
export async function markRead(ctx: AccountCtx, rawId: string) {
  return change(ctx, await fetchOwn(ctx, rawId), { read_at: new Date() });
}

/** POST /notifications/:id/unread: an already unread one is left as it is (no event, as Rails saves nothing). */
export async function markUnread(ctx: AccountCtx, rawId: string) {
  const notification = await fetchOwn(ctx, rawId);
  if (notification.read_at === null) return notificationRecordJson(notification);
  return change(ctx, notification, { read_at: null });
}

/** DELETE /notifications/:id. */
export async function removeNotification(ctx: AccountCtx, rawId: string): Promise<void> {
  const notification = await fetchOwn(ctx, rawId);
  await transactionally(ctx, async (tx, batch) => {
    await tx
      .deleteFrom('notifications')
      .where('id', '=', notification.id)
      .where('account_id', '=', ctx.account.id)
      .execute();
    batch.emit('notification.deleted', {
      accountId: ctx.account.id,
      userId: notification.user_id,
      notificationIds: [notification.id],
      performer: performerOf(ctx),
    });
  });
}

/**
 * POST /notifications/read_all: every unread one, or only those of one conversation when
 * primary_actor_type is "Conversation" and primary_actor_id (its database id) names one of this
 * account's. Chatwoot's update_all: no events.
 */
export async function readAll(
  ctx: AccountCtx,
  params: { primary_actor_type?: string; primary_actor_id?: unknown },
): Promise<void> {
  const userId = userIdOf(ctx);
  let conversationId: number | undefined;
  if (params.primary_actor_type === 'Conversation') {
    const id = parseId(params.primary_actor_id);
    const found =
      id === undefined
        ? undefined
        : await ctx.db
            .selectFrom('conversations')
            .select('id')
            .where('account_id', '=', ctx.account.id)
            .where('id', '=', id)
            .executeTakeFirst();
    conversationId = found?.id;
  }
  let update = ctx.db
    .updateTable('notifications')
    .set({ read_at: new Date(), updated_at: new Date() })
    .where('user_id', '=', userId)
    .where('account_id', '=', ctx.account.id)
    .where('read_at', 'is', null);
  if (conversationId !== undefined) update = update.where('primary_actor_id', '=', conversationId);
  await update.execute();
}

/** POST /notifications/destroy_all: the read ones with type=read, else all; one notification.deleted each. */
export async function destroyAll(ctx: AccountCtx, params: { type?: string }): Promise<void> {
  const userId = userIdOf(ctx);
  await transactionally(ctx, async (tx, batch) => {
    let remove = tx.deleteFrom('notifications').where('user_id', '=', userId).where('account_id', '=', ctx.account.id);
    if (params.type === 'read') remove = remove.where('read_at', 'is not', null);
    const gone = await remove.returning('id').execute();
    if (gone.length)
      batch.emit('notification.deleted', {
        accountId: ctx.account.id,
        userId,
        notificationIds: gone.map((r) => r.id),
        performer: performerOf(ctx),
      });
  });
}

/** DateRangeHelper#parse_date_time: epoch seconds, as DateTime.strptime(value, '%s'). */
function epochTime(raw: unknown): Date {
  const date = epochDate(raw);
  if (!date) throw new AppError('unprocessable', 422, { error: 'invalid date' });
  return date;
}

/**
 * POST /notifications/:id/snooze: hidden from the list until snoozed_until (epoch seconds); then a
 * durable job brings it back unread at the top (Notification::ReopenSnoozedNotificationsJob).
 * Without snoozed_until nothing changes.
 */
export async function snooze(ctx: AccountCtx, rawId: string, snoozedUntil: unknown) {
  const notification = await fetchOwn(ctx, rawId);
  if (snoozedUntil === undefined || snoozedUntil === null) return notificationRecordJson(notification);
  const until = epochTime(snoozedUntil);
  return change(
    ctx,
    notification,
    { snoozed_until: until, meta: { ...notification.meta, last_snoozed_at: null } },
    (tx, updated) => scheduleUnsnooze(tx, updated),
  );
}
