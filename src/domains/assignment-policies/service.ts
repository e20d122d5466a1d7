import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { AssignmentPolicy, Inbox } from '../../core/db/schema.js';
import { ASSIGNMENT_ORDERS, ASSIGNMENT_PRIORITIES } from '../../core/db/enums.js';
import { takenAs } from '../../core/db/unique.js';
import { AppError, recordNotFound, unprocessable, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import type { AssignmentPolicyView } from '../../serializers/assignment-policy.js';
import type { PolicyFields } from './schemas.js';

const INT4_MAX = 2_147_483_647;

/** errors.assignment_policy.not_found: the inbox has no policy. */
export const policyNotFound = () => new AppError('not_found', 404, { error: 'Assignment policy not found' });

/** A Rails enum's value: its name, or its integer; anything else is ArgumentError's message, as a 422. */
function enumOf(names: readonly string[], attribute: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw < names.length) return raw;
  const index = typeof raw === 'string' ? names.indexOf(raw) : -1;
  if (index < 0) throw unprocessable(`'${String(raw)}' is not a valid ${attribute}`);
  return index;
}

/** An integer attribute as Rails casts it ("5" → 5), with `numericality: { greater_than: 0 }`. */
function positiveOf(attribute: string, raw: unknown, errors: FieldError[]): number | undefined {
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    errors.push({ attribute, message: 'is not a number' });
    return undefined;
  }
  const whole = Math.trunc(value);
  if (whole <= 0) errors.push({ attribute, message: 'must be greater than 0' });
  else if (whole > INT4_MAX) errors.push({ attribute, message: `must be less than or equal to ${INT4_MAX}` });
  return whole;
}

function policyColumns(fields: PolicyFields, creating: boolean) {
  const errors: FieldError[] = [];
  if ((creating || fields.name !== undefined) && isBlank(fields.name))
    errors.push({ attribute: 'name', message: "can't be blank" });
  const limit = positiveOf('fair_distribution_limit', fields.fair_distribution_limit, errors);
  const window = positiveOf('fair_distribution_window', fields.fair_distribution_window, errors);
  for (const attribute of ['name', 'description'] as const)
    if (fields[attribute]?.includes('\0')) errors.push({ attribute, message: 'is invalid' });
  const order = enumOf(ASSIGNMENT_ORDERS, 'assignment_order', fields.assignment_order);
  const priority = enumOf(ASSIGNMENT_PRIORITIES, 'conversation_priority', fields.conversation_priority);
  if (errors.length) throw validationFailed(errors);
  return {
    ...(fields.name != null && { name: fields.name }),
    ...(fields.description !== undefined && { description: fields.description }),
    ...(order !== undefined && { assignment_order: order }),
    ...(priority !== undefined && { conversation_priority: priority }),
    ...(limit !== undefined && { fair_distribution_limit: limit }),
    ...(window !== undefined && { fair_distribution_window: window }),
    ...(fields.enabled != null && { enabled: fields.enabled }),
  };
}

async function views(db: Db, policies: AssignmentPolicy[]): Promise<AssignmentPolicyView[]> {
  if (policies.length === 0) return [];
  const counts = await db
    .selectFrom('inbox_assignment_policies')
    .select(['assignment_policy_id', sql<number>`count(*)::int`.as('n')])
    .where(
      'assignment_policy_id',
      'in',
      policies.map((p) => p.id),
    )
    .groupBy('assignment_policy_id')
    .execute();
  const byId = new Map(counts.map((c) => [c.assignment_policy_id, c.n]));
  return policies.map((policy) => ({ policy, inboxCount: byId.get(policy.id) ?? 0 }));
}

const viewOf = async (db: Db, policy: AssignmentPolicy) => (await views(db, [policy]))[0]!;

export async function fetchPolicy(ctx: AccountCtx, rawId: unknown): Promise<AssignmentPolicy> {
  const id = parseId(rawId);
  const row =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('assignment_policies')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw recordNotFound();
  return row;
}

export async function fetchInbox(ctx: AccountCtx, rawId: unknown): Promise<Inbox> {
  const id = parseId(rawId);
  const row =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('inboxes')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw recordNotFound();
  return row;
}

/** AssignmentPoliciesController (administrators only, AssignmentPolicyPolicy). */
export async function listPolicies(ctx: AccountCtx): Promise<AssignmentPolicyView[]> {
  requireAdministrator(ctx);
  const rows = await ctx.db
    .selectFrom('assignment_policies')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .orderBy('id')
    .execute();
  return views(ctx.db, rows);
}

export async function showPolicy(ctx: AccountCtx, rawId: string): Promise<AssignmentPolicyView> {
  requireAdministrator(ctx);
  return viewOf(ctx.db, await fetchPolicy(ctx, rawId));
}

export async function createPolicy(ctx: AccountCtx, fields: PolicyFields): Promise<AssignmentPolicyView> {
  requireAdministrator(ctx);
  const columns = policyColumns(fields, true);
  const row = await takenAs('name', () =>
    ctx.db
      .insertInto('assignment_policies')
      .values({ ...columns, account_id: ctx.account.id, name: columns.name! })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return { policy: row, inboxCount: 0 };
}

export async function updatePolicy(
  ctx: AccountCtx,
  rawId: string,
  fields: PolicyFields,
): Promise<AssignmentPolicyView> {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawId);
  const columns = policyColumns(fields, false);
  const row = await takenAs('name', () =>
    ctx.db
      .updateTable('assignment_policies')
      .set({ ...columns, updated_at: new Date() })
      .where('account_id', '=', ctx.account.id)
      .where('id', '=', policy.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return viewOf(ctx.db, row);
}

/** destroy!: its inbox links go with it (dependent: :destroy). */
export async function deletePolicy(ctx: AccountCtx, rawId: string): Promise<void> {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawId);
  await ctx.db
    .deleteFrom('assignment_policies')
    .where('account_id', '=', ctx.account.id)
    .where('id', '=', policy.id)
    .execute();
}

/** AssignmentPolicies::InboxesController#index: the inboxes using the policy. */
export async function policyInboxes(ctx: AccountCtx, rawId: string): Promise<Inbox[]> {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawId);
  return ctx.db
    .selectFrom('inboxes')
    .innerJoin('inbox_assignment_policies as iap', 'iap.inbox_id', 'inboxes.id')
    .selectAll('inboxes')
    .where('iap.account_id', '=', ctx.account.id)
    .where('iap.assignment_policy_id', '=', policy.id)
    .orderBy('inboxes.id')
    .execute();
}

/** Replaces the inbox's link (one policy per inbox): InboxesController#create and Inboxes::AssignmentPoliciesController#create. */
export async function linkInbox(ctx: AccountCtx, policy: AssignmentPolicy, inbox: Inbox) {
  return ctx.db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('inbox_assignment_policies')
      .where('account_id', '=', ctx.account.id)
      .where('inbox_id', '=', inbox.id)
      .execute();
    return tx
      .insertInto('inbox_assignment_policies')
      .values({ account_id: ctx.account.id, inbox_id: inbox.id, assignment_policy_id: policy.id })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function linkPolicyInbox(ctx: AccountCtx, rawPolicyId: string, rawInboxId: unknown) {
  requireAdministrator(ctx);
  const policy = await fetchPolicy(ctx, rawPolicyId);
  return linkInbox(ctx, policy, await fetchInbox(ctx, rawInboxId));
}

/** AssignmentPolicies::InboxesController#destroy: the inbox's link goes, whichever policy it names. */
export async function unlinkPolicyInbox(ctx: AccountCtx, rawPolicyId: string, rawInboxId: string): Promise<void> {
  requireAdministrator(ctx);
  await fetchPolicy(ctx, rawPolicyId);
  const inbox = await fetchInbox(ctx, rawInboxId);
  await ctx.db
    .deleteFrom('inbox_assignment_policies')
    .where('account_id', '=', ctx.account.id)
    .where('inbox_id', '=', inbox.id)
    .execute();
}

/** Inboxes::AssignmentPoliciesController#show: the inbox's policy, else 404 "Assignment policy not found". */
export async function inboxPolicy(ctx: AccountCtx, rawInboxId: string): Promise<AssignmentPolicyView> {
  requireAdministrator(ctx);
  const inbox = await fetchInbox(ctx, rawInboxId);
  const policy = await ctx.db
    .selectFrom('assignment_policies as ap')
    .innerJoin('inbox_assignment_policies as iap', 'iap.assignment_policy_id', 'ap.id')
    .selectAll('ap')
    .where('iap.account_id', '=', ctx.account.id)
    .where('iap.inbox_id', '=', inbox.id)
    .executeTakeFirst();
  if (!policy) throw policyNotFound();
  return viewOf(ctx.db, policy);
}

export async function setInboxPolicy(
  ctx: AccountCtx,
  rawInboxId: string,
  rawPolicyId: unknown,
): Promise<AssignmentPolicyView> {
  requireAdministrator(ctx);
  const inbox = await fetchInbox(ctx, rawInboxId);
  const policy = await fetchPolicy(ctx, rawPolicyId);
  await linkInbox(ctx, policy, inbox);
  return viewOf(ctx.db, policy);
}

export async function removeInboxPolicy(ctx: AccountCtx, rawInboxId: string): Promise<void> {
  requireAdministrator(ctx);
  const inbox = await fetchInbox(ctx, rawInboxId);
  const removed = await ctx.db
    .deleteFrom('inbox_assignment_policies')
    .where('account_id', '=', ctx.account.id)
    .where('inbox_id', '=', inbox.id)
    .executeTakeFirst();
  if (removed.numDeletedRows === 0n) throw policyNotFound();
}
