import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A fixed-window request counter, kept in this process's memory: each node counts on its own, so
 * behind N nodes a client gets up to N times the limit. That is acceptable for the Client API's
 * purpose (slowing a flood down, not metering), and needs no Redis. Every key's count starts
 * over when the window rolls, and the whole table is dropped then, so memory holds at most the
 * keys seen within one window.
 */
export class FixedWindowLimiter {
  #windowStart = 0;
  #counts = new Map<string, number>();

  constructor(
    /** Requests allowed per key per window; 0 lets everything through. */
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key`; `retryAfter` (whole seconds) is set when it is over the limit. */
  hit(key: string): { allowed: true } | { allowed: false; retryAfter: number } {
    if (this.limit <= 0) return { allowed: true };
    const now = this.now();
    if (now - this.#windowStart >= this.windowMs) {
      // a window opens with the first request after the last one closed
      this.#windowStart = now;
      this.#counts.clear();
    }
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    if (count <= this.limit) return { allowed: true };
    return { allowed: false, retryAfter: Math.max(1, Math.ceil((this.#windowStart + this.windowMs - now) / 1000)) };
  }
}

/**
 * onRequest hook of the Client API scope, which needs no secret and so is rate limited: per client
 * IP, and per contact (inbox identifier + contact identifier) where the path names one. Over the
 * limit: 429 with Retry-After and a Chatwoot-style `{"error": ...}` body, before any body is read.
 */
export function publicRateLimit(limits: { perContact: number; perIp: number }) {
  const byIp = new FixedWindowLimiter(limits.perIp);
  const byContact = new FixedWindowLimiter(limits.perContact);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as { inbox_identifier?: string; contact_identifier?: string } | undefined;
    const ip = byIp.hit(request.ip);
    const contact = params?.contact_identifier
      ? byContact.hit(`${params.inbox_identifier ?? ''}\u0000${params.contact_identifier}`)
      : { allowed: true as const };
    const refused = !ip.allowed ? ip : !contact.allowed ? contact : undefined;
    if (refused)
      return reply.code(429).header('retry-after', String(refused.retryAfter)).send({ error: 'Retry later' });
  };
}
