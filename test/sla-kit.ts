// Helpers of the SLA tests (src/domains/applied-slas/*.test.ts): the `sla` feature, a policy on
// a conversation, and the applied SLA's check run as if the clock read a given time (the clock is
// injected through the sla_check job's payload, so no test waits for a due time).
import { sql } from 'kysely';
import { expect } from 'vitest';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from './factories.js';
import type { TestServer } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 8000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

export const seconds = (at: Date, s: number) => new Date(new Date(at).getTime() + s * 1000);

export interface Applied {
  id: number;
  conversation_id: number;
  created_at: Date;
}

export function slaKit(server: () => TestServer) {
  const db = () => server().db;

  async function slaOn(fx: AccountFixture, on = true) {
    const res = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
      token: fx.platformToken,
      body: { features: { sla: on } },
    });
    expect(res.status, res.text).toBe(200);
  }

  async function appliedOf(fx: AccountFixture, displayId: number): Promise<Applied> {
    const { rows } = await sql<Applied>`select a.id, a.conversation_id, c.created_at from applied_slas a
      join conversations c on c.id = a.conversation_id
      where c.account_id = ${fx.account.id} and c.display_id = ${displayId}`.execute(db());
    return rows[0]!;
  }

  /** The pending check's run time, or undefined when none is scheduled. */
  async function scheduledCheck(appliedId: number): Promise<Date | undefined> {
    const { rows } = await sql<{ run_at: Date }>`select run_at from graphile_worker.jobs
      where task_identifier = 'sla_check' and key = ${`sla_check:${appliedId}`}`.execute(db());
    return rows[0]?.run_at;
  }

  /** Waits until no check of the applied SLA is due (the last one ran). */
  const noCheckRunning = (appliedId: number) =>
    eventually(
      async () =>
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'sla_check'
            and key = ${`sla_check:${appliedId}`} and run_at <= now()`.execute(db())
        ).rows[0]!.n,
      (n) => n === 0,
    );

  /**
   * Runs the applied SLA's check now, as if the clock read `at`. A check already due (the one
   * applying the policy queued) is let finish first: asked for while that one commits its
   * follow-up, this one could be pushed back to the follow-up's time (see scheduleFollowUpCheck).
   */
  async function checkAt(appliedId: number, at: Date) {
    await noCheckRunning(appliedId);
    await sql`select graphile_worker.add_job('sla_check', ${JSON.stringify({ applied_sla_id: appliedId, now: at.toISOString() })}::json,
      job_key => ${`sla_check:${appliedId}`}, job_key_mode => 'replace')`.execute(db());
    await noCheckRunning(appliedId);
  }

  const events = async (appliedId: number) =>
    (
      await sql<{ event_type: number; meta: Record<string, unknown> }>`select event_type, meta from sla_events
        where applied_sla_id = ${appliedId} order by id`.execute(db())
    ).rows;

  const statusOf = async (appliedId: number) =>
    (await sql<{ s: number }>`select sla_status as s from applied_slas where id = ${appliedId}`.execute(db())).rows[0]!
      .s;

  /** An account with the feature on, an inbox the agent belongs to, and a policy named Gold. */
  async function setup(policy: Record<string, unknown>, inboxBody: Record<string, unknown> = {}) {
    const fx = await buildAccountFixture(server());
    await slaOn(fx);
    const inbox = await buildInbox(fx, inboxBody);
    const member = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    expect(member.status, member.text).toBe(200);
    const created = await fx.asAdmin('POST', '/sla_policies', { sla_policy: { name: 'Gold', ...policy } });
    expect(created.status, created.text).toBe(200);
    return { fx, inbox, policy: created.body.payload as { id: number; name: string } };
  }

  /** Sets the policy on a conversation (PATCH sla_policy_id), as the administrator. */
  async function applyPolicy(fx: AccountFixture, displayId: number, policyId: number) {
    const res = await fx.asAdmin('PATCH', `/conversations/${displayId}`, { sla_policy_id: policyId });
    expect(res.status, res.text).toBe(200);
    return res;
  }

  /** A conversation assigned to the agent, with the policy. */
  async function withSla(fx: AccountFixture, inboxId: number, policyId: number) {
    const conversation = await buildConversation(fx, inboxId, { assignee_id: fx.agent.id });
    await applyPolicy(fx, conversation.id, policyId);
    return conversation;
  }

  return {
    slaOn,
    appliedOf,
    scheduledCheck,
    noCheckRunning,
    checkAt,
    events,
    statusOf,
    setup,
    applyPolicy,
    withSla,
  };
}
