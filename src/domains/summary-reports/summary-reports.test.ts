// api/v2 summary reports (SummaryReportsController), live reports, and the ReportsController
// actions of this folder. reporting_events rows are inserted as Chatwoot's listener writes them;
// conversations, messages, teams and labels are made through the API, then placed in time.
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();

const T0 = Date.UTC(2024, 0, 15, 0, 0, 0); // Monday 2024-01-15 00:00 UTC
const at = (hours: number) => new Date(T0 + hours * 3_600_000);
const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));
const DAY = { since: unix(at(0)), until: unix(at(24)) };

const v2 = (fx: AccountFixture, path: string, query: Record<string, string> = {}, token = fx.admin.access_token) =>
  server().request('GET', `/api/v2/accounts/${fx.account.id}${path}`, { token, query });

/** Builds a conversation through the API and answers its row id (the API's `id` is the display id). */
async function conversation(fx: AccountFixture, inboxId: number) {
  const made = await buildConversation(fx, inboxId);
  const row = await server()
    .db.selectFrom('conversations')
    .select('id')
    .where('account_id', '=', fx.account.id)
    .where('display_id', '=', made.id)
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), display: made.id };
}

async function place(id: number, values: Record<string, unknown>) {
  await server().db.updateTable('conversations').set(values).where('id', '=', id).execute();
}

async function event(fx: AccountFixture, row: Record<string, unknown>) {
  await server()
    .db.insertInto('reporting_events')
    .values({ account_id: fx.account.id, name: 'first_response', value: 0, value_in_business_hours: 0, ...row })
    .execute();
}

describe('summary_reports', () => {
  it('sums conversations and reporting events per agent, team and inbox inside [since, until)', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const quiet = await buildInbox(fx);
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Billing' })).body;
    const a = await conversation(fx, inbox.id);
    const b = await conversation(fx, inbox.id);
    const late = await conversation(fx, inbox.id);
    await place(a.id, { created_at: at(1), assignee_id: fx.agent.id, team_id: team.id });
    await place(b.id, { created_at: at(23.5), assignee_id: fx.agent.id });
    await place(late.id, { created_at: at(24), assignee_id: fx.agent.id }); // until is excluded
    const base = { inbox_id: inbox.id, user_id: fx.agent.id, conversation_id: a.id, created_at: at(2) };
    await event(fx, { ...base, name: 'first_response', value: 100, value_in_business_hours: 10 });
    await event(fx, { ...base, name: 'first_response', value: 300, value_in_business_hours: 30 });
    await event(fx, { ...base, name: 'reply_time', value: 50, value_in_business_hours: 5 });
    await event(fx, { ...base, name: 'conversation_resolved', value: 3600, value_in_business_hours: 600 });
    await event(fx, { ...base, name: 'conversation_resolved', value: 999, created_at: at(25) }); // outside

    const agents = await v2(fx, '/summary_reports/agent', DAY);
    expect(agents.status, agents.text).toBe(200);
    expect(agents.body).toEqual([
      {
        id: fx.admin.id,
        conversations_count: 0,
        resolved_conversations_count: 0,
        avg_resolution_time: null,
        avg_first_response_time: null,
        avg_reply_time: null,
      },
      {
        id: fx.agent.id,
        conversations_count: 2,
        resolved_conversations_count: 1,
        avg_resolution_time: 3600,
        avg_first_response_time: 200,
        avg_reply_time: 50,
      },
    ]);

    const business = await v2(fx, '/summary_reports/agent', { ...DAY, business_hours: 'true' });
    expect(business.body[1]).toMatchObject({
      avg_resolution_time: 600,
      avg_first_response_time: 20,
      avg_reply_time: 5,
    });

    const teams = await v2(fx, '/summary_reports/team', DAY);
    expect(teams.body).toEqual([
      {
        id: team.id,
        conversations_count: 1,
        resolved_conversations_count: 1,
        avg_resolution_time: 3600,
        avg_first_response_time: 200,
        avg_reply_time: 50,
      },
    ]);

    const inboxes = await v2(fx, '/summary_reports/inbox', DAY);
    expect(inboxes.body.map((r: { id: number; conversations_count: number }) => [r.id, r.conversations_count])).toEqual(
      [
        [inbox.id, 2],
        [quiet.id, 0],
      ],
    );

    // without a window Chatwoot's where(created_at: nil) matches nothing
    const open = await v2(fx, '/summary_reports/agent');
    expect(open.body[1]).toMatchObject({ conversations_count: 0, resolved_conversations_count: 0 });

    // another account's reports see none of it
    const other = await buildAccountFixture(server());
    const theirs = await v2(other, '/summary_reports/inbox', DAY);
    expect(theirs.body).toEqual([]);
  });

  it('reports labels by title and channels by type and status; refuses a channel window over 6 months', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/labels', { title: 'billing' });
    await fx.asAdmin('POST', '/labels', { title: 'unused' });
    const a = await conversation(fx, inbox.id);
    const b = await conversation(fx, inbox.id);
    for (const c of [a, b]) {
      const res = await fx.asAdmin('POST', `/conversations/${c.display}/labels`, { labels: ['billing'] });
      expect(res.status, res.text).toBe(200);
    }
    await place(a.id, { created_at: at(1) });
    await place(b.id, { created_at: at(2), status: 1 });
    await event(fx, {
      conversation_id: a.id,
      inbox_id: inbox.id,
      name: 'first_response',
      value: 60,
      created_at: at(3),
    });
    await event(fx, {
      conversation_id: b.id,
      inbox_id: inbox.id,
      name: 'conversation_resolved',
      value: 120,
      created_at: at(4),
    });

    const labels = await v2(fx, '/summary_reports/label', DAY);
    expect(labels.status, labels.text).toBe(200);
    expect(labels.body).toEqual([
      {
        id: expect.any(Number),
        name: 'billing',
        conversations_count: 2,
        avg_resolution_time: 120,
        avg_first_response_time: 60,
        avg_reply_time: 0,
        resolved_conversations_count: 1,
      },
      {
        id: expect.any(Number),
        name: 'unused',
        conversations_count: 0,
        avg_resolution_time: 0,
        avg_first_response_time: 0,
        avg_reply_time: 0,
        resolved_conversations_count: 0,
      },
    ]);

    const channels = await v2(fx, '/summary_reports/channel', DAY);
    expect(channels.body).toEqual({ 'Channel::Api': { open: 1, resolved: 1, pending: 0, snoozed: 0, total: 2 } });

    const long = await v2(fx, '/summary_reports/channel', { since: unix(at(0)), until: unix(at(24 * 183)) });
    expect(long.status).toBe(422);
    expect(long.body).toEqual({ message: 'Date range cannot exceed 6 months' });
    const fine = await v2(fx, '/summary_reports/channel', { since: unix(at(0)), until: unix(at(24 * 182)) });
    expect(fine.status).toBe(200);
  });

  it('refuses agents, strangers and bad windows', async () => {
    const fx = await buildAccountFixture(server());
    for (const name of ['agent', 'team', 'inbox', 'label', 'channel']) {
      const res = await v2(fx, `/summary_reports/${name}`, DAY, fx.agent.access_token);
      expect(res.status, name).toBe(401);
      expect(res.body).toEqual({ error: 'You are not authorized to do this action' });
    }
    const anonymous = await server().request('GET', `/api/v2/accounts/${fx.account.id}/summary_reports/agent`);
    expect(anonymous.status).toBe(401);
    const other = await buildAccountFixture(server());
    const stranger = await v2(fx, '/summary_reports/agent', DAY, other.admin.access_token);
    expect(stranger.status).toBe(401);

    for (const query of [
      { since: 'abc', until: DAY.until },
      { since: DAY.until, until: DAY.since },
      { since: unix(at(0)), until: unix(at(24 * 366 * 100)) },
      { since: '1e9', until: DAY.until },
    ]) {
      const res = await v2(fx, '/summary_reports/agent', query);
      expect(res.status, JSON.stringify(query)).toBe(422);
      expect(res.body.error).toEqual(expect.any(String));
    }
  });
});

describe('live_reports', () => {
  it('counts open, unattended, unassigned and pending now, by team and by assignee', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Support' })).body;
    const replied = new Date();
    const conversations = await Promise.all([0, 1, 2, 3, 4].map(() => conversation(fx, inbox.id)));
    const [unassigned, waiting, attended, pending, resolved] = conversations.map((c) => c.id) as number[];
    await place(unassigned!, { team_id: team.id });
    await place(waiting!, { assignee_id: fx.agent.id, first_reply_created_at: replied, waiting_since: replied });
    await place(attended!, {
      assignee_id: fx.agent.id,
      team_id: team.id,
      first_reply_created_at: replied,
      waiting_since: null,
    });
    await place(pending!, { status: 2 });
    await place(resolved!, { status: 1 });

    const all = await v2(fx, '/live_reports/conversation_metrics');
    expect(all.status, all.text).toBe(200);
    expect(all.body).toEqual({ open: 3, unattended: 2, unassigned: 1, pending: 1 });
    const ofTeam = await v2(fx, '/live_reports/conversation_metrics', { team_id: String(team.id) });
    expect(ofTeam.body).toEqual({ open: 2, unattended: 1, unassigned: 1, pending: 0 });

    const byTeam = await v2(fx, '/live_reports/grouped_conversation_metrics', { group_by: 'team_id' });
    expect(byTeam.body).toEqual([
      { open: 1, unattended: 1, unassigned: 0, team_id: null },
      { open: 2, unattended: 1, unassigned: 1, team_id: team.id },
    ]);
    const byAssignee = await v2(fx, '/live_reports/grouped_conversation_metrics', { group_by: 'assignee_id' });
    expect(byAssignee.body).toEqual([
      { open: 1, unattended: 1, unassigned: 1, assignee_id: null },
      { open: 2, unattended: 1, unassigned: 0, assignee_id: fx.agent.id },
    ]);

    // upstream validates group_by before the role: 422 even for an agent
    const bad = await v2(
      fx,
      '/live_reports/grouped_conversation_metrics',
      { group_by: 'inbox_id' },
      fx.agent.access_token,
    );
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ error: 'invalid group_by' });
    const denied = await v2(
      fx,
      '/live_reports/grouped_conversation_metrics',
      { group_by: 'team_id' },
      fx.agent.access_token,
    );
    expect(denied.status).toBe(401);
    expect((await v2(fx, '/live_reports/conversation_metrics', {}, fx.agent.access_token)).status).toBe(401);

    // reports/conversations: the account's live counts, or a page of agents most-open first
    const account = await v2(fx, '/reports/conversations', { type: 'account' });
    expect(account.body).toEqual({ open: 3, unattended: 2, unassigned: 1 });
    const agents = await v2(fx, '/reports/conversations', { type: 'agent' });
    expect(agents.status, agents.text).toBe(200);
    expect(agents.body.map((a: { id: number; metric: unknown }) => [a.id, a.metric])).toEqual([
      [fx.agent.id, { open: 2, unattended: 1 }],
      [fx.admin.id, { open: 0, unattended: 0 }],
    ]);
    expect(agents.body[0]).toMatchObject({ email: fx.agent.email, availability: expect.any(String), thumbnail: '' });
    expect((await v2(fx, '/reports/conversations', { type: 'agent', page: '2' })).body).toEqual([]);
    const blank = await v2(fx, '/reports/conversations');
    expect([blank.status, blank.text]).toEqual([422, '']);
  });
});

describe('reports', () => {
  it('buckets first response times by channel type, counts inbox × label, and outgoing messages by group', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx, { name: 'Zeta desk' });
    const other = await buildInbox(fx, { name: 'Alpha desk' });
    for (const [value, hours] of [
      [3599, 1],
      [3600, 1],
      [14_400, 1],
      [86_399, 1],
      [86_400, 1],
      [10, 30], // outside the window
    ] as const) {
      await event(fx, { inbox_id: inbox.id, name: 'first_response', value, created_at: at(hours) });
    }
    const frt = await v2(fx, '/reports/first_response_time_distribution', DAY);
    expect(frt.status, frt.text).toBe(200);
    expect(frt.body).toEqual({ 'Channel::Api': { '0-1h': 1, '1-4h': 1, '4-8h': 1, '8-24h': 1, '24h+': 1 } });

    await fx.asAdmin('POST', '/labels', { title: 'vip' });
    await fx.asAdmin('POST', '/labels', { title: 'bug' });
    const c1 = await conversation(fx, inbox.id);
    const c2 = await conversation(fx, other.id);
    await fx.asAdmin('POST', `/conversations/${c1.display}/labels`, { labels: ['vip', 'bug'] });
    await fx.asAdmin('POST', `/conversations/${c2.display}/labels`, { labels: ['vip'] });
    await place(c1.id, { created_at: at(1), assignee_id: fx.agent.id });
    await place(c2.id, { created_at: at(2) });
    const matrix = await v2(fx, '/reports/inbox_label_matrix', DAY);
    expect(matrix.status, matrix.text).toBe(200);
    expect(matrix.body).toEqual({
      inboxes: [
        { id: other.id, name: 'Alpha desk' },
        { id: inbox.id, name: 'Zeta desk' },
      ],
      labels: [
        { id: expect.any(Number), title: 'bug' },
        { id: expect.any(Number), title: 'vip' },
      ],
      matrix: [
        [0, 1],
        [1, 1],
      ],
    });
    const narrowed = await server().request(
      'GET',
      `/api/v2/accounts/${fx.account.id}/reports/inbox_label_matrix?inbox_ids[]=${inbox.id}&since=${DAY.since}&until=${DAY.until}`,
      { token: fx.admin.access_token },
    );
    expect(narrowed.body.matrix).toEqual([[1, 1]]);

    for (const content of ['one', 'two']) {
      const sent = await fx.asAdmin('POST', `/conversations/${c1.display}/messages`, { content });
      expect(sent.status, sent.text).toBe(200);
    }
    await fx.asAdmin('POST', `/conversations/${c2.display}/messages`, { content: 'three' });
    await server()
      .db.updateTable('messages')
      .set({ created_at: at(5) })
      .where('conversation_id', 'in', [c1.id, c2.id])
      .execute();
    const byAgent = await v2(fx, '/reports/outgoing_messages_count', { ...DAY, group_by: 'agent' });
    expect(byAgent.status, byAgent.text).toBe(200);
    expect(byAgent.body).toEqual([{ id: fx.agent.id, name: expect.any(String), outgoing_messages_count: 2 }]);
    const byInbox = await v2(fx, '/reports/outgoing_messages_count', { ...DAY, group_by: 'inbox' });
    expect(byInbox.body).toEqual(
      [
        { id: inbox.id, name: 'Zeta desk', outgoing_messages_count: 2 },
        { id: other.id, name: 'Alpha desk', outgoing_messages_count: 1 },
      ].sort((x, y) => x.id - y.id),
    );
    const byLabel = await v2(fx, '/reports/outgoing_messages_count', { ...DAY, group_by: 'label' });
    expect(byLabel.body).toEqual([
      { id: expect.any(Number), name: 'bug', outgoing_messages_count: 2 },
      { id: expect.any(Number), name: 'vip', outgoing_messages_count: 3 },
    ]);
    const bad = await v2(fx, '/reports/outgoing_messages_count', { ...DAY, group_by: 'contact' });
    expect([bad.status, bad.text]).toEqual([422, '']);
    expect(
      (await v2(fx, '/reports/outgoing_messages_count', { ...DAY, group_by: 'agent' }, fx.agent.access_token)).status,
    ).toBe(401);
  });

  it('downloads CSVs with Chatwoot headers, formatted times, the period, and formula-safe cells', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const team = (await fx.asAdmin('POST', '/teams', { name: '=HYPERLINK("http://evil")' })).body;
    const c = await conversation(fx, inbox.id);
    await place(c.id, { created_at: at(1), assignee_id: fx.agent.id, team_id: team.id });
    const base = { inbox_id: inbox.id, user_id: fx.agent.id, conversation_id: c.id, created_at: at(2) };
    await event(fx, { ...base, name: 'first_response', value: 3_725 }); // 1 hour 2 minutes (5 seconds dropped)
    await event(fx, { ...base, name: 'conversation_resolved', value: 90_061 }); // 1 day 1 hour
    await event(fx, { ...base, name: 'reply_time', value: 1 });

    const agents = await v2(fx, '/reports/agents', DAY);
    expect(agents.status, agents.text).toBe(200);
    expect(agents.headers.get('content-type')).toContain('text/csv');
    expect(agents.headers.get('content-disposition')).toBe('attachment; filename=agents_report.csv');
    const lines = agents.text.trim().split('\n');
    expect(lines[0]).toBe(
      'Agent name,Assigned conversations,Avg first response time,Avg resolution time,Avg customer waiting time,Resolution Count',
    );
    expect(lines).toContain(
      `${(await fx.asAdmin('GET', `/agents`)).body.find((a: { id: number }) => a.id === fx.agent.id).name},1,1 hour 2 minutes,1 day 1 hour,1 second,1`,
    );
    expect(lines.at(-1)).toBe('Reporting period 2024-01-15 to 2024-01-16');

    const teams = await v2(fx, '/reports/teams', DAY);
    expect(teams.text.split('\n')[1]).toBe(`"'=hyperlink(""http://evil"")",1,1 hour 2 minutes,1 day 1 hour,1 second,1`);

    const inboxes = await v2(fx, '/reports/inboxes', DAY);
    expect(inboxes.text.split('\n')[0]).toBe(
      'Inbox name,Inbox type,No. of conversations,Avg first response time,Avg resolution time,Avg customer waiting time,Resolution Count',
    );
    expect(inboxes.text.split('\n')[1]).toMatch(/^Inbox \w+,API,1,1 hour 2 minutes,1 day 1 hour,1 second,1$/);

    const labels = await v2(fx, '/reports/labels', DAY);
    expect(labels.text.split('\n')[0]).toBe(
      'Label,No. of conversations,Avg first response time,Avg resolution time,Avg reply time,Resolution Count',
    );

    expect((await v2(fx, '/reports/agents')).status).toBe(422);
    expect((await v2(fx, '/reports/agents', DAY, fx.agent.access_token)).status).toBe(401);
  });

  it('lays conversation traffic out per local hour and date at a fractional offset', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const HOUR = 3_600_000;
    const offset = 5.5 * HOUR;
    // today's local midnight at +05:30, computed by hand from the wall clock
    const now = Date.now();
    const todayStart = Math.floor((now + offset) / (24 * HOUR)) * 24 * HOUR - offset;
    const yesterday = todayStart - 24 * HOUR;
    const placed = [
      yesterday + 3.5 * HOUR, // yesterday 03:30 local → row 03:00, last column
      yesterday + 3.9 * HOUR, // same cell
      todayStart - 6 * 24 * HOUR, // first day, 00:00
      todayStart - 6 * 24 * HOUR - 1, // before the window
      todayStart + HOUR, // today: not in the report
    ];
    for (const time of placed) {
      const c = await conversation(fx, inbox.id);
      await place(c.id, { created_at: new Date(time) });
    }
    const res = await v2(fx, '/reports/conversation_traffic', { timezone_offset: '5.5' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=conversation_traffic_reports.csv');
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('Timezone,(GMT+05:30) Chennai');
    const localDate = (t: number) => new Date(t + offset).toISOString().slice(0, 10);
    const dates = [6, 5, 4, 3, 2, 1].map((d) => localDate(todayStart - d * 24 * HOUR));
    expect(lines[2]).toBe(['Start of the hour', ...dates].join(','));
    expect(lines.slice(3)).toHaveLength(24);
    expect(lines[3]).toBe('00:00,1,0,0,0,0,0');
    expect(lines[6]).toBe('03:00,0,0,0,0,0,2');
    const total = lines.slice(3).reduce(
      (sum, line) =>
        sum +
        line
          .split(',')
          .slice(1)
          .reduce((s, n) => s + Number(n), 0),
      0,
    );
    expect(total).toBe(3);

    for (const bad of ['abc', '5,5', '15']) {
      expect((await v2(fx, '/reports/conversation_traffic', { timezone_offset: bad })).status, bad).toBe(422);
    }
    expect((await v2(fx, '/reports/conversation_traffic', { days_before: '100000' })).status).toBe(422);
  });
});
