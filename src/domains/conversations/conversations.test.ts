import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';

const server = useTestServer();

describe('conversations', () => {
  it("creates with a first message and renders Chatwoot's partial", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const contact = (await fx.asAdmin('POST', '/contacts', { name: 'Jane', email: 'jane@example.com' })).body.payload
      .contact;
    const res = await fx.asAdmin('POST', '/conversations', {
      inbox_id: inbox.id,
      contact_id: contact.id,
      custom_attributes: { plan: 'pro' },
      message: { content: 'Hello Jane' },
    });
    expect(res.status, res.text).toBe(200);
    const c = res.body;
    expect(c.id).toBe(1);
    expect(Object.keys(c.meta)).toEqual(['sender', 'channel', 'hmac_verified']);
    expect(c.meta.sender).toMatchObject({ id: contact.id, name: 'Jane', email: 'jane@example.com' });
    expect(c.meta.channel).toBe('Channel::Api');
    expect(c).toMatchObject({
      account_id: fx.account.id,
      inbox_id: inbox.id,
      status: 'open',
      priority: null,
      muted: false,
      labels: [],
      unread_count: 0,
      custom_attributes: { plan: 'pro' },
      additional_attributes: {},
      snoozed_until: null,
      agent_last_seen_at: 0,
      can_reply: true,
      sla_policy_id: null,
    });
    expect(Number.isInteger(c.created_at) && Number.isInteger(c.timestamp) && Number.isInteger(c.waiting_since)).toBe(
      true,
    );
    expect(typeof c.updated_at).toBe('number');
    expect(c.first_reply_created_at).toBeGreaterThan(0);
    expect(c.waiting_since).toBe(0);
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]).toMatchObject({
      content: 'Hello Jane',
      message_type: 1,
      conversation_id: 1,
      private: false,
      status: 'sent',
      content_type: 'text',
      sender_type: 'User',
      sender_id: fx.admin.id,
      sender: { id: fx.admin.id, type: 'user' },
      conversation: { assignee_id: null, contact_inbox: { source_id: expect.any(String) } },
    });
    expect(typeof c.messages[0].updated_at).toBe('string');
    expect(c.last_non_activity_message.id).toBe(c.messages[0].id);

    const shown = await fx.asAgent('GET', `/conversations/${c.id}`);
    expect(shown.status).toBe(401);
    expect(shown.body).toEqual({ error: 'You are not authorized to do this action' });
    expect((await fx.asAdmin('GET', `/conversations/${c.id}`)).body.id).toBe(1);
    expect((await fx.asAdmin('GET', '/conversations/999')).status).toBe(404);
    expect((await fx.asAdmin('GET', '/conversations/abc')).status).toBe(404);
  });

  it('numbers conversations per account and refuses other accounts', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const theirInbox = await buildInbox(other);
    expect((await buildConversation(fx, inbox.id)).id).toBe(1);
    expect((await buildConversation(other, theirInbox.id)).id).toBe(1);
    expect((await buildConversation(fx, inbox.id)).id).toBe(2);
    const contact = (await fx.asAdmin('POST', '/contacts', { email: 'x@example.com' })).body.payload.contact;
    expect(
      (await fx.asAdmin('POST', '/conversations', { inbox_id: theirInbox.id, contact_id: contact.id })).status,
    ).toBe(404);
    const res = await server().request('GET', `/api/v1/accounts/${other.account.id}/conversations/1`, {
      token: fx.admin.access_token,
    });
    expect(res.status).toBe(401);
  });

  it("lists with the finder's filters, counts and visibility", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const hidden = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const a = await buildConversation(fx, inbox.id, { assignee_id: fx.agent.id });
    const b = await buildConversation(fx, inbox.id);
    const c = await buildConversation(fx, hidden.id, { status: 'pending' });
    await fx.asAdmin('POST', `/conversations/${b.id}/labels`, { labels: ['billing'] });

    const all = await fx.asAdmin('GET', '/conversations?status=all');
    expect(all.status, all.text).toBe(200);
    expect(all.body.data.meta).toEqual({ mine_count: 0, assigned_count: 1, unassigned_count: 2, all_count: 3 });
    // labelling b wrote an activity message, which moved its last activity
    expect(all.body.data.payload.map((x: { id: number }) => x.id)).toEqual([b.id, c.id, a.id]);

    const open = await fx.asAgent('GET', '/conversations');
    expect(open.body.data.meta).toEqual({ mine_count: 1, assigned_count: 1, unassigned_count: 1, all_count: 2 });
    const mine = await fx.asAgent('GET', '/conversations?assignee_type=me');
    expect(mine.body.data.payload.map((x: { id: number }) => x.id)).toEqual([a.id]);
    expect(mine.body.data.meta.all_count).toBe(2);
    expect(mine.body.data.payload[0].meta.assignee).toMatchObject({ id: fx.agent.id, role: 'agent' });
    expect(
      (await fx.asAgent('GET', '/conversations?assignee_type=unassigned')).body.data.payload.map(
        (x: { id: number }) => x.id,
      ),
    ).toEqual([b.id]);
    expect((await fx.asAgent('GET', `/conversations?inbox_id=${hidden.id}&status=all`)).body.data.payload).toEqual([]);
    expect(
      (await fx.asAdmin('GET', '/conversations?labels[]=billing')).body.data.payload.map((x: { id: number }) => x.id),
    ).toEqual([b.id]);
    expect(
      (await fx.asAdmin('GET', '/conversations?status=pending')).body.data.payload.map((x: { id: number }) => x.id),
    ).toEqual([c.id]);
    expect(
      (await fx.asAdmin('GET', '/conversations?sort_by=created_at_asc&status=all')).body.data.payload.map(
        (x: { id: number }) => x.id,
      ),
    ).toEqual([a.id, b.id, c.id]);
    expect((await fx.asAdmin('GET', '/conversations?team_id=999')).status).toBe(404);
    expect((await fx.asAdmin('GET', '/conversations?page=2')).body.data.payload).toEqual([]);

    const meta = await fx.asAgent('GET', '/conversations/meta');
    expect(meta.body).toEqual({ meta: { mine_count: 1, assigned_count: 1, unassigned_count: 1, all_count: 2 } });

    await fx.asAdmin('POST', `/conversations/${a.id}/messages`, { content: 'The invoice is attached' });
    const search = await fx.asAdmin('GET', '/conversations/search?q=invoice');
    expect(search.body.payload.map((x: { id: number }) => x.id)).toEqual([a.id]);
    expect(search.body.meta.all_count).toBe(1);
  });

  it('filters with the filter payload', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const a = await buildConversation(fx, inbox.id, { status: 'pending' });
    await buildConversation(fx, inbox.id);
    const res = await fx.asAdmin('POST', '/conversations/filter', {
      payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['pending'], query_operator: null }],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.meta).toMatchObject({ all_count: 1 });
    expect(res.body.payload.map((x: { id: number }) => x.id)).toEqual([a.id]);
    const bad = await fx.asAdmin('POST', '/conversations/filter', {
      payload: [{ attribute_key: 'status', filter_operator: 'contains', values: ['x'] }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({
      error: 'Invalid operator. The allowed operators for status are [equal_to,not_equal_to].',
    });
  });

  it('toggles status with activity messages, snoozes until a time and wakes up by itself', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const resolved = await fx.asAdmin('POST', `/conversations/${c.id}/toggle_status`);
    expect(resolved.body).toEqual({
      meta: {},
      payload: { success: true, conversation_id: c.id, current_status: 'resolved', snoozed_until: null },
    });
    expect((await fx.asAdmin('POST', `/conversations/${c.id}/toggle_status`, { status: 'bogus' })).status).toBe(422);
    const until = Math.floor(Date.now() / 1000) + 2;
    const snoozed = await fx.asAdmin('POST', `/conversations/${c.id}/toggle_status`, {
      status: 'snoozed',
      snoozed_until: until,
    });
    expect(snoozed.body.payload).toMatchObject({
      current_status: 'snoozed',
      snoozed_until: new Date(until * 1000).toISOString(),
    });
    const messages = await fx.asAdmin('GET', `/conversations/${c.id}/messages`);
    const activity = messages.body.payload
      .filter((m: { message_type: number }) => m.message_type === 2)
      .map((m: { content: string }) => m.content);
    const adminName = (await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token })).body.name;
    expect(activity).toEqual([
      `Conversation was marked resolved by ${adminName}`,
      `Conversation was snoozed by ${adminName}`,
    ]);
    let status = 'snoozed';
    for (let i = 0; i < 40 && status !== 'open'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await fx.asAdmin('GET', `/conversations/${c.id}`)).body.status;
    }
    expect(status).toBe('open');
    expect((await fx.asAdmin('GET', `/conversations/${c.id}`)).body.snoozed_until).toBeNull();
  });

  it('sets priority, assignments, labels, custom attributes, mute', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    expect((await fx.asAdmin('POST', `/conversations/${c.id}/toggle_priority`, { priority: 'urgent' })).status).toBe(
      200,
    );
    expect((await fx.asAdmin('PATCH', `/conversations/${c.id}`, { priority: 'low' })).body.priority).toBe('low');
    expect((await fx.asAdmin('PATCH', `/conversations/${c.id}`, { priority: 'meh' })).status).toBe(422);

    const assigned = await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: fx.agent.id });
    expect(assigned.body).toMatchObject({ id: fx.agent.id, role: 'agent' });
    expect(
      (await fx.asAdmin('GET', `/conversations/${c.id}/participants`)).body.map((a: { id: number }) => a.id),
    ).toEqual([fx.agent.id]);
    const unassigned = await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { assignee_id: null });
    expect(unassigned.text).toBe('null');
    const team = (await fx.asAdmin('POST', '/teams', { name: 'support' })).body;
    const teamRes = await fx.asAdmin('POST', `/conversations/${c.id}/assignments`, { team_id: team.id });
    expect(teamRes.body).toMatchObject({ id: team.id, name: 'support', created_at: expect.any(String) });
    const shown = (await fx.asAdmin('GET', `/conversations/${c.id}`)).body;
    expect(shown.meta.team).toMatchObject({ id: team.id, name: 'support' });
    expect(shown.meta.assignee).toBeUndefined();

    expect((await fx.asAdmin('POST', `/conversations/${c.id}/labels`, { labels: ['Billing', 'vip'] })).body).toEqual({
      payload: ['billing', 'vip'],
    });
    expect((await fx.asAdmin('POST', `/conversations/${c.id}/labels`, { labels: ['vip'] })).body).toEqual({
      payload: ['vip'],
    });
    expect(
      (await fx.asAdmin('POST', `/conversations/${c.id}/custom_attributes`, { custom_attributes: { a: 1 } })).body,
    ).toEqual({ custom_attributes: { a: 1 } });

    expect((await fx.asAdmin('POST', `/conversations/${c.id}/mute`)).status).toBe(200);
    const muted = (await fx.asAdmin('GET', `/conversations/${c.id}`)).body;
    expect(muted).toMatchObject({ muted: true, status: 'resolved' });
    await fx.asAdmin('POST', `/conversations/${c.id}/unmute`);
    expect((await fx.asAdmin('GET', `/conversations/${c.id}`)).body).toMatchObject({
      muted: false,
      status: 'resolved',
    });

    const name = (await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token })).body.name;
    const agentName = (await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token })).body.name;
    const activity = (await fx.asAdmin('GET', `/conversations/${c.id}/messages`)).body.payload
      .filter((m: { message_type: number }) => m.message_type === 2)
      .map((m: { content: string }) => m.content);
    expect(activity).toEqual([
      `${name} set the priority to urgent`,
      `${name} changed the priority from urgent to low`,
      `Assigned to ${agentName} by ${name}`,
      `Conversation unassigned by ${name}`,
      `Assigned to support by ${name}`,
      `${name} added billing, vip`,
      `${name} removed billing`,
      `Conversation was marked resolved by ${name}`,
      `${name} has muted the conversation`,
      `${name} has unmuted the conversation`,
    ]);
  });

  it('lets only administrators delete', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const c = await buildConversation(fx, inbox.id);
    expect((await fx.asAgent('DELETE', `/conversations/${c.id}`)).status).toBe(401);
    expect((await fx.asAdmin('DELETE', `/conversations/${c.id}`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/conversations/${c.id}`)).status).toBe(404);
    expect((await fx.asAdmin('GET', '/conversations/meta')).body.meta.all_count).toBe(0);
  });
});
