// A rule's add_sla end to end (Enterprise::ActionService#add_sla): a conversation_created rule
// gives new conversations the account's policy with its applied SLA and "Automation System" in
// the activity message; a rule naming another account's policy is refused when saved.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildAccountFixture, buildConversation } from '../../../test/factories.js';
import { pendingAutomation } from '../../../test/automation-kit.js';
import { useTestServer } from '../../../test/harness.js';
import { eventually, seconds, slaKit } from '../../../test/sla-kit.js';

const server = useTestServer({ CONFAB_JOB_POLL_MS: '50' });
const { appliedOf, scheduledCheck, setup } = slaKit(server);

/** No automation job queued or running. */
const settled = () =>
  eventually(
    () => pendingAutomation(server().db),
    (n) => n === 0,
  );

const ruleCount = async (accountId: number) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from automation_rules where account_id = ${accountId}`.execute(
      server().db,
    )
  ).rows[0]!.n;

describe('add_sla in an automation rule', () => {
  it('applies the policy to each new conversation, as "Automation System", with its first check due', async () => {
    const { fx, inbox, policy } = await setup({ first_response_time_threshold: 3600 });
    const rule = await fx.asAdmin('POST', '/automation_rules', {
      name: 'Gold for everyone',
      event_name: 'conversation_created',
      conditions: [],
      actions: [{ action_name: 'add_sla', action_params: [policy.id] }],
    });
    expect(rule.status, rule.text).toBe(200);

    const conversation = await buildConversation(fx, inbox.id);
    await settled();
    const shown = await eventually(
      async () => (await fx.asAdmin('GET', `/conversations/${conversation.id}`)).body,
      (body) => body.sla_policy_id === policy.id,
    );
    expect(shown.applied_sla).toMatchObject({ sla_id: policy.id, sla_status: 'active', sla_name: 'Gold' });
    const messages = await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`);
    const activity = messages.body.payload
      .filter((m: { message_type: number }) => m.message_type === 2)
      .map((m: { content: string }) => m.content);
    expect(activity).toContain('Automation System added SLA policy Gold');

    const applied = await appliedOf(fx, conversation.id);
    await eventually(
      async () => (await scheduledCheck(applied.id))?.getTime(),
      (at) => at === seconds(applied.created_at, 3600).getTime(),
    );
    const runs = await fx.asAdmin('GET', `/automation_rules/${rule.body.id}/runs`);
    expect(runs.body.payload[0]).toMatchObject({ matched: true, actions: [{ action_name: 'add_sla', applied: true }] });
  });

  it("refuses a rule naming another account's policy with 422, storing nothing", async () => {
    const { fx } = await setup({ first_response_time_threshold: 60 });
    const other = await buildAccountFixture(server());
    const theirs = (await other.asAdmin('POST', '/sla_policies', { sla_policy: { name: 'Theirs' } })).body.payload;
    const res = await fx.asAdmin('POST', '/automation_rules', {
      name: 'Borrowed policy',
      event_name: 'conversation_created',
      conditions: [],
      actions: [{ action_name: 'add_sla', action_params: [theirs.id] }],
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error.actions[0]).toMatch(/^add_sla: /);
    expect(await ruleCount(fx.account.id)).toBe(0);
  });
});
