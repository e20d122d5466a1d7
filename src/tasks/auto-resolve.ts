import type { Task } from 'graphile-worker';
import type { Clock } from '../core/clock.js';
import type { Db } from '../core/db/kysely.js';
import type { EventBus } from '../core/events/bus.js';
import { resolveInactiveConversations } from '../domains/auto-resolve/resolve.js';

export const AUTO_RESOLVE = 'conversations_auto_resolve';
/**
 * Every minute, once across all nodes; a look still waiting when the next is due is replaced by it
 * (jobKey), so a slow database never piles looks up.
 */
export const AUTO_RESOLVE_CRONTAB = `* * * * * ${AUTO_RESOLVE} ?max=1&jobKey=${AUTO_RESOLVE}`;

/**
 * The `conversations_auto_resolve` task: resolves the conversations that have been inactive for
 * their account's auto_resolve_after (domains/auto-resolve). It judges "now" by the server's clock,
 * or by the payload's `now` (an ISO time) when a test or an operator queues a look for a given time.
 */
export function autoResolveTask(deps: { db: Db; bus: EventBus; clock: Clock }): Task {
  return async (payload) => {
    const at = (payload as { now?: unknown } | null)?.now;
    const now = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at) : deps.clock.now();
    await resolveInactiveConversations(deps, now);
  };
}
