import type { FastifyRequest } from 'fastify';
import type { RateLimitStore } from '../core/http/rate-limit-store.js';
import { throttleHook } from '../core/http/throttle.js';

const MINUTE = 60_000;

type ContactParams = { inbox_identifier?: string; contact_identifier?: string } | undefined;

/**
 * onRequest hook of the Client API scope, which needs no secret and so is rate limited: per client
 * IP (the socket's peer, or the client a trusted proxy names: CONFAB_TRUSTED_PROXIES), and per
 * contact (inbox identifier + contact identifier, the identifier's length first so no two pairs
 * share a key) where the path names one, counted per minute before any body is read.
 */
export function publicRateLimit(limits: { perContact: number; perIp: number }, store: RateLimitStore) {
  return throttleHook(
    [
      { name: 'ip', limit: limits.perIp, periodMs: MINUTE, key: (request) => request.ip },
      {
        name: 'contact',
        limit: limits.perContact,
        periodMs: MINUTE,
        key: (request: FastifyRequest) => {
          const params = request.params as ContactParams;
          if (!params?.contact_identifier) return undefined;
          const inbox = params.inbox_identifier ?? '';
          return `${inbox.length}:${inbox}:${params.contact_identifier}`;
        },
      },
    ],
    store,
  );
}
