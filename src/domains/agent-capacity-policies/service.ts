import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { AgentCapacityPolicy, InboxCapacityLimit } from '../../core/db/schema.js';
import { recordNotFound, unprocessable, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import type { AgentView } from '../../serializers/agent.js';
import type { AgentCapacityPolicyView } from '../../serializers/agent-capacity-policy.js';
import { listAgentViews } from '../agents/queries.js';
import type { CapacityFields } from './schemas.js';

const INT4_MAX = 2_147_483_647;

/** A positive whole number as Rails casts it ("5" → 5), with its validation message. */
function positive(raw: unknown): { value?: number; error?: string } {
  const value = typeof raw === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) return { error: 'is not a number' };
  const whole = Math.trunc(value);
  if (whole <= 0) return { error: 'must be greater than 0' };
  if (whole > INT4_MAX) return { error: `must be less than or equal to ${INT4_MAX}` };
  return { value: whole };
}

/** agent_capacity_policy.rb: name present, at most 255; exclusion_rules keep the permitted keys. */
function capacityColumns(fields: CapacityFields, creating: boolean) {
  const errors: FieldError[] = [];
  if ((creating || fields.name !== undefined) && isBlank(fields.name))
    errors.push({ attribute: 'name', message: "can't be blank" });
  for (const attribute of ['name', 'description'] as const)
    if (fields[attribute]?.includes('\0')) errors.push({ attribute, message: 'is invalid' });
  let rules: Record<string, unknown> | undefined;
  if (fields.exclusion_rules !== undefined) {
    rules = {};
    const given = fields.exclusion_rules ?? {};
    if (given.excluded_labels != null) rules.excluded_labels = given.excluded_labels;
    if (given.exclude_older_than_hours != null && given.exclude_older_than_hours !== '') {
      const hours = positive(given.exclude_older_than_hours);
      if (hours.error) errors.push({ attribute: 'exclusion_rules', message: 'is invalid' });
      else rules.exclude_older_than_hours = hours.value;
    }
  }
  if (errors.length) throw validationFailed(errors);
  return {
    ...(fields.name != null && { name: fields.name }),
    ...(fields.description !== undefined && { description: fields.description }),
    ...(rules !== undefined && { exclusion_rules: JSON.stringify(rules) }),
  };
}

async function views(db: Db, accountId: number, policies: AgentCapacityPolicy[]): Promise<AgentCapacityPolicyView[]> {
  if (policies.length === 0) return [];
  const ids = policies.map((p) => p.id);
  const [counts, limits] = await Promise.all([
    db
      .selectFrom('account_users')
      .select(['agent_capacity_policy_id', sql<number>`count(*)::int`.as('n')])
      .where('account_id', '=', accountId)
      .where('agent_capacity_policy_id', 'in', ids)
      .groupBy('agent_capacity_policy_id')
      .execute(),
    db
      .selectFrom('inbox_capacity_limits')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('agent_capacity_policy_id', 'in', ids)
      .orderBy('id')
      .execute(),
  ]);
  const byId = new Map(counts.map((c) => [c.agent_capacity_policy_id, c.n]));
  return policies.map((policy) => ({
    policy,
    agentCount: byId.get(policy.id) ?? 0,
    limits: limits.filter((limit) => limit.agent_capacity_policy_id === policy.id),
  }));
}
const viewOf = async (ctx: AccountCtx, policy: AgentCapacityPolicy) =>
  (await views(ctx.db, ctx.account.id, [policy]))[0]!;

async function fetchPolicy(ctx: AccountCtx, rawId: unknown): Promise<AgentCapacityPolicy> {
  const id = parseId(rawId);
  const row =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('agent_capacity_policies')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw recordNotFound();
  return row;
}

/** AgentCapacityPoliciesController (enterprise; administrators only). */
export async function listCapacityPolicies(ctx: AccountCtx): Promise<AgentCapacityPolicyView[]> {
  requireAdministrator(ctx);
  const rows = await ctx.db
    .selectFrom('agent_capacity_policies')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .orderBy('id')
    .execute();
  return views(ctx.db, ctx.account.id, rows);
}

export async function showCapacityPolicy(ctx: AccountCtx, rawId: string): Promise<AgentCapacityPolicyView> {
  requireAdministrator(ctx);
  return viewOf(ctx, await fetchPolicy(ctx, rawId));
}

export async function createCapacityPolicy(ctx: AccountCtx, fields: CapacityFields): Promise<AgentCapacityPolicyView> {
  requireAdministrator(ctx);
  const columns = capacityColumns(fields, true);
  const row = await ctx.db
    .insertInto('agent_capacity_policies')
    .values({ ...columns, account_id: ctx.account.id, name: columns.name! })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { policy: row, agentCount: 0, limits: [] };
}

export async function updateCapacityPolicy(
  ctx: AccountCtx,
  rawId: string,
  fields: CapacityFields,
): Promise<AgentCapacityPolicyView> {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawId);
  const columns = capacityColumns(fields, false);
  const row = await ctx.db
    .updateTable('agent_capacity_policies')
    .set({ ...columns, updated_at: new Date() })
    .where('account_id', '=', ctx.account.id)
    .where('id', '=', policy.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return viewOf(ctx, row);
}

/** destroy!: its inbox limits go (dependent: :destroy) and its agents are left without one (nullify). */
export async function deleteCapacityPolicy(ctx: AccountCtx, rawId: string): Promise<void> {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawId);
  await ctx.db
    .deleteFrom('agent_capacity_policies')
    .where('account_id', '=', ctx.account.id)
    .where('id', '=', policy.id)
    .execute();
}

/** AgentCapacityPolicies::UsersController#index: the account's agents under the policy. */
export async function policyUsers(ctx: AccountCtx, rawId: string): Promise<AgentView[]> {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawId);
  const rows = await ctx.db
    .selectFrom('account_users')
    .select('user_id')
    .where('account_id', '=', ctx.account.id)
    .where('agent_capacity_policy_id', '=', policy.id)
    .execute();
  if (rows.length === 0) return [];
  return listAgentViews(
    ctx.db,
    ctx.account.id,
    rows.map((r) => r.user_id),
  );
}

/** #create: the account's member (find_by! user_id, else 404) gets the policy. */
export async function addPolicyUser(ctx: AccountCtx, rawId: string, rawUserId: unknown): Promise<AgentView> {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawId);
  const userId = parseId(rawUserId);
  const updated =
    userId === undefined
      ? undefined
      : await ctx.db
          .updateTable('account_users')
          .set({ agent_capacity_policy_id: policy.id, updated_at: new Date() })
          .where('account_id', '=', ctx.account.id)
          .where('user_id', '=', userId)
          .returning('user_id')
          .executeTakeFirst();
  if (!updated) throw recordNotFound();
  return (await listAgentViews(ctx.db, ctx.account.id, [updated.user_id]))[0]!;
}

/** #destroy: the member (find_by! user_id) is left without a policy. */
export async function removePolicyUser(ctx: AccountCtx, rawId: string, rawUserId: string): Promise<void> {
  requireAdministrator(ctx);
  await fetchPolicy(ctx, rawId);
  const userId = parseId(rawUserId);
  const updated =
    userId === undefined
      ? undefined
      : await ctx.db
          .updateTable('account_users')
          .set({ agent_capacity_policy_id: null, updated_at: new Date() })
          .where('account_id', '=', ctx.account.id)
          .where('user_id', '=', userId)
          .returning('id')
          .executeTakeFirst();
  if (!updated) throw recordNotFound();
}

const limitError = (message: string) => validationFailed([{ attribute: 'conversation_limit', message }]);

/** InboxLimitsController#create: one limit per inbox and policy. */
export async function createInboxLimit(
  ctx: AccountCtx,
  rawId: string,
  body: { inbox_id?: unknown; conversation_limit?: unknown },
): Promise<InboxCapacityLimit> {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawId);
  const inboxId = parseId(body.inbox_id);
  const inbox =
    inboxId === undefined
      ? undefined
      : await ctx.db
          .selectFrom('inboxes')
          .select('id')
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', inboxId)
          .executeTakeFirst();
  if (!inbox) throw recordNotFound();
  const limit = positive(body.conversation_limit);
  if (limit.error) throw limitError(limit.error);
  const row = await ctx.db
    .insertInto('inbox_capacity_limits')
    .values({
      account_id: ctx.account.id,
      agent_capacity_policy_id: policy.id,
      inbox_id: inbox.id,
      conversation_limit: limit.value!,
    })
    .onConflict((oc) => oc.columns(['agent_capacity_policy_id', 'inbox_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw unprocessable('Inbox has already been assigned to this policy');
  return row;
}

async function fetchLimit(ctx: AccountCtx, rawId: string, rawLimitId: string): Promise<InboxCapacityLimit> {
  const policy = await fetchPolicy(ctx, rawId);
  const id = parseId(rawLimitId);
  const row =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('inbox_capacity_limits')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('agent_capacity_policy_id', '=', policy.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw recordNotFound();
  return row;
}

export async function updateInboxLimit(
  ctx: AccountCtx,
  rawId: string,
  rawLimitId: string,
  body: { conversation_limit?: unknown },
): Promise<InboxCapacityLimit> {
  requireAdministrator(ctx);
  const row = await fetchLimit(ctx, rawId, rawLimitId);
  if (body.conversation_limit === undefined) return row;
  const limit = positive(body.conversation_limit);
  if (limit.error) throw limitError(limit.error);
  return ctx.db
    .updateTable('inbox_capacity_limits')
    .set({ conversation_limit: limit.value!, updated_at: new Date() })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteInboxLimit(ctx: AccountCtx, rawId: string, rawLimitId: string): Promise<void> {
  requireAdministrator(ctx);
  const row = await fetchLimit(ctx, rawId, rawLimitId);
  await ctx.db.deleteFrom('inbox_capacity_limits').where('id', '=', row.id).execute();
}
