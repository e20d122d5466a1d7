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

/**
 * AutomationRules::ConditionsFilterService: the rule's conditions as one SQL condition over this
 * conversation, its contact and — when a condition reads a message — the event's message
 * (message_created) or any message of the conversation (other events), as Chatwoot's LEFT JOINs do.
 * Throws the compiler's 422 for a condition that cannot be read (Chatwoot: no match).
 */
async function conditionsMatch(
  tx: Db,
  job: AutomationJob,
  conditions: FilterCondition[],
  customs: CustomAttributeSpec[],
): Promise<boolean> {
  const condition = compileFilter(AUTOMATION_CONDITIONS, conditions, customs, new Date(job.occurred_at), {
    ...(job.changed_attributes ? { changedAttributes: job.changed_attributes } : {}),
  });
  const readsMessages = conditions.some((c) => {
    const key = String(c.attribute_key ?? '');
    return (
      Object.hasOwn(AUTOMATION_CONDITIONS.keys, key) && AUTOMATION_CONDITIONS.keys[key]!.source.table === 'messages'
    );
  });
  const messageJoin = !readsMessages
    ? sql``
    : job.message_id !== null
      ? sql`left join messages on messages.conversation_id = conversations.id and messages.id = ${job.message_id}`
      : sql`left join messages on messages.conversation_id = conversations.id`;
  const { rows } = await sql<{ matched: boolean }>`select exists (
      select 1 from conversations
      left join contacts on contacts.id = conversations.contact_id
      ${messageJoin}
      where conversations.id = ${job.conversation_id} and conversations.account_id = ${job.account_id}
        and ${condition}) as matched`.execute(tx);
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
) {
  const record = {
    account_id: job.account_id,
    automation_rule_id: rule.id,
    conversation_id: job.conversation_id,
    message_id: job.message_id,
    event_name: job.event_name,
    event_key: job.event_key,
  };
  try {
    await transactionally(ctx, async (tx, batch) => {
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
      if (!claimed) return;
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
  }
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
    .orderBy('id')
    .execute();
  if (rules.length === 0) return;
  const customs = await automationAttributes(deps.db, job.account_id);
  for (const rule of rules) {
    const ctx: AccountCtx = {
      ...deps,
      account,
      actor: { kind: 'automation', rule: { id: rule.id, name: rule.name, event_name: rule.event_name } },
      accountUser: undefined,
    };
    await runRule(deps, ctx, rule, job, customs);
  }
}
