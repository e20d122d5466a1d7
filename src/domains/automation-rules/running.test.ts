// Automation rules at work (AutomationRuleListener, ConditionsFilterService, ActionService): each
// event fires its rules through a durable job, conditions are SQL over the conversation, its
// contact and the event's message, the state actions go through the agent helpers ("Automation
// System"), rules never chain, and each evaluation is recorded in the rule's runs.
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { pendingAutomation } from '../../../test/automation-kit.js';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { startReceiver } from '../../../test/webhook-receiver.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
afterAll(() => receiver.close());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

interface Run {
  id: number;
  matched: boolean;
  event_name: string;
  conversation_id: number | null;
  message_id: number | null;
  actions: { action_name: string; applied: boolean; error?: string }[];
  error: string | null;
}

/** No automation event waiting and no automation job queued or running: every rule that was going to run has run. */
const settled = () =>
  eventually(
    () => pendingAutomation(server().db),
    (n) => n === 0,
  );

const runs = async (fx: AccountFixture, ruleId: number): Promise<Run[]> => {
  const res = await fx.asAdmin('GET', `/automation_rules/${ruleId}/runs`);
  expect(res.status, res.text).toBe(200);
  return res.body.payload;
};
const runsSettled = async (fx: AccountFixture, ruleId: number) => {
  await settled();
  return runs(fx, ruleId);
};

async function rule(fx: AccountFixture, body: Record<string, unknown>) {
  const res = await fx.asAdmin('POST', '/automation_rules', { name: `Rule ${Math.random()}`, conditions: [], ...body });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: number };
}

const show = async (fx: AccountFixture, id: number) => (await fx.asAdmin('GET', `/conversations/${id}`)).body;
const labels = async (fx: AccountFixture, id: number): Promise<string[]> =>
  (await fx.asAdmin('GET', `/conversations/${id}/labels`)).body.payload;
const activities = async (fx: AccountFixture, id: number) =>
  (
    (await fx.asAdmin('GET', `/conversations/${id}/messages`)).body.payload as {
      message_type: number;
      content: string;
    }[]
  )
    .filter((m) => m.message_type === 2)
    .map((m) => m.content);
/** A conversation attribute `tier` of type number. */
async function tierAttribute(fx: AccountFixture) {
  const attr = await fx.asAdmin('POST', '/custom_attribute_definitions', {
    attribute_display_name: 'Tier',
    attribute_key: 'tier',
    attribute_display_type: 'number',
    attribute_model: 'conversation_attribute',
  });
  expect([200, 201]).toContain(attr.status);
}
const label = async (fx: AccountFixture, title: string) =>
  expect((await fx.asAdmin('POST', '/labels', { title })).status).toBe(200);
const cond = (
  attribute_key: string,
  filter_operator: string,
  values: unknown,
  query_operator: string | null = null,
) => ({
  attribute_key,
  filter_operator,
  values,
  query_operator,
});

describe('events', () => {
  it('conversation_created runs matching rules with AND/OR conditions and custom attributes, records every evaluation', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await label(fx, 'vip');
    await tierAttribute(fx);
    // (browser_language = en AND tier > 5) OR country_code = NZ
    const r = await rule(fx, {
      event_name: 'conversation_created',
      conditions: [
        cond('browser_language', 'equal_to', ['en'], 'AND'),
        { ...cond('tier', 'is_greater_than', ['5'], 'OR'), custom_attribute_type: 'conversation_attribute' },
        cond('country_code', 'equal_to', ['NZ']),
      ],
      actions: [{ action_name: 'add_label', action_params: ['vip'] }],
    });
    const both = await buildConversation(fx, inbox.id, {
      additional_attributes: { browser_language: 'en' },
      custom_attributes: { tier: 9 },
    });
    const lowTier = await buildConversation(fx, inbox.id, {
      additional_attributes: { browser_language: 'en' },
      custom_attributes: { tier: 2 },
    });
    const kiwi = await buildConversation(fx, inbox.id, { additional_attributes: { country_code: 'NZ' } });

    const recorded = await runsSettled(fx, r.id);
    expect(recorded.map((run) => [run.conversation_id, run.matched])).toEqual([
      [kiwi.id, true],
      [lowTier.id, false],
      [both.id, true],
    ]);
    expect(recorded.every((run) => run.event_name === 'conversation_created' && run.error === null)).toBe(true);
    expect(recorded[0]!.actions).toEqual([{ action_name: 'add_label', applied: true }]);
    expect(await labels(fx, both.id)).toEqual(['vip']);
    expect(await labels(fx, kiwi.id)).toEqual(['vip']);
    expect(await labels(fx, lowTier.id)).toEqual([]);
    expect(await activities(fx, both.id)).toContain('Automation System added vip');
  });

  it('conversation_updated sees what changed (attribute_changed), and contact conditions', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await label(fx, 'escalated');
    const r = await rule(fx, {
      event_name: 'conversation_updated',
      conditions: [
        { ...cond('status', 'attribute_changed', { from: ['open'], to: ['pending'] }), query_operator: 'AND' },
        cond('email', 'contains', ['@example.com']),
      ],
      actions: [{ action_name: 'add_label', action_params: ['escalated'] }],
    });
    const conversation = await buildConversation(fx, inbox.id);
    // a change of something else does not match
    expect(
      (await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_priority`, { priority: 'low' })).status,
    ).toBe(200);
    expect((await runsSettled(fx, r.id)).map((run) => run.matched)).toEqual([false]);
    expect(
      (await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'pending' })).status,
    ).toBe(200);
    const recorded = await runsSettled(fx, r.id);
    expect(recorded.map((run) => run.matched)).toEqual([true, false]);
    expect(await labels(fx, conversation.id)).toEqual(['escalated']);
    // the label the rule added changed the conversation too, but the rule's own change runs no rule
    await sleep(300);
    expect(await runsSettled(fx, r.id)).toHaveLength(2);
  });

  it('conversation_opened and conversation_resolved fire on the status a change leaves', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const opened = await rule(fx, {
      event_name: 'conversation_opened',
      actions: [{ action_name: 'change_priority', action_params: ['urgent'] }],
    });
    const resolved = await rule(fx, {
      event_name: 'conversation_resolved',
      actions: [{ action_name: 'change_priority', action_params: ['low'] }],
    });
    const conversation = await buildConversation(fx, inbox.id);
    expect((await runsSettled(fx, opened.id)).length).toBe(0);
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
    await eventually(
      () => show(fx, conversation.id),
      (c) => c.priority === 'low',
    );
    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'open' });
    await eventually(
      () => show(fx, conversation.id),
      (c) => c.priority === 'urgent',
    );
    expect((await runsSettled(fx, resolved.id)).map((r) => r.event_name)).toEqual(['conversation_resolved']);
    expect((await runs(fx, opened.id)).map((r) => r.event_name)).toEqual(['conversation_opened']);
    expect(await activities(fx, conversation.id)).toEqual(
      expect.arrayContaining([
        'Automation System set the priority to low',
        'Automation System changed the priority from low to urgent',
      ]),
    );
  });

  it('message_created matches the event message, never activity messages, and assigns the inbox member', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    expect((await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] })).status).toBe(
      200,
    );
    const r = await rule(fx, {
      event_name: 'message_created',
      conditions: [cond('content', 'contains', ['refund'], 'AND'), cond('message_type', 'equal_to', ['outgoing'])],
      actions: [{ action_name: 'assign_agent', action_params: [fx.agent.id] }],
    });
    const conversation = await buildConversation(fx, inbox.id);
    const hello = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'hello' });
    expect(hello.status).toBe(200);
    expect((await runsSettled(fx, r.id)).map((run) => [run.message_id, run.matched])).toEqual([[hello.body.id, false]]);
    const refund = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'About your REFUND',
    });
    await eventually(
      () => show(fx, conversation.id),
      (c) => c.meta?.assignee?.id === fx.agent.id,
    );
    expect(await activities(fx, conversation.id)).toContain(
      `Assigned to ${(await show(fx, conversation.id)).meta.assignee.name} by Automation System`,
    );
    // the activity message the assignment wrote ran no rule
    const recorded = await runsSettled(fx, r.id);
    expect(recorded.map((run) => [run.message_id, run.matched])).toEqual([
      [refund.body.id, true],
      [hello.body.id, false],
    ]);
  });

  it("a contact's text message (the one-statement path's case) fires message_created and conversation_updated rules", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await label(fx, 'asked');
    const onMessage = await rule(fx, {
      event_name: 'message_created',
      conditions: [cond('message_type', 'equal_to', ['incoming'])],
      actions: [{ action_name: 'add_label', action_params: ['asked'] }],
    });
    const publicPath = `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`;
    const contact = (await server().request('POST', publicPath, { body: { name: 'Pat' } })).body;
    const conversation = (
      await server().request('POST', `${publicPath}/${contact.source_id}/conversations`, { body: {} })
    ).body;
    const sent = await server().request(
      'POST',
      `${publicPath}/${contact.source_id}/conversations/${conversation.id}/messages`,
      { body: { content: 'Hello?' } },
    );
    expect(sent.status, sent.text).toBe(200);
    const [run] = await eventually(
      () => runs(fx, onMessage.id),
      (list) => list.length === 1,
    );
    expect(run).toMatchObject({ message_id: sent.body.id, matched: true });
    expect(await labels(fx, conversation.id)).toEqual(['asked']);

    // a reply moves first_reply_created_at and waiting_since, the contact's next message waiting_since: conversation.updated
    const onUpdate = await rule(fx, {
      event_name: 'conversation_updated',
      actions: [],
    });
    await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'Yes?' });
    await server().request('POST', `${publicPath}/${contact.source_id}/conversations/${conversation.id}/messages`, {
      body: { content: 'Still there' },
    });
    const updates = await eventually(
      () => runs(fx, onUpdate.id),
      (list) => list.length >= 2,
    );
    expect(
      updates.every((u) => u.event_name === 'conversation_updated' && u.matched),
      JSON.stringify(updates),
    ).toBe(true);
  });

  it("with only message_created rules an agent's plain reply keeps its one statement, which queues the rule's job", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const onReply = await rule(fx, {
      event_name: 'message_created',
      conditions: [cond('message_type', 'equal_to', ['outgoing'])],
      actions: [{ action_name: 'change_priority', action_params: ['high'] }],
    });
    const conversation = await buildConversation(fx, inbox.id);
    const first = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'Hello' });
    expect(first.status, first.text).toBe(200);
    const second = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'Still there?' });
    expect(second.status, second.text).toBe(200);
    const recorded = await runsSettled(fx, onReply.id);
    expect(recorded.map((run) => [run.message_id, run.matched, run.event_name])).toEqual([
      [second.body.id, true, 'message_created'],
      [first.body.id, true, 'message_created'],
    ]);
    expect((await show(fx, conversation.id)).priority).toBe('high');
  });

  it("rules run in id order, each seeing the previous rules' changes (one reading of the rest until a rule changes something)", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await label(fx, 'first');
    await label(fx, 'urgent-seen');
    const isUrgent = [cond('priority', 'equal_to', ['urgent'])];
    // before anything changed the priority: no match
    const before = await rule(fx, {
      event_name: 'conversation_created',
      conditions: isUrgent,
      actions: [{ action_name: 'add_label', action_params: ['first'] }],
    });
    const raise = await rule(fx, {
      event_name: 'conversation_created',
      actions: [{ action_name: 'change_priority', action_params: ['urgent'] }],
    });
    const noop = await rule(fx, {
      event_name: 'conversation_created',
      conditions: isUrgent,
      actions: [{ action_name: 'change_priority', action_params: ['urgent'] }],
    });
    const after = await rule(fx, {
      event_name: 'conversation_created',
      conditions: isUrgent,
      actions: [{ action_name: 'add_label', action_params: ['urgent-seen'] }],
    });
    const conversation = await buildConversation(fx, inbox.id);
    await settled();
    const matched = async (id: number) => (await runs(fx, id)).map((run) => run.matched);
    expect(await matched(before.id)).toEqual([false]);
    expect(await matched(raise.id)).toEqual([true]);
    expect(await matched(noop.id)).toEqual([true]);
    expect(await matched(after.id)).toEqual([true]);
    expect(await labels(fx, conversation.id)).toEqual(['urgent-seen']);
    const ids = [before.id, raise.id, noop.id, after.id];
    const order = await sql<{ automation_rule_id: number }>`select automation_rule_id from automation_rule_run_list
      where automation_rule_id in (${sql.join(ids)}) order by id`.execute(server().db);
    expect(order.rows.map((r) => r.automation_rule_id)).toEqual(ids);
  });

  it("conversations' first matches, decided in one batch and run side by side, each run once", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await label(fx, 'ordered');
    const conversations = await Promise.all(Array.from({ length: 8 }, () => buildConversation(fx, inbox.id)));
    const isOrder = [cond('content', 'contains', ['order'])];
    const raise = await rule(fx, {
      event_name: 'message_created',
      conditions: isOrder,
      actions: [{ action_name: 'change_priority', action_params: ['high'] }],
    });
    const tag = await rule(fx, {
      event_name: 'message_created',
      conditions: isOrder,
      actions: [{ action_name: 'add_label', action_params: ['ordered'] }],
    });
    await Promise.all(
      conversations.map(async (c) => {
        const res = await fx.asAdmin('POST', `/conversations/${c.id}/messages`, {
          content: 'my order',
          message_type: 'incoming',
        });
        expect(res.status, res.text).toBe(200);
      }),
    );
    await settled();
    for (const ruleId of [raise.id, tag.id]) {
      const ruleRuns = await runs(fx, ruleId);
      expect(ruleRuns.map((run) => run.matched)).toEqual(conversations.map(() => true));
      // a run names the conversation by its row id (the API's ids are display ids): one run each
      expect(new Set(ruleRuns.map((run) => run.conversation_id)).size).toBe(conversations.length);
    }
    for (const c of conversations) {
      expect((await show(fx, c.id)).priority).toBe('high');
      expect(await labels(fx, c.id)).toEqual(['ordered']);
      expect(await activities(fx, c.id)).toHaveLength(2);
    }
  });

  it('does not fire inactive rules or rules of other events', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const off = await rule(fx, { event_name: 'conversation_created', active: false, actions: [] });
    const other = await rule(fx, { event_name: 'message_created', actions: [] });
    await buildConversation(fx, inbox.id);
    await settled();
    expect(await runs(fx, off.id)).toEqual([]);
    expect(await runs(fx, other.id)).toEqual([]);
  });
});

describe('state actions', () => {
  it('assign_team (0 unassigns), change_status, remove_label, change_priority nil and a webhook per change', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: `${receiver.url}/rules-${fx.account.id}`, subscriptions: ['conversation_status_changed'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Billing' })).body;
    await label(fx, 'old');
    await rule(fx, {
      event_name: 'conversation_created',
      actions: [
        { action_name: 'assign_team', action_params: [team.id] },
        { action_name: 'change_status', action_params: ['pending'] },
        { action_name: 'remove_label', action_params: ['old'] },
        { action_name: 'change_priority', action_params: ['high'] },
      ],
    });
    const conversation = await buildConversation(fx, inbox.id);
    const done = await eventually(
      () => show(fx, conversation.id),
      (c) => c.status === 'pending' && c.priority === 'high',
    );
    expect(done.meta.team?.id ?? done.team_id).toBe(team.id);
    expect(await activities(fx, conversation.id)).toEqual(
      expect.arrayContaining([
        'Assigned to billing by Automation System',
        'Conversation was marked as pending by Automation System',
        'Automation System set the priority to high',
      ]),
    );
    const delivered = await eventually(
      async () => receiver.received.filter((r) => r.path === `/rules-${fx.account.id}`),
      (got) => got.length === 1,
    );
    expect(delivered[0]!.body).toMatchObject({ event: 'conversation_status_changed', id: conversation.id });

    await rule(fx, {
      event_name: 'conversation_updated',
      conditions: [cond('priority', 'equal_to', ['high'])],
      actions: [
        { action_name: 'assign_team', action_params: [0] },
        { action_name: 'change_priority', action_params: ['nil'] },
        { action_name: 'open_conversation', action_params: [] },
      ],
    });
    await fx.asAdmin('POST', `/conversations/${conversation.id}/labels`, { labels: ['old'] });
    const after = await eventually(
      () => show(fx, conversation.id),
      (c) => c.priority === null && c.status === 'open',
    );
    expect(after.meta.team ?? null).toBeNull();
    expect(await activities(fx, conversation.id)).toEqual(
      expect.arrayContaining([
        'Unassigned from billing by Automation System',
        'Automation System removed the priority',
        'Conversation was reopened by Automation System',
      ]),
    );
  });

  it('mute_conversation resolves and blocks the contact; snooze, resolve, pending, assign_agent nil and last_responding_agent', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const muter = await rule(fx, {
      event_name: 'conversation_created',
      conditions: [cond('mail_subject', 'equal_to', ['mute me'])],
      actions: [{ action_name: 'mute_conversation', action_params: [] }],
    });
    const muted = await buildConversation(fx, inbox.id, { additional_attributes: { mail_subject: 'mute me' } });
    await eventually(
      () => show(fx, muted.id),
      (c) => c.status === 'resolved',
    );
    expect(await activities(fx, muted.id)).toEqual(
      expect.arrayContaining([
        'Conversation was marked resolved by Automation System',
        'Automation System has muted the conversation',
      ]),
    );
    const contact = await fx.asAdmin('GET', `/contacts/${muted.meta.sender.id}`);
    expect(contact.body.payload.blocked).toBe(true);
    await fx.asAdmin('PATCH', `/automation_rules/${muter.id}`, { active: false });

    // the agent (not an inbox member) wrote the last public reply; the administrator is assignable anyway
    await rule(fx, {
      event_name: 'message_created',
      conditions: [cond('content', 'equal_to', ['take it'])],
      actions: [
        { action_name: 'assign_agent', action_params: ['last_responding_agent'] },
        { action_name: 'snooze_conversation', action_params: [] },
      ],
    });
    await rule(fx, {
      event_name: 'message_created',
      conditions: [cond('content', 'equal_to', ['drop it'])],
      actions: [
        { action_name: 'assign_agent', action_params: ['nil'] },
        { action_name: 'resolve_conversation', action_params: [] },
        { action_name: 'pending_conversation', action_params: [] },
      ],
    });
    const conversation = await buildConversation(fx, inbox.id);
    await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'take it' });
    const snoozed = await eventually(
      () => show(fx, conversation.id),
      (c) => c.status === 'snoozed',
    );
    expect(snoozed.meta.assignee?.id).toBe(fx.admin.id);
    expect(snoozed.snoozed_until ?? null).toBeNull();
    await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: 'drop it' });
    const dropped = await eventually(
      () => show(fx, conversation.id),
      (c) => c.status === 'pending',
    );
    expect(dropped.meta.assignee ?? null).toBeNull();
    expect(await activities(fx, conversation.id)).toEqual(
      expect.arrayContaining([
        'Conversation was snoozed by Automation System',
        'Conversation unassigned by Automation System',
        'Conversation was marked resolved by Automation System',
        'Conversation was marked as pending by Automation System',
      ]),
    );
  });

  it('re-checks stored ids when running: a deleted team or a non-member agent is skipped, the other actions run', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const team = (await fx.asAdmin('POST', '/teams', { name: 'Gone soon' })).body;
    await label(fx, 'seen');
    const r = await rule(fx, {
      event_name: 'conversation_created',
      actions: [
        { action_name: 'assign_team', action_params: [team.id] },
        { action_name: 'assign_agent', action_params: [fx.agent.id] },
        { action_name: 'add_label', action_params: ['seen'] },
      ],
    });
    expect((await fx.asAdmin('DELETE', `/teams/${team.id}`)).status).toBe(200);
    const conversation = await buildConversation(fx, inbox.id);
    const [run] = await eventually(
      () => runs(fx, r.id),
      (list) => list.length === 1,
    );
    expect(run!.matched).toBe(true);
    expect(run!.actions.map((a) => [a.action_name, a.applied])).toEqual([
      ['assign_team', false],
      ['assign_agent', false],
      ['add_label', true],
    ]);
    const shown = await show(fx, conversation.id);
    expect(shown.meta.team ?? null).toBeNull();
    expect(shown.meta.assignee ?? null).toBeNull();
    expect(await labels(fx, conversation.id)).toEqual(['seen']);
  });
});

describe('misbehaving rules', () => {
  it("an action that throws is rolled back alone and recorded; the rule's other actions and the next rule still run", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await label(fx, 'first');
    await label(fx, 'second');
    const bad = await rule(fx, {
      event_name: 'conversation_created',
      actions: [
        { action_name: 'add_label', action_params: ['first'] },
        { action_name: 'change_priority', action_params: ['high'] },
      ],
    });
    const good = await rule(fx, {
      event_name: 'conversation_created',
      actions: [{ action_name: 'add_label', action_params: ['second'] }],
    });
    // tagging this account's conversations with "first" fails inside the first action
    const trigger = `confab_test_explode_${fx.account.id}`;
    await sql`create or replace function confab_test_explode() returns trigger language plpgsql as $$
      begin raise exception 'label % exploded', new.name; end $$`.execute(server().db);
    await sql
      .raw(`create trigger ${trigger} before insert on taggings for each row
      when (new.account_id = ${fx.account.id} and new.name = 'first') execute function confab_test_explode()`)
      .execute(server().db);
    try {
      const conversation = await buildConversation(fx, inbox.id);
      const [badRun] = await runsSettled(fx, bad.id);
      expect(badRun!.matched).toBe(true);
      expect(badRun!.error).toBeNull();
      expect(badRun!.actions[0]).toMatchObject({ action_name: 'add_label', applied: false });
      expect(badRun!.actions[0]!.error).toContain('label first exploded');
      expect(badRun!.actions[1]).toMatchObject({ action_name: 'change_priority', applied: true });
      const [goodRun] = await runs(fx, good.id);
      expect(goodRun!.matched).toBe(true);
      expect(await labels(fx, conversation.id)).toEqual(['second']);
      expect((await show(fx, conversation.id)).priority).toBe('high');
      // the failed action left no activity message behind, the others did
      const written = await activities(fx, conversation.id);
      expect(written.some((content) => content.includes('added first'))).toBe(false);
      expect(written).toContain('Automation System added second');
    } finally {
      await sql.raw(`drop trigger ${trigger} on taggings`).execute(server().db);
    }
  });

  it("a condition that fails as SQL is that rule's no match, with its error; the event's other rules still run", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await label(fx, 'vip');
    await label(fx, 'plain');
    await tierAttribute(fx);
    const bad = await rule(fx, {
      event_name: 'conversation_created',
      conditions: [{ ...cond('tier', 'is_greater_than', ['5']), custom_attribute_type: 'conversation_attribute' }],
      actions: [{ action_name: 'add_label', action_params: ['vip'] }],
    });
    const good = await rule(fx, {
      event_name: 'conversation_created',
      actions: [{ action_name: 'add_label', action_params: ['plain'] }],
    });
    // the safe cast every numeric custom attribute condition calls, made to fail for one value
    await sql`create or replace function confab_to_numeric(value text) returns numeric language plpgsql immutable as $$
      begin
        if value = '13' then raise exception 'unlucky %', value; end if;
        begin return value::numeric; exception when others then return null; end;
      end $$`.execute(server().db);
    try {
      const conversation = await buildConversation(fx, inbox.id, { custom_attributes: { tier: 13 } });
      const [badRun] = await runsSettled(fx, bad.id);
      expect(badRun!.matched).toBe(false);
      expect(badRun!.error).toMatch(/^conditions: .*unlucky 13/);
      const [goodRun] = await runs(fx, good.id);
      expect(goodRun!.matched).toBe(true);
      expect(await labels(fx, conversation.id)).toEqual(['plain']);
    } finally {
      await sql`create or replace function confab_to_numeric(value text) returns numeric language plpgsql immutable as $$
        begin return value::numeric; exception when others then return null; end $$`.execute(server().db);
    }
  });

  it('a condition that cannot be read is recorded as no match', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const r = await rule(fx, {
      event_name: 'conversation_created',
      conditions: [cond('status', 'contains', ['op'])],
      actions: [{ action_name: 'resolve_conversation', action_params: [] }],
    });
    const conversation = await buildConversation(fx, inbox.id);
    const [run] = await eventually(
      () => runs(fx, r.id),
      (list) => list.length === 1,
    );
    expect(run!.matched).toBe(false);
    expect(run!.error).toMatch(/^conditions: Invalid operator/);
    expect((await show(fx, conversation.id)).status).toBe('open');
  });
});

describe('runs list', () => {
  it('pages the runs newest first, 25 a page', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const r = await rule(fx, { event_name: 'conversation_created', actions: [] });
    // runs recorded directly: 27 of them
    const conversation = await buildConversation(fx, inbox.id);
    await settled();
    await server()
      .db.insertInto('automation_rule_runs')
      .values(
        Array.from({ length: 26 }, (_, i) => ({
          account_id: fx.account.id,
          automation_rule_id: r.id,
          conversation_id: conversation.id,
          event_name: 'conversation_created',
          event_key: `test-${i}`,
          // events after the real one, in insertion order
          event_id: 1_000_000_000 + i,
          matched: true,
        })),
      )
      .execute();
    const first = await fx.asAdmin('GET', `/automation_rules/${r.id}/runs`);
    expect(first.body.meta).toEqual({ count: 27, current_page: 1 });
    expect(first.body.payload).toHaveLength(25);
    const ids = first.body.payload.map((run: Run) => run.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const second = await fx.asAdmin('GET', `/automation_rules/${r.id}/runs?page=2`);
    expect(second.body.payload).toHaveLength(2);
    expect(Math.max(...second.body.payload.map((run: Run) => run.id))).toBeLessThan(Math.min(...ids));
    expect((await fx.asAdmin('GET', `/automation_rules/${r.id}/runs?page=0`)).status).toBe(422);
  });

  it('the events a batch settles alike share one row, and still list as a run each, with ids of their own', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    // the API's id is the display id; events and runs name the row
    const { id: conversationRow } = await server()
      .db.selectFrom('conversations')
      .select('id')
      .where('account_id', '=', fx.account.id)
      .where('display_id', '=', conversation.id)
      .executeTakeFirstOrThrow();
    const messages: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, { content: `note ${i}` });
      expect(res.status, res.text).toBe(200);
      messages.push(res.body.id);
    }
    const miss = await rule(fx, {
      event_name: 'message_created',
      conditions: [cond('content', 'contains', ['never said'])],
      actions: [{ action_name: 'add_label', action_params: ['x'] }],
    });
    // the six messages' events, committed together (as the listener queues them) after the rule
    // exists: the drainer claims them in one batch
    await sql`insert into automation_events (account_id, event_name, conversation_id, message_id)
      select ${fx.account.id}, 'message_created', ${conversationRow}, m
      from unnest(${messages}::bigint[]) as m`.execute(server().db);
    const listed = await runsSettled(fx, miss.id);
    const rows = await sql<{ events: number; runs: number }>`select cardinality(event_ids) as events,
        cardinality(run_ids) as runs from automation_event_runs where account_id = ${fx.account.id}`.execute(
      server().db,
    );
    expect(rows.rows).toEqual([{ events: 6, runs: 6 }]);
    expect(listed.map((run) => [run.message_id, run.matched])).toEqual(
      [...messages].reverse().map((id) => [id, false]),
    );
    expect(new Set(listed.map((run) => run.id)).size).toBe(6);
    expect(listed.every((run) => run.conversation_id === conversationRow)).toBe(true);
    const res = await fx.asAdmin('GET', `/automation_rules/${miss.id}/runs`);
    expect(res.body.meta).toEqual({ count: 6, current_page: 1 });
  });
});
