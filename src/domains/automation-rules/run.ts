import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { prepared, ANY_PLAN } from '../../core/db/prepared.js';
import type { Account, AutomationRule, Conversation } from '../../core/db/schema.js';
import { type EventBatch, isTransientConflict, transactionally } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { performActions, runActions } from '../automation-actions/perform.js';
import type { ActionEntry, ActionOutcome } from '../automation-actions/types.js';
import { filterableAttributes } from '../custom-attributes/service.js';
import { compileFilter, type CustomAttributeSpec, type FilterCondition } from '../filters/compile.js';
import { AUTOMATION_CONDITIONS, CONTACT_FILTERS, CONVERSATION_FILTERS } from '../filters/keys.js';
import { markRuleTransaction, type AutomationJob } from './listener.js';

export type Deps = Omit<AccountCtx, 'account' | 'actor' | 'accountUser'>;

/** The account's custom attributes of both models, for conditions that name them. */
export async function automationAttributes(db: Db, accountId: number): Promise<CustomAttributeSpec[]> {
  const [conversation, contact] = await Promise.all([
    filterableAttributes(db, accountId, CONVERSATION_FILTERS.attributeModel),
    filterableAttributes(db, accountId, CONTACT_FILTERS.attributeModel),
  ]);
  return [
    ...conversation.map((c) => ({ ...c, model: 'conversation_attribute' as const })),
    ...contact.map((c) => ({ ...c, model: 'contact_attribute' as const })),
  ];
}

/** A rule's conditions compiled for one event: one SQL condition, and whether it reads messages. */
export interface CompiledConditions {
  condition: ReturnType<typeof compileFilter>;
  readsMessages: boolean;
}

/** Throws the compiler's 422 for a condition that cannot be read (Chatwoot: no match). */
function compileConditions(
  job: AutomationJob,
  conditions: FilterCondition[],
  customs: CustomAttributeSpec[],
): CompiledConditions {
  const condition = compileFilter(AUTOMATION_CONDITIONS, conditions, customs, new Date(job.occurred_at), {
    ...(job.changed_attributes ? { changedAttributes: job.changed_attributes } : {}),
  });
  const readsMessages = conditions.some((c) => {
    const key = String(c.attribute_key ?? '');
    return (
      Object.hasOwn(AUTOMATION_CONDITIONS.keys, key) && AUTOMATION_CONDITIONS.keys[key]!.source.table === 'messages'
    );
  });
  return { condition, readsMessages };
}

/**
 * AutomationRules::ConditionsFilterService: the rule's conditions as one SQL condition over this
 * conversation, its contact and — when a condition reads a message — the event's message
 * (message_created) or any message of the conversation (other events), as Chatwoot's LEFT JOINs do.
 */
function matchesSql(job: AutomationJob, compiled: CompiledConditions) {
  const messageJoin = !compiled.readsMessages
    ? sql``
    : job.message_id !== null
      ? sql`left join messages on messages.conversation_id = conversations.id and messages.id = ${job.message_id}`
      : sql`left join messages on messages.conversation_id = conversations.id`;
  return sql<boolean>`exists (
      select 1 from conversations
      left join contacts on contacts.id = conversations.contact_id
      ${messageJoin}
      where conversations.id = ${job.conversation_id} and conversations.account_id = ${job.account_id}
        and ${compiled.condition})`;
}

async function conditionsMatch(
  tx: Db,
  job: AutomationJob,
  conditions: FilterCondition[],
  customs: CustomAttributeSpec[],
): Promise<boolean> {
  const compiled = compileConditions(job, conditions, customs);
  const { rows } = await sql<{ matched: boolean }>`select ${matchesSql(job, compiled)} as matched`.execute(tx);
  return rows[0]?.matched === true;
}

/** The event's conversation, locked for the rules' run (undefined when it is gone). */
const lockedConversation = (tx: Db, job: Pick<AutomationJob, 'conversation_id' | 'account_id'>) =>
  tx
    .selectFrom('conversations')
    .modifyFront(ANY_PLAN)
    .selectAll()
    .where('id', '=', job.conversation_id)
    .where('account_id', '=', job.account_id)
    .forUpdate()
    .executeTakeFirst();

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Skips Chatwoot makes before evaluating: an auto-reply conversation for created / opened. */
export function skipped(
  job: Pick<AutomationJob, 'event_name'>,
  conversation: Pick<Conversation, 'additional_attributes'>,
): boolean {
  if (job.event_name !== 'conversation_created' && job.event_name !== 'conversation_opened') return false;
  const auto = (conversation.additional_attributes as Record<string, unknown> | null)?.auto_reply;
  return auto !== undefined && auto !== null && auto !== '' && auto !== false;
}

/**
 * Runs one rule for the event in a transaction of its own, with its run record: the record is
 * claimed first (unique per rule and event), so a retried job skips a rule already run; a rule that
 * throws leaves nothing but the record of its error, written afterwards.
 */
async function runRule(
  deps: Deps,
  ctx: AccountCtx,
  rule: AutomationRule,
  job: AutomationJob,
  customs: CustomAttributeSpec[],
): Promise<boolean> {
  const record = {
    account_id: job.account_id,
    automation_rule_id: rule.id,
    conversation_id: job.conversation_id,
    message_id: job.message_id,
    event_name: job.event_name,
    event_key: job.event_key,
    event_id: eventIdOf(job.event_key),
  };
  try {
    return await transactionally(ctx, async (tx, batch) => {
      markRuleTransaction(tx);
      // the conversation first: the rule's actions lock it anyway, and taking it before anything else
      // keeps two runs on one conversation from locking in different orders
      const conversation = await lockedConversation(tx, job);
      const claimed = await tx
        .insertInto('automation_rule_runs')
        .values({ ...record, conversation_id: conversation ? record.conversation_id : null, matched: false })
        .onConflict((oc) => oc.columns(['automation_rule_id', 'event_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!claimed) return false;
      let matched = false;
      let outcomes: ActionOutcome[] = [];
      let error: string | null = null;
      if (!conversation) error = 'the conversation no longer exists';
      else if (!skipped(job, conversation)) {
        try {
          matched = await conditionsMatch(tx, job, rule.conditions as FilterCondition[], customs);
        } catch (problem) {
          // ConditionsFilterService rescues and answers "no match"
          error = `conditions: ${messageOf(problem)}`;
        }
        if (matched) {
          outcomes = await performActions({ ctx, tx, batch }, { conversation, actions: rule.actions as ActionEntry[] });
        }
      }
      await tx
        .updateTable('automation_rule_runs')
        .set({ matched, actions: JSON.stringify(outcomes), error })
        .where('id', '=', claimed.id)
        .execute();
      return batch.events.length > 0;
    });
  } catch (problem) {
    // a deadlock or serialization failure is nobody's fault: the job is tried again (nothing was claimed)
    const code = (problem as { code?: unknown }).code;
    if (code === '40P01' || code === '40001') throw problem;
    const exists = await deps.db
      .selectFrom('conversations')
      .select('id')
      .where('id', '=', job.conversation_id)
      .executeTakeFirst();
    await deps.db
      .insertInto('automation_rule_runs')
      .values({
        ...record,
        conversation_id: exists ? record.conversation_id : null,
        matched: false,
        error: messageOf(problem),
      })
      .onConflict((oc) => oc.columns(['automation_rule_id', 'event_key']).doNothing())
      .execute();
    return true;
  }
}

/** The automation_events id an event key names ("event:N"; null for a key from before events were rows). */
export const eventIdOf = (key: string): number | null => (/^event:\d+$/.test(key) ? Number(key.slice(6)) : null);

/** A rule waiting for its turn: its conditions compiled, or why they could not be. */
export type Pending = { rule: AutomationRule } & ({ compiled: CompiledConditions } | { error: string });

export function pendingOf(rule: AutomationRule, job: AutomationJob, customs: CustomAttributeSpec[]): Pending {
  try {
    return { rule, compiled: compileConditions(job, rule.conditions as FilterCondition[], customs) };
  } catch (problem) {
    // ConditionsFilterService rescues and answers "no match"
    return { rule, error: `conditions: ${messageOf(problem)}` };
  }
}

/** A rule's reading: matched, or why its conditions could not be read (recorded as no match). */
type Reading = boolean | { error: string };

/** A deadlock or serialization failure is nobody's fault: the transaction (or the job) is tried again. */
const isRetryable = isTransientConflict;

/**
 * A rule's conditions as a column of a read whose row is the event's conversation, joined with its
 * contact and — `messageJoined` — the event's message. A rule that reads messages on an event
 * without one reads any message of the conversation, as the LEFT JOIN of the per-rule read does.
 */
export function matchColumn(compiled: CompiledConditions, messageJoined: boolean): RawBuilder<unknown> {
  return compiled.readsMessages && !messageJoined
    ? sql<boolean>`exists (select 1 from (select 1) as one left join messages
        on messages.conversation_id = conversations.id where ${compiled.condition})`
    : compiled.condition;
}

/**
 * Reads the rules' conditions over the locked conversation in one statement: one row (the
 * conversation, its contact, the event's message), a column per rule. Not an EXISTS per rule: the
 * planner plans each of those as a join of its own, some 0.4 ms a rule, 12 ms for 30 rules, and
 * the rules of an event that changes something are read again after each rule that does.
 * Should a condition fail as SQL, each rule is read on its own under a savepoint, so one rule's
 * error is its own "no match" (ConditionsFilterService rescues) and not the others'.
 *
 * The read runs after `savepoint automation_step`, left open (`stepOpen`) for the caller: the
 * matching rule's actions run under it, and its release comes after them — a round trip fewer
 * for each rule that matches than a savepoint of the read's own and one of the rule's.
 */
async function readAll(
  tx: Db,
  job: AutomationJob,
  pending: Pending[],
): Promise<{ readings: Map<number, Reading>; stepOpen: boolean }> {
  const readings = new Map<number, Reading>();
  for (const p of pending) if ('error' in p) readings.set(p.rule.id, { error: p.error });
  const compiled = pending.flatMap((p) => ('compiled' in p ? [{ rule: p.rule, compiled: p.compiled }] : []));
  if (compiled.length === 0) return { readings, stepOpen: false };
  const joinMessage = job.message_id !== null && compiled.some((p) => p.compiled.readsMessages);
  const columns = compiled.map(
    (p, i) => sql`coalesce((${matchColumn(p.compiled, job.message_id !== null)}), false) as ${sql.ref(`m${i}`)}`,
  );
  // sent prepared: an account's rules give the same text for every event (and a text per rule
  // left after each one that changed something), so a connection plans each once, not per event
  const read = prepared(sql<Record<string, unknown>>`select ${sql.join(columns)}
    from conversations
    left join contacts on contacts.id = conversations.contact_id
    ${joinMessage ? sql`left join messages on messages.conversation_id = conversations.id and messages.id = ${job.message_id}` : sql``}
    where conversations.id = ${job.conversation_id} and conversations.account_id = ${job.account_id}`);
  await sql`savepoint automation_step`.execute(tx);
  try {
    const { rows } = await read.execute(tx);
    compiled.forEach((p, i) => {
      readings.set(p.rule.id, rows[0]?.[`m${i}`] === true);
    });
    return { readings, stepOpen: true };
  } catch (problem) {
    if (isRetryable(problem)) throw problem;
    // the step's savepoint stays, as it was before the read
    await sql`rollback to savepoint automation_step`.execute(tx);
  }
  for (const p of compiled) {
    await sql`savepoint automation_read`.execute(tx);
    try {
      const { rows } = await sql<{ matched: boolean }>`select ${matchesSql(job, p.compiled)} as matched`.execute(tx);
      readings.set(p.rule.id, rows[0]?.matched === true);
    } catch (problem) {
      if (isRetryable(problem)) throw problem;
      await sql`rollback to savepoint automation_read`.execute(tx);
      readings.set(p.rule.id, { error: `conditions: ${messageOf(problem)}` });
    }
    await sql`release savepoint automation_read`.execute(tx);
  }
  return { readings, stepOpen: true };
}

type RunValues = { matched: boolean; actions: ActionOutcome[]; error: string | null };

/**
 * The run records of an event's rules, in one insert (rule order, so ids follow it). Not "on
 * conflict do nothing": whoever runs an event holds it (its queued row deleted, or its one job), so
 * a record already there means a second run of it — the unique (rule, event) violation rolls this
 * one back, actions and all, and the job that retries it skips the rules recorded.
 */
async function recordRuns(db: Db, job: AutomationJob, runs: Array<{ rule: AutomationRule } & RunValues>) {
  if (runs.length === 0) return;
  await db
    .insertInto('automation_rule_runs')
    .values(
      runs.map((run) => ({
        account_id: job.account_id,
        automation_rule_id: run.rule.id,
        conversation_id: job.conversation_id,
        message_id: job.message_id,
        event_name: job.event_name,
        event_key: job.event_key,
        event_id: eventIdOf(job.event_key),
        matched: run.matched,
        actions: JSON.stringify(run.actions),
        error: run.error,
      })),
    )
    .modifyEnd(ANY_PLAN)
    .execute();
}

const unmatched = (p: Pending) => ({
  rule: p.rule,
  matched: false,
  actions: [],
  error: 'error' in p ? p.error : null,
});

/**
 * The account's active rules for the event, in rule order (id), each evaluated and run as the rule
 * (Current.executed_by = rule: "Automation System", performer AutomationRule, no user), as Chatwoot's
 * AutomationRuleListener does after the event's commit — and each after the previous rule's actions.
 *
 * All in one transaction holding the conversation: the conditions of every rule are read in one
 * statement; a matching rule performs its actions under a savepoint (a rule that throws is rolled
 * back alone, and its error recorded), and when it changed something the rules after it are read
 * again. Every rule's run is recorded in one insert at the end, committing with the actions, so a
 * retry after a crash finds every rule of the event done or none. Returns false when the
 * conversation is gone (the per-rule path records it).
 */
async function runAll(ctxOf: (rule: AutomationRule) => AccountCtx, job: AutomationJob, pending: Pending[]) {
  return transactionally(ctxOf(pending[0]!.rule), async (tx, batch) => {
    markRuleTransaction(tx);
    return runRulesIn({ tx, batch }, ctxOf, job, pending);
  });
}

/**
 * runAll's work inside a rule transaction the caller opened (and marked): the automation drainer
 * runs an event's rules from the first that changes something in its batch transaction.
 */
export async function runRulesIn(
  { tx, batch }: { tx: Db; batch: EventBatch },
  ctxOf: (rule: AutomationRule) => AccountCtx,
  job: AutomationJob,
  pending: Pending[],
): Promise<boolean> {
  const conversation = await lockedConversation(tx, job);
  if (!conversation) return false;
  if (skipped(job, conversation)) {
    await recordRuns(tx, job, pending.map(unmatched));
    return true;
  }
  // every rule's record, written together once all have run
  const runs: Array<{ rule: AutomationRule } & RunValues> = [];
  let remaining = pending;
  let readings: Map<number, Reading> | undefined;
  // `savepoint automation_step` taken by the last read and not yet used by a rule
  let stepOpen = false;
  let current: Conversation | undefined = conversation;
  while (remaining.length > 0) {
    if (!readings) ({ readings, stepOpen } = await readAll(tx, job, remaining));
    const found = readings;
    const next = remaining.findIndex((p) => found.get(p.rule.id) === true);
    for (const p of next < 0 ? remaining : remaining.slice(0, next)) {
      const reading = found.get(p.rule.id);
      runs.push({ ...unmatched(p), error: typeof reading === 'object' ? reading.error : null });
    }
    if (next < 0) break;
    const rule = remaining[next]!.rule;
    remaining = remaining.slice(next + 1);
    const emitted = batch.events.length;
    // the conversation as this rule's actions left it, when they ran
    let after: Conversation | undefined;
    if (!stepOpen) await sql`savepoint automation_step`.execute(tx);
    stepOpen = false;
    try {
      current ??= await tx
        .selectFrom('conversations')
        .modifyFront(ANY_PLAN)
        .selectAll()
        .where('id', '=', job.conversation_id)
        .where('account_id', '=', job.account_id)
        .executeTakeFirstOrThrow();
      const { outcomes, conversation: left } = await runActions(
        { ctx: ctxOf(rule), tx, batch },
        { conversation: current, actions: rule.actions as ActionEntry[] },
      );
      await sql`release savepoint automation_step`.execute(tx);
      runs.push({ rule, matched: true, actions: outcomes, error: null });
      after = left;
    } catch (problem) {
      if (isRetryable(problem)) throw problem;
      await sql`rollback to savepoint automation_step`.execute(tx);
      await sql`release savepoint automation_step`.execute(tx);
      batch.events.length = emitted;
      runs.push({ rule, matched: false, actions: [], error: messageOf(problem) });
    }
    // what follows is read again only when this rule changed something (the conversation too,
    // unless its actions ended reading it)
    if (batch.events.length > emitted) {
      readings = undefined;
      current = after;
    }
  }
  if (stepOpen) await sql`release savepoint automation_step`.execute(tx);
  await recordRuns(tx, job, runs);
  return true;
}

/** An account's context for each rule: the rule runs as itself ("Automation System"). */
export const ruleCtxOf =
  (deps: Deps, account: Account) =>
  (rule: AutomationRule): AccountCtx => ({
    ...deps,
    account,
    actor: { kind: 'automation', rule: { id: rule.id, name: rule.name, event_name: rule.event_name } },
    accountUser: undefined,
  });

/** The `automation_rules` job (see runAll). */
export async function runAutomationEvent(deps: Deps, job: AutomationJob): Promise<void> {
  const account = await deps.db.selectFrom('accounts').selectAll().where('id', '=', job.account_id).executeTakeFirst();
  if (!account) return;
  const rules = await deps.db
    .selectFrom('automation_rules')
    .selectAll()
    .where('account_id', '=', job.account_id)
    .where('event_name', '=', job.event_name)
    .where('active', '=', true)
    // a retry: the rules whose run an earlier try recorded are done
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('automation_rule_runs as r')
            .select('r.id')
            .whereRef('r.automation_rule_id', '=', 'automation_rules.id')
            .where('r.event_key', '=', job.event_key),
        ),
      ),
    )
    .orderBy('id')
    .execute();
  if (rules.length === 0) return;
  const customs = await automationAttributes(deps.db, job.account_id);
  const ctxOf = ruleCtxOf(deps, account);
  const pending = rules.map((rule) => pendingOf(rule, job, customs));
  if (await runAll(ctxOf, job, pending)) return;
  for (const rule of rules) await runRule(deps, ctxOf(rule), rule, job, customs);
}
