import { createHmac } from 'node:crypto';

/**
 * The headers one try of a delivery carries. Chatwoot's (lib/webhooks/trigger.rb, newer
 * versions): X-Chatwoot-Delivery, X-Chatwoot-Timestamp (unix seconds) and
 * X-Chatwoot-Signature = "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<raw body>").
 * Standard Webhooks (standardwebhooks.com): webhook-id, webhook-timestamp and
 * webhook-signature = "v1," + base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>"), where the key
 * is the secret's UTF-8 bytes as they are (not a `whsec_` base64 key: a receiver using a Standard
 * Webhooks library passes `whsec_` + base64(secret)).
 */
export function signatureHeaders(
  deliveryId: string,
  secret: string | null,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const headers: Record<string, string> = {
    'X-Chatwoot-Delivery': deliveryId,
    'X-Chatwoot-Timestamp': timestamp,
    'webhook-id': deliveryId,
    'webhook-timestamp': timestamp,
  };
  if (secret) {
    headers['X-Chatwoot-Signature'] =
      `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
    headers['webhook-signature'] =
      `v1,${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${deliveryId}.${timestamp}.${body}`).digest('base64')}`;
  }
  return headers;
}
