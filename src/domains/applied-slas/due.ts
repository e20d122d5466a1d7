import type { Inbox, SlaPolicy } from '../../core/db/schema.js';

/**
 * When a target of `seconds` counted from `start` falls due. Chatwoot adds the threshold to the
 * start on the wall clock (its evaluator ignores only_during_business_hours); a policy with
 * only_during_business_hours counts only the inbox's working hours once the working-hours module
 * is there (see README: not yet).
 */
export function dueAfter(start: Date, seconds: number, _policy: SlaPolicy, _inbox: Inbox): Date {
  return new Date(start.getTime() + seconds * 1000);
}
