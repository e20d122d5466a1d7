import { request } from '../http.js';

/** Webhook::ALLOWED_WEBHOOK_EVENTS. */
export const WEBHOOK_EVENTS = [
  'conversation_created',
  'conversation_status_changed',
  'conversation_updated',
  'contact_created',
  'contact_updated',
  'message_created',
  'message_updated',
  'webwidget_triggered',
  'inbox_created',
  'inbox_updated',
  'conversation_typing_on',
  'conversation_typing_off',
] as const;

/** `_webhook.json.jbuilder`, plus the signing secret. */
export interface Webhook {
  id: number;
  name: string | null;
  url: string;
  subscriptions: string[];
  inbox?: { id: number; name: string };
  secret: string;
}

/** An entry of Confab's delivery log. */
export interface Delivery {
  id: string;
  event: string;
  url: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  response_code: number | null;
  latency_ms: number | null;
  error: string | null;
  redelivery_of: string | null;
  created_at: string;
}

const path = (accountId: number) => `/api/v1/accounts/${accountId}/webhooks`;

export const listWebhooks = (accountId: number) =>
  request<{ payload: { webhooks: Webhook[] } }>('GET', path(accountId)).then((b) => b.payload.webhooks);
export const createWebhook = (
  accountId: number,
  webhook: { url: string; name?: string | null; subscriptions: string[] },
) => request<{ payload: { webhook: Webhook } }>('POST', path(accountId), { webhook }).then((b) => b.payload.webhook);
export const deleteWebhook = (accountId: number, id: number) => request<unknown>('DELETE', `${path(accountId)}/${id}`);

export const listDeliveries = (accountId: number, id: number, page = 1) =>
  request<{ payload: Delivery[] }>('GET', `${path(accountId)}/${id}/deliveries?page=${page}`).then((b) => b.payload);
export const redeliver = (accountId: number, id: number, deliveryId: string) =>
  request<{ payload: Delivery }>(
    'POST',
    `${path(accountId)}/${id}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
  ).then((b) => b.payload);
export const updateWebhook = (
  accountId: number,
  id: number,
  webhook: { url?: string; name?: string | null; subscriptions?: string[] },
) =>
  request<{ payload: { webhook: Webhook } }>('PATCH', `${path(accountId)}/${id}`, { webhook }).then(
    (b) => b.payload.webhook,
  );
