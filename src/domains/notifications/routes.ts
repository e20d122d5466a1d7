import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { currentUser } from '../../core/http/auth.js';
import { NotificationRecordSchema } from '../../serializers/notification.js';
import {
  CountQuery,
  DestroyAllBody,
  ListQuery,
  ListResponse,
  NotificationSettingSchema,
  NotificationSettingsBody,
  ReadAllBody,
  SnoozeBody,
  UnreadCount,
} from './schemas.js';
import {
  destroyAll,
  listNotifications,
  markRead,
  markUnread,
  readAll,
  removeNotification,
  snooze,
  unreadCount,
} from './service.js';
import { showNotificationSetting, updateNotificationSetting } from './settings.js';

const tags = ['notifications'];
const security = [{ userToken: [] }];
const url = '/notifications';

/** Chatwoot's notifications routes: the caller's own notifications in the account (agent bots get 401). */
export async function notificationRoutes(app: App, deps: AppDeps) {
  const ctx = (request: Parameters<typeof accountCtx>[0]) => accountCtx(request, deps);

  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Your notifications in the account, 15 a page',
        querystring: ListQuery,
        response: { 200: ListResponse },
      },
    },
    async (request) => listNotifications(ctx(request), request.query),
  );
  app.get(
    `${url}/unread_count`,
    {
      schema: {
        tags,
        security,
        summary: 'How many of your notifications are unread',
        querystring: CountQuery,
        response: { 200: UnreadCount },
      },
    },
    async (request) => unreadCount(ctx(request), request.query),
  );
  // Rails reads params from the body and the query string alike
  app.post(
    `${url}/read_all`,
    {
      schema: {
        tags,
        security,
        summary: "Mark all (or one conversation's) as read",
        body: ReadAllBody,
        querystring: ReadAllBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await readAll(ctx(request), { ...request.query, ...request.body });
      return reply.status(200).send('');
    },
  );
  app.post(
    `${url}/destroy_all`,
    {
      schema: {
        tags,
        security,
        summary: 'Delete all (or all read) notifications',
        body: DestroyAllBody,
        querystring: DestroyAllBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await destroyAll(ctx(request), { ...request.query, ...request.body });
      return reply.status(200).send('');
    },
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:id`,
    schema: { tags, security, summary: 'Mark as read', params: IdParams, response: { 200: NotificationRecordSchema } },
    handler: async (request) => markRead(ctx(request), request.params.id),
  });
  app.delete(
    `${url}/:id`,
    { schema: { tags, security, summary: 'Delete a notification', params: IdParams, response: { 200: EmptyBody } } },
    async (request, reply) => {
      await removeNotification(ctx(request), request.params.id);
      return reply.status(200).send('');
    },
  );
  app.post(
    `${url}/:id/unread`,
    {
      schema: {
        tags,
        security,
        summary: 'Mark as unread',
        params: IdParams,
        response: { 200: NotificationRecordSchema },
      },
    },
    async (request) => markUnread(ctx(request), request.params.id),
  );
  app.post(
    `${url}/:id/snooze`,
    {
      schema: {
        tags,
        security,
        summary: 'Hide until snoozed_until (epoch seconds)',
        params: IdParams,
        body: SnoozeBody,
        querystring: SnoozeBody,
        response: { 200: NotificationRecordSchema },
      },
    },
    async (request) =>
      snooze(ctx(request), request.params.id, request.body.snoozed_until ?? request.query.snoozed_until),
  );

  // notification_settings is a singular resource
  app.get(
    '/notification_settings',
    {
      schema: {
        tags,
        security,
        summary: 'Your notification settings in the account',
        response: { 200: NotificationSettingSchema },
      },
    },
    async (request) => showNotificationSetting(ctx(request), currentUser(request).id),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/notification_settings',
    schema: {
      tags,
      security,
      summary: 'Set which email and push notifications you get',
      body: NotificationSettingsBody,
      response: { 200: NotificationSettingSchema },
    },
    handler: async (request) => updateNotificationSetting(ctx(request), currentUser(request).id, request.body),
  });
}
