// /api/v1/accounts/:account_id/automation_rules (AutomationRulesController, AutomationRulePolicy,
// AutomationRule's validations): CRUD, clone, the model's 422s, administrators only, account-scoped.
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();

const RULE = {
  name: 'Welcome',
  description: 'Greets English speakers',
  event_name: 'conversation_created',
  conditions: [
    { attribute_key: 'browser_language', filter_operator: 'equal_to', values: ['en'], query_operator: 'AND' },
    { attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: null },
  ],
  actions: [{ action_name: 'resolve_conversation', action_params: [] }],
};

const count = async (fx: AccountFixture) =>
  (
    await server()
      .db.selectFrom('automation_rules')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', fx.account.id)
      .executeTakeFirstOrThrow()
  ).n.toString();

describe('automation rules CRUD', () => {
  it('creates (bare), lists, shows, updates, clones and deletes a rule in Chatwoot shapes', async () => {
    const fx = await buildAccountFixture(server());
    const created = await fx.asAdmin('POST', '/automation_rules', RULE);
    expect(created.status, created.text).toBe(200);
    const rule = created.body;
    expect(Object.keys(rule)).toEqual([
      'id',
      'account_id',
      'name',
      'description',
      'event_name',
      'conditions',
      'actions',
      'created_on',
      'active',
    ]);
    expect(rule).toMatchObject({
      account_id: fx.account.id,
      name: 'Welcome',
      event_name: 'conversation_created',
      active: true,
      conditions: RULE.conditions,
      actions: RULE.actions,
    });
    expect(Math.abs(rule.created_on - Date.now() / 1000)).toBeLessThan(120);

    const list = await fx.asAdmin('GET', '/automation_rules');
    expect(list.status).toBe(200);
    expect(list.body.payload.map((r: { id: number }) => r.id)).toEqual([rule.id]);
    const shown = await fx.asAdmin('GET', `/automation_rules/${rule.id}`);
    expect(shown.body).toEqual({ payload: rule });

    // only the fields sent change; conditions stay
    const patched = await fx.asAdmin('PATCH', `/automation_rules/${rule.id}`, {
      name: 'Renamed',
      active: false,
      actions: [{ action_name: 'change_priority', action_params: ['high'] }],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.payload).toMatchObject({
      id: rule.id,
      name: 'Renamed',
      active: false,
      description: RULE.description,
      conditions: RULE.conditions,
      actions: [{ action_name: 'change_priority', action_params: ['high'] }],
    });
    const put = await fx.asAdmin('PUT', `/automation_rules/${rule.id}`, { event_name: 'message_created' });
    expect(put.body.payload.event_name).toBe('message_created');

    const clone = await fx.asAdmin('POST', `/automation_rules/${rule.id}/clone`);
    expect(clone.status, clone.text).toBe(200);
    expect(clone.body.payload.id).not.toBe(rule.id);
    const { id: _a, created_on: _b, ...copied } = clone.body.payload;
    const { id: _c, created_on: _d, ...original } = put.body.payload;
    expect(copied).toEqual(original);

    const removed = await fx.asAdmin('DELETE', `/automation_rules/${rule.id}`);
    expect(removed.status).toBe(200);
    expect(removed.text).toBe('');
    expect((await fx.asAdmin('GET', `/automation_rules/${rule.id}`)).status).toBe(404);
    expect(await count(fx)).toBe('1');
  });

  it('accepts the account custom attributes as condition keys, and no conditions at all', async () => {
    const fx = await buildAccountFixture(server());
    const attr = await fx.asAdmin('POST', '/custom_attribute_definitions', {
      attribute_display_name: 'Plan',
      attribute_key: 'plan',
      attribute_display_type: 'text',
      attribute_model: 'contact_attribute',
    });
    expect([200, 201], attr.text).toContain(attr.status);
    const res = await fx.asAdmin('POST', '/automation_rules', {
      ...RULE,
      conditions: [
        {
          attribute_key: 'plan',
          filter_operator: 'equal_to',
          values: ['pro'],
          query_operator: null,
          custom_attribute_type: 'contact_attribute',
        },
      ],
    });
    expect(res.status, res.text).toBe(200);
    const empty = await fx.asAdmin('POST', '/automation_rules', { ...RULE, conditions: [] });
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body.conditions).toEqual([]);
  });
});

describe('automation rule validation', () => {
  it('refuses unsupported condition keys and action names with the model messages; nothing stored', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/automation_rules', {
      ...RULE,
      conditions: [
        { attribute_key: 'shoe_size', filter_operator: 'equal_to', values: ['9'], query_operator: 'AND' },
        { attribute_key: 'hat', filter_operator: 'equal_to', values: ['x'], query_operator: null },
      ],
      actions: [
        { action_name: 'launch_rocket', action_params: [] },
        { action_name: 'add_label', action_params: [] },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: {
        conditions: ['Automation conditions shoe_size,hat not supported.'],
        actions: ['Automation actions launch_rocket not supported.'],
      },
    });
    expect(await count(fx)).toBe('0');
  });

  it('refuses missing and bad query operators', async () => {
    const fx = await buildAccountFixture(server());
    const cond = (query_operator: unknown) => ({
      attribute_key: 'status',
      filter_operator: 'equal_to',
      values: ['open'],
      query_operator,
    });
    const missing = await fx.asAdmin('POST', '/automation_rules', { ...RULE, conditions: [cond(null), cond(null)] });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ error: { conditions: ['Automation conditions should have query operator.'] } });
    const bad = await fx.asAdmin('POST', '/automation_rules', {
      ...RULE,
      conditions: [cond('XOR'), cond(null)],
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ error: { conditions: ['Query operator must be either "AND" or "OR"'] } });
    const lower = await fx.asAdmin('POST', '/automation_rules', { ...RULE, conditions: [cond('or'), cond(null)] });
    expect(lower.status, lower.text).toBe(200);
    expect(await count(fx)).toBe('1');
  });

  it('refuses another account agent and team, malformed labels, a bad status or priority; an update changes nothing', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const team = (await other.asAdmin('POST', '/teams', { name: 'Elsewhere' })).body;
    const cases: [string, unknown[]][] = [
      ['assign_agent', [other.agent.id]],
      ['assign_team', [team.id]],
      ['add_label', [{ title: 'x' }]],
      ['remove_label', ['x'.repeat(300)]],
      ['change_status', ['closed']],
      ['change_priority', ['critical']],
    ];
    for (const [action_name, action_params] of cases) {
      const res = await fx.asAdmin('POST', '/automation_rules', { ...RULE, actions: [{ action_name, action_params }] });
      expect(res.status, `${action_name}: ${res.text}`).toBe(422);
      expect(res.body.error.actions[0]).toMatch(new RegExp(`^${action_name}: `));
    }
    expect(await count(fx)).toBe('0');

    const rule = (await fx.asAdmin('POST', '/automation_rules', RULE)).body;
    const res = await fx.asAdmin('PATCH', `/automation_rules/${rule.id}`, {
      name: 'Changed',
      actions: [{ action_name: 'assign_team', action_params: [team.id] }],
    });
    expect(res.status).toBe(422);
    const after = (await fx.asAdmin('GET', `/automation_rules/${rule.id}`)).body.payload;
    expect(after.name).toBe('Welcome');
    expect(after.actions).toEqual(RULE.actions);
  });

  it('refuses a rule without name, event or lists, and malformed entries, with 422 not 500', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/automation_rules', {});
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.error)).toEqual(['name', 'event_name', 'conditions', 'actions']);
    const malformed = await fx.asAdmin('POST', '/automation_rules', { ...RULE, conditions: ['x'], actions: [1] });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error).toEqual({ conditions: ['is invalid'], actions: ['is invalid'] });
    const nul = await fx.asAdmin('POST', '/automation_rules', { ...RULE, name: 'a\u0000b' });
    expect(nul.status).toBe(422);
    const long = await fx.asAdmin('POST', '/automation_rules', { ...RULE, name: 'x'.repeat(300) });
    expect(long.status).toBe(422);
    expect(await count(fx)).toBe('0');
  });
});

describe('automation rules security', () => {
  it('refuses a request without a token', async () => {
    const fx = await buildAccountFixture(server());
    const res = await server().request('GET', `/api/v1/accounts/${fx.account.id}/automation_rules`);
    expect(res.status).toBe(401);
  });

  it('refuses agents on every route (administrators only), writing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const rule = (await fx.asAdmin('POST', '/automation_rules', RULE)).body;
    const calls: [string, string, unknown?][] = [
      ['GET', '/automation_rules'],
      ['POST', '/automation_rules', RULE],
      ['GET', `/automation_rules/${rule.id}`],
      ['PATCH', `/automation_rules/${rule.id}`, { name: 'x' }],
      ['DELETE', `/automation_rules/${rule.id}`],
      ['POST', `/automation_rules/${rule.id}/clone`],
      ['GET', `/automation_rules/${rule.id}/runs`],
    ];
    for (const [method, path, body] of calls) {
      const res = await fx.asAgent(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body).toEqual({ error: 'You are not authorized to do this action' });
    }
    expect(await count(fx)).toBe('1');
    expect((await fx.asAdmin('GET', `/automation_rules/${rule.id}`)).body.payload.name).toBe('Welcome');
  });

  it("answers 404 for another account's rule on every route, changing nothing", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = (await other.asAdmin('POST', '/automation_rules', RULE)).body;
    for (const [method, path, body] of [
      ['GET', `/automation_rules/${theirs.id}`],
      ['PATCH', `/automation_rules/${theirs.id}`, { name: 'mine now' }],
      ['DELETE', `/automation_rules/${theirs.id}`],
      ['POST', `/automation_rules/${theirs.id}/clone`],
      ['GET', `/automation_rules/${theirs.id}/runs`],
      ['GET', '/automation_rules/abc'],
    ] as [string, string, unknown?][]) {
      const res = await fx.asAdmin(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await fx.asAdmin('GET', '/automation_rules')).body.payload).toEqual([]);
    expect(await count(other)).toBe('1');
    expect((await other.asAdmin('GET', `/automation_rules/${theirs.id}`)).body.payload.name).toBe('Welcome');
  });
});
