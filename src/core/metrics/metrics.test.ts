import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { openCable, subscribeRoom } from '../../../test/cable.js';
import { startReceiver } from '../../../test/webhook-receiver.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const server = useTestServer({
  CONFAB_METRICS_TOKEN: TOKEN,
  CONFAB_METRICS_PORT: '0',
  CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
  CONFAB_JOB_POLL_MS: '50',
});
const receiver = await startReceiver();
afterAll(() => receiver.close());

const scrape = async (base = server().url, token: string | null = TOKEN) =>
  fetch(`${base}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

/** The value of one sample, `name{labels}` written as in the exposition (labels in their order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const found = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (found) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

async function waitForSample(name: string, labels: Record<string, string>, ok: (v: number) => boolean) {
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await (await scrape()).text();
    const value = sample(text, name, labels);
    if (value !== undefined && ok(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `${name}${JSON.stringify(labels)} never matched:\n${text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .join('\n')}`,
  );
}

describe('GET /metrics', () => {
  it('refuses without the token, or with a wrong one, in Chatwoot’s 401 body', async () => {
    for (const token of [null, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const res = await scrape(server().url, token);
      expect(res.status, String(token)).toBe(401);
      expect(await res.json()).toEqual({ error: 'Invalid Access Token' });
    }
    const plain = await fetch(`${server().url}/metrics`, { headers: { api_access_token: TOKEN } });
    expect(plain.status).toBe(401);
  });

  it('times requests by route pattern and status, never by raw URL', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    expect((await fx.asAdmin('GET', `/conversations/${conversation.id}`)).status).toBe(200);
    expect((await fx.asAdmin('GET', '/conversations/999999999')).status).toBe(404);
    expect((await server().request('GET', '/no/such/path')).status).toBe(404);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const route = '/api/v1/accounts/:account_id/conversations/:id';
    expect(
      sample(text, 'confab_http_request_duration_seconds_count', { route, method: 'GET', status_code: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'confab_http_request_duration_seconds_count', { route, status_code: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'confab_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(`/conversations/${conversation.id}"`);
    expect(text).not.toContain('/no/such/path');
    // the pool, the event loop and the process
    expect(sample(text, 'confab_db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'confab_db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    // the token is never part of what is served
    expect(text).not.toContain(TOKEN);
  });

  it('counts /cable sockets, subscriptions and broadcasts', async () => {
    const fx = await buildAccountFixture(server());
    const profile = await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token });
    const before = sample(await (await scrape()).text(), 'confab_cable_broadcasts_total') ?? 0;
    const cable = await openCable(server().url);
    try {
      await subscribeRoom(cable, {
        pubsub_token: profile.body.pubsub_token,
        account_id: fx.account.id,
        user_id: fx.admin.id,
      });
      const text = await (await scrape()).text();
      expect(sample(text, 'confab_cable_connections')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'confab_cable_subscriptions')).toBeGreaterThanOrEqual(1);
      await buildConversation(fx, (await buildInbox(fx)).id);
      await cable.next((f) => f.message?.event === 'conversation.created', 5000, 'conversation.created');
      await waitForSample('confab_cable_broadcasts_total', {}, (v) => v > before);
    } finally {
      cable.close();
    }
  });

  it('reports the job queue by task, and webhook outcomes with their latency', async () => {
    const db = server().db;
    // a task no worker knows stays due: its depth and lag show
    await sql`select graphile_worker.add_job('metrics_probe', '{}'::json, run_at => now() - interval '5 seconds')`.execute(
      db,
    );
    await waitForSample('confab_job_queue_depth', { task: 'metrics_probe' }, (v) => v === 1);
    await waitForSample('confab_job_queue_lag_seconds', { task: 'metrics_probe' }, (v) => v >= 5);
    await sql`delete from graphile_worker._private_jobs where task_id = (select id from graphile_worker._private_tasks where identifier = 'metrics_probe')`.execute(
      db,
    );

    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: `${receiver.url}/metrics-ok`, subscriptions: ['inbox_created'] },
    });
    expect(res.status, res.text).toBe(200);
    await buildInbox(fx);
    await receiver.waitFor((all) => all.some((r) => r.path === '/metrics-ok'));
    await waitForSample('confab_webhook_deliveries_total', { outcome: 'succeeded' }, (v) => v >= 1);
    await waitForSample('confab_webhook_delivery_duration_seconds_count', { outcome: 'succeeded' }, (v) => v >= 1);
  });

  it('answers on its own port too, with the same token', async () => {
    const url = server().metricsUrl!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe(server().url);
    expect((await scrape(url, null)).status).toBe(401);
    const res = await scrape(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('confab_http_request_duration_seconds');
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });

  it('is not served at all without CONFAB_METRICS_TOKEN', async () => {
    const bare = await startTestServer();
    try {
      const res = await scrape(bare.url);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('confab_');
    } finally {
      await bare.close();
    }
  });
});
