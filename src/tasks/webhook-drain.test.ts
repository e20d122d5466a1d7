import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../test/factories.js';
import { startReceiver } from '../../test/webhook-receiver.js';

const server = useTestServer({
  CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
  CONFAB_JOB_POLL_MS: '100',
  CONFAB_WEBHOOK_TIMEOUT_MS: '60000',
  CONFAB_WEBHOOK_CONCURRENCY: '6',
  CONFAB_WEBHOOK_URL_CONCURRENCY: '2',
});
const slow = await startReceiver();
const fast = await startReceiver();
afterAll(async () => {
  await slow.close();
  await fast.close();
});
const MESSAGES = 20;

describe('the webhook drainer', () => {
  it('lets a receiver that does not answer hold only its own slots, and reuses connections', async () => {
    slow.respondWith(() => 'hang');
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    for (const receiver of [slow, fast]) {
      const hook = await fx.asAdmin('POST', '/webhooks', {
        webhook: { url: `${receiver.url}/hook`, subscriptions: ['message_created'] },
      });
      expect(hook.status, hook.text).toBe(200);
    }
    const conversation = await buildConversation(fx, inbox.id);
    for (let i = 0; i < MESSAGES; i++) {
      const res = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: `m ${i}` });
      expect(res.status, res.text).toBe(200);
    }
    // every delivery to the answering receiver arrives while the other holds its answers
    await fast.waitFor((all) => all.length >= MESSAGES, 30_000);
    expect(slow.received, 'tries in flight to the silent receiver').toHaveLength(2);
    expect(new Set(fast.received.map((r) => r.body.content))).toEqual(
      new Set(Array.from({ length: MESSAGES }, (_, i) => `m ${i}`)),
    );
    // at most two at once to one URL, over kept-alive connections: not a connection per delivery
    expect(new Set(fast.received.map((r) => r.port)).size).toBeLessThanOrEqual(2);

    slow.respondWith(() => 200);
    slow.release();
    await slow.waitFor((all) => all.length >= MESSAGES, 30_000);
    expect(new Set(slow.received.map((r) => r.headers['webhook-id'])).size).toBe(MESSAGES);
    // every row says so: succeeded at the first try, and handed back by the drainer
    await expect
      .poll(
        async () =>
          (
            await server()
              .db.selectFrom('webhook_deliveries')
              .select(['status', 'attempts', 'locked_by'])
              .where('account_id', '=', fx.account.id)
              .execute()
          ).filter((r) => r.status === 'succeeded' && r.attempts === 1 && r.locked_by === null).length,
        { timeout: 10_000 },
      )
      .toBe(2 * MESSAGES);
  }, 120_000);
});
