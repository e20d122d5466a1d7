import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody, Page } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { WebhookDeliverySchema, WebhookSchema, webhookDeliveryJson, webhookJson } from '../../serializers/webhook.js';
import { DeliveryParams, WebhookBody, webhookFieldsOf } from './schemas.js';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookWithInbox,
} from './service.js';

const tags = ['webhooks'];
const security = [{ userToken: [] }];
const One = Type.Object({ payload: Type.Object({ webhook: WebhookSchema }) });
const one = ({ webhook, inbox }: WebhookWithInbox) => ({ payload: { webhook: webhookJson(webhook, inbox) } });

/** api/v1/accounts/webhooks (administrators), plus Confab's delivery log, redeliver and secret rotation. */
export async function webhookRoutes(app: App, deps: AppDeps) {
  app.get(
    '/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Webhooks of the account (administrators)',
        response: { 200: Type.Object({ payload: Type.Object({ webhooks: Type.Array(WebhookSchema) }) }) },
      },
    },
    async (request) => ({
      payload: {
        webhooks: (await listWebhooks(accountCtx(request, deps))).map((w) => webhookJson(w.webhook, w.inbox)),
      },
    }),
  );
  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Create a webhook (administrators)',
        body: WebhookBody,
        response: { 200: One },
      },
    },
    async (request) => one(await createWebhook(accountCtx(request, deps), webhookFieldsOf(request.body))),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/webhooks/:id',
    schema: {
      tags,
      security,
      summary: 'Update a webhook (administrators)',
      params: IdParams,
      body: WebhookBody,
      response: { 200: One },
    },
    handler: async (request) =>
      one(await updateWebhook(accountCtx(request, deps), request.params.id, webhookFieldsOf(request.body))),
  });
  app.delete(
    '/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a webhook (administrators)',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteWebhook(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
  app.post(
    '/webhooks/:id/rotate_secret',
    {
      schema: {
        tags,
        security,
        summary: 'New signing secret (Confab; administrators)',
        params: IdParams,
        response: { 200: One },
      },
    },
    async (request) => one(await rotateWebhookSecret(accountCtx(request, deps), request.params.id)),
  );
  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        security,
        summary: 'Delivery log, newest first, 50 a page (Confab; administrators)',
        params: IdParams,
        querystring: Type.Object({ page: Type.Optional(Page()) }),
        response: { 200: Type.Object({ payload: Type.Array(WebhookDeliverySchema) }) },
      },
    },
    async (request) => ({
      payload: (await listDeliveries(accountCtx(request, deps), request.params.id, request.query.page)).map(
        webhookDeliveryJson,
      ),
    }),
  );
  app.post(
    '/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      schema: {
        tags,
        security,
        summary: 'Send a delivery again as a new delivery (Confab; administrators)',
        params: DeliveryParams,
        response: { 200: Type.Object({ payload: WebhookDeliverySchema }) },
      },
    },
    async (request) => ({
      payload: webhookDeliveryJson(
        await redeliver(accountCtx(request, deps), request.params.id, request.params.delivery_id),
      ),
    }),
  );
}
