// The SLA keys of a conversation's push data (Enterprise::Conversations::EventDataPresenter):
// applied_sla, sla_events and sla_policy_id in /cable events, webhooks and notifications' primary
// actor, only when the account's `sla` feature is on; nil, none and nil for a blocked contact.
import { afterAll, describe, expect, it } from 'vitest';
import { openCable, type CableClient } from '../../../test/cable.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { useTestServer } from '../../../test/harness.js';
import { seconds, slaKit } from '../../../test/sla-kit.js';
import { startReceiver } from '../../../test/webhook-receiver.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
const sockets: CableClient[] = [];
afterAll(() => {
  for (const socket of sockets) socket.close();
  return receiver.close();
});
const { appliedOf, checkAt, setup, applyPolicy } = slaKit(server);

/** The administrator's RoomChannel, subscribed. */
async function adminCable(fx: AccountFixture) {
  const client = await openCable(server().url);
  sockets.push(client);
  const profile = (await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token })).body;
  const identifier = client.subscribe({
    channel: 'RoomChannel',
    pubsub_token: profile.pubsub_token,
    account_id: fx.account.id,
    user_id: profile.id,
  });
  await client.next((f) => f.identifier === identifier && f.type === 'confirm_subscription');
  const next = (event: string, check: (data: any) => boolean = () => true) =>
    client.next((f) => f.identifier === identifier && f.message?.event === event && check(f.message.data));
  return { next: async (event: string, check?: (data: any) => boolean) => (await next(event, check)).message.data };
}

const APPLIED_SLA_KEYS = [
  'id',
  'sla_id',
  'sla_status',
  'created_at',
  'updated_at',
  'sla_description',
  'sla_name',
  'sla_first_response_time_threshold',
  'sla_next_response_time_threshold',
  'sla_only_during_business_hours',
  'sla_resolution_time_threshold',
];

describe('SLA keys in push data', () => {
  it('adds applied_sla, sla_events and sla_policy_id to /cable, webhooks and notifications', async () => {
    const { fx, inbox, policy } = await setup({ first_response_time_threshold: 3600 });
    const path = `/push-${fx.account.id}`;
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: {
        url: `${receiver.url}${path}`,
        subscriptions: ['conversation_updated', 'conversation_status_changed', 'message_created'],
      },
    });
    expect(hook.status, hook.text).toBe(200);
    const live = await adminCable(fx);
    const conversation = await buildConversation(fx, inbox.id, { assignee_id: fx.agent.id });
    await applyPolicy(fx, conversation.id, policy.id);
    const applied = await appliedOf(fx, conversation.id);

    const updated = await live.next(
      'conversation.updated',
      (d) => d.id === conversation.id && d.sla_policy_id !== null,
    );
    expect(updated).toMatchObject({ sla_events: [], sla_policy_id: policy.id });
    expect(Object.keys(updated.applied_sla)).toEqual(APPLIED_SLA_KEYS);
    expect(updated.applied_sla).toMatchObject({
      id: applied.id,
      sla_id: policy.id,
      sla_status: 'active',
      sla_name: 'Gold',
      sla_first_response_time_threshold: 3600,
      sla_next_response_time_threshold: null,
      sla_only_during_business_hours: false,
    });
    // merged after the presenter's own keys, as super.merge does
    const keys = Object.keys(updated);
    expect(keys.indexOf('applied_sla')).toBeGreaterThan(keys.indexOf('updated_at'));
    expect(keys.slice(keys.indexOf('applied_sla'), keys.indexOf('applied_sla') + 3)).toEqual([
      'applied_sla',
      'sla_events',
      'sla_policy_id',
    ]);

    await checkAt(applied.id, seconds(applied.created_at, 3600));
    const missed = await live.next('conversation.updated', (d) => d.id === conversation.id && d.sla_events?.length);
    expect(missed.applied_sla.sla_status).toBe('active_with_misses');
    // SlaEvent#push_event_data: created_at before updated_at (the REST partial has them the other way)
    expect(Object.keys(missed.sla_events[0])).toEqual(['id', 'event_type', 'meta', 'created_at', 'updated_at']);
    expect(missed.sla_events[0]).toMatchObject({ event_type: 'frt', meta: {} });

    const hooks = await receiver.waitFor((all) =>
      all.some(
        (r) =>
          r.path === path &&
          r.body.event === 'conversation_updated' &&
          r.body.applied_sla?.sla_status === 'active_with_misses',
      ),
    );
    const hooked = hooks.find((r) => r.path === path && r.body.applied_sla?.sla_status === 'active_with_misses')!;
    expect(hooked.body).toMatchObject({ sla_policy_id: policy.id, sla_events: [{ event_type: 'frt' }] });

    // a message's webhook embeds the conversation's webhook data, SLA keys included
    const message = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'Hello?',
      message_type: 'incoming',
    });
    expect(message.status, message.text).toBe(200);
    const created = await receiver.waitFor((all) =>
      all.some((r) => r.path === path && r.body.event === 'message_created' && r.body.id === message.body.id),
    );
    const body = created.find(
      (r) => r.path === path && r.body.event === 'message_created' && r.body.id === message.body.id,
    )!.body;
    expect(body.conversation).toMatchObject({
      applied_sla: { id: applied.id, sla_status: 'active_with_misses' },
      sla_events: [{ event_type: 'frt' }],
      sla_policy_id: policy.id,
    });

    // the notification's primary actor is the conversation's push data
    const notes = await fx.asAgent('GET', '/notifications');
    expect(notes.status, notes.text).toBe(200);
    // (the incoming message's notification replaced the miss's: one per conversation and user)
    const note = notes.body.data.payload[0];
    expect(note.primary_actor).toMatchObject({
      id: conversation.id,
      applied_sla: { sla_status: 'active_with_misses' },
      sla_events: [{ event_type: 'frt' }],
      sla_policy_id: policy.id,
    });

    // muting blocks the contact: Conversation#sla_applicable? is false, so nil, none and nil
    expect((await fx.asAdmin('POST', `/conversations/${conversation.id}/mute`)).status).toBe(200);
    const muted = await live.next('conversation.status_changed', (d) => d.id === conversation.id);
    expect(muted).toMatchObject({ status: 'resolved', applied_sla: null, sla_events: [], sla_policy_id: null });
  });

  it('has the keys on the single-statement reply path, with nothing applied', async () => {
    const fx = await buildAccountFixture(server());
    await slaKit(server).slaOn(fx);
    const inbox = await buildInbox(fx);
    const live = await adminCable(fx);
    const conversation = await buildConversation(fx, inbox.id);
    // the first reply moves first_reply_created_at: conversation.updated with the statement's push data
    expect((await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'Hi!' })).status).toBe(
      200,
    );
    const updated = await live.next(
      'conversation.updated',
      (d) => d.id === conversation.id && d.first_reply_created_at !== null,
    );
    expect(updated).toMatchObject({ applied_sla: null, sla_events: [], sla_policy_id: null });
  });

  it('leaves the keys out when the account has the feature off', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const path = `/off-${fx.account.id}`;
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: `${receiver.url}${path}`, subscriptions: ['conversation_updated'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const live = await adminCable(fx);
    const conversation = await buildConversation(fx, inbox.id);
    expect((await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'Hi!' })).status).toBe(
      200,
    );
    const updated = await live.next(
      'conversation.updated',
      (d) => d.id === conversation.id && d.first_reply_created_at !== null,
    );
    expect(updated).not.toHaveProperty('applied_sla');
    expect(updated).not.toHaveProperty('sla_events');
    expect(updated).not.toHaveProperty('sla_policy_id');
    const hooks = await receiver.waitFor((all) => all.some((r) => r.path === path));
    const body = hooks.find((r) => r.path === path)!.body;
    expect(body).not.toHaveProperty('applied_sla');
    expect(body).not.toHaveProperty('sla_policy_id');
  });
});
