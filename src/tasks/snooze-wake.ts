import type { Task } from 'graphile-worker';
import type { Db } from '../core/db/kysely.js';
import { transactionally, type EventBus } from '../core/events/bus.js';
import { setStatus, STATUS } from '../domains/conversations/status.js';

export { SNOOZE_WAKE } from '../domains/conversations/status.js';

/**
 * Reopens a snoozed conversation when its snoozed_until comes (Chatwoot polls for these every few
 * minutes; this job is scheduled for the exact time, survives restarts, and any node may run it).
 * A conversation reopened or re-snoozed meanwhile is left alone.
 */
export function snoozeWakeTask(deps: { db: Db; bus: EventBus }): Task {
  return async (payload) => {
    const id = Number((payload as { conversation_id?: unknown }).conversation_id);
    await transactionally(deps, async (tx, batch) => {
      const conversation = await tx
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!conversation || conversation.status !== STATUS.snoozed || !conversation.snoozed_until) return;
      if (new Date(conversation.snoozed_until).getTime() > Date.now() + 1000) return;
      await setStatus({ tx, batch }, { conversation, status: 'open', cause: { kind: 'system' } });
    });
  };
}
