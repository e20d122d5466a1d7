import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../test/factories.js';
import { publicApi } from '../../test/public-api.js';
import { memoryRateLimitStore } from '../core/http/rate-limit-store.js';

const server = useTestServer({ CONFAB_PUBLIC_RATE_LIMIT: '5', CONFAB_PUBLIC_RATE_LIMIT_IP: '40' });

describe('memoryRateLimitStore', () => {
  it('counts hits per key per window and tells how long to wait', async () => {
    let now = 120_000;
    const store = memoryRateLimitStore(() => now);
    expect(await store.hit(['a'], 60_000)).toEqual([{ hits: 1, retryAfter: 60 }]);
    now += 10_000;
    expect(await store.hit(['a', 'b'], 60_000)).toEqual([
      { hits: 2, retryAfter: 50 },
      { hits: 1, retryAfter: 60 },
    ]);
    now = 180_000;
    // a's window closed: the next hit opens a new one
    expect(await store.hit(['a'], 60_000)).toEqual([{ hits: 1, retryAfter: 60 }]);
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
