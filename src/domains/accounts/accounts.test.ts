import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const path = (id: number) => `/api/v1/accounts/${id}`;

describe('GET|PATCH /api/v1/accounts/:id', () => {
  it('shows the account with Chatwoot keys and types', async () => {
    const fx = await buildAccountFixture(server());
    const res = await server().request('GET', path(fx.account.id), { token: fx.agent.access_token });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      'settings',
      'created_at',
      'domain',
      'features',
      'id',
      'locale',
      'name',
      'support_email',
      'status',
      'cache_keys',
      'auto_resolve_duration',
      'latest_chatwoot_version',
    ]);
    expect(res.body).toMatchObject({
      id: fx.account.id,
      name: fx.account.name,
      locale: 'en',
      status: 'active',
      settings: {},
    });
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(res.body.features.inbox_management).toBe(true);
    // only what Confab serves: the dashboard hides the screens of the others
    for (const served of [
      'agent_management',
      'team_management',
      'labels',
      'custom_attributes',
      'canned_responses',
      'crm',
      'agent_bots',
      'macros',
      'automations',
      'reports',
      'help_center',
    ])
      expect(res.body.features[served], served).toBe(true);
    for (const unserved of [
      'integrations',
      'campaigns',
      'sla',
      'custom_roles',
      'captain_integration',
      'audit_logs',
      'channel_email',
      'channel_website',
      'channel_facebook',
      'inbound_emails',
    ])
      expect(res.body.features, unserved).not.toHaveProperty(unserved);
    expect(Object.values(res.body.features).every((on) => on === true)).toBe(true);
    expect(res.body.cache_keys).toEqual({
      label: expect.any(String),
      inbox: expect.any(String),
      team: expect.any(String),
    });
  });

  it("serves cache_keys to members, Chatwoot's shape, and 404 to others", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const res = await server().request('GET', `${path(fx.account.id)}/cache_keys`, { token: fx.agent.access_token });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      cache_keys: { label: expect.any(String), inbox: expect.any(String), team: expect.any(String) },
    });
    const before = res.body.cache_keys.label;
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fx.asAdmin('POST', '/labels', { title: 'fresh' })).status).toBe(200);
    const after = await server().request('GET', `${path(fx.account.id)}/cache_keys`, { token: fx.agent.access_token });
    expect(after.body.cache_keys.label).not.toBe(before);
    const stranger = await server().request('GET', `${path(fx.account.id)}/cache_keys`, {
      token: other.admin.access_token,
    });
    expect(stranger.status).toBe(404);
    expect(stranger.body).not.toHaveProperty('cache_keys');
  });

  it('lets administrators update name, locale, settings and custom attributes', async () => {
    const fx = await buildAccountFixture(server());
    const res = await server().request('PATCH', path(fx.account.id), {
      token: fx.admin.access_token,
      body: {
        name: 'New Name',
        locale: 'fr',
        domain: 'acme.test',
        support_email: 'help@acme.test',
        industry: 'retail',
        auto_resolve_after: 60,
        auto_resolve_message: 'Bye',
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      name: 'New Name',
      locale: 'fr',
      domain: 'acme.test',
      support_email: 'help@acme.test',
      settings: { auto_resolve_after: 60, auto_resolve_message: 'Bye' },
    });
    expect(res.body.custom_attributes).toMatchObject({ industry: 'retail', plan_name: null });
    const again = await server().request('PUT', path(fx.account.id), {
      token: fx.admin.access_token,
      body: { company_size: '10-50' },
    });
    expect(again.body.custom_attributes).toMatchObject({ industry: 'retail', company_size: '10-50' });
  });

  it('refuses agents (401) and bad input (422), writing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const agent = await server().request('PATCH', path(fx.account.id), {
      token: fx.agent.access_token,
      body: { name: 'Mine now' },
    });
    expect(agent.status).toBe(401);
    expect(agent.body).toEqual({ error: 'You are not authorized to do this action' });
    for (const [body, message] of [
      [{ name: '' }, "Name can't be blank"],
      [{ domain: 'd'.repeat(101) }, 'Domain is too long (maximum is 100 characters)'],
      [{ auto_resolve_after: 5 }, 'Auto resolve after is invalid'],
      [{ locale: 'not a locale' }, 'Locale is invalid'],
    ] as const) {
      const res = await server().request('PATCH', path(fx.account.id), { token: fx.admin.access_token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.message).toBe(message);
    }
    expect((await server().request('GET', path(fx.account.id), { token: fx.admin.access_token })).body.name).toBe(
      fx.account.name,
    );
  });

  it('answers 404 for an account the user is not in, and update_active_at for members', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const res = await server().request('GET', path(other.account.id), { token: fx.admin.access_token });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Resource could not be found' });
    const touch = await server().request('POST', `${path(fx.account.id)}/update_active_at`, {
      token: fx.agent.access_token,
    });
    expect(touch.status).toBe(200);
    const profile = await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token });
    expect(profile.body.accounts[0].active_at).toMatch(/Z$/);
  });
});
