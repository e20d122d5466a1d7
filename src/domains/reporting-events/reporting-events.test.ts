import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { settableClock } from '../../core/clock.js';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';

// status events end at the server's clock (Chatwoot's event.timestamp): tests set it
const clock = settableClock(new Date());
const server = useTestServer({}, { clock });

/** Mon–Fri 09:00–17:00 in `timezone`, closed at weekends. */
const weekdays = (timezone: string) => ({
  timezone,
  working_hours_enabled: true,
  working_hours: [0, 1, 2, 3, 4, 5, 6].map((day) =>
    day === 0 || day === 6
      ? { day_of_week: day, closed_all_day: true }
      : { day_of_week: day, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 },
  ),
});
const alwaysOpen = {
  timezone: 'UTC',
  working_hours_enabled: true,
  working_hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day_of_week: day, open_all_day: true, closed_all_day: false })),
};

interface EventRow {
  id: number;
  name: string;
  value: number;
  value_in_business_hours: number;
  account_id: number;
  inbox_id: number;
  user_id: number | null;
  conversation_id: number;
  event_start_time: string;
  event_end_time: string;
  created_at: string;
}

async function eventsOf(fx: AccountFixture, displayId: number): Promise<EventRow[]> {
  const res = await fx.asAdmin('GET', `/conversations/${displayId}/reporting_events`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function internalId(uuid: string): Promise<number> {
  const { rows } = await sql<{ id: number }>`select id from conversations where uuid = ${uuid}`.execute(server().db);
  return Number(rows[0]!.id);
}

const setConversation = (uuid: string, values: { created_at?: string; waiting_since?: string }) =>
  sql`update conversations set created_at = coalesce(${values.created_at ?? null}::timestamptz, created_at),
    waiting_since = coalesce(${values.waiting_since ?? null}::timestamptz, waiting_since) where uuid = ${uuid}`.execute(
    server().db,
  );

const epoch = (iso: string) => Date.parse(iso) / 1000;

describe('reporting events of status changes', () => {
  it('records a resolution and a reopening across a DST change, with business hours in the inbox zone', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx, weekdays('America/New_York'));
    const conversation = await buildConversation(fx, inbox.id);
    const id = await internalId(conversation.uuid);
    // Friday 15:00 EST; New York moves to EDT on Sunday 10 March 2024
    await setConversation(conversation.uuid, { created_at: '2024-03-08T20:00:00Z' });

    // Monday 10:00 EDT: 66 hours later, 3 of them open (Fri 15–17, Mon 9–10)
    clock.set('2024-03-11T14:00:00Z');
    const resolved = await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, {
      status: 'resolved',
    });
    expect(resolved.status, resolved.text).toBe(200);
    // Tuesday 09:30 EDT: 23.5 hours after the resolution, 7.5 open (Mon 10–17, Tue 9–9:30)
    clock.set('2024-03-12T13:30:00Z');
    const opened = await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'open' });
    expect(opened.status, opened.text).toBe(200);

    const events = await eventsOf(fx, conversation.id);
    expect(events.map((e) => e.name)).toEqual(['conversation_resolved', 'conversation_opened']);
    expect(events[0]).toMatchObject({
      value: 66 * 3600,
      value_in_business_hours: 3 * 3600,
      account_id: fx.account.id,
      inbox_id: inbox.id,
      user_id: fx.admin.id,
      conversation_id: id,
      event_start_time: '2024-03-08T20:00:00.000Z',
      event_end_time: '2024-03-11T14:00:00.000Z',
      created_at: '2024-03-11T14:00:00.000Z',
    });
    expect(events[1]).toMatchObject({
      value: 23.5 * 3600,
      value_in_business_hours: 7.5 * 3600,
      user_id: null,
      event_start_time: '2024-03-11T14:00:00.000Z',
      event_end_time: '2024-03-12T13:30:00.000Z',
    });
  });

  it('measures a first opening as 0 from the creation, and a conversation from before reporting gets no history', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id, { status: 'pending' });
    await setConversation(conversation.uuid, { created_at: '2024-01-01T00:00:00Z' });
    clock.set('2024-01-02T00:00:00Z');
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'open' });
    expect(await eventsOf(fx, conversation.id)).toEqual([
      expect.objectContaining({
        name: 'conversation_opened',
        value: 0,
        value_in_business_hours: 0,
        event_start_time: '2024-01-01T00:00:00.000Z',
        event_end_time: '2024-01-02T00:00:00.000Z',
      }),
    ]);
    // no working hours: value_in_business_hours 0 whatever the span
    clock.set('2024-01-03T00:00:00Z');
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
    const events = await eventsOf(fx, conversation.id);
    expect(events[1]).toMatchObject({ name: 'conversation_resolved', value: 2 * 86400, value_in_business_hours: 0 });
  });

  it('records a bot handoff once, and the first response counts from it', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const bot = (await fx.asAdmin('POST', '/agent_bots', { name: 'Helper', outgoing_url: 'https://bot.example.com/h' }))
      .body;
    await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.id });
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier);
    const created = await api.conversation(inbox.inbox_identifier, contact.source_id);
    expect(created.status).toBe('pending');
    const start = new Date(Date.now() - 3600_000);
    start.setMilliseconds(0);
    await setConversation(created.uuid, { created_at: start.toISOString() });
    const handoff = new Date(start.getTime() + 600_000);
    clock.set(handoff);
    const toggle = await server().request(
      'POST',
      `/api/v1/accounts/${fx.account.id}/conversations/${created.id}/toggle_status`,
      { token: bot.access_token, body: { status: 'open' } },
    );
    expect(toggle.status, toggle.text).toBe(200);
    const reply = await fx.asAdmin('POST', `/conversations/${created.id}/messages`, { content: 'A human here' });
    expect(reply.status, reply.text).toBe(200);

    const events = await eventsOf(fx, created.id);
    expect(events.map((e) => e.name)).toEqual(['conversation_opened', 'conversation_bot_handoff', 'first_response']);
    expect(events[1]).toMatchObject({
      value: 600,
      event_start_time: start.toISOString(),
      event_end_time: handoff.toISOString(),
    });
    // last_non_human_activity: the handoff's end, not the creation
    expect(events[2]).toMatchObject({
      value: reply.body.created_at - handoff.getTime() / 1000,
      user_id: fx.admin.id,
      event_start_time: handoff.toISOString(),
    });
  });

  it('records a bot resolution beside the resolution when no human replied', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const bot = (await fx.asAdmin('POST', '/agent_bots', { name: 'Helper', outgoing_url: 'https://bot.example.com/h' }))
      .body;
    await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.id });
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier);
    const created = await api.conversation(inbox.inbox_identifier, contact.source_id);
    await setConversation(created.uuid, { created_at: '2024-05-01T10:00:00Z' });
    clock.set('2024-05-01T10:05:00Z');
    await server().request('POST', `/api/v1/accounts/${fx.account.id}/conversations/${created.id}/toggle_status`, {
      token: bot.access_token,
      body: { status: 'resolved' },
    });
    const events = await eventsOf(fx, created.id);
    expect(events.map((e) => [e.name, e.value, e.user_id])).toEqual([
      ['conversation_bot_resolved', 300, null],
      ['conversation_resolved', 300, null],
    ]);
  });
});

describe('agent_participation', () => {
  it('records each agent who replied publicly in the care cycle a resolution ends, once per cycle', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const member = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    expect(member.status, member.text).toBe(200);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier);
    const created = await api.conversation(inbox.inbox_identifier, contact.source_id);
    const id = await internalId(created.uuid);
    await setConversation(created.uuid, { created_at: '2024-04-01T10:00:00Z' });
    const move = (iso: string) =>
      sql`update messages set created_at = ${iso}::timestamptz
        where conversation_id = ${id} and created_at > '2025-01-01'`.execute(server().db);
    const say = async (as: 'asAdmin' | 'asAgent', body: Record<string, unknown>) => {
      const res = await fx[as]('POST', `/conversations/${created.id}/messages`, body);
      expect(res.status, res.text).toBe(200);
    };
    const toggle = async (as: 'asAdmin' | 'asAgent', status: string, at: string) => {
      clock.set(at);
      const res = await fx[as]('POST', `/conversations/${created.id}/toggle_status`, { status });
      expect(res.status, res.text).toBe(200);
    };

    // first cycle: the agent answers twice; the administrator only writes a private note
    await api.message(inbox.inbox_identifier, contact.source_id, created.id, { content: 'Hello?' });
    await say('asAgent', { content: 'Hi' });
    await say('asAgent', { content: 'Anything else?' });
    await say('asAdmin', { content: 'internal', private: true });
    await move('2024-04-01T10:10:00Z');
    await toggle('asAdmin', 'resolved', '2024-04-01T11:00:00Z');
    // second cycle, from that resolution: the administrator answers; the agent resolves
    await toggle('asAdmin', 'open', '2024-04-02T09:00:00Z');
    await say('asAdmin', { content: 'Back again' });
    await move('2024-04-02T09:30:00Z');
    await toggle('asAgent', 'resolved', '2024-04-02T10:00:00Z');

    const events = await eventsOf(fx, created.id);
    const participation = events.filter((e) => e.name === 'agent_participation');
    expect(participation).toEqual([
      expect.objectContaining({
        value: 0,
        value_in_business_hours: null,
        account_id: fx.account.id,
        inbox_id: inbox.id,
        user_id: fx.agent.id,
        conversation_id: id,
        event_start_time: null,
        event_end_time: null,
        created_at: '2024-04-01T11:00:00.000Z',
      }),
      expect.objectContaining({ user_id: fx.admin.id, created_at: '2024-04-02T10:00:00.000Z' }),
    ]);
    // a resolution with no reply in its cycle records nobody
    await toggle('asAdmin', 'open', '2024-04-03T09:00:00Z');
    await toggle('asAdmin', 'resolved', '2024-04-03T10:00:00Z');
    const after = await eventsOf(fx, created.id);
    expect(after.filter((e) => e.name === 'agent_participation')).toHaveLength(2);
    expect(after.filter((e) => e.name === 'conversation_resolved')).toHaveLength(3);
  });
});

describe('reporting events of replies', () => {
  // fast: nothing listens, the reply takes the one-statement path; webhook: a subscribed webhook
  // sends it through the transaction; hours: an inbox with working hours (open all week, so its
  // open time is the whole span) does too
  for (const setting of ['fast', 'webhook', 'hours'] as const) {
    it(`records first_response and reply_time (${setting})`, async () => {
      const fx = await buildAccountFixture(server());
      const inbox = await buildInbox(fx, setting === 'hours' ? alwaysOpen : {});
      if (setting === 'webhook')
        await fx.asAdmin('POST', '/webhooks', {
          webhook: { url: 'https://hooks.example.com/r', subscriptions: ['message_created'] },
        });
      const api = publicApi(server());
      const contact = await api.contact(inbox.inbox_identifier);
      const created = await api.conversation(inbox.inbox_identifier, contact.source_id);
      await api.message(inbox.inbox_identifier, contact.source_id, created.id, { content: 'Hello?' });
      const t0 = new Date(Date.now() - 7200_000);
      t0.setMilliseconds(0);
      await setConversation(created.uuid, { created_at: t0.toISOString() });
      // a private note is no reply
      await fx.asAdmin('POST', `/conversations/${created.id}/messages`, { content: 'note', private: true });
      const first = await fx.asAdmin('POST', `/conversations/${created.id}/messages`, { content: 'First' });
      // an answer without a wait records nothing
      await fx.asAdmin('POST', `/conversations/${created.id}/messages`, { content: 'More' });
      await api.message(inbox.inbox_identifier, contact.source_id, created.id, { content: 'Again?' });
      const t1 = new Date(Date.now() - 1800_000);
      t1.setMilliseconds(0);
      await setConversation(created.uuid, { waiting_since: t1.toISOString() });
      const second = await fx.asAdmin('POST', `/conversations/${created.id}/messages`, { content: 'Second' });

      const events = await eventsOf(fx, created.id);
      expect(events.map((e) => e.name)).toEqual(['first_response', 'reply_time']);
      const firstValue = first.body.created_at - epoch(t0.toISOString());
      const secondValue = second.body.created_at - epoch(t1.toISOString());
      expect(events[0]).toMatchObject({
        value: firstValue,
        value_in_business_hours: setting === 'hours' ? expect.closeTo(firstValue, -0.5) : 0,
        user_id: fx.admin.id,
        inbox_id: inbox.id,
        event_start_time: t0.toISOString(),
      });
      expect(Math.floor(Date.parse(events[0]!.event_end_time) / 1000)).toBe(first.body.created_at);
      expect(events[1]).toMatchObject({
        value: secondValue,
        value_in_business_hours: setting === 'hours' ? expect.closeTo(secondValue, -0.5) : 0,
        user_id: fx.admin.id,
        event_start_time: t1.toISOString(),
      });
    });
  }
});

describe('GET conversations/:id/reporting_events', () => {
  it('is the conversation’s, for whoever may see it: 404 elsewhere, 401 to an agent outside the inbox', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    clock.set(new Date());
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
    expect(await eventsOf(fx, conversation.id)).toHaveLength(1);
    expect((await fx.asAgent('GET', `/conversations/${conversation.id}/reporting_events`)).status).toBe(401);
    expect((await other.asAdmin('GET', `/conversations/${conversation.id}/reporting_events`)).status).toBe(404);
    expect((await fx.asAdmin('GET', `/conversations/999999/reporting_events`)).status).toBe(404);
    expect((await fx.asAdmin('GET', `/conversations/abc/reporting_events`)).status).toBe(404);
    const anonymous = await server().request(
      'GET',
      `/api/v1/accounts/${fx.account.id}/conversations/${conversation.id}/reporting_events`,
    );
    expect(anonymous.status).toBe(401);
  });
});
