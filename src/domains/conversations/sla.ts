import { sql } from 'kysely';
import { FEATURES } from '../../core/db/account-features.js';
import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import type { ConversationSla } from '../../core/db/views.js';
import { validationFailed } from '../../core/errors.js';
import type { AccountWork } from '../../core/http/account-scope.js';
import { ACTIVITY, actorName, writeActivity } from './activity.js';

/**
 * A conversation's SLA policy (enterprise/app/models/enterprise/concerns/conversation.rb): set
 * once, never changed nor removed, always the account's own; setting it creates the applied SLA in
 * the same transaction. The applied SLA's targets are checked by the `sla_check` job, scheduled
 * for the next due time of each applied SLA (and again whenever what it depends on changes).
 */

export const SLA_CHECK = 'sla_check';
const checkJobKey = (appliedSlaId: number) => `sla_check:${appliedSlaId}`;

/**
 * Schedules (or moves) the one check of an applied SLA to `runAt`. `now` is the time the check
 * evaluates at when given (tests inject a clock through it); otherwise the job's own run time.
 */
export async function scheduleSlaCheck(tx: Db, appliedSlaId: number, runAt: Date, now?: Date): Promise<void> {
  const payload = JSON.stringify({ applied_sla_id: appliedSlaId, ...(now ? { now: now.toISOString() } : {}) });
  await sql`select graphile_worker.add_job(${SLA_CHECK}, ${payload}::json, run_at => ${runAt}::timestamptz,
    job_key => ${checkJobKey(appliedSlaId)}, job_key_mode => 'replace', max_attempts => 10)`.execute(tx);
}

/**
 * Schedules a check's own follow-up at `runAt`, unless a check was asked for while this one ran
 * (a policy's or an inbox's recheck) and runs no later: that one saw newer state and schedules
 * its own follow-up. graphile-worker gives such a request a job of its own (the running job's key
 * is moved to it), and a plain `replace` from the running check would push it back to `runAt`
 * with this check's payload: the request, and the miss it would find, lost until then. A request
 * whose add_job is still running when this statement starts is not seen, and is still replaced.
 */
export async function scheduleFollowUpCheck(tx: Db, appliedSlaId: number, runAt: Date): Promise<void> {
  const key = checkJobKey(appliedSlaId);
  await sql`select graphile_worker.add_job(${SLA_CHECK}, json_build_object('applied_sla_id', ${appliedSlaId}::bigint),
      run_at => ${runAt}::timestamptz, job_key => ${key}, job_key_mode => 'replace', max_attempts => 10)
    where not exists (select from graphile_worker.jobs where key = ${key} and locked_at is null
      and attempts < max_attempts and run_at <= ${runAt}::timestamptz)`.execute(tx);
}

/**
 * Checks again at once every watched applied SLA of a policy (its targets changed, so every due
 * time may have moved), in one statement however many there are; each check then schedules itself
 * for its new due time.
 */
export async function recheckPolicySlas(tx: Db, accountId: number, policyId: number): Promise<void> {
  await sql`select graphile_worker.add_job(${SLA_CHECK}, json_build_object('applied_sla_id', a.id),
      job_key => 'sla_check:' || a.id, job_key_mode => 'replace', max_attempts => 10)
    from applied_slas a where a.account_id = ${accountId} and a.sla_policy_id = ${policyId}
      and a.sla_status = any(${WATCHED_SLA_STATUSES}::smallint[])`.execute(tx);
}

/**
 * Checks again at once the watched applied SLAs that count business hours in these inboxes (their
 * schedule may have changed), in one statement.
 */
export async function recheckInboxSlas(tx: Db, accountId: number, inboxIds: number[]): Promise<void> {
  await sql`select graphile_worker.add_job(${SLA_CHECK}, json_build_object('applied_sla_id', a.id),
      job_key => 'sla_check:' || a.id, job_key_mode => 'replace', max_attempts => 10)
    from applied_slas a
    join conversations c on c.id = a.conversation_id and c.account_id = a.account_id
    join sla_policies p on p.id = a.sla_policy_id and p.account_id = a.account_id
    where a.account_id = ${accountId} and c.inbox_id = any(${inboxIds}::bigint[])
      and p.only_during_business_hours and a.sla_status = any(${WATCHED_SLA_STATUSES}::smallint[])`.execute(tx);
}

/** Drops an applied SLA's pending check (it reached hit or missed). */
export async function cancelSlaCheck(tx: Db, appliedSlaId: number): Promise<void> {
  await sql`select graphile_worker.remove_job(${checkJobKey(appliedSlaId)})`.execute(tx);
}

/** Applied SLAs still being watched: active, or active with misses. */
export const WATCHED_SLA_STATUSES = [0, 3];

/** Conversation#sla_applicable?: its contact is not blocked. */
export async function slaApplicable(db: Db, conversation: Conversation): Promise<boolean> {
  const contact = await db
    .selectFrom('contacts')
    .select('blocked')
    .where('account_id', '=', conversation.account_id)
    .where('id', '=', conversation.contact_id)
    .executeTakeFirst();
  return contact?.blocked !== true;
}

/**
 * Sets `policyId` on the conversation as Conversation#validate_sla_policy allows, creating its
 * applied SLA: 422 when it would remove or replace the conversation's policy, give one to a blocked
 * contact's conversation, or name another account's; the same policy again changes nothing. Returns the conversation as it is afterwards.
 */
export async function setSlaPolicy(
  work: AccountWork,
  { conversation, policyId }: { conversation: Conversation; policyId: number | null },
): Promise<Conversation> {
  const { ctx, tx, batch } = work;
  if (policyId === conversation.sla_policy_id) return conversation;
  const refuse = (message: string) => validationFailed([{ attribute: 'sla_policy', message }]);
  if (policyId === null) throw refuse('cannot remove sla policy from conversation');
  if (!(await slaApplicable(tx, conversation)))
    throw refuse('cannot be assigned to conversations with blocked contacts');
  if (conversation.sla_policy_id !== null) throw refuse('conversation already has a different sla');
  const policy = await tx
    .selectFrom('sla_policies')
    .select(['id', 'name'])
    .where('account_id', '=', ctx.account.id)
    .where('id', '=', policyId)
    .executeTakeFirst();
  if (!policy) throw refuse('sla policy account mismatch');
  const updated = await tx
    .updateTable('conversations')
    .set({ sla_policy_id: policy.id, updated_at: new Date() })
    .where('id', '=', conversation.id)
    .where('account_id', '=', ctx.account.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const applied = await tx
    .insertInto('applied_slas')
    .values({ account_id: ctx.account.id, sla_policy_id: policy.id, conversation_id: conversation.id })
    .onConflict((oc) => oc.columns(['account_id', 'sla_policy_id', 'conversation_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  // the check finds the first due time itself (and a target already past, at once)
  if (applied) await scheduleSlaCheck(tx, applied.id, new Date());
  await writeActivity(work, { conversation: updated, content: ACTIVITY.sla.added(actorName(ctx), policy.name) });
  batch.emit('conversation.updated', {
    accountId: ctx.account.id,
    conversationId: conversation.id,
    changedAttributes: ['sla_policy_id'],
    changes: { sla_policy_id: [null, policy.id] },
    performer: undefined,
  });
  return updated;
}

/** Whether the account's `sla` feature is on, as a boolean column of a query (featureEnabled in SQL). */
export function slaFeatureOn(accountId: number) {
  return FEATURES.sla?.served
    ? sql<boolean>`coalesce((select features @> '{"sla": true}'::jsonb from accounts where id = ${accountId}), false)`
    : sql<boolean>`false`;
}

/** The SLA keys of these conversations (the account's `sla` feature is on): applied SLA and events. */
export async function loadConversationSla(
  db: Db,
  accountId: number,
  conversationIds: number[],
): Promise<Map<number, ConversationSla>> {
  const out = new Map<number, ConversationSla>(conversationIds.map((id) => [id, { applied: null, events: [] }]));
  if (conversationIds.length === 0) return out;
  const [applied, events] = await Promise.all([
    db
      .selectFrom('applied_slas')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('conversation_id', 'in', conversationIds)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('sla_events')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('conversation_id', 'in', conversationIds)
      .orderBy('id')
      .execute(),
  ]);
  const policyIds = [...new Set(applied.map((a) => a.sla_policy_id))];
  const policies = policyIds.length
    ? await db
        .selectFrom('sla_policies')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', 'in', policyIds)
        .execute()
    : [];
  const policyById = new Map(policies.map((p) => [p.id, p]));
  for (const row of applied) {
    const policy = policyById.get(row.sla_policy_id);
    if (policy) out.get(row.conversation_id)!.applied = { applied: row, policy };
  }
  for (const event of events) out.get(event.conversation_id)!.events.push(event);
  return out;
}
