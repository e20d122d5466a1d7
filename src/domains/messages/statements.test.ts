// How many statements an agent's reply costs PostgreSQL, from the token lookup to its last /cable
// broadcast (issue 23, item 4: round trips are what the message path's latency is made of on a
// loaded machine). Budgets, not timings: each statement this server sends is counted, so a change
// that adds a round trip to the path fails here and names every statement it saw.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';

// no job runner, drainers or pollers: only the request and what it publishes talk to PostgreSQL
const server = useTestServer({ CONFAB_JOB_CONCURRENCY: '0', CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const seen: string[] = [];
let counting = false;
/** Every statement sent, counted or not: how a test waits for the last request's work to end. */
let sent = 0;
const query = pg.Client.prototype.query;
beforeAll(() => {
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    sent++;
    if (counting) {
      const first = args[0] as string | { text?: string };
      seen.push((typeof first === 'string' ? first : (first?.text ?? '')).replace(/\s+/g, ' '));
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
});
afterAll(() => {
  pg.Client.prototype.query = query;
});

/** Resolves once no statement has been sent for 300 ms. */
async function quiet() {
  for (let last = -1; last !== sent; ) {
    last = sent;
    await sleep(300);
  }
}

/**
 * The statements `run` and what it set off sent, the earlier requests' work over — the plan-mode
 * switches (core/db/prepared.ts) too: pg sends a client's next statement only once the last one
 * is answered, so each is a round trip of its own.
 */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  await quiet();
  seen.length = 0;
  counting = true;
  await run();
  // the listeners' after-commit work (the broadcasts) over, however long its round trips took
  await server().bus.settled();
  await quiet();
  counting = false;
  return [...seen];
}

let fx: AccountFixture;
let plain: { id: number };
let assigned: { id: number };
const reply = (conversation: { id: number }, content: string) => async () => {
  const res = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content });
  expect(res.status, res.text).toBe(200);
};

beforeAll(async () => {
  fx = await buildAccountFixture(server());
  const inbox = await buildInbox(fx);
  const member = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
  expect(member.status, member.text).toBe(200);
  plain = await buildConversation(fx, inbox.id);
  assigned = await buildConversation(fx, inbox.id, { assignee_id: fx.agent.id });
  // every statement prepared once, and the assignee's first notification there to be replaced
  await reply(plain, 'warm')();
  await reply(assigned, 'warm')();
  await sleep(300);
});

describe('statements per agent reply', () => {
  it('a plain reply: the token, the one statement, its broadcast', async () => {
    const statements = await statementsOf(reply(plain, 'Hello'));
    expect(statements.length, statements.map((s) => s.slice(0, 140)).join('\n')).toBeLessThanOrEqual(3);
  });

  it('a reply that notifies the assignee and queues a message_created webhook', async () => {
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: 'http://127.0.0.1:9/hook', subscriptions: ['message_created'] },
    });
    expect(hook.status, hook.text).toBe(200);
    await reply(assigned, 'warm again')();
    // the cheapest of three: a pooled connection last used by other work (building the fixture,
    // creating the webhook) switches its plan mode once when the reply first takes it, and which
    // connections the reply's after-commit work takes depends on timing (a loaded CI machine)
    const runs: string[][] = [];
    for (let i = 0; i < 3; i++) runs.push(await statementsOf(reply(assigned, `Hello ${i}`)));
    const statements = runs.reduce((best, run) => (run.length < best.length ? run : best));
    // what it must have done, in the reply's one statement (migration 0158): a delivery row, a
    // notification (replacing the last one); then the delivery's body, and both broadcasts
    const stored = statements.filter((s) => s.includes('message_created_webhooks('));
    expect(stored, statements.join('\n')).toHaveLength(1);
    expect(stored[0]).toContain('message_created_notifications(');
    expect(statements.filter((s) => s.includes('update webhook_deliveries set payload'))).toHaveLength(1);
    expect(statements.filter((s) => s.includes('realtime_store('))).not.toHaveLength(0);
    // the assignee's counts for the notification's broadcasts came with it (migration 0159)
    expect(statements.filter((s) => s.includes('from "notifications"'))).toEqual([]);
    // 52 before issue 23's message-path work, 16 or 17 through the transaction: now the token, the
    // one statement, the delivery's body, and the broadcasts' realtime_store (one or two, as the
    // message's and the notification's are ready together or not)
    expect(statements.filter((s) => s.startsWith('set plan_cache_mode'))).toEqual([]);
    expect(statements.length, statements.map((s) => s.slice(0, 140)).join('\n')).toBeLessThanOrEqual(5);
  });
});
