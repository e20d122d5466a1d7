import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function create(fx: AccountFixture, short_code: string, content: string) {
  const res = await fx.asAgent('POST', '/canned_responses', { canned_response: { short_code, content } });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: number; short_code: string };
}

const count = async (accountId: number) =>
  Number(
    (
      await server()
        .db.selectFrom('canned_responses')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('canned responses', () => {
  it('lets any member create (wrapped or flat), list, update and delete, with the as_json shape', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAgent('POST', '/canned_responses', {
      canned_response: { short_code: 'hello', content: 'Hello {{contact.name}}' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      id: expect.any(Number),
      account_id: fx.account.id,
      short_code: 'hello',
      content: 'Hello {{contact.name}}',
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    expect(Object.keys(res.body)).toEqual(['id', 'account_id', 'short_code', 'content', 'created_at', 'updated_at']);
    const flat = await fx.asAdmin('POST', '/canned_responses', { short_code: 'bye', content: 'Goodbye' });
    expect(flat.status, flat.text).toBe(200);

    const list = await fx.asAgent('GET', '/canned_responses');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([res.body, flat.body]);

    // upstream's controller never calls the policy: agents update and destroy too (Chatwoot's request spec)
    const patch = await fx.asAgent('PATCH', `/canned_responses/${res.body.id}`, {
      canned_response: { content: 'Hi there' },
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body).toEqual({ ...res.body, content: 'Hi there', updated_at: expect.stringMatching(ISO) });
    const put = await fx.asAdmin('PUT', `/canned_responses/${res.body.id}`, { short_code: 'hi' });
    expect(put.body).toMatchObject({ short_code: 'hi', content: 'Hi there' });

    const del = await fx.asAgent('DELETE', `/canned_responses/${res.body.id}`);
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect((await fx.asAgent('GET', '/canned_responses')).body).toEqual([flat.body]);
    expect((await fx.asAdmin('PATCH', `/canned_responses/${res.body.id}`, { content: 'x' })).status).toBe(404);
  });

  it('searches short codes and contents, short-code prefix first, then short code, then content', async () => {
    const fx = await buildAccountFixture(server());
    const inContent = await create(fx, 'name-short-code', 'Hey {{ contact.name }}, Thanks for reaching out');
    await create(fx, 'short-code', 'Great! Looking forward');
    const inShortCode = await create(fx, 'content-with-thanks', 'Thanks for reaching out');
    const prefix = await create(fx, 'Thanks', 'Thanks for reaching out');
    const res = await server().request('GET', `/api/v1/accounts/${fx.account.id}/canned_responses`, {
      token: fx.agent.access_token,
      query: { search: 'thanks' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.map((c: { id: number }) => c.id)).toEqual([prefix.id, inShortCode.id, inContent.id]);
    const none = await server().request('GET', `/api/v1/accounts/${fx.account.id}/canned_responses`, {
      token: fx.agent.access_token,
      query: { search: 'zzz' },
    });
    expect(none.body).toEqual([]);
    const nul = await server().request('GET', `/api/v1/accounts/${fx.account.id}/canned_responses?search=a%00b`, {
      token: fx.agent.access_token,
    });
    expect(nul.status, nul.text).toBe(200);
    expect(nul.body).toEqual([]);
  });

  it('refuses blank fields and taken short codes with 422, writing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const existing = await create(fx, 'taken', 'Some text');
    const other = await create(fx, 'other', 'More text');
    for (const [body, message, attributes] of [
      [{}, "Content can't be blank, Short code can't be blank", ['content', 'short_code']],
      [{ canned_response: { short_code: 'new', content: '   ' } }, "Content can't be blank", ['content']],
      [{ short_code: null, content: 'x' }, "Short code can't be blank", ['short_code']],
      [{ short_code: 'taken', content: 'x' }, 'Short code has already been taken', ['short_code']],
      [{ short_code: 'nul\u0000', content: 'x' }, 'Short code is invalid', ['short_code']],
    ] as const) {
      const res = await fx.asAgent('POST', '/canned_responses', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toEqual({ message, attributes });
    }
    expect(await count(fx.account.id)).toBe(2);

    const blank = await fx.asAdmin('PATCH', `/canned_responses/${other.id}`, { short_code: '' });
    expect(blank.status).toBe(422);
    expect(blank.body).toEqual({ message: "Short code can't be blank", attributes: ['short_code'] });
    const dup = await fx.asAdmin('PATCH', `/canned_responses/${other.id}`, { short_code: existing.short_code });
    expect(dup.body).toEqual({ message: 'Short code has already been taken', attributes: ['short_code'] });
    // uniqueness is case-sensitive, as Rails' default
    expect((await fx.asAdmin('PATCH', `/canned_responses/${other.id}`, { short_code: 'TAKEN' })).status).toBe(200);

    for (const id of ['999999999', 'abc']) {
      const res = await fx.asAdmin('PATCH', `/canned_responses/${id}`, { content: 'x' });
      expect(res.status, id).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
      expect((await fx.asAdmin('DELETE', `/canned_responses/${id}`)).status).toBe(404);
    }
  });

  it('is account-scoped and needs a token', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = (await other.asAdmin('POST', '/canned_responses', { short_code: 'shared', content: 'Theirs' })).body;
    // the same short code is free in another account
    expect((await fx.asAgent('POST', '/canned_responses', { short_code: 'shared', content: 'Mine' })).status).toBe(200);
    expect((await fx.asAdmin('GET', '/canned_responses')).body.map((c: { content: string }) => c.content)).toEqual([
      'Mine',
    ]);
    expect((await fx.asAdmin('PATCH', `/canned_responses/${theirs.id}`, { content: 'hijacked' })).status).toBe(404);
    expect((await fx.asAdmin('DELETE', `/canned_responses/${theirs.id}`)).status).toBe(404);
    expect((await other.asAdmin('GET', '/canned_responses')).body).toEqual([theirs]);

    // a member of another account is refused in this one
    const stranger = await server().request('GET', `/api/v1/accounts/${fx.account.id}/canned_responses`, {
      token: other.agent.access_token,
    });
    expect(stranger.status).toBe(401);
    const anonymous = await server().request('POST', `/api/v1/accounts/${fx.account.id}/canned_responses`, {
      body: { short_code: 'x', content: 'y' },
    });
    expect(anonymous.status).toBe(401);
    expect((await server().request('GET', `/api/v1/accounts/${fx.account.id}/canned_responses`)).status).toBe(401);
  });
});
