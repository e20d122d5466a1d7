import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitStore } from '../core/http/rate-limit-store.js';

const WINDOW_MS = 60_000;

/** The store's key of a contact: the inbox identifier's length first, so no two pairs share one. */
const contactKey = (inbox: string, contact: string) => `contact:${inbox.length}:${inbox}:${contact}`;

/**
 * onRequest hook of the Client API scope, which needs no secret and so is rate limited: per client
 * IP (the socket's peer, or the client a trusted proxy names: CONFAB_TRUSTED_PROXIES), and per
 * contact (inbox identifier + contact identifier) where the path names one, counted per minute in
 * the store every node shares. Over the limit: 429 with Retry-After and a Chatwoot-style
 * `{"error": ...}` body, before any body is read. A store that does not answer lets the request
 * through (a Redis blip must not take the widget down) and says so in the log.
 */
export function publicRateLimit(limits: { perContact: number; perIp: number }, store: RateLimitStore) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as { inbox_identifier?: string; contact_identifier?: string } | undefined;
    const keys: string[] = [];
    const caps: number[] = [];
    if (limits.perIp > 0) {
      keys.push(`ip:${request.ip}`);
      caps.push(limits.perIp);
    }
    if (limits.perContact > 0 && params?.contact_identifier) {
      keys.push(contactKey(params.inbox_identifier ?? '', params.contact_identifier));
      caps.push(limits.perContact);
    }
    if (keys.length === 0) return;
    let counts: Awaited<ReturnType<RateLimitStore['hit']>>;
    try {
      counts = await store.hit(keys, WINDOW_MS);
    } catch (error) {
      request.log.warn({ err: error }, 'rate limit store unavailable; request not counted');
      return;
    }
    const refused = counts.find((count, i) => count.hits > caps[i]!);
    if (refused)
      return reply.code(429).header('retry-after', String(refused.retryAfter)).send({ error: 'Retry later' });
  };
}
