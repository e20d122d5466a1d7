import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { settableClock } from '../../core/clock.js';
import type { DomainEvent } from '../../core/events/bus.js';
import { ACTIVITY } from '../conversations/activity.js';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';
import { AUTO_RESOLVE, AUTO_RESOLVE_CRONTAB } from '../../tasks/auto-resolve.js';

// the server's clock stands years back, so the every-minute look finds nothing on its own: each
// test queues a look for the time it wants (or moves the clock)
const clock = settableClock(new Date('2020-01-01T00:00:00Z'));
const server = useTestServer({}, { clock });
const MINUTE = 60_000;
const [INCOMING, OUTGOING, ACTIVITY_TYPE, TEMPLATE] = [0, 1, 2, 3];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Queues one look (as of `now`, else the server's clock) and waits until it has run. */
async function look(now?: Date) {
  const payload = JSON.stringify(now ? { now: now.toISOString() } : {});
  const { rows } = await sql<{ id: string }>`
    select (graphile_worker.add_job(${AUTO_RESOLVE}, ${payload}::json, max_attempts => 1)).id`.execute(server().db);
  const id = rows[0]!.id;
  for (let i = 0; i < 200; i++) {
    const left = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where id = ${id}`.execute(
      server().db,
    );
    if (left.rows[0]!.n === 0) return;
    await sleep(50);
  }
  throw new Error('the auto-resolve look did not run');
}

async function setup(settings: Record<string, unknown>) {
  const fx = await buildAccountFixture(server());
  const res = await server().request('PATCH', `/api/v1/accounts/${fx.account.id}`, {
    token: fx.admin.access_token,
    body: settings,
  });
  if (res.status !== 200) throw new Error(res.text);
  const inbox = await buildInbox(fx);
  const api = publicApi(server());
  /** A conversation with one message from its contact, then (if told) the agent's reply, last active at `at`. */
  const conversation = async (at: Date, { replied = false } = {}) => {
    const contact = await api.contact(inbox.inbox_identifier);
    const created = await api.conversation(inbox.inbox_identifier, contact.source_id);
    await api.message(inbox.inbox_identifier, contact.source_id, created.id, { content: 'Help?' });
    if (replied) await fx.asAdmin('POST', `/conversations/${created.id}/messages`, { content: 'Done!' });
    await sql`update conversations set last_activity_at = ${at} where uuid = ${created.uuid}`.execute(server().db);
    return created.id;
  };
  return { fx, conversation };
}

async function stateOf(fx: AccountFixture, displayId: number) {
  const shown = await fx.asAdmin('GET', `/conversations/${displayId}`);
  const messages = await fx.asAdmin('GET', `/conversations/${displayId}/messages`);
  return {
    status: shown.body.status as string,
    labels: shown.body.labels as string[],
    messages: (messages.body.payload as Array<{ message_type: number; content: string }>).map(
      (m) => [m.message_type, m.content] as const,
    ),
  };
}

describe('auto-resolve', () => {
  it('resolves a conversation within a minute of its due time, with the message, the label and the activity', async () => {
    const { fx, conversation } = await setup({
      auto_resolve_after: 60,
      auto_resolve_message: 'Closing this for now.',
      auto_resolve_label: 'Auto-Closed',
    });
    const last = new Date(Date.now() - 30 * MINUTE);
    const id = await conversation(last);
    await look(new Date(last.getTime() + 59 * MINUTE));
    expect((await stateOf(fx, id)).status).toBe('open');
    await look(new Date(last.getTime() + 60 * MINUTE + 1000));
    expect(await stateOf(fx, id)).toEqual({
      status: 'resolved',
      labels: ['auto-closed'],
      messages: [
        [INCOMING, 'Help?'],
        [TEMPLATE, 'Closing this for now.'],
        [ACTIVITY_TYPE, 'Conversation was marked resolved by system due to 1 hours of inactivity'],
      ],
    });
    // a second look finds nothing more to do
    await look(new Date(last.getTime() + 120 * MINUTE));
    expect((await stateOf(fx, id)).messages).toHaveLength(3);
  });

  it('skips conversations waiting for a reply when told to ignore them, and resolves them otherwise', async () => {
    const last = new Date(Date.now() - 30 * MINUTE);
    const later = new Date(last.getTime() + 61 * MINUTE);
    const ignoring = await setup({ auto_resolve_after: 60, auto_resolve_ignore_waiting: true });
    const waiting = await ignoring.conversation(last);
    const answered = await ignoring.conversation(last, { replied: true });
    const all = await setup({ auto_resolve_after: 60, auto_resolve_ignore_waiting: false });
    const waitingToo = await all.conversation(last);
    await look(later);
    expect((await stateOf(ignoring.fx, waiting)).status).toBe('open');
    expect(await stateOf(ignoring.fx, answered)).toEqual({
      status: 'resolved',
      labels: [],
      messages: [
        [INCOMING, 'Help?'],
        [OUTGOING, 'Done!'],
        [ACTIVITY_TYPE, 'Conversation was marked resolved by system due to 1 hours of inactivity'],
      ],
    });
    expect((await stateOf(all.fx, waitingToo)).status).toBe('resolved');
  });

  it('leaves accounts without auto-resolve, other statuses and recently active conversations alone', async () => {
    const last = new Date(Date.now() - 30 * MINUTE);
    const off = await setup({ auto_resolve_after: null, auto_resolve_message: 'Bye' });
    const offId = await off.conversation(new Date(last.getTime() - 1000 * MINUTE));
    const on = await setup({ auto_resolve_after: 60 });
    const pending = await on.conversation(last);
    await on.fx.asAdmin('POST', `/conversations/${pending}/toggle_status`, { status: 'pending' });
    const snoozed = await on.conversation(last);
    await on.fx.asAdmin('POST', `/conversations/${snoozed}/toggle_status`, { status: 'snoozed' });
    await sql`update conversations set last_activity_at = ${last} where account_id = ${on.fx.account.id}`.execute(
      server().db,
    );
    const recent = await on.conversation(new Date(last.getTime() + 10 * MINUTE));
    await look(new Date(last.getTime() + 65 * MINUTE));
    expect((await stateOf(off.fx, offId)).status).toBe('open');
    expect((await stateOf(on.fx, pending)).status).toBe('pending');
    expect((await stateOf(on.fx, snoozed)).status).toBe('snoozed');
    expect((await stateOf(on.fx, recent)).status).toBe('open');
  });

  it('announces the resolution like an agent’s (conversation.status_changed, no performer) and judges time by the clock', async () => {
    const { fx, conversation } = await setup({ auto_resolve_after: 1440 });
    const id = await conversation(new Date(Date.now() - 30 * MINUTE));
    const seen: DomainEvent[] = [];
    const stop = server().bus.subscribe((event) => {
      if (event.name === 'conversation.status_changed') seen.push(event);
    });
    try {
      clock.set(new Date(Date.now() + 1440 * MINUTE));
      await look();
    } finally {
      clock.set(new Date('2020-01-01T00:00:00Z'));
      stop();
    }
    const state = await stateOf(fx, id);
    expect(state.status).toBe('resolved');
    expect(state.messages.at(-1)).toEqual([
      ACTIVITY_TYPE,
      'Conversation was marked resolved by system due to 1 days of inactivity',
    ]);
    expect(seen.filter((e) => e.payload.accountId === fx.account.id)).toEqual([
      {
        name: 'conversation.status_changed',
        payload: expect.objectContaining({ accountId: fx.account.id, performer: undefined, previousStatus: 0 }),
      },
    ]);
  });

  it('is scheduled every minute on the job runner’s crontab', async () => {
    const { rows } = await sql<{ identifier: string }>`
      select identifier from graphile_worker._private_known_crontabs where identifier = ${AUTO_RESOLVE}`.execute(
      server().db,
    );
    expect(rows).toEqual([{ identifier: AUTO_RESOLVE }]);
    expect(AUTO_RESOLVE_CRONTAB.startsWith('* * * * * ')).toBe(true);
  });

  it('serves the auto_resolve_conversations feature', async () => {
    const fx = await buildAccountFixture(server());
    const res = await server().request('GET', `/api/v1/accounts/${fx.account.id}`, { token: fx.admin.access_token });
    expect(res.body.features.auto_resolve_conversations).toBe(true);
  });

  it('names the inactivity in whole days, else whole hours, else minutes', () => {
    expect(ACTIVITY.status.autoResolved(2880)).toBe(
      'Conversation was marked resolved by system due to 2 days of inactivity',
    );
    expect(ACTIVITY.status.autoResolved(1500)).toBe(
      'Conversation was marked resolved by system due to 25 hours of inactivity',
    );
    expect(ACTIVITY.status.autoResolved(90)).toBe(
      'Conversation was marked resolved by system due to 90 minutes of inactivity',
    );
  });

  it('finds due conversations through indexes, not a scan of all conversations', async () => {
    const plan = await server()
      .db.transaction()
      .execute(async (tx) => {
        await sql`set local enable_seqscan = off`.execute(tx);
        const { rows } = await sql<{ 'QUERY PLAN': string }>`explain
        select c.id from accounts a cross join lateral (
          select c.id from conversations c where c.account_id = a.id and c.status = 0
            and c.last_activity_at < now() - make_interval(mins => 60) order by c.last_activity_at, c.id limit 100) c
        where (a.settings ->> 'auto_resolve_after') is not null`.execute(tx);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    expect(plan).toContain('accounts_auto_resolve_idx');
    expect(plan).not.toMatch(/Seq Scan on conversations/);
  });
});
