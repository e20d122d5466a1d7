// inbox_created / inbox_updated (WebhookListener, Inbox::EventDataPresenter#push_data) and the
// previous values in conversation_updated / conversation_status_changed changed_attributes.
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { startReceiver, type Received } from '../../../test/webhook-receiver.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
afterAll(() => receiver.close());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh account whose webhook (at its own path) takes `subscriptions`; `got()` lists what reached it. */
async function subscribed(subscriptions: string[], extra: Record<string, unknown> = {}) {
  const fx = await buildAccountFixture(server());
  const path = `/${fx.account.id}-${subscriptions.join('-')}`;
  const res = await fx.asAdmin('POST', '/webhooks', {
    webhook: { url: `${receiver.url}${path}`, subscriptions, ...extra },
  });
  expect(res.status, res.text).toBe(200);
  const got = () => receiver.received.filter((r) => r.path === path);
  const waitFor = async (n: number) => {
    await receiver.waitFor(() => got().length >= n);
    await sleep(250);
    return got();
  };
  /** The bodies in the order they were queued (deliveries run in parallel, so arrival order may differ); one transaction's by event name. */
  const queued = async () => {
    const log = await fx.asAdmin('GET', `/webhooks/${res.body.payload.webhook.id}/deliveries`);
    return (log.body.payload as { created_at: string; event: string; payload: Record<string, any> }[])
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.event.localeCompare(b.event))
      .map((d) => d.payload);
  };
  return { fx, got, waitFor, queued };
}

const change = (r: Received, key: string) =>
  r.body.changed_attributes.find((c: Record<string, unknown>) => key in c)?.[key];

describe('inbox_created and inbox_updated', () => {
  it('sends the inbox push data on create, and the changed columns with previous values on update', async () => {
    const { fx, waitFor } = await subscribed(['inbox_created', 'inbox_updated']);
    const inbox = await buildInbox(fx, {
      name: 'Support',
      greeting_enabled: false,
      channel: { type: 'api', webhook_url: 'https://hooks.example.com/in' },
    });
    const [created] = await waitFor(1);
    expect(created!.body).toMatchObject({
      event: 'inbox_created',
      id: inbox.id,
      name: 'Support',
      greeting_enabled: false,
      sender_name_type: 'friendly',
      timezone: 'UTC',
      channel: {
        webhook_url: 'https://hooks.example.com/in',
        identifier: inbox.inbox_identifier,
        hmac_mandatory: false,
      },
    });
    // (the log stores bodies as jsonb, which keeps keys but not their order)
    expect(Object.keys(created!.body).sort()).toEqual(
      [
        'id',
        'name',
        'allow_messages_after_resolved',
        'lock_to_single_conversation',
        'add_label_to_resolve_conversation',
        'auto_assignment_config',
        'enable_auto_assignment',
        'enable_email_collect',
        'greeting_enabled',
        'greeting_message',
        'csat_survey_enabled',
        'business_name',
        'sender_name_type',
        'timezone',
        'out_of_office_message',
        'working_hours_enabled',
        'working_hours',
        'created_at',
        'updated_at',
        'channel',
        'event',
      ].sort(),
    );
    expect(created!.body.working_hours).toHaveLength(7);
    expect(created!.body.working_hours[1]).toMatchObject({
      inbox_id: inbox.id,
      account_id: fx.account.id,
      day_of_week: 1,
      open_hour: 9,
    });
    // the keys that sign deliveries stay out of delivery bodies
    expect(created!.body.channel).not.toHaveProperty('secret');
    expect(created!.body.channel).not.toHaveProperty('hmac_token');
    expect(created!.raw).not.toContain(inbox.hmac_token);

    const patched = await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, {
      name: 'Helpdesk',
      greeting_enabled: true,
      sender_name_type: 'professional',
    });
    expect(patched.status, patched.text).toBe(200);
    const [, updated] = await waitFor(2);
    expect(updated!.body).toMatchObject({
      event: 'inbox_updated',
      id: inbox.id,
      name: 'Helpdesk',
      greeting_enabled: true,
    });
    expect(updated!.body.changed_attributes.map((c: object) => Object.keys(c)[0]).sort()).toEqual([
      'greeting_enabled',
      'name',
      'sender_name_type',
      'updated_at',
    ]);
    expect(change(updated!, 'name')).toEqual({ previous_value: 'Support', current_value: 'Helpdesk' });
    expect(change(updated!, 'greeting_enabled')).toEqual({ previous_value: false, current_value: true });
    expect(change(updated!, 'sender_name_type')).toEqual({ previous_value: 'friendly', current_value: 'professional' });
    expect(change(updated!, 'updated_at').current_value).toBe(updated!.body.updated_at);
  });

  it('says nothing when only the channel or nothing changed, and goes to account-wide webhooks of the account only', async () => {
    const { fx, got } = await subscribed(['inbox_created', 'inbox_updated']);
    const inbox = await buildInbox(fx, { name: 'Quiet' });
    const scoped = `/scoped-${fx.account.id}`;
    await fx.asAdmin('POST', '/webhooks', {
      webhook: {
        url: `${receiver.url}${scoped}`,
        subscriptions: ['inbox_created', 'inbox_updated'],
        inbox_id: inbox.id,
      },
    });
    const other = await subscribed(['inbox_created', 'inbox_updated']);
    await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, { channel: { webhook_url: 'https://hooks.example.com/other' } });
    await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, { name: 'Quiet' });
    await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, { timezone: 'Europe/Paris' });
    await receiver.waitFor(() => got().length >= 2);
    await sleep(300);
    expect(
      got()
        .map((r) => r.body.event)
        .sort(),
    ).toEqual(['inbox_created', 'inbox_updated']);
    const updated = got().find((r) => r.body.event === 'inbox_updated')!;
    expect(updated.body.changed_attributes.map((c: object) => Object.keys(c)[0])).toEqual(['timezone', 'updated_at']);
    expect(receiver.received.filter((r) => r.path === scoped)).toEqual([]);
    expect(other.got()).toEqual([]);
  });
});

describe('conversation changed_attributes', () => {
  async function conversationIn(fx: AccountFixture) {
    const inbox = await buildInbox(fx);
    return buildConversation(fx, inbox.id);
  }

  it('carries previous values of priority, labels, custom attributes, assignee and team', async () => {
    const { fx, waitFor, queued } = await subscribed(['conversation_updated']);
    const conversation = await conversationIn(fx);
    const team = (await fx.asAdmin('POST', '/teams', { name: `team-${fx.account.id}` })).body;
    const steps: [string, string, unknown][] = [
      ['POST', `/conversations/${conversation.id}/toggle_priority`, { priority: 'high' }],
      ['POST', `/conversations/${conversation.id}/toggle_priority`, { priority: 'urgent' }],
      ['POST', `/conversations/${conversation.id}/labels`, { labels: ['billing'] }],
      ['POST', `/conversations/${conversation.id}/labels`, { labels: ['billing', 'vip'] }],
      ['POST', `/conversations/${conversation.id}/custom_attributes`, { custom_attributes: { plan: 'pro' } }],
      ['POST', `/conversations/${conversation.id}/assignments`, { assignee_id: fx.admin.id }],
      ['POST', `/conversations/${conversation.id}/assignments`, { team_id: team.id }],
    ];
    for (const [method, path, body] of steps) {
      const res = await fx.asAdmin(method, path, body);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
    await waitFor(steps.length);
    const all = await queued();
    expect(all.map((body) => body.changed_attributes)).toEqual([
      [{ priority: { previous_value: null, current_value: 'high' } }],
      [{ priority: { previous_value: 'high', current_value: 'urgent' } }],
      [{ label_list: { previous_value: [], current_value: ['billing'] } }],
      [{ label_list: { previous_value: ['billing'], current_value: ['billing', 'vip'] } }],
      [{ custom_attributes: { previous_value: {}, current_value: { plan: 'pro' } } }],
      [{ assignee_id: { previous_value: null, current_value: fx.admin.id } }],
      // the administrator is not in the team: one update carries both changes, as one save does in Chatwoot
      [
        { team_id: { previous_value: null, current_value: team.id } },
        { assignee_id: { previous_value: fx.admin.id, current_value: null } },
      ],
    ]);
    expect(all.every((body) => body.event === 'conversation_updated' && body.id === conversation.id)).toBe(true);
  });

  it('sends a status change as conversation_status_changed and conversation_updated, both with the previous status', async () => {
    const { fx, waitFor, queued } = await subscribed(['conversation_status_changed', 'conversation_updated']);
    const conversation = await conversationIn(fx);
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'pending' });
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
    await waitFor(4);
    expect((await queued()).map((body) => [body.event, body.changed_attributes])).toEqual([
      ['conversation_status_changed', [{ status: { previous_value: 'open', current_value: 'pending' } }]],
      ['conversation_updated', [{ status: { previous_value: 'open', current_value: 'pending' } }]],
      ['conversation_status_changed', [{ status: { previous_value: 'pending', current_value: 'resolved' } }]],
      ['conversation_updated', [{ status: { previous_value: 'pending', current_value: 'resolved' } }]],
    ]);
  });

  it('sends no conversation_updated for a conversation created with an assignee', async () => {
    const { fx, got } = await subscribed(['conversation_updated', 'conversation_created']);
    const inbox = await buildInbox(fx);
    await buildConversation(fx, inbox.id, { assignee_id: fx.admin.id });
    await receiver.waitFor(() => got().length >= 1);
    await sleep(300);
    expect(got().map((r) => r.body.event)).toEqual(['conversation_created']);
  });
});
