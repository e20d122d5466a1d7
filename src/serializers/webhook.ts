// Mirrors app/views/api/v1/accounts/webhooks/_webhook.json.jbuilder, plus the signing secret
// (the endpoints are administrators-only) and Confab's delivery log entries.
import { Type, type Static } from 'typebox';
import type { Inbox, Webhook, WebhookDelivery } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { isoTime } from './time.js';

export const WebhookSchema = Type.Object(
  {
    id: Type.Integer(),
    name: NullableString(),
    url: Type.String(),
    account_id: Type.Integer(),
    subscriptions: Type.Array(Type.String()),
    inbox: Type.Optional(Type.Object({ id: Type.Integer(), name: Type.String(), channel_type: Type.String() })),
    secret: Type.String({ description: 'Signs deliveries: X-Chatwoot-Signature and webhook-signature' }),
  },
  { title: 'Webhook' },
);

export function webhookJson(webhook: Webhook, inbox: Inbox | undefined): Static<typeof WebhookSchema> {
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    account_id: webhook.account_id,
    subscriptions: webhook.subscriptions,
    ...(inbox ? { inbox: { id: inbox.id, name: inbox.name, channel_type: inbox.channel_type } } : {}),
    secret: webhook.secret,
  };
}

export const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String({ description: 'X-Chatwoot-Delivery / webhook-id of every try' }),
    event: Type.String(),
    url: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
    attempts: Type.Integer(),
    response_code: NullableInteger(),
    latency_ms: NullableInteger(),
    error: NullableString(),
    redelivery_of: NullableString(),
    created_at: Type.String(),
    updated_at: Type.String(),
    delivered_at: NullableString(),
    payload: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'WebhookDelivery' },
);

export function webhookDeliveryJson(d: WebhookDelivery): Static<typeof WebhookDeliverySchema> {
  return {
    id: d.id,
    event: d.event,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    response_code: d.response_code,
    latency_ms: d.latency_ms,
    error: d.last_error,
    redelivery_of: d.redelivery_of,
    created_at: isoTime(d.created_at)!,
    updated_at: isoTime(d.updated_at)!,
    delivered_at: isoTime(d.delivered_at),
    // a delivery queued with a one-statement message gets its body just after commit
    payload: d.payload ?? {},
  };
}
