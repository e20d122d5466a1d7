// SLA policies with only_during_business_hours: due times count only the inbox's working hours
// in its time zone (when the inbox has them on), the clock injected through the sla_check job.
// Chatwoot stores the flag but its evaluator ignores it; Confab honours it.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../../test/factories.js';
import { useTestServer } from '../../../test/harness.js';
import { eventually, slaKit } from '../../../test/sla-kit.js';

const server = useTestServer({ CONFAB_JOB_POLL_MS: '50' });
const { appliedOf, scheduledCheck, noCheckRunning, checkAt, events, setup, applyPolicy } = slaKit(server);

const WEEKDAYS_9_TO_17 = [0, 1, 2, 3, 4, 5, 6].map((day) =>
  day === 0 || day === 6
    ? { day_of_week: day, closed_all_day: true }
    : { day_of_week: day, closed_all_day: false, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 },
);
// New York is UTC-5 in January (no DST change near these dates)
const FRIDAY_1630 = new Date('2031-01-10T21:30:00Z'); // Friday 16:30 in New York
const FRIDAY_1730 = new Date('2031-01-10T22:30:00Z');
const MONDAY_0930 = new Date('2031-01-13T14:30:00Z'); // Monday 09:30 in New York

/** A conversation whose clock started at `createdAt`, with the policy applied afterwards. */
async function conversationFrom(ctx: Awaited<ReturnType<typeof setup>>, createdAt: Date, policyId = ctx.policy.id) {
  const conversation = await buildConversation(ctx.fx, ctx.inbox.id);
  await sql`update conversations set created_at = ${createdAt} where account_id = ${ctx.fx.account.id}
    and display_id = ${conversation.id}`.execute(server().db);
  await applyPolicy(ctx.fx, conversation.id, policyId);
  const applied = await appliedOf(ctx.fx, conversation.id);
  // the check run at once by applying the policy (real clock, long before 2031) has scheduled the next
  await noCheckRunning(applied.id);
  return applied;
}

describe('SLA due times in business hours', () => {
  it('counts only the working hours: Friday 16:30 + 1 h is due Monday 09:30 local, not Friday 17:30', async () => {
    const ctx = await setup(
      { first_response_time_threshold: 3600, only_during_business_hours: true },
      { working_hours_enabled: true, timezone: 'America/New_York', working_hours: WEEKDAYS_9_TO_17 },
    );
    const applied = await conversationFrom(ctx, FRIDAY_1630);
    expect((await scheduledCheck(applied.id))?.toISOString()).toBe(MONDAY_0930.toISOString());

    // an hour of wall clock later nothing is missed: only half an hour of business time has passed
    await checkAt(applied.id, FRIDAY_1730);
    expect(await events(applied.id)).toEqual([]);
    expect((await scheduledCheck(applied.id))?.toISOString()).toBe(MONDAY_0930.toISOString());

    await checkAt(applied.id, new Date(MONDAY_0930.getTime() - 1000));
    expect(await events(applied.id)).toEqual([]);
    await checkAt(applied.id, MONDAY_0930);
    expect(await events(applied.id)).toEqual([{ event_type: 0, meta: {} }]);

    // the same inbox with a policy counting every hour: due on the wall clock
    const wallClock = await ctx.fx.asAdmin('POST', '/sla_policies', {
      sla_policy: { name: 'Wall clock', first_response_time_threshold: 3600 },
    });
    expect(wallClock.status, wallClock.text).toBe(200);
    const plain = await conversationFrom(ctx, FRIDAY_1630, wallClock.body.payload.id);
    expect((await scheduledCheck(plain.id))?.toISOString()).toBe(FRIDAY_1730.toISOString());
    await checkAt(plain.id, FRIDAY_1730);
    expect(await events(plain.id)).toEqual([{ event_type: 0, meta: {} }]);
  });

  it('moves the due time at once when the policy stops counting business hours', async () => {
    const ctx = await setup(
      { first_response_time_threshold: 3600, only_during_business_hours: true },
      { working_hours_enabled: true, timezone: 'America/New_York', working_hours: WEEKDAYS_9_TO_17 },
    );
    const applied = await conversationFrom(ctx, FRIDAY_1630);
    expect((await scheduledCheck(applied.id))?.toISOString()).toBe(MONDAY_0930.toISOString());
    const res = await ctx.fx.asAdmin('PATCH', `/sla_policies/${ctx.policy.id}`, {
      sla_policy: { only_during_business_hours: false },
    });
    expect(res.status, res.text).toBe(200);
    await eventually(
      async () => (await scheduledCheck(applied.id))?.toISOString(),
      (at) => at === FRIDAY_1730.toISOString(),
    );
    // a change of the name alone moves nothing
    const renamed = await ctx.fx.asAdmin('PATCH', `/sla_policies/${ctx.policy.id}`, { sla_policy: { name: 'Silver' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await scheduledCheck(applied.id))?.toISOString()).toBe(FRIDAY_1730.toISOString());
  });

  it('moves the due time at once when the inbox’s time zone changes', async () => {
    const ctx = await setup(
      { first_response_time_threshold: 3600, only_during_business_hours: true },
      { working_hours_enabled: true, timezone: 'America/New_York', working_hours: WEEKDAYS_9_TO_17 },
    );
    const applied = await conversationFrom(ctx, FRIDAY_1630);
    expect((await scheduledCheck(applied.id))?.toISOString()).toBe(MONDAY_0930.toISOString());
    // 16:30 in New York is 13:30 in Los Angeles: the hour fits into Friday, due 14:30 there
    const res = await ctx.fx.asAdmin('PATCH', `/inboxes/${ctx.inbox.id}`, { timezone: 'America/Los_Angeles' });
    expect(res.status, res.text).toBe(200);
    await eventually(
      async () => (await scheduledCheck(applied.id))?.toISOString(),
      (at) => at === '2031-01-10T22:30:00.000Z',
    );
  });

  it('counts every hour when the inbox has its working hours off', async () => {
    const ctx = await setup(
      { resolution_time_threshold: 3600, only_during_business_hours: true },
      { working_hours_enabled: false, timezone: 'America/New_York', working_hours: WEEKDAYS_9_TO_17 },
    );
    const applied = await conversationFrom(ctx, FRIDAY_1630);
    expect((await scheduledCheck(applied.id))?.toISOString()).toBe(FRIDAY_1730.toISOString());
    await checkAt(applied.id, FRIDAY_1730);
    expect(await events(applied.id)).toEqual([{ event_type: 2, meta: {} }]);
  });

  it('never falls due, and schedules no check, when the inbox is never open', async () => {
    const ctx = await setup(
      { first_response_time_threshold: 60, resolution_time_threshold: 120, only_during_business_hours: true },
      {
        working_hours_enabled: true,
        timezone: 'Asia/Kolkata',
        working_hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day_of_week: day, closed_all_day: true })),
      },
    );
    const applied = await conversationFrom(ctx, FRIDAY_1630);
    expect(await scheduledCheck(applied.id)).toBeUndefined();
    await checkAt(applied.id, new Date('2040-01-01T00:00:00Z'));
    expect(await events(applied.id)).toEqual([]);
    expect(await scheduledCheck(applied.id)).toBeUndefined();
    const failed = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
      where task_identifier = 'sla_check' and last_error is not null`.execute(server().db);
    expect(failed.rows[0]!.n).toBe(0);
  });
});
