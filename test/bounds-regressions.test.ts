import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildAccountFixture, buildConversation, buildInbox } from './factories.js';
import { OUT_OF_BOUNDS } from '../src/core/http/error-handler.js';
import { useTestServer } from './harness.js';
import { changedTables, settle, snapshotter } from './fuzz/snapshot.js';

// the rollups' folder folds the fixtures' deltas within 10 ms, before each case (settle)
const server = useTestServer({ CONFAB_REPORT_ROLLUP_FOLD_MS: '10' });

/** Past int8 (JSON.stringify writes it as 9223372036854776000, still past int8). */
const PAST_INT8 = 2 ** 63;
const PAST_INT8_TEXT = '9223372036854775808';
/** 6,000 characters of random text: past a btree index entry even compressed (a repetitive text would compress under it). */
const BIG = randomBytes(4_500).toString('base64');
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/**
 * The kinds of 500 issue 18's sweep found, one request each: every one is now a 4xx that writes
 * nothing (input-bounds.test.ts drives every operation with such values; these name the cases).
 */
describe('out-of-range and oversized input', () => {
  it('answers 4xx and writes nothing for integers past PostgreSQL, strings past an index, and JSON past the nesting limit', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const contactId = conversation.meta.sender.id;
    const platform = (method: string, path: string, body: unknown) =>
      server().request(method, `/platform/api/v1${path}`, { token: fx.platformToken, body });
    const account = `/api/v1/accounts/${fx.account.id}`;
    const cases: [string, () => ReturnType<typeof fx.asAdmin>, number][] = [
      [
        'user_id past int8',
        () => platform('POST', `/accounts/${fx.account.id}/account_users`, { user_id: PAST_INT8, role: 'agent' }),
        422,
      ],
      [
        'account_id past int8',
        () => platform('POST', '/agent_bots', { name: 'b', account_id: 1.1805916207174113e21 }),
        422,
      ],
      [
        'agent_bot past int8',
        () => fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: -PAST_INT8 }),
        422,
      ],
      [
        'page past int8',
        () => server().request('GET', `${account}/contacts?page=${PAST_INT8_TEXT}`, { token: fx.admin.access_token }),
        422,
      ],
      [
        'page as "1e400" (ajv coerces it to Infinity)',
        () => server().request('GET', `${account}/conversations?page=1e400`, { token: fx.admin.access_token }),
        422,
      ],
      ['filter page past int8', () => fx.asAdmin('POST', '/contacts/filter', { payload: [], page: PAST_INT8 }), 422],
      ['a 1 MB team name', () => fx.asAdmin('POST', '/teams', { name: 'y'.repeat(1_000_000) }), 422],
      [
        "a contact's source_id past an index entry",
        () => fx.asAdmin('POST', '/contacts', { name: 'c', inbox_id: inbox.id, source_id: BIG }),
        422,
      ],
      [
        "a conversation's source_id past an index entry",
        () => fx.asAdmin('POST', '/conversations', { inbox_id: inbox.id, contact_id: contactId, source_id: BIG }),
        422,
      ],
      [
        'a label past an index entry',
        () => fx.asAdmin('POST', `/contacts/${contactId}/labels`, { labels: [BIG] }),
        422,
      ],
      [
        "a canned response's short_code past an index entry",
        () => fx.asAdmin('POST', '/canned_responses', { short_code: BIG, content: 'x' }),
        422,
      ],
      [
        'a filter date PostgreSQL refuses',
        () =>
          fx.asAdmin('POST', '/contacts/filter', {
            payload: [{ attribute_key: 'created_at', filter_operator: 'is_greater_than', values: ['2024-02-30'] }],
          }),
        422,
      ],
      [
        'a filter id past int8',
        () =>
          fx.asAdmin('POST', '/conversations/filter', {
            payload: [{ attribute_key: 'display_id', filter_operator: 'equal_to', values: [PAST_INT8_TEXT] }],
          }),
        422,
      ],
      [
        'days_before past year 1',
        () =>
          fx.asAdmin('POST', '/contacts/filter', {
            payload: [{ attribute_key: 'created_at', filter_operator: 'days_before', values: ['100000000000'] }],
          }),
        422,
      ],
      [
        'a snooze time before year 1',
        () =>
          fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, {
            status: 'snoozed',
            snoozed_until: '-999999999999',
          }),
        422,
      ],
      [
        'custom attributes nested 101 deep',
        () =>
          server().request('POST', `${account}/contacts`, {
            token: fx.admin.access_token,
            rawBody: `{"name":"n","custom_attributes":${nested(101)}}`,
          }),
        400,
      ],
      [
        'JSON nested 100,000 deep',
        () =>
          server().request('POST', `${account}/contacts`, { token: fx.admin.access_token, rawBody: nested(100_000) }),
        400,
      ],
      [
        'a Client API body nested 10,000 deep',
        () =>
          server().request('POST', `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`, {
            rawBody: nested(10_000),
          }),
        400,
      ],
    ];
    const snapshot = await snapshotter(server().db);
    for (const [what, send, status] of cases) {
      await settle(server().db);
      const before = await snapshot();
      const res = await send();
      expect([res.status, changedTables(before, await snapshot())], `${what}: ${res.text.slice(0, 200)}`).toEqual([
        status,
        [],
      ]);
      if (status === 400) expect(res.body, what).toEqual({ error: 'Malformed JSON in request body' });
      // a Chatwoot body ({message, attributes} or {error}), and a bound the schema or service knows, not the safety net's
      else expect(typeof res.body.error === 'string' || typeof res.body.message === 'string', what).toBe(true);
      expect(res.text, what).not.toContain(OUT_OF_BOUNDS.message);
    }
  });

  it('still takes values at the bounds', async () => {
    const fx = await buildAccountFixture(server());
    const ok = async (res: ReturnType<typeof fx.asAdmin>) => {
      const r = await res;
      expect(r.status, r.text.slice(0, 200)).toBe(200);
      return r.body;
    };
    expect((await ok(fx.asAdmin('POST', '/teams', { name: 'T'.repeat(255) }))).name).toHaveLength(255);
    expect(
      (await ok(fx.asAdmin('POST', '/canned_responses', { short_code: 'é'.repeat(255), content: 'x' }))).short_code,
    ).toHaveLength(255);
    await ok(fx.asAdmin('POST', '/contacts', { name: 'n', custom_attributes: JSON.parse(nested(99)) }));
    expect((await ok(fx.asAdmin('GET', '/contacts?page=1000000'))).payload).toEqual([]);
  });
});

describe('the sweep’s write detector (fuzz/snapshot.ts)', () => {
  it('names the table a request wrote to, also for an update that changed no value, and nothing for a read', async () => {
    const fx = await buildAccountFixture(server());
    const snapshot = await snapshotter(server().db);
    await settle(server().db);
    const idle = await snapshot();
    expect(changedTables(idle, await snapshot())).toEqual([]);
    const made = await fx.asAdmin('POST', '/labels', { title: 'detector' });
    expect(made.status).toBe(200);
    await settle(server().db);
    const afterInsert = await snapshot();
    expect(changedTables(idle, afterInsert)).toContain('labels');
    const read = await fx.asAdmin('GET', '/labels');
    expect(read.status).toBe(200);
    await settle(server().db);
    const afterRead = await snapshot();
    expect(changedTables(afterInsert, afterRead)).toEqual([]);
    const same = await fx.asAdmin('PATCH', `/labels/${made.body.id}`, { title: 'detector' });
    expect(same.status).toBe(200);
    expect(changedTables(afterRead, await snapshot())).toContain('labels');
  });
});

/** What the server answers on a raw connection to `request`, read until it closes. */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(request);
  });
}

describe('requests refused before any route', () => {
  it('answers headers past 16 kB with a 431 that closes the connection, and a request it cannot parse with a 400 that does', async () => {
    const big = await rawExchange(server().url, `GET /api?q=${'a'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const [head, body] = big.split('\r\n\r\n');
    expect(head!.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(head).toMatch(/\r\nConnection: close(\r\n|$)/);
    expect(JSON.parse(body!)).toMatchObject({ error: 'Request Header Fields Too Large' });
    const garbled = await rawExchange(server().url, 'NOT A REQUEST\r\n\r\n');
    expect(garbled.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(garbled).toMatch(/\r\nConnection: close\r\n/);
    // fetch, which keeps connections: the request after a 431 is answered
    const refused = await fetch(`${server().url}/api?q=${'a'.repeat(17_000)}`);
    expect(refused.status).toBe(431);
    await refused.text();
    expect((await fetch(`${server().url}/api`)).status).toBe(200);
  });
});
