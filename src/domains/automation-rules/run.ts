import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { AutomationRule, Conversation } from '../../core/db/schema.js';
import { transactionally } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { performActions } from '../automation-actions/perform.js';
import type { ActionEntry, ActionOutcome } from '../automation-actions/types.js';
import { filterableAttributes } from '../custom-attributes/service.js';
import { compileFilter, type CustomAttributeSpec, type FilterCondition } from '../filters/compile.js';
import { AUTOMATION_CONDITIONS, CONTACT_FILTERS, CONVERSATION_FILTERS } from '../filters/keys.js';
import { markRuleTransaction, type AutomationJob } from './listener.js';

type Deps = Omit<AccountCtx, 'account' | 'actor' | 'accountUser'>;

/** The account's custom attributes of both models, for conditions that name them. */
async function automationAttributes(db: Db, accountId: number): Promise<CustomAttributeSpec[]> {
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
interface CompiledConditions {
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

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Skips Chatwoot makes before evaluating: an auto-reply conversation for created / opened. */
function skipped(job: AutomationJob, conversation: Conversation): boolean {
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
  };
  try {
    return await transactionally(ctx, async (tx, batch) => {
      markRuleTransaction(tx);
      // the conversation first: claiming the run takes a key-share lock on it (the foreign key), and
      // two rules' transactions upgrading that lock to this one would deadlock each other
      const conversation = await tx
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', job.conversation_id)
        .where('account_id', '=', job.account_id)
        .forUpdate()
        .executeTakeFirst();
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

/** A rule waiting for its turn: its conditions compiled, or why they could not be. */
type Pending = { rule: AutomationRule } & ({ compiled: CompiledConditions } | { error: string });

function pendingOf(rule: AutomationRule, job: AutomationJob, customs: CustomAttributeSpec[]): Pending {
  try {
    return { rule, compiled: compileConditions(job, rule.conditions as FilterCondition[], customs) };
  } catch (problem) {
    // ConditionsFilterService rescues and answers "no match"
    return { rule, error: `conditions: ${messageOf(problem)}` };
  }
}

/**
 * Which of the rules match the event now, in one statement (a column per rule); undefined when the
 * per-rule path is to decide: the conversation is gone, the event is skipped for it (auto-reply), or
 * a condition failed as SQL (one rule's error must not fail the others).
 */
async function matchingNow(db: Db, job: AutomationJob, pending: Pending[]): Promise<Set<number> | undefined> {
  const columns = pending.flatMap((p, i) =>
    'compiled' in p ? [sql`${matchesSql(job, p.compiled)} as ${sql.ref(`m${i}`)}`] : [],
  );
  let row: Record<string, unknown> | undefined;
  try {
    const { rows } = await sql<Record<string, unknown>>`select cv.status, cv.additional_attributes
        ${columns.length ? sql`, ${sql.join(columns)}` : sql``}
      from conversations cv where cv.id = ${job.conversation_id} and cv.account_id = ${job.account_id}`.execute(db);
    row = rows[0];
  } catch {
    return undefined;
  }
  if (!row || skipped(job, row as unknown as Conversation)) return undefined;
  const matched = new Set<number>();
  pending.forEach((p, i) => {
    if (row[`m${i}`] === true) matched.add(p.rule.id);
  });
  return matched;
}

/** Runs of rules that did not match, claimed at once (a rule already claimed by an earlier try keeps its run). */
async function recordUnmatched(db: Db, job: AutomationJob, pending: Pending[]): Promise<void> {
  if (pending.length === 0) return;
  await db
    .insertInto('automation_rule_runs')
    .values(
      pending.map((p) => ({
        account_id: job.account_id,
        automation_rule_id: p.rule.id,
        conversation_id: job.conversation_id,
        message_id: job.message_id,
        event_name: job.event_name,
        event_key: job.event_key,
        matched: false,
        actions: JSON.stringify([]),
        error: 'error' in p ? p.error : null,
      })),
    )
    .onConflict((oc) => oc.columns(['automation_rule_id', 'event_key']).doNothing())
    .execute();
}

/**
 * The `automation_rules` job: the account's active rules for the event, in rule order (id), each
 * evaluated and run as the rule (Current.executed_by = rule: "Automation System", performer
 * AutomationRule, no user). Chatwoot's AutomationRuleListener, run after the event's commit.
 */
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
  const ctxOf = (rule: AutomationRule): AccountCtx => ({
    ...deps,
    account,
    actor: { kind: 'automation', rule: { id: rule.id, name: rule.name, event_name: rule.event_name } },
    accountUser: undefined,
  });
  // Chatwoot evaluates each rule after the previous one's actions: the rules' conditions are read in
  // one statement, the rules up to the first match recorded in one insert, and the matching rule run
  // in its transaction (which reads its conditions again under the conversation's lock); what
  // follows is read again only when that rule changed something.
  let remaining = rules.map((rule) => pendingOf(rule, job, customs));
  let matching: Set<number> | undefined;
  while (remaining.length > 0) {
    matching ??= await matchingNow(deps.db, job, remaining);
    if (!matching) {
      for (const { rule } of remaining) await runRule(deps, ctxOf(rule), rule, job, customs);
      return;
    }
    const found = matching;
    const next = remaining.findIndex((p) => 'compiled' in p && found.has(p.rule.id));
    await recordUnmatched(deps.db, job, next < 0 ? remaining : remaining.slice(0, next));
    if (next < 0) return;
    const rule = remaining[next]!.rule;
    if (await runRule(deps, ctxOf(rule), rule, job, customs)) matching = undefined;
    remaining = remaining.slice(next + 1);
  }
}
