// Reauthorizable on AutomationRule: a rule whose conditions no longer validate when it is evaluated
// (ConditionValidationService) counts an authorization error; at the second it is deactivated and
// the administrators get AccountNotificationMailer#automation_rule_disabled. Changing its
// conditions clears the count (after_update_commit :reauthorized!).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingAutomation } from '../../../test/automation-kit.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { sinkEnv, startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.js';

let sink: SmtpSink;
let server: TestServer;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({
    ...sinkEnv(sink, 50),
    FRONTEND_URL: 'https://desk.example.com',
  });
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** No automation job or mail left queued or running. */
async function settled() {
  const until = Date.now() + 10_000;
  for (;;) {
    const { n } = (
      await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
        where task_identifier = 'conversation_mail'`.execute(server.db)
    ).rows[0]!;
    if (n + (await pendingAutomation(server.db)) === 0) return;
    if (Date.now() > until) throw new Error('automation work or mail still queued');
    await sleep(50);
  }
}

const state = (id: number) =>
  server.db
    .selectFrom('automation_rules')
    .select(['active', 'authorization_error_count', 'reauthorization_required'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('automation rule reauthorization', () => {
  it('deactivates a rule whose conditions stopped validating at the second evaluation and mails the administrators', async () => {
    const fx = await buildAccountFixture(server);
    const inbox = await buildInbox(fx);
    const attribute = await fx.asAdmin('POST', '/custom_attribute_definitions', {
      attribute_display_name: 'Plan',
      attribute_key: 'plan',
      attribute_model: 'conversation_attribute',
      attribute_display_type: 'text',
    });
    expect(attribute.status, attribute.text).toBe(200);
    const planCondition = {
      attribute_key: 'plan',
      filter_operator: 'equal_to',
      values: ['pro'],
      query_operator: null,
      custom_attribute_type: 'conversation_attribute',
    };
    const created = await fx.asAdmin('POST', '/automation_rules', {
      name: 'Pro plan triage',
      event_name: 'conversation_created',
      conditions: [planCondition],
      actions: [{ action_name: 'change_priority', action_params: ['high'] }],
    });
    expect(created.status, created.text).toBe(200);
    const rule = created.body as { id: number };
    // a rule that validates is never counted
    const healthy = await fx.asAdmin('POST', '/automation_rules', {
      name: 'Open ones',
      event_name: 'conversation_created',
      conditions: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: null }],
      actions: [{ action_name: 'change_priority', action_params: ['low'] }],
    });
    await buildConversation(fx, inbox.id);
    await settled();
    expect(await state(rule.id)).toEqual({
      active: true,
      authorization_error_count: 0,
      reauthorization_required: false,
    });

    // the attribute goes away: the condition names nothing any more
    expect((await fx.asAdmin('DELETE', `/custom_attribute_definitions/${attribute.body.id}`)).status).toBe(204);
    await buildConversation(fx, inbox.id);
    await settled();
    expect(await state(rule.id)).toEqual({
      active: true,
      authorization_error_count: 1,
      reauthorization_required: false,
    });
    await buildConversation(fx, inbox.id);
    await settled();
    expect(await state(rule.id)).toEqual({
      active: false,
      authorization_error_count: 2,
      reauthorization_required: true,
    });
    expect((await fx.asAdmin('GET', `/automation_rules/${rule.id}`)).body.payload.active).toBe(false);
    expect(await state(healthy.body.id)).toMatchObject({ active: true, authorization_error_count: 0 });

    const mail = await sink.mailTo(fx.admin.email);
    expect(mail.subject).toBe('Automation rule disabled due to validation errors.');
    expect(mail.text).toContain('Pro plan triage');
    expect(mail.text).toContain(`https://desk.example.com/app/accounts/${fx.account.id}/settings/automation/list`);
    // the agent is no administrator: no mail for them
    expect(sink.mails.some((m) => m.envelopeTo.includes(fx.agent.email))).toBe(false);

    // a disabled rule is not evaluated, so not counted again
    await buildConversation(fx, inbox.id);
    await settled();
    expect((await state(rule.id)).authorization_error_count).toBe(2);

    // a change of something else keeps the flag; new conditions clear it (reauthorized!)
    expect((await fx.asAdmin('PATCH', `/automation_rules/${rule.id}`, { name: 'Renamed' })).status).toBe(200);
    expect(await state(rule.id)).toMatchObject({ authorization_error_count: 2, reauthorization_required: true });
    const fixed = await fx.asAdmin('PATCH', `/automation_rules/${rule.id}`, {
      active: true,
      conditions: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: null }],
    });
    expect(fixed.status, fixed.text).toBe(200);
    expect(await state(rule.id)).toEqual({
      active: true,
      authorization_error_count: 0,
      reauthorization_required: false,
    });
  });
});
