import type { Task } from 'graphile-worker';
import type { Db } from '../core/db/kysely.js';
import type { EventBus } from '../core/events/bus.js';
import { evaluateAppliedSla } from '../domains/applied-slas/evaluate.js';

export { SLA_CHECK } from '../domains/conversations/sla.js';

/**
 * Checks one applied SLA's targets when the earliest of them falls due (Chatwoot's
 * Sla::ProcessAppliedSlaJob, run here at the due time rather than every five minutes). The
 * payload's `now`, when given, is the time it evaluates at (tests inject a clock with it).
 */
export function slaCheckTask(deps: { db: Db; bus: EventBus }): Task {
  return async (payload) => {
    const { applied_sla_id, now } = payload as { applied_sla_id?: unknown; now?: unknown };
    const at = typeof now === 'string' ? new Date(now) : undefined;
    await evaluateAppliedSla(deps, Number(applied_sla_id), at && !Number.isNaN(at.getTime()) ? at : undefined);
  };
}
