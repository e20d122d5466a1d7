import { describe, expect, it } from 'vitest';
import { settableClock } from '../../core/clock.js';
import { useTestServer } from '../../../test/harness.js';
import {
  buildAccountFixture,
  buildAgentBot,
  buildConversation,
  buildInbox,
  type AccountFixture,
} from '../../../test/factories.js';

// the wall clock picks the zone of an offset (Chatwoot's zone.now.utc_offset): tests set it
const clock = settableClock(new Date('2024-07-01T12:00:00Z'));
const server = useTestServer({}, { clock });

const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function v2(fx: AccountFixture, path: string, query: Record<string, string | number>, token = fx.admin.access_token) {
  return server().request('GET', `/api/v2/accounts/${fx.account.id}${path}`, { token, query });
}

/** A conversation made through the API, then moved to `createdAt`; returns its database id and display id. */
async function conversationAt(
  fx: AccountFixture,
  inboxId: number,
  createdAt: string,
  body: Record<string, unknown> = {},
) {
  const conversation = await buildConversation(fx, inboxId, body);
  const row = await server()
    .db.updateTable('conversations')
    .set({ created_at: new Date(createdAt) })
    .where('account_id', '=', fx.account.id)
    .where('display_id', '=', conversation.id)
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, displayId: conversation.id };
}

async function messageAt(
  fx: AccountFixture,
  displayId: number,
  createdAt: string,
  extra: Record<string, unknown> = {},
) {
  const res = await fx.asAdmin('POST', `/conversations/${displayId}/messages`, { content: 'hello', ...extra });
  expect(res.status, res.text).toBe(200);
  await server()
    .db.updateTable('messages')
    .set({ created_at: new Date(createdAt) })
    .where('id', '=', res.body.id)
    .execute();
  return res.body as { id: number };
}

/** A reporting_events row as Chatwoot's ReportingEventListener writes it. */
async function eventAt(
  fx: AccountFixture,
  name: string,
  createdAt: string,
  row: {
    conversation_id: number;
    inbox_id: number;
    user_id?: number | null;
    value?: number;
    value_in_business_hours?: number | null;
  },
) {
  await server()
    .db.insertInto('reporting_events')
    .values({
      name,
      account_id: fx.account.id,
      value: row.value ?? 0,
      value_in_business_hours:
        row.value_in_business_hours === undefined ? (row.value ?? 0) : row.value_in_business_hours,
      inbox_id: row.inbox_id,
      user_id: row.user_id ?? null,
      conversation_id: row.conversation_id,
      created_at: new Date(createdAt),
      updated_at: new Date(createdAt),
    })
    .execute();
}

const values = (res: { body: { value: number | null }[] }) => res.body.map((p) => p.value);
const stamps = (res: { body: { timestamp: number }[] }) => res.body.map((p) => p.timestamp);

describe('GET /api/v2/accounts/:id/reports', () => {
  it('buckets by day in the zone the offset names now, as Chatwoot spec shows (clock in July)', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    for (const hour of ['00', '04', '08', '12', '16', '20'])
      await conversationAt(fx, inbox.id, `2024-01-15T${hour}:00:00Z`);
    const query = {
      metric: 'conversations_count',
      type: 'account',
      since: at('2024-01-14T00:00:00Z'),
      until: at('2024-01-17T00:00:00Z'),
      group_by: 'day',
    };

    // in July an offset of 0 is the Azores (standard -1, DST 0): January days start at 01:00 UTC
    const utc = await v2(fx, '/reports', { ...query, timezone_offset: 0 });
    expect(utc.status, utc.text).toBe(200);
    expect(utc.body).toEqual([
      { value: 0, timestamp: at('2024-01-13T01:00:00Z') },
      { value: 1, timestamp: at('2024-01-14T01:00:00Z') },
      { value: 5, timestamp: at('2024-01-15T01:00:00Z') },
      { value: 0, timestamp: at('2024-01-16T01:00:00Z') },
    ]);
    // -8 in July is Alaska (AKDT), whose January offset is -9
    const alaska = await v2(fx, '/reports', { ...query, timezone_offset: -8 });
    expect(values(alaska)).toEqual([0, 3, 3, 0]);
    expect(stamps(alaska)[0]).toBe(at('2024-01-13T09:00:00Z'));
    expect(stamps(utc).map((stamp, i) => stamp - stamps(alaska)[i]!)).toEqual([-28_800, -28_800, -28_800, -28_800]);
    // +9 is Tokyo
    const tokyo = await v2(fx, '/reports', { ...query, timezone_offset: 9 });
    expect(values(tokyo)).toEqual([0, 4, 2, 0]);
    expect(stamps(tokyo)).toEqual([
      at('2024-01-13T15:00:00Z'),
      at('2024-01-14T15:00:00Z'),
      at('2024-01-15T15:00:00Z'),
      at('2024-01-16T15:00:00Z'),
    ]);
  });

  it("starts days at the zone's midnights across a spring-forward change", async () => {
    clock.set('2024-02-01T12:00:00Z'); // in February -8 is Pacific time
    try {
      const fx = await buildAccountFixture(server());
      const inbox = await buildInbox(fx);
      await conversationAt(fx, inbox.id, '2024-03-10T07:30:00Z'); // Mar 9 23:30 PST
      await conversationAt(fx, inbox.id, '2024-03-10T12:00:00Z'); // Mar 10 05:00 PDT
      await conversationAt(fx, inbox.id, '2024-03-11T07:30:00Z'); // Mar 11 00:30 PDT (Mar 10 under a fixed -8)
      const res = await v2(fx, '/reports', {
        metric: 'conversations_count',
        type: 'account',
        since: at('2024-03-09T08:00:00Z'),
        until: at('2024-03-12T07:00:00Z'),
        timezone_offset: -8,
      });
      expect(res.status, res.text).toBe(200);
      // Mar 10 is 23 hours long: Mar 11 starts at 07:00 UTC; Mar 12 starts at `until`, so is not a bucket
      expect(res.body).toEqual([
        { value: 1, timestamp: at('2024-03-09T08:00:00Z') },
        { value: 1, timestamp: at('2024-03-10T08:00:00Z') },
        { value: 1, timestamp: at('2024-03-11T07:00:00Z') },
      ]);
    } finally {
      clock.set('2024-07-01T12:00:00Z');
    }
  });

  it('starts weeks on Sunday and months on the first, in UTC and at +5.5', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await conversationAt(fx, inbox.id, '2024-03-02T23:59:59Z'); // Saturday
    await conversationAt(fx, inbox.id, '2024-03-03T00:00:00Z'); // Sunday
    await conversationAt(fx, inbox.id, '2024-03-11T10:00:00Z'); // Monday
    const weeks = await v2(fx, '/reports', {
      metric: 'conversations_count',
      type: 'account',
      since: at('2024-02-27T00:00:00Z'),
      until: at('2024-03-12T00:00:00Z'),
      group_by: 'week',
    });
    expect(weeks.status, weeks.text).toBe(200);
    expect(weeks.body).toEqual([
      { value: 1, timestamp: at('2024-02-25T00:00:00Z') },
      { value: 1, timestamp: at('2024-03-03T00:00:00Z') },
      { value: 1, timestamp: at('2024-03-10T00:00:00Z') },
    ]);

    const other = await buildAccountFixture(server());
    const otherInbox = await buildInbox(other);
    await conversationAt(other, otherInbox.id, '2024-01-31T23:59:59Z'); // Feb 1 05:29 IST
    await conversationAt(other, otherInbox.id, '2024-02-29T12:00:00Z'); // Feb 29 17:30 IST
    await conversationAt(other, otherInbox.id, '2024-02-29T20:00:00Z'); // Mar 1 01:30 IST
    const months = {
      metric: 'conversations_count',
      type: 'account',
      since: at('2024-01-31T12:00:00Z'),
      until: at('2024-03-01T00:00:00Z'),
      group_by: 'month',
    };
    const utc = await v2(other, '/reports', months);
    expect(utc.body).toEqual([
      { value: 1, timestamp: at('2024-01-01T00:00:00Z') },
      { value: 2, timestamp: at('2024-02-01T00:00:00Z') },
    ]);
    const india = await v2(other, '/reports', { ...months, timezone_offset: '5.5' });
    expect(india.body).toEqual([
      { value: 0, timestamp: at('2023-12-31T18:30:00Z') },
      { value: 2, timestamp: at('2024-01-31T18:30:00Z') },
      { value: 1, timestamp: at('2024-02-29T18:30:00Z') },
    ]);
  });

  it('averages reporting events per bucket with their count, in business hours when asked', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await conversationAt(fx, inbox.id, '2024-05-01T09:00:00Z');
    const row = { conversation_id: c.id, inbox_id: inbox.id, user_id: fx.admin.id };
    await eventAt(fx, 'first_response', '2024-05-01T10:00:00Z', { ...row, value: 100, value_in_business_hours: 10 });
    await eventAt(fx, 'first_response', '2024-05-01T11:00:00Z', { ...row, value: 300, value_in_business_hours: 30 });
    await eventAt(fx, 'first_response', '2024-05-02T11:00:00Z', { ...row, value: 50, value_in_business_hours: null });
    await eventAt(fx, 'reply_time', '2024-05-01T11:00:00Z', { ...row, value: 7 });
    const query = {
      metric: 'avg_first_response_time',
      type: 'account',
      since: at('2024-05-01T00:00:00Z'),
      until: at('2024-05-04T00:00:00Z'),
    };
    const plain = await v2(fx, '/reports', query);
    expect(plain.status, plain.text).toBe(200);
    expect(plain.body).toEqual([
      { value: 200, timestamp: at('2024-05-01T00:00:00Z'), count: 2 },
      { value: 50, timestamp: at('2024-05-02T00:00:00Z'), count: 1 },
      { value: 0, timestamp: at('2024-05-03T00:00:00Z'), count: 0 },
    ]);
    const business = await v2(fx, '/reports', { ...query, business_hours: 'true' });
    expect(business.body).toEqual([
      { value: 20, timestamp: at('2024-05-01T00:00:00Z'), count: 2 },
      { value: null, timestamp: at('2024-05-02T00:00:00Z'), count: 1 },
      { value: 0, timestamp: at('2024-05-03T00:00:00Z'), count: 0 },
    ]);
    const off = await v2(fx, '/reports', { ...query, business_hours: 'false' });
    expect(off.body).toEqual(plain.body);
  });

  it('splits days at a quarter-hour midnight to the second (+5.75 is Kathmandu), counts and averages alike', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    // Kathmandu's 2 May starts at 2024-05-01T18:15:00Z: a second before it is still 1 May
    const before = await conversationAt(fx, inbox.id, '2024-05-01T18:14:59Z');
    const after = await conversationAt(fx, inbox.id, '2024-05-01T18:15:00Z');
    await conversationAt(fx, inbox.id, '2024-05-01T18:29:59Z');
    const row = { conversation_id: before.id, inbox_id: inbox.id, user_id: fx.admin.id };
    await eventAt(fx, 'first_response', '2024-05-01T18:14:59Z', { ...row, value: 100 });
    await eventAt(fx, 'first_response', '2024-05-01T18:15:00Z', { ...row, conversation_id: after.id, value: 300 });
    await eventAt(fx, 'first_response', '2024-05-01T18:29:59Z', { ...row, conversation_id: after.id, value: 500 });
    const query = {
      type: 'account',
      since: at('2024-05-01T00:00:00Z'),
      until: at('2024-05-03T00:00:00Z'),
      timezone_offset: '5.75',
    };
    const days = [at('2024-04-30T18:15:00Z'), at('2024-05-01T18:15:00Z'), at('2024-05-02T18:15:00Z')];
    const counts = await v2(fx, '/reports', { ...query, metric: 'conversations_count' });
    expect(counts.status, counts.text).toBe(200);
    expect(counts.body).toEqual([
      { value: 1, timestamp: days[0] },
      { value: 2, timestamp: days[1] },
      { value: 0, timestamp: days[2] },
    ]);
    const averages = await v2(fx, '/reports', { ...query, metric: 'avg_first_response_time' });
    expect(averages.body).toEqual([
      { value: 100, timestamp: days[0], count: 1 },
      { value: 400, timestamp: days[1], count: 2 },
      { value: 0, timestamp: days[2], count: 0 },
    ]);
    const hours = await v2(fx, '/reports', {
      ...query,
      metric: 'conversations_count',
      group_by: 'hour',
      since: at('2024-05-01T17:30:00Z'),
      until: at('2024-05-01T19:00:00Z'),
    });
    // Kathmandu's hours start at :15 UTC: 17:15, 18:15 (the 18:14:59 one is in the first)
    expect(hours.body).toEqual([
      { value: 1, timestamp: at('2024-05-01T17:15:00Z') },
      { value: 2, timestamp: at('2024-05-01T18:15:00Z') },
    ]);
  });

  it('scopes counts to an agent, inbox, team or label', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const otherInbox = await buildInbox(fx);
    const team = await fx.asAdmin('POST', '/teams', { name: `team ${Date.now()}` });
    const label = await fx.asAdmin('POST', '/labels', { title: `vip${Date.now()}` });
    expect(team.status, team.text).toBe(200);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const mine = await conversationAt(fx, inbox.id, '2024-04-02T10:00:00Z');
    // the team first: a new team unassigns an agent who is not its member, as Chatwoot does
    for (const body of [{ team_id: team.body.id }, { assignee_id: fx.agent.id }]) {
      const assigned = await fx.asAdmin('POST', `/conversations/${mine.displayId}/assignments`, body);
      expect(assigned.status, assigned.text).toBe(200);
    }
    await fx.asAdmin('POST', `/conversations/${mine.displayId}/labels`, { labels: [label.body.title] });
    await conversationAt(fx, otherInbox.id, '2024-04-02T11:00:00Z');
    await messageAt(fx, mine.displayId, '2024-04-02T12:00:00Z');
    await messageAt(fx, mine.displayId, '2024-04-02T12:30:00Z', { message_type: 'incoming' });
    const range = { since: at('2024-04-02T00:00:00Z'), until: at('2024-04-03T00:00:00Z') };
    const count = async (metric: string, type: string, id?: number) => {
      const res = await v2(fx, '/reports', { metric, type, ...(id ? { id } : {}), ...range });
      expect(res.status, res.text).toBe(200);
      return values(res)[0];
    };
    expect(await count('conversations_count', 'account')).toBe(2);
    expect(await count('conversations_count', 'inbox', inbox.id)).toBe(1);
    expect(await count('conversations_count', 'inbox', otherInbox.id)).toBe(1);
    expect(await count('conversations_count', 'agent', fx.agent.id)).toBe(1);
    expect(await count('conversations_count', 'agent', fx.admin.id)).toBe(0);
    expect(await count('conversations_count', 'team', team.body.id)).toBe(1);
    expect(await count('conversations_count', 'label', label.body.id)).toBe(1);
    expect(await count('outgoing_messages_count', 'team', team.body.id)).toBe(1);
    expect(await count('incoming_messages_count', 'label', label.body.id)).toBe(1);
    // User#messages are those the user sent
    expect(await count('outgoing_messages_count', 'agent', fx.admin.id)).toBe(1);
    expect(await count('outgoing_messages_count', 'inbox', otherInbox.id)).toBe(0);
  });

  it('answers [] without a range, and refuses bad input with a 4xx', async () => {
    const fx = await buildAccountFixture(server());
    const stranger = await buildAccountFixture(server());
    const strangerInbox = await buildInbox(stranger);
    const base = {
      metric: 'conversations_count',
      type: 'account',
      since: at('2024-01-01T00:00:00Z'),
      until: at('2024-01-08T00:00:00Z'),
    };
    const noRange = await v2(fx, '/reports', { metric: 'conversations_count', type: 'account' });
    expect([noRange.status, noRange.body]).toEqual([200, []]);

    const refusals: [Record<string, string | number>, number][] = [
      [{ ...base, metric: 'nonsense' }, 422],
      [{ ...base, type: 'planet' }, 422],
      [{ ...base, since: base.until, until: base.since }, 422],
      [{ ...base, since: 'yesterday' }, 422],
      [{ ...base, until: '1e10' }, 422],
      [{ ...base, since: at('1920-01-01T00:00:00Z'), until: at('2020-01-01T00:00:00Z') }, 422],
      [{ ...base, group_by: 'hour', until: at('2025-06-01T00:00:00Z') }, 422],
      [{ ...base, timezone_offset: 'Europe/Paris' }, 422],
      [{ ...base, timezone_offset: 15 }, 422],
      [{ ...base, type: 'inbox', id: strangerInbox.id }, 404],
      [{ ...base, type: 'team', id: 'abc' }, 404],
      [{ ...base, type: 'agent', id: stranger.admin.id }, 404],
    ];
    for (const [query, status] of refusals) {
      const res = await v2(fx, '/reports', query);
      expect(res.status, `${JSON.stringify(query)} → ${res.text}`).toBe(status);
      expect(typeof res.body.error, res.text).toBe('string');
    }
  });

  it('words the same range mistake the same way on every report endpoint, CSAT included', async () => {
    const fx = await buildAccountFixture(server());
    const v2Paths = [
      '/reports?metric=conversations_count&type=account',
      '/reports/summary?type=account',
      '/reports/bot_metrics?',
      '/reports/conversations_summary?',
      '/summary_reports/agent?',
      '/reports/agents?',
      '/reports/inbox_label_matrix?',
      '/reports/first_response_time_distribution?',
      '/reports/outgoing_messages_count?group_by=agent',
    ].map((path) => `/api/v2/accounts/${fx.account.id}${path}`);
    const csat = `/api/v1/accounts/${fx.account.id}/csat_survey_responses/metrics?`;
    const mistakes: [string, string][] = [
      ['since=yesterday&until=1710000000', 'since must be a Unix timestamp in seconds'],
      ['since=1710000000&until=1e10', 'until must be a Unix timestamp in seconds'],
      ['since=yesterday', 'since must be a Unix timestamp in seconds'],
      ['since=1710000000&until=1700000000', 'since must not be after until'],
      [
        `since=${at('1990-01-01T00:00:00Z')}&until=${at('2020-01-01T00:00:00Z')}`,
        'The range between since and until is limited to 3660 days',
      ],
    ];
    for (const [query, error] of mistakes) {
      // the overlong window is CSAT's too, with its own bound (below)
      for (const path of error.startsWith('The range') ? v2Paths : [...v2Paths, csat]) {
        const res = await server().request('GET', `${path}&${query}`, { token: fx.admin.access_token });
        expect([res.status, res.body], `${path}&${query}`).toEqual([422, { error }]);
      }
    }
    // CSAT reads at most two years; the wording is the same
    const long = await server().request(
      'GET',
      `${csat}since=${at('2020-01-01T00:00:00Z')}&until=${at('2024-01-01T00:00:00Z')}`,
      { token: fx.admin.access_token },
    );
    expect([long.status, long.body]).toEqual([
      422,
      { error: 'The range between since and until is limited to 732 days' },
    ]);
  });

  it('is for administrators: agents get 401 as Pundit answers, strangers and anonymous callers too', async () => {
    const fx = await buildAccountFixture(server());
    const stranger = await buildAccountFixture(server());
    const query = { metric: 'conversations_count', type: 'account', since: 0, until: 86_400 };
    for (const path of ['/reports', '/reports/summary', '/reports/bot_summary', '/reports/bot_metrics']) {
      const agent = await v2(fx, path, query, fx.agent.access_token);
      expect([agent.status, agent.body]).toEqual([401, { error: 'You are not authorized to do this action' }]);
      const other = await v2(fx, path, query, stranger.admin.access_token);
      expect(other.status).toBe(401);
      const anonymous = await server().request('GET', `/api/v2/accounts/${fx.account.id}${path}`, { query });
      expect(anonymous.status).toBe(401);
    }
  });
});

describe('GET /api/v2/accounts/:id/reports/summary and bot reports', () => {
  it('sums the range and the previous period of the same length; agents have no incoming count', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const now = await conversationAt(fx, inbox.id, '2024-06-10T10:00:00Z', { assignee_id: fx.agent.id });
    const before = await conversationAt(fx, inbox.id, '2024-06-05T10:00:00Z');
    await messageAt(fx, now.displayId, '2024-06-10T10:05:00Z');
    await messageAt(fx, now.displayId, '2024-06-10T10:06:00Z', { message_type: 'incoming' });
    const row = { conversation_id: now.id, inbox_id: inbox.id, user_id: fx.agent.id };
    await eventAt(fx, 'conversation_resolved', '2024-06-10T12:00:00Z', { ...row, value: 7_200 });
    await eventAt(fx, 'first_response', '2024-06-10T10:05:00Z', { ...row, value: 300 });
    await eventAt(fx, 'first_response', '2024-06-05T10:05:00Z', {
      conversation_id: before.id,
      inbox_id: inbox.id,
      value: 60,
    });
    const range = { since: at('2024-06-08T00:00:00Z'), until: at('2024-06-15T00:00:00Z') };

    const res = await v2(fx, '/reports/summary', { type: 'account', ...range, timezone_offset: -8 });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      conversations_count: 1,
      outgoing_messages_count: 1,
      avg_first_response_time: 300,
      avg_resolution_time: 7_200,
      resolutions_count: 1,
      reply_time: null,
      incoming_messages_count: 1,
      previous: {
        conversations_count: 1,
        outgoing_messages_count: 0,
        avg_first_response_time: 60,
        avg_resolution_time: null,
        resolutions_count: 0,
        reply_time: null,
        incoming_messages_count: 0,
      },
    });
    const agent = await v2(fx, '/reports/summary', { type: 'agent', id: fx.agent.id, ...range });
    expect(agent.status, agent.text).toBe(200);
    expect(agent.body).not.toHaveProperty('incoming_messages_count');
    expect(agent.body).toMatchObject({ conversations_count: 1, resolutions_count: 1, avg_first_response_time: 300 });
  });

  it('downloads the account summary as conversations_summary_report.csv, times as Chatwoot prints them', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const inRange = await conversationAt(fx, inbox.id, '2024-06-10T10:00:00Z');
    await conversationAt(fx, inbox.id, '2024-06-11T09:00:00Z');
    await conversationAt(fx, inbox.id, '2024-06-05T10:00:00Z'); // before the range
    await messageAt(fx, inRange.displayId, '2024-06-10T10:05:00Z');
    await messageAt(fx, inRange.displayId, '2024-06-10T10:06:00Z', { message_type: 'incoming' });
    await messageAt(fx, inRange.displayId, '2024-06-10T10:07:00Z', { message_type: 'incoming' });
    const row = { conversation_id: inRange.id, inbox_id: inbox.id };
    await eventAt(fx, 'first_response', '2024-06-10T10:05:00Z', { ...row, value: 300, value_in_business_hours: 30 });
    await eventAt(fx, 'conversation_resolved', '2024-06-10T12:00:00Z', {
      ...row,
      value: 7_260,
      value_in_business_hours: 600,
    });
    await eventAt(fx, 'reply_time', '2024-06-10T10:07:00Z', { ...row, value: 90_061, value_in_business_hours: 0 });
    const range = { since: at('2024-06-08T00:00:00Z'), until: at('2024-06-15T00:00:00Z') };

    const res = await v2(fx, '/reports/conversations_summary', range);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=conversations_summary_report.csv');
    expect(res.text.split('\n')).toEqual([
      'Reporting period 2024-06-08 to 2024-06-15',
      '',
      'Conversations,Messages received,Messages sent,Avg first response time,Avg resolution time,Resolution count,Avg customer waiting time',
      '2,2,1,5 minutes,2 hours 1 minute,1,1 day 1 hour',
      '',
    ]);
    const inBusinessHours = await v2(fx, '/reports/conversations_summary', { ...range, business_hours: 'true' });
    expect(inBusinessHours.text.split('\n')[3]).toBe("2,2,1,30 seconds,10 minutes,1,'--"); // CSVSafe quotes a leading '-' too

    // the view prints since and until: both are required, and refused as every report refuses them
    for (const query of [{}, { since: range.since }, { since: range.until, until: range.since }] as Record<
      string,
      number
    >[]) {
      const bad = await v2(fx, '/reports/conversations_summary', query);
      expect(bad.status, JSON.stringify(query)).toBe(422);
      expect(typeof bad.body.error).toBe('string');
    }
    const agent = await v2(fx, '/reports/conversations_summary', range, fx.agent.access_token);
    expect(agent.status).toBe(401);
  });

  it('counts bot resolutions and handoffs per conversation, and rates them over bot inboxes', async () => {
    const fx = await buildAccountFixture(server());
    const botInbox = await buildInbox(fx);
    const plainInbox = await buildInbox(fx);
    const bot = await buildAgentBot(server(), fx.platformToken);
    const setBot = await fx.asAdmin('POST', `/inboxes/${botInbox.id}/set_agent_bot`, { agent_bot: bot.id });
    expect(setBot.status, setBot.text).toBe(200);
    const handled = await Promise.all(
      ['2024-06-10T10:00:00Z', '2024-06-10T11:00:00Z', '2024-06-11T10:00:00Z'].map((t) =>
        conversationAt(fx, botInbox.id, t),
      ),
    );
    await conversationAt(fx, plainInbox.id, '2024-06-10T10:00:00Z');
    await messageAt(fx, handled[0]!.displayId, '2024-06-10T10:01:00Z');
    const ev = (i: number) => ({ conversation_id: handled[i]!.id, inbox_id: botInbox.id });
    await eventAt(fx, 'conversation_bot_resolved', '2024-06-10T10:30:00Z', ev(0));
    await eventAt(fx, 'conversation_bot_handoff', '2024-06-10T11:30:00Z', ev(1));
    await eventAt(fx, 'conversation_bot_handoff', '2024-06-10T11:40:00Z', ev(1)); // the same conversation again
    await eventAt(fx, 'conversation_bot_handoff', '2024-06-03T11:40:00Z', ev(2)); // the week before
    const range = { since: at('2024-06-10T00:00:00Z'), until: at('2024-06-17T00:00:00Z') };

    const summary = await v2(fx, '/reports/bot_summary', { type: 'account', ...range });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.body).toEqual({
      bot_resolutions_count: 1,
      bot_handoffs_count: 1,
      previous: { bot_resolutions_count: 0, bot_handoffs_count: 1 },
    });
    const handoffs = await v2(fx, '/reports', {
      metric: 'bot_handoffs_count',
      type: 'account',
      ...range,
      group_by: 'week',
    });
    expect(handoffs.body).toEqual([
      { value: 1, timestamp: at('2024-06-09T00:00:00Z') },
      { value: 0, timestamp: at('2024-06-16T00:00:00Z') },
    ]);

    const metrics = await v2(fx, '/reports/bot_metrics', range);
    expect(metrics.status, metrics.text).toBe(200);
    // 1 of 3 bot conversations resolved: 33.3% → 33; 1 handed off → 33
    expect(metrics.body).toEqual({ conversation_count: 3, message_count: 1, resolution_rate: 33, handoff_rate: 33 });
  });
});

describe('GET /api/v2/accounts/:id/year_in_review', () => {
  it("sums the caller's 2025: assigned conversations, the busiest UTC day, the average first response", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const mine = { assignee_id: fx.admin.id };
    for (const t of ['2025-03-05T01:00:00Z', '2025-03-05T23:00:00Z', '2025-07-01T10:00:00Z', '2025-07-01T11:00:00Z'])
      await conversationAt(fx, inbox.id, t, mine);
    await conversationAt(fx, inbox.id, '2024-12-31T23:59:59Z', mine); // the year before
    await conversationAt(fx, inbox.id, '2026-01-01T00:00:00Z', mine); // the year after
    const theirs = await conversationAt(fx, inbox.id, '2025-09-09T09:00:00Z', { assignee_id: fx.agent.id });
    const row = { conversation_id: theirs.id, inbox_id: inbox.id };
    await eventAt(fx, 'first_response', '2025-02-01T00:00:00Z', { ...row, user_id: fx.admin.id, value: 100 });
    await eventAt(fx, 'first_response', '2025-11-01T00:00:00Z', { ...row, user_id: fx.admin.id, value: 201 });
    await eventAt(fx, 'first_response', '2024-11-01T00:00:00Z', { ...row, user_id: fx.admin.id, value: 9_999 });
    await eventAt(fx, 'reply_time', '2025-11-01T00:00:00Z', { ...row, user_id: fx.admin.id, value: 9_999 });
    await eventAt(fx, 'first_response', '2025-11-01T00:00:00Z', { ...row, user_id: fx.agent.id, value: 7 });

    const admin = await v2(fx, '/year_in_review', {});
    expect([admin.status, admin.body]).toEqual([
      200,
      {
        year: 2025,
        total_conversations: 4,
        // two days of two: the earlier one, as max_by keeps the first
        busiest_day: { date: 'Mar 05', count: 2 },
        support_personality: { avg_response_time_seconds: 150 },
      },
    ]);
    // any member asks about themself
    const agent = await v2(fx, '/year_in_review', {}, fx.agent.access_token);
    expect(agent.body).toEqual({
      year: 2025,
      total_conversations: 1,
      busiest_day: { date: 'Sep 09', count: 1 },
      support_personality: { avg_response_time_seconds: 7 },
    });
    const quiet = await buildAccountFixture(server());
    expect((await v2(quiet, '/year_in_review', {})).body).toEqual({
      year: 2025,
      total_conversations: 0,
      busiest_day: null,
      support_personality: { avg_response_time_seconds: 0 },
    });
    expect((await v2(fx, '/year_in_review', {}, quiet.admin.access_token)).status).toBe(401);
    const anonymous = await server().request('GET', `/api/v2/accounts/${fx.account.id}/year_in_review`);
    expect(anonymous.status).toBe(401);
  });
});
