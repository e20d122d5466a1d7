import type { FastifyReply, FastifyRequest } from 'fastify';
import { memoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';

/** One of Chatwoot's Rack::Attack throttles: at most `limit` requests a `periodMs` per key. */
export interface Throttle {
  /** The store's key prefix (Rack::Attack's throttle name): keys of two throttles never meet. */
  name: string;
  limit: number;
  periodMs: number;
  /** What is counted (the client IP, an e-mail address); undefined leaves the request uncounted. */
  key: (request: FastifyRequest) => string | undefined;
}

/**
 * A hook that counts the request against each throttle in the store every node shares, and
 * refuses it with 429, Retry-After and a Chatwoot-style `{"error": ...}` body once any is over.
 * Throttles with the same period share one round trip. A store that does not answer lets the
 * request through (a Redis blip must not lock everyone out) and says so in the log.
 */
export function throttleHook(throttles: readonly Throttle[], store: RateLimitStore = memoryRateLimitStore()) {
  const active = throttles.filter((t) => t.limit > 0);
  const periods = [...new Set(active.map((t) => t.periodMs))];
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let retryAfter: number | undefined;
    for (const periodMs of periods) {
      const counted = active.flatMap((t) => {
        const key = t.periodMs === periodMs ? t.key(request) : undefined;
        return key === undefined ? [] : [{ throttle: t, key: `${t.name}:${key}` }];
      });
      if (counted.length === 0) continue;
      let counts: Awaited<ReturnType<RateLimitStore['hit']>>;
      try {
        counts = await store.hit(
          counted.map((c) => c.key),
          periodMs,
        );
      } catch (error) {
        request.log.warn({ err: error }, 'rate limit store unavailable; request not counted');
        return;
      }
      for (const [i, count] of counts.entries())
        if (count.hits > counted[i]!.throttle.limit) retryAfter = Math.max(retryAfter ?? 0, count.retryAfter);
    }
    if (retryAfter !== undefined)
      return reply.code(429).header('retry-after', String(retryAfter)).send({ error: 'Retry later' });
  };
}

/** Rack::Attack's e-mail key: from the parsed body, lower case, without white space. */
export function bodyEmail(request: FastifyRequest): string | undefined {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() ? email.toLowerCase().replace(/\s+/g, '') : undefined;
}
