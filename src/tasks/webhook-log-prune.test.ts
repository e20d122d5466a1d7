import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../test/factories.js';
import { startReceiver } from '../../test/webhook-receiver.js';
import { WEBHOOK_LOG_PRUNE, webhookLogPruneTask } from './webhook-log-prune.js';

const server = useTestServer({
  CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
  CONFAB_JOB_POLL_MS: '50',
  CONFAB_WEBHOOK_LOG_DAYS: '3',
  CONFAB_WEBHOOK_MAX_ATTEMPTS: '1',
});
const receiver = await startReceiver();
afterAll(() => receiver.close());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function deliveryIds(webhookId: number) {
  const rows = await server()
    .db.selectFrom('webhook_deliveries')
    .select(['id', 'status'])
    .where('webhook_id', '=', webhookId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}

describe('delivery log pruning', () => {
  it('deletes finished deliveries older than CONFAB_WEBHOOK_LOG_DAYS; keeps newer ones and pending ones', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    receiver.respondWith((_r, n) => (n === 2 ? 410 : 200));
    const webhook = (
      await fx.asAdmin('POST', '/webhooks', { webhook: { url: receiver.url, subscriptions: ['conversation_created'] } })
    ).body.payload.webhook;
    for (let i = 0; i < 3; i++) await buildConversation(fx, inbox.id);
    await receiver.waitFor((all) => all.length >= 3);
    // the drainer writes outcomes in batches after the answers: under load that took over 200 ms
    await expect
      .poll(async () => [...(await deliveryIds(webhook.id)).values()].filter((status) => status === 'pending'))
      .toEqual([]);
    const statuses = [...(await deliveryIds(webhook.id))];
    const failed = statuses.find(([, status]) => status === 'failed')?.[0];
    const [succeeded, keptPending] = statuses.filter(([, status]) => status === 'succeeded').map(([id]) => id);
    expect(failed && succeeded && keptPending, JSON.stringify(statuses)).toBeTruthy();
    const db = server().db;
    // four days old: two finished ones and one still pending (as if its retry were due in an hour)
    await db
      .updateTable('webhook_deliveries')
      .set({ created_at: sql`now() - interval '4 days'` })
      .where('webhook_id', '=', webhook.id)
      .execute();
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: sql`now() + interval '1 hour'` })
      .where('id', '=', keptPending!)
      .execute();
    await buildConversation(fx, inbox.id);
    await receiver.waitFor((all) => all.length >= 4);
    await sleep(200);
    const recent = [...(await deliveryIds(webhook.id)).keys()].find(
      (id) => ![succeeded, failed, keptPending].includes(id),
    )!;

    await sql`select graphile_worker.add_job(${WEBHOOK_LOG_PRUNE}, '{}'::json)`.execute(db);
    await expect
      .poll(async () => [...(await deliveryIds(webhook.id)).keys()].sort())
      .toEqual([keptPending, recent].sort());
    const log = await fx.asAdmin('GET', `/webhooks/${webhook.id}/deliveries`);
    expect(log.body.payload.map((d: { id: string }) => d.id).sort()).toEqual([keptPending, recent].sort());
  });

  it('keeps everything when the window is 0 days', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    receiver.respondWith(() => 200);
    const webhook = (
      await fx.asAdmin('POST', '/webhooks', {
        webhook: { url: `${receiver.url}/zero`, subscriptions: ['conversation_created'] },
      })
    ).body.payload.webhook;
    await buildConversation(fx, inbox.id);
    for (let i = 0; i < 100 && [...(await deliveryIds(webhook.id)).values()][0] !== 'succeeded'; i++) await sleep(50);
    await server()
      .db.updateTable('webhook_deliveries')
      .set({ created_at: sql`now() - interval '400 days'` })
      .where('webhook_id', '=', webhook.id)
      .execute();
    const prune = webhookLogPruneTask({ db: server().db, days: 0, log: pino({ level: 'silent' }) });
    await prune({}, {} as never);
    expect((await deliveryIds(webhook.id)).size).toBe(1);
  });

  it("also forgets automation rule runs older than a week, keeping the week's", async () => {
    const fx = await buildAccountFixture(server());
    const rule = await fx.asAdmin('POST', '/automation_rules', {
      name: 'Refunds',
      event_name: 'message_created',
      conditions: [{ attribute_key: 'content', filter_operator: 'contains', values: ['refund'], query_operator: null }],
      actions: [{ action_name: 'change_priority', action_params: ['high'] }],
    });
    expect(rule.status, rule.text).toBe(200);
    const db = server().db;
    const run = (key: string, age: string) =>
      sql`insert into automation_rule_runs (account_id, automation_rule_id, event_name, event_key, matched, created_at)
        values (${fx.account.id}, ${rule.body.id}, 'message_created', ${key}, false, now() - ${age}::interval)`.execute(
        db,
      );
    await run('old', '8 days');
    await run('recent', '6 days');
    const prune = webhookLogPruneTask({ db, days: 0, log: pino({ level: 'silent' }) });
    await prune({}, {} as never);
    const runs = await fx.asAdmin('GET', `/automation_rules/${rule.body.id}/runs`);
    expect(runs.status, runs.text).toBe(200);
    expect(runs.body.payload, runs.text).toHaveLength(1);
    const left = await db
      .selectFrom('automation_rule_runs')
      .select('event_key')
      .where('automation_rule_id', '=', rule.body.id)
      .execute();
    expect(left.map((r) => r.event_key)).toEqual(['recent']);
  });
});
