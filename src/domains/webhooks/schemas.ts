import { Type, type Static } from 'typebox';
import { IdOrText, ShortText, Url } from '../../core/http/schemas.js';

const Fields = {
  url: Type.Optional(Url({ description: 'http(s) URL that receives the deliveries' })),
  name: Type.Optional(Type.Union([ShortText(), Type.Null()])),
  subscriptions: Type.Optional(
    Type.Array(ShortText(), { maxItems: 100, description: 'Event names (Chatwoot ALLOWED_WEBHOOK_EVENTS)' }),
  ),
  inbox_id: Type.Optional(Type.Union([IdOrText(), Type.Null()], { description: 'Only events of this inbox' })),
};

/** `{ webhook: {...} }` as Chatwoot's dashboard sends it; the bare fields are accepted too. */
export const WebhookBody = Type.Object({ webhook: Type.Optional(Type.Object(Fields)), ...Fields });
export type WebhookFields = Static<typeof WebhookBody>['webhook'] & object;

export function webhookFieldsOf(body: Static<typeof WebhookBody>): WebhookFields {
  const { webhook, ...bare } = body;
  return webhook ?? bare;
}

export const DeliveryParams = Type.Object({ id: Type.String(), delivery_id: Type.String() });
