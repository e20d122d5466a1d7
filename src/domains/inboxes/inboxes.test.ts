import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildAgentBot, buildInbox } from '../../../test/factories.js';

const server = useTestServer();
const API_INBOX_KEYS = [
  'id',
  'avatar_url',
  'channel_id',
  'name',
  'channel_type',
  'greeting_enabled',
  'greeting_message',
  'working_hours_enabled',
  'enable_email_collect',
  'csat_survey_enabled',
  'csat_config',
  'enable_auto_assignment',
  'auto_assignment_config',
  'out_of_office_message',
  'working_hours',
  'timezone',
  'callback_webhook_url',
  'allow_messages_after_resolved',
  'lock_to_single_conversation',
  'sender_name_type',
  'business_name',
  'allowed_domains',
  'widget_color',
  'website_url',
  'hmac_mandatory',
  'welcome_title',
  'welcome_tagline',
  'web_widget_script',
  'website_token',
  'selected_feature_flags',
  'reply_time',
  'messaging_service_sid',
  'phone_number',
  'hmac_token',
  'secret',
  'webhook_url',
  'inbox_identifier',
  'additional_attributes',
  'provider',
];

describe('inboxes', () => {
  it('creates an API inbox with identifier, hmac token, defaults and working hours', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/inboxes', {
      name: 'Support API',
      channel: { type: 'api', webhook_url: 'https://hooks.example.com/in', hmac_mandatory: true },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(API_INBOX_KEYS);
    expect(res.body).toMatchObject({
      name: 'Support API',
      channel_type: 'Channel::Api',
      avatar_url: '',
      greeting_enabled: false,
      enable_email_collect: true,
      enable_auto_assignment: true,
      timezone: 'UTC',
      allow_messages_after_resolved: true,
      lock_to_single_conversation: false,
      sender_name_type: 'friendly',
      hmac_mandatory: true,
      webhook_url: 'https://hooks.example.com/in',
      additional_attributes: {},
      callback_webhook_url: null,
      website_token: null,
      provider: null,
    });
    expect(res.body.inbox_identifier).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    expect(res.body.hmac_token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    expect(res.body.working_hours).toHaveLength(7);
    expect(res.body.working_hours[0]).toEqual({
      day_of_week: 0,
      closed_all_day: true,
      open_hour: null,
      open_minutes: null,
      close_hour: null,
      close_minutes: null,
      open_all_day: false,
    });
    expect(res.body.working_hours[1]).toEqual({
      day_of_week: 1,
      closed_all_day: false,
      open_hour: 9,
      open_minutes: 0,
      close_hour: 17,
      close_minutes: 0,
      open_all_day: false,
    });
  });

  it('lists all inboxes for administrators and member inboxes for agents, hiding secrets from agents', async () => {
    const fx = await buildAccountFixture(server());
    const a = await buildInbox(fx);
    const b = await buildInbox(fx);
    const admin = await fx.asAdmin('GET', '/inboxes');
    expect(admin.body.payload.map((i: { id: number }) => i.id)).toEqual([a.id, b.id]);
    expect((await fx.asAgent('GET', '/inboxes')).body).toEqual({ payload: [] });
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: b.id, user_ids: [fx.agent.id] });
    const agent = await fx.asAgent('GET', '/inboxes');
    expect(agent.body.payload.map((i: { id: number }) => i.id)).toEqual([b.id]);
    expect(agent.body.payload[0]).not.toHaveProperty('hmac_token');
    expect(agent.body.payload[0]).not.toHaveProperty('secret');
    expect(agent.body.payload[0].inbox_identifier).toBe(b.inbox_identifier);
    expect((await fx.asAgent('GET', `/inboxes/${b.id}`)).status).toBe(200);
    const notMember = await fx.asAgent('GET', `/inboxes/${a.id}`);
    expect(notMember.status).toBe(401);
    expect(notMember.body).toEqual({ error: 'You are not authorized to do this action' });
  });

  it('updates inbox fields, the channel and working hours', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const res = await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, {
      name: 'Renamed',
      enable_auto_assignment: false,
      greeting_enabled: true,
      greeting_message: 'Hi!',
      timezone: 'Europe/Berlin',
      sender_name_type: 'professional',
      lock_to_single_conversation: true,
      csat_config: { display_type: 'star' },
      working_hours: [
        { day_of_week: 0, closed_all_day: false, open_hour: 10, open_minutes: 30, close_hour: 14, close_minutes: 0 },
      ],
      channel: {
        webhook_url: 'webhook.test',
        hmac_mandatory: true,
        additional_attributes: { agent_reply_time_window: 12 },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      enable_auto_assignment: false,
      greeting_message: 'Hi!',
      timezone: 'Europe/Berlin',
      sender_name_type: 'professional',
      lock_to_single_conversation: true,
      webhook_url: 'webhook.test',
      hmac_mandatory: true,
      additional_attributes: { agent_reply_time_window: 12 },
      csat_config: {
        display_type: 'star',
        message: '',
        survey_rules: { operator: 'contains', values: [] },
        button_text: 'Please rate us',
        language: 'en',
      },
    });
    expect(res.body.working_hours[0]).toMatchObject({
      closed_all_day: false,
      open_hour: 10,
      open_minutes: 30,
      close_hour: 14,
    });
    expect(res.body.inbox_identifier).toBe(inbox.inbox_identifier);
  });

  it('refuses bad input with 422 and writes nothing', async () => {
    const fx = await buildAccountFixture(server());
    const count = async () => (await fx.asAdmin('GET', '/inboxes')).body.payload.length;
    for (const [body, expected] of [
      [{ channel: { type: 'api' } }, { message: "Name can't be blank", attributes: ['name'] }],
      [{ name: 'No channel' }, { message: 'Channel must exist', attributes: ['channel'] }],
      [
        { name: 'Widget', channel: { type: 'web_widget' } },
        { message: 'Channel must exist', attributes: ['channel'] },
      ],
      [
        { name: 'TZ', timezone: 'Mars/Olympus', channel: { type: 'api' } },
        { message: 'Timezone is not included in the list', attributes: ['timezone'] },
      ],
      [
        { name: 'S', sender_name_type: 'robot', channel: { type: 'api' } },
        { message: 'Sender name type is not included in the list', attributes: ['sender_name_type'] },
      ],
      [
        { name: 'W', channel: { type: 'api', webhook_url: `https://x/${'a'.repeat(2100)}` } },
        { message: 'Webhook url is too long (maximum is 2048 characters)', attributes: ['webhook_url'] },
      ],
      [
        { name: 'H', channel: { type: 'api' }, working_hours: [{ day_of_week: 1, open_hour: 25 }] },
        { message: 'Working hours is invalid', attributes: ['working_hours'] },
      ],
    ] as const) {
      const res = await fx.asAdmin('POST', '/inboxes', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toEqual(expected);
    }
    expect(await count()).toBe(0);
    const inbox = await buildInbox(fx);
    const bad = await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, {
      name: 'ok',
      working_hours: [{ day_of_week: 2, open_hour: 17, close_hour: 9 }],
    });
    expect(bad.status).toBe(422);
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body.name).not.toBe('ok');
  });

  it('deletes an inbox (administrators), refusing agents', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    expect((await fx.asAgent('DELETE', `/inboxes/${inbox.id}`)).status).toBe(401);
    expect((await fx.asAgent('PATCH', `/inboxes/${inbox.id}`, { name: 'x' })).status).toBe(401);
    expect((await fx.asAgent('POST', '/inboxes', { name: 'x', channel: { type: 'api' } })).status).toBe(401);
    const res = await fx.asAdmin('DELETE', `/inboxes/${inbox.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Your inbox deletion request will be processed in some time.' });
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).status).toBe(404);
  });

  it('assignable_agents lists inbox members plus administrators', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    expect(
      (await fx.asAdmin('GET', `/inboxes/${inbox.id}/assignable_agents`)).body.payload.map((a: { id: number }) => a.id),
    ).toEqual([fx.admin.id]);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const res = await fx.asAgent('GET', `/inboxes/${inbox.id}/assignable_agents`);
    expect(res.body.payload.map((a: { role: string }) => a.role).sort()).toEqual(['administrator', 'agent']);
  });

  it('attaches and detaches an agent bot', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const bot = await buildAgentBot(server(), fx.platformToken, { account_id: fx.account.id, name: 'Helper' });
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}/agent_bot`)).body).toEqual({});
    expect((await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.id })).status).toBe(200);
    const shown = await fx.asAdmin('GET', `/inboxes/${inbox.id}/agent_bot`);
    expect(shown.body.agent_bot).toMatchObject({
      id: bot.id,
      name: 'Helper',
      access_token: bot.access_token,
      system_bot: false,
    });
    expect((await fx.asAgent('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: null })).status).toBe(401);
    expect((await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: 0 })).status).toBe(404);
    const foreign = await buildAccountFixture(server());
    const foreignBot = await buildAgentBot(server(), foreign.platformToken, { account_id: foreign.account.id });
    expect((await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: foreignBot.id })).status).toBe(
      404,
    );
    expect((await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: null })).status).toBe(200);
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}/agent_bot`)).body).toEqual({});
  });

  it('never resolves an inbox of another account', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = await buildInbox(other);
    for (const [method, suffix] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['GET', '/assignable_agents'],
      ['GET', '/agent_bot'],
      ['POST', '/set_agent_bot'],
    ]) {
      const res = await fx.asAdmin(
        method!,
        `/inboxes/${theirs.id}${suffix}`,
        method === 'GET' || method === 'DELETE' ? undefined : {},
      );
      expect(res.status, `${method} ${suffix}`).toBe(404);
    }
  });
});
