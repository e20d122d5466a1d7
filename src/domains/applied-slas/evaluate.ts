import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import {
  ACCOUNT_USER_ROLE,
  CONVERSATION_STATUS,
  MESSAGE_TYPE,
  SLA_EVENT_TYPE,
  SLA_STATUS,
  type SlaEventType,
} from '../../core/db/enums.js';
import type { AppliedSla, Conversation } from '../../core/db/schema.js';
import { transactionally, type EventBatch, type EventBus } from '../../core/events/bus.js';
import { scheduleFollowUpCheck, WATCHED_SLA_STATUSES } from '../conversations/sla.js';
import { buildNotification } from '../notifications/build.js';
import { loadInboxSchedule } from '../business-hours/queries.js';
import { dueAfter } from './due.js';

/** The notification each kind of miss raises (SlaEvent#create_notifications). */
const NOTIFICATION_OF = {
  frt: 'sla_missed_first_response',
  nrt: 'sla_missed_next_response',
  rt: 'sla_missed_resolution',
} as const;

/**
 * Sla::EvaluateAppliedSlaService for one applied SLA at `now`, in one transaction:
 * - first response: missed once created_at + threshold has passed without a first reply by then;
 * - next response: after the first reply, while the contact waits (waiting_since), missed once
 *   waiting_since + threshold has passed; one miss per waiting message (meta.message_id);
 * - resolution: while unresolved, missed once created_at + threshold has passed.
 * Each new miss writes an sla_events row and notifies the conversation's participants, the
 * account's administrators and the assignee; the status becomes active_with_misses. A resolved
 * conversation ends it: hit when nothing was missed, missed otherwise. A status change announces
 * conversation.updated (AppliedSla#push_conversation_event), to /cable and webhooks. Unless ended,
 * the next check is scheduled for the earliest target still to come.
 */
export async function evaluateAppliedSla(
  deps: { db: Db; bus: EventBus },
  appliedSlaId: number,
  injectedNow?: Date,
): Promise<void> {
  await transactionally(deps, async (tx, batch) => {
    const applied = await tx
      .selectFrom('applied_slas')
      .selectAll()
      .where('id', '=', appliedSlaId)
      .forUpdate()
      .executeTakeFirst();
    if (!applied || !WATCHED_SLA_STATUSES.includes(applied.sla_status)) return;
    const [conversation, policy] = await Promise.all([
      tx
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', applied.conversation_id)
        .where('account_id', '=', applied.account_id)
        .executeTakeFirst(),
      tx
        .selectFrom('sla_policies')
        .selectAll()
        .where('id', '=', applied.sla_policy_id)
        .where('account_id', '=', applied.account_id)
        .executeTakeFirst(),
    ]);
    if (!conversation || !policy) return;
    // the inbox's weekly schedule matters only to a policy counting business hours
    const schedule = policy.only_during_business_hours
      ? await loadInboxSchedule(tx, applied.account_id, conversation.inbox_id)
      : undefined;
    // the database's clock, which ran the job at its due time; or the injected one
    const now = injectedNow ?? (await sql<{ now: Date }>`select clock_timestamp() as now`.execute(tx)).rows[0]!.now;
    const resolved = conversation.status === CONVERSATION_STATUS.resolved;
    const time = (value: Date | string | null) => (value === null ? null : new Date(value));
    const createdAt = time(conversation.created_at)!;
    const firstReply = time(conversation.first_reply_created_at);
    const waitingSince = time(conversation.waiting_since);
    const upcoming: Date[] = [];
    const missed: Array<{ type: SlaEventType; meta: Record<string, unknown> }> = [];
    // a target that never falls due (a schedule never open) is neither missed nor waited for
    const check = (type: SlaEventType, due: Date | null, meta: Record<string, unknown> = {}) => {
      if (due === null) return;
      if (now.getTime() >= due.getTime()) missed.push({ type, meta });
      else upcoming.push(due);
    };

    if (policy.first_response_time_threshold !== null) {
      const due = dueAfter(createdAt, policy.first_response_time_threshold, policy, schedule);
      if (!(firstReply && due && firstReply.getTime() <= due.getTime())) check('frt', due);
    }
    if (policy.next_response_time_threshold !== null && firstReply && waitingSince) {
      const due = dueAfter(waitingSince, policy.next_response_time_threshold, policy, schedule);
      if (due !== null && now.getTime() >= due.getTime()) {
        const last = await tx
          .selectFrom('messages')
          .select('id')
          .where('account_id', '=', conversation.account_id)
          .where('conversation_id', '=', conversation.id)
          .where('message_type', '=', MESSAGE_TYPE.incoming)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        check('nrt', due, { message_id: last?.id ?? null });
      } else if (due !== null) upcoming.push(due);
    }
    if (policy.resolution_time_threshold !== null && !resolved)
      check('rt', dueAfter(createdAt, policy.resolution_time_threshold, policy, schedule));

    let status = applied.sla_status;
    for (const miss of missed) {
      if (!(await recordMiss(tx, batch, { applied, conversation, ...miss }))) continue;
      status = SLA_STATUS.active_with_misses;
    }
    if (resolved) status = status === SLA_STATUS.active ? SLA_STATUS.hit : SLA_STATUS.missed;
    if (status !== applied.sla_status) {
      await tx
        .updateTable('applied_slas')
        .set({ sla_status: status, updated_at: new Date() })
        .where('id', '=', applied.id)
        .execute();
      batch.emit('conversation.updated', {
        accountId: applied.account_id,
        conversationId: conversation.id,
        changedAttributes: [],
      });
    }
    if (!resolved && upcoming.length)
      await scheduleFollowUpCheck(tx, applied.id, new Date(Math.min(...upcoming.map((d) => d.getTime()))));
  });
}

/** SlaEvent.create! with its notifications, unless this very miss is recorded already. */
async function recordMiss(
  tx: Db,
  batch: EventBatch,
  input: { applied: AppliedSla; conversation: Conversation; type: SlaEventType; meta: Record<string, unknown> },
): Promise<boolean> {
  const { applied, conversation, type, meta } = input;
  const inserted = await sql<{ id: number }>`insert into sla_events
      (account_id, applied_sla_id, conversation_id, inbox_id, sla_policy_id, event_type, meta)
    select ${applied.account_id}, ${applied.id}, ${conversation.id}, ${conversation.inbox_id}, ${applied.sla_policy_id},
      ${SLA_EVENT_TYPE[type]}, ${JSON.stringify(meta)}::jsonb
    where not exists (select 1 from sla_events where applied_sla_id = ${applied.id}
      and event_type = ${SLA_EVENT_TYPE[type]} and meta = ${JSON.stringify(meta)}::jsonb)
    returning id`.execute(tx);
  if (inserted.rows.length === 0) return false;
  const users = await sql<{ user_id: number }>`
    select user_id from conversation_participants where conversation_id = ${conversation.id}
    union select user_id from account_users where account_id = ${applied.account_id} and role = ${ACCOUNT_USER_ROLE.administrator}
    union select ${conversation.assignee_id ?? 0}::bigint where ${conversation.assignee_id !== null}
    order by user_id`.execute(tx);
  for (const { user_id } of users.rows)
    await buildNotification(tx, batch, {
      type: NOTIFICATION_OF[type],
      userId: Number(user_id),
      conversation,
      // SlaEvent#create_notifications: the policy missed
      secondary: { type: 'SlaPolicy', id: applied.sla_policy_id },
    });
  return true;
}
