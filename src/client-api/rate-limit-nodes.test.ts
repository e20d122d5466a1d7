// Two `confab start` processes on one database, as behind a load balancer: the Client API's
// limits are one limit (counted in PostgreSQL, or in Redis when REDIS_URL is set), and
// X-Forwarded-For names the client only when the peer is a trusted proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../test/factories.js';
import { publicApi } from '../../test/public-api.js';
import { startServerProcess, type ServerProcess } from '../../test/processes.js';

const server = useTestServer();
let trusting: ServerProcess;
let plain: ServerProcess;

beforeAll(async () => {
  const env = {
    DATABASE_URL: server().databaseUrl,
    CONFAB_PUBLIC_RATE_LIMIT: '5',
    CONFAB_PUBLIC_RATE_LIMIT_IP: '10',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  };
  [trusting, plain] = await Promise.all([
    startServerProcess({ ...env, CONFAB_TRUSTED_PROXIES: '127.0.0.1,::1/128' }),
    startServerProcess(env),
  ]);
});

afterAll(async () => {
  for (const node of [trusting, plain]) {
    node?.child.kill('SIGTERM');
    await node?.exited;
  }
});

const get = (node: ServerProcess, path: string, forwardedFor?: string) =>
  fetch(`${node.url}/public/api/v1${path}`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });

describe('Client API rate limits across nodes', () => {
  it('counts a contact’s requests to both nodes against one limit', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const contact = await publicApi(server()).contact(inbox.inbox_identifier);
    const path = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // alternating nodes, each request from its own forwarded client: only the contact's budget is shared
      const res = await get(i % 2 ? plain : trusting, path, `192.0.2.${i + 1}`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await get(plain, path);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: 'Retry later' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it('takes the client from X-Forwarded-For only behind a trusted proxy', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const path = `/inboxes/${inbox.inbox_identifier}`;
    // behind the trusted proxy, one forwarded client spends its own budget of 10 …
    const one: number[] = [];
    for (let i = 0; i < 11; i++) one.push((await get(trusting, path, '203.0.113.7')).status);
    expect(one).toEqual([...Array(10).fill(200), 429]);
    // … and the next client has its own
    expect((await get(trusting, path, '203.0.113.8')).status).toBe(200);
    expect((await get(trusting, path, '10.9.8.7, 203.0.113.9')).status).toBe(200);

    // without trust, a forged header changes nothing: every request is the socket's peer's, and
    // that budget is shared with the other node (the contact test above spent some of it there)
    const forged: number[] = [];
    for (let i = 0; i < 11; i++) forged.push((await get(plain, path, `198.51.100.${i + 1}`)).status);
    expect(forged).toContain(429);
    expect(forged.indexOf(429)).toBeLessThanOrEqual(10);
    expect((await get(plain, path, '198.51.100.200')).status).toBe(429);
  });
});
