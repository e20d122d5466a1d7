import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../test/factories.js';
import { publicApi } from '../../test/public-api.js';
import { FixedWindowLimiter } from './rate-limit.js';

const server = useTestServer({ CONFAB_PUBLIC_RATE_LIMIT: '5', CONFAB_PUBLIC_RATE_LIMIT_IP: '40' });

describe('FixedWindowLimiter', () => {
  it('allows `limit` hits per key per window and tells how long to wait', () => {
    let now = 120_000;
    const limiter = new FixedWindowLimiter(2, 60_000, () => now);
    expect(limiter.hit('a').allowed).toBe(true);
    now += 10_000;
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfter: 50 });
    expect(limiter.hit('b').allowed).toBe(true);
    now = 180_000;
    expect(limiter.hit('a').allowed).toBe(true);
    expect(new FixedWindowLimiter(0, 60_000, () => now).hit('a').allowed).toBe(true);
  });
});

describe('Client API rate limits', () => {
  it('answers 429 with Retry-After per contact, then per IP, without touching other contacts first', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const first = await api.contact(inbox.inbox_identifier);
    const second = await api.contact(inbox.inbox_identifier);
    const path = (c: { source_id: string }) => `/inboxes/${inbox.inbox_identifier}/contacts/${c.source_id}`;
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.request('GET', path(first))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await api.request('GET', `${path(first)}/conversations`);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'Retry later' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // the limit is per contact: another contact is served
    expect((await api.request('GET', path(second))).status).toBe(200);

    // and per IP: everything from this address stops once the IP's budget is spent
    const many = await Promise.all(
      Array.from({ length: 40 }, () => api.request('GET', `/inboxes/${inbox.inbox_identifier}`)),
    );
    expect(many.some((r) => r.status === 429)).toBe(true);
    const blocked = await api.request('POST', `/inboxes/${inbox.inbox_identifier}/contacts`, { name: 'late' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    // the Application API is not limited by the Client API's budget
    expect((await fx.asAdmin('GET', '/inboxes')).status).toBe(200);
  });
});
