import type { SlaPolicy } from '../../core/db/schema.js';
import { addBusinessSeconds, NEVER } from '../business-hours/hours.js';
import type { InboxSchedule } from '../business-hours/queries.js';

/**
 * Whether a policy's targets count only the inbox's working hours: the policy says so and the
 * inbox has its working hours on (otherwise every hour counts, as for any other policy).
 */
export function countsBusinessHours(policy: SlaPolicy, schedule: InboxSchedule | undefined): schedule is InboxSchedule {
  return policy.only_during_business_hours && schedule?.enabled === true;
}

/**
 * When a target of `seconds` counted from `start` falls due, or null when it never does (a
 * schedule that never opens). Chatwoot adds the threshold to the start on the wall clock (its
 * evaluator ignores only_during_business_hours); here a policy with only_during_business_hours on
 * an inbox with working hours counts only the open time of the inbox's weekly schedule, in the
 * inbox's time zone (`schedule`: loadInboxSchedule's answer, needed only for such a policy).
 */
export function dueAfter(
  start: Date,
  seconds: number,
  policy: SlaPolicy,
  schedule: InboxSchedule | undefined,
): Date | null {
  if (!countsBusinessHours(policy, schedule)) return new Date(start.getTime() + seconds * 1000);
  const due = addBusinessSeconds(schedule, start, seconds);
  // NEVER lies beyond what a job's run_at can hold: no target, and so no check, for it
  return due.getTime() === NEVER.getTime() ? null : due;
}
