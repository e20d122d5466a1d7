import { sql } from 'kysely';
import type { AutomationRule, AutomationRuleRun } from '../../core/db/schema.js';
import { recordNotFound } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import type { AutomationRuleView } from '../../serializers/automation-rule.js';
import { loadActionFiles } from '../automation-actions/files.js';
import type { AutomationRuleBody } from './schemas.js';
import { RUNS_PAGE_SIZE } from './schemas.js';
import { validateRule } from './validate.js';
import { appliedOutcomes } from '../automation-actions/perform.js';
import type { ActionEntry } from '../automation-actions/types.js';

/**
 * Api::V1::Accounts::AutomationRulesController: administrators only (AutomationRulePolicy), every
 * query scoped to the account. Chatwoot loads the rule with find_by and crashes on a missing one;
 * here another account's or an unknown id is a 404.
 */

async function findRule(ctx: AccountCtx, rawId: string): Promise<AutomationRule> {
  const id = parseId(rawId);
  const rule =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('automation_rules')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!rule) throw recordNotFound();
  return rule;
}

const jsonb = (value: unknown) => JSON.stringify(value);

/** The rules with their files (the blobs their send_attachment actions name), one query for all. */
async function views(ctx: AccountCtx, rules: AutomationRule[]): Promise<AutomationRuleView[]> {
  const files = await loadActionFiles(ctx.db, ctx.account.id, rules);
  return rules.map((rule, i) => ({ rule, files: files[i]! }));
}
const view = async (ctx: AccountCtx, rule: AutomationRule) => (await views(ctx, [rule]))[0]!;

/** GET /automation_rules: the account's rules, oldest first. */
export async function listAutomationRules(ctx: AccountCtx): Promise<AutomationRuleView[]> {
  requireAdministrator(ctx);
  const rules = await ctx.db
    .selectFrom('automation_rules')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .orderBy('id')
    .execute();
  return views(ctx, rules);
}

export async function getAutomationRule(ctx: AccountCtx, id: string): Promise<AutomationRuleView> {
  requireAdministrator(ctx);
  return view(ctx, await findRule(ctx, id));
}

/** POST /automation_rules: validated as the model does (422 with its messages), `active` defaults to true. */
export async function createAutomationRule(ctx: AccountCtx, body: AutomationRuleBody): Promise<AutomationRuleView> {
  requireAdministrator(ctx);
  const columns = await validateRule(ctx.db, ctx.account.id, body, true);
  const rule = await ctx.db
    .insertInto('automation_rules')
    .values({
      account_id: ctx.account.id,
      name: columns.name!,
      description: columns.description ?? null,
      event_name: columns.event_name!,
      active: columns.active ?? true,
      conditions: jsonb(columns.conditions ?? []),
      actions: jsonb(columns.actions ?? []),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return view(ctx, rule);
}

/** PATCH/PUT /automation_rules/:id: only the fields sent change; conditions and actions are replaced whole. */
export async function updateAutomationRule(
  ctx: AccountCtx,
  id: string,
  body: AutomationRuleBody,
): Promise<AutomationRuleView> {
  requireAdministrator(ctx);
  const rule = await findRule(ctx, id);
  const columns = await validateRule(ctx.db, ctx.account.id, body, false);
  const updated = await ctx.db
    .updateTable('automation_rules')
    .set({
      ...(columns.name !== undefined && { name: columns.name }),
      ...(columns.description !== undefined && { description: columns.description }),
      ...(columns.event_name !== undefined && { event_name: columns.event_name }),
      ...(columns.active !== undefined && { active: columns.active }),
      ...(columns.conditions !== undefined && { conditions: jsonb(columns.conditions) }),
      // after_update_commit :reauthorized!, if: saved_change_to_conditions?
      ...(columns.conditions !== undefined && {
        authorization_error_count: sql<number>`case when conditions = ${jsonb(columns.conditions)}::jsonb
          then authorization_error_count else 0 end`,
        reauthorization_required: sql<boolean>`reauthorization_required and conditions = ${jsonb(columns.conditions)}::jsonb`,
      }),
      ...(columns.actions !== undefined && { actions: jsonb(columns.actions) }),
      updated_at: new Date(),
    })
    .where('account_id', '=', ctx.account.id)
    .where('id', '=', rule.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return view(ctx, updated);
}

/** DELETE /automation_rules/:id (its runs go with it). */
export async function deleteAutomationRule(ctx: AccountCtx, id: string): Promise<void> {
  requireAdministrator(ctx);
  const rule = await findRule(ctx, id);
  await ctx.db
    .deleteFrom('automation_rules')
    .where('account_id', '=', ctx.account.id)
    .where('id', '=', rule.id)
    .execute();
}

/** POST /automation_rules/:automation_rule_id/clone: `rule.dup.save!`, every column copied (new id and times). */
export async function cloneAutomationRule(ctx: AccountCtx, id: string): Promise<AutomationRuleView> {
  requireAdministrator(ctx);
  const rule = await findRule(ctx, id);
  const copy = await ctx.db
    .insertInto('automation_rules')
    .values({
      account_id: ctx.account.id,
      name: rule.name,
      description: rule.description,
      event_name: rule.event_name,
      active: rule.active,
      conditions: jsonb(rule.conditions),
      actions: jsonb(rule.actions),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // its files are the blobs its actions name, so the copy sends them too (Chatwoot's dup does not
  // copy the attachments, and its copy's send_attachment then sends nothing)
  return view(ctx, copy);
}

/**
 * GET /automation_rules/:id/runs (Confab): the rule's runs, newest first, RUNS_PAGE_SIZE a page —
 * the runs recorded one by one (those that acted, or failed) and those the drainer settled without
 * acting, recorded one row per outcome for all its rules and the events that had it
 * (automation_event_runs, read through its account-and-event index: those listed are of the
 * rule's current event), in the order of their events, newest first (an event whose rule acts runs
 * after the batch that settled later events).
 * A settled match changed
 * nothing: each of its actions is listed as applied, as the per-event path records a no-op.
 */
export async function listAutomationRuleRuns(
  ctx: AccountCtx,
  id: string,
  page = 1,
): Promise<{ count: number; runs: AutomationRuleRun[] }> {
  requireAdministrator(ctx);
  const rule = await findRule(ctx, id);
  const mine = sql`array[${rule.id}]::bigint[]`;
  const settledWhere = sql`e.account_id = ${ctx.account.id} and e.event_name = ${rule.event_name}
    and (e.missed_rule_ids @> ${mine} or e.unchanged_rule_ids @> ${mine})`;
  // a conversation deleted since shows as null
  const recorded = sql`select r.id, r.account_id, r.automation_rule_id,
      case when exists (select 1 from conversations c where c.id = r.conversation_id) then r.conversation_id end as conversation_id,
      r.message_id, r.event_name, r.event_key, r.matched, r.actions, r.error, r.created_at, r.event_id, false as settled
    from automation_rule_runs r where r.account_id = ${ctx.account.id} and r.automation_rule_id = ${rule.id}`;
  const settled = sql`select x.id, e.account_id, ${rule.id}::bigint,
      case when exists (select 1 from conversations c where c.id = x.conversation_id) then x.conversation_id end,
      x.message_id, e.event_name, 'event:' || x.event_id, e.unchanged_rule_ids @> ${mine}, '[]'::jsonb, null::text,
      e.created_at, x.event_id, true
    from automation_event_runs e
    cross join lateral unnest(e.run_ids, e.event_ids, e.conversation_ids, e.message_ids)
      as x (id, event_id, conversation_id, message_id)
    where ${settledWhere}`;
  const [rows, total] = await Promise.all([
    sql<AutomationRuleRun & { settled: boolean }>`select * from (${recorded} union all ${settled}) runs
      order by event_id desc nulls last, id desc limit ${RUNS_PAGE_SIZE} offset ${(page - 1) * RUNS_PAGE_SIZE}`.execute(
      ctx.db,
    ),
    sql<{ n: number }>`select (select count(*) from automation_rule_runs where account_id = ${ctx.account.id}
        and automation_rule_id = ${rule.id})
      + (select coalesce(sum(cardinality(e.event_ids)), 0) from automation_event_runs e where ${settledWhere}) as n`.execute(
      ctx.db,
    ),
  ]);
  const applied = appliedOutcomes(rule.actions as ActionEntry[]);
  const runs = rows.rows.map(({ settled: wasSettled, ...run }) =>
    wasSettled && run.matched ? { ...run, actions: applied } : run,
  );
  return { count: Number(total.rows[0]!.n), runs };
}
