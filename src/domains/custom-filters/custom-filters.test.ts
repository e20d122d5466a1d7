import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, type AccountFixture } from '../../../test/factories.js';
import { MAX_CUSTOM_FILTERS_PER_USER } from './service.js';

const server = useTestServer();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const QUERY = {
  payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: null }],
};

const list = (fx: AccountFixture, token: string, filterType?: string) =>
  server().request('GET', `/api/v1/accounts/${fx.account.id}/custom_filters`, {
    token,
    query: filterType === undefined ? {} : { filter_type: filterType },
  });

describe('custom filters', () => {
  it("saves, lists by type, shows, updates and deletes the caller's filters", async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAgent('POST', '/custom_filters', {
      custom_filter: { name: 'Open ones', filter_type: 'conversation', query: QUERY },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Open ones',
      filter_type: 'conversation',
      query: QUERY,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    expect(Object.keys(res.body)).toEqual(['id', 'name', 'filter_type', 'query', 'created_at', 'updated_at']);
    // flat body (wrap_parameters), the enum by integer
    const contact = await fx.asAgent('POST', '/custom_filters', {
      name: 'Leads',
      filter_type: 1,
      query: { payload: [] },
    });
    expect(contact.status, contact.text).toBe(200);
    expect(contact.body.filter_type).toBe('contact');

    expect((await list(fx, fx.agent.access_token)).body).toEqual([res.body]);
    expect((await list(fx, fx.agent.access_token, 'contact')).body).toEqual([contact.body]);
    expect((await list(fx, fx.agent.access_token, '1')).body).toEqual([contact.body]);
    expect((await list(fx, fx.agent.access_token, 'report')).body).toEqual([]);
    expect((await list(fx, fx.agent.access_token, 'bogus')).body).toEqual([]);

    // show is not limited to the default type
    expect((await fx.asAgent('GET', `/custom_filters/${contact.body.id}`)).body).toEqual(contact.body);
    const patch = await fx.asAgent('PATCH', `/custom_filters/${res.body.id}`, {
      custom_filter: { name: 'Renamed', filter_type: 'report', query: { payload: [{ a: 1 }] } },
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body).toEqual({
      ...res.body,
      name: 'Renamed',
      filter_type: 'report',
      query: { payload: [{ a: 1 }] },
      updated_at: expect.stringMatching(ISO),
    });
    const put = await fx.asAgent('PUT', `/custom_filters/${res.body.id}`, { name: 'Again' });
    expect(put.body).toMatchObject({ name: 'Again', filter_type: 'report', query: { payload: [{ a: 1 }] } });

    const del = await fx.asAgent('DELETE', `/custom_filters/${res.body.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await fx.asAgent('GET', `/custom_filters/${res.body.id}`)).status).toBe(404);
  });

  it('defaults filter_type to conversation and query to the column default "{}"; ignores a `type` key', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/custom_filters', { custom_filter: { name: 'Bare', type: 'contact' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: 'Bare', filter_type: 'conversation', query: '{}' });
    // permit(query: {}) drops a non-hash query rather than refusing it
    const kept = await fx.asAdmin('PATCH', `/custom_filters/${res.body.id}`, { query: ['not', 'a', 'hash'] });
    expect(kept.status).toBe(200);
    expect(kept.body.query).toBe('{}');
  });

  it('refuses a missing name or an unknown filter_type with 422 and unknown ids with 404', async () => {
    const fx = await buildAccountFixture(server());
    for (const [body, message, attributes] of [
      [{}, "Name can't be blank", ['name']],
      [{ custom_filter: { name: null, query: QUERY } }, "Name can't be blank", ['name']],
      [
        { custom_filter: { name: 'x', filter_type: 'bogus' } },
        'Filter type is not included in the list',
        ['filter_type'],
      ],
      [{ name: 'x', filter_type: 7 }, 'Filter type is not included in the list', ['filter_type']],
      [{ name: 'x', query: { payload: [{ values: ['a\u0000'] }] } }, 'Query is invalid', ['query']],
    ] as const) {
      const res = await fx.asAgent('POST', '/custom_filters', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toEqual({ message, attributes });
    }
    expect((await list(fx, fx.agent.access_token)).body).toEqual([]);
    const saved = (await fx.asAgent('POST', '/custom_filters', { name: 'ok' })).body;
    const bad = await fx.asAgent('PATCH', `/custom_filters/${saved.id}`, { name: null });
    expect(bad.status).toBe(422);
    for (const id of ['999999999', 'abc']) {
      const res = await fx.asAgent('GET', `/custom_filters/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
    }
  });

  it(`stops at ${MAX_CUSTOM_FILTERS_PER_USER} filters per user per account, for saves and updates`, async () => {
    const fx = await buildAccountFixture(server());
    const rows = Array.from({ length: MAX_CUSTOM_FILTERS_PER_USER - 1 }, (_, i) => ({
      account_id: fx.account.id,
      user_id: fx.agent.id,
      name: `f${i}`,
      filter_type: i % 3,
      query: '{}',
    }));
    await server().db.insertInto('custom_filters').values(rows).execute();
    const last = await fx.asAgent('POST', '/custom_filters', { name: 'last one' });
    expect(last.status, last.text).toBe(200);
    const message = `Account Limit reached. The maximum number of allowed custom filters for a user per account is ${MAX_CUSTOM_FILTERS_PER_USER}.`;
    const over = await fx.asAgent('POST', '/custom_filters', { name: 'one too many' });
    expect(over.status).toBe(422);
    expect(over.body).toEqual({ message, attributes: ['account_id'] });
    // validate_number_of_filters runs on every save upstream, so an update at the limit fails too
    expect((await fx.asAgent('PATCH', `/custom_filters/${last.body.id}`, { name: 'renamed' })).body).toEqual({
      message,
      attributes: ['account_id'],
    });
    // the limit is per user: the administrator still has room
    expect((await fx.asAdmin('POST', '/custom_filters', { name: 'admin' })).status).toBe(200);
  });

  it("hides another user's and another account's filters (404) and needs a token", async () => {
    const fx = await buildAccountFixture(server());
    const agents = (await fx.asAgent('POST', '/custom_filters', { name: 'mine', query: QUERY })).body;
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'taken over' }],
      ['PUT', { name: 'taken over' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await fx.asAdmin(method, `/custom_filters/${agents.id}`, body);
      expect(res.status, method).toBe(404);
    }
    expect((await list(fx, fx.admin.access_token)).body).toEqual([]);
    expect((await fx.asAgent('GET', `/custom_filters/${agents.id}`)).body).toEqual(agents);

    const other = await buildAccountFixture(server());
    const theirs = (await other.asAdmin('POST', '/custom_filters', { name: 'theirs' })).body;
    expect((await fx.asAdmin('GET', `/custom_filters/${theirs.id}`)).status).toBe(404);
    expect((await fx.asAdmin('DELETE', `/custom_filters/${theirs.id}`)).status).toBe(404);
    expect((await other.asAdmin('GET', `/custom_filters/${theirs.id}`)).status).toBe(200);

    expect((await server().request('GET', `/api/v1/accounts/${fx.account.id}/custom_filters`)).status).toBe(401);
    expect(
      (await server().request('POST', `/api/v1/accounts/${fx.account.id}/custom_filters`, { body: { name: 'x' } }))
        .status,
    ).toBe(401);
    expect(
      (
        await server().request('DELETE', `/api/v1/accounts/${fx.account.id}/custom_filters/${agents.id}`, {
          token: 'nope',
        })
      ).body,
    ).toEqual({ error: 'Invalid Access Token' });
  });
});
