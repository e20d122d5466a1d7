import type { SlaPolicy } from '../../core/db/schema.js';
import { transactionally } from '../../core/events/bus.js';
import { recordNotFound, validationFailed } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import { recheckPolicySlas } from '../conversations/sla.js';
import type { SlaPolicyFields } from './schemas.js';

/**
 * enterprise SlaPoliciesController: every member may list and show (SlaPolicyPolicy), only
 * administrators create, update and destroy (401 otherwise). A missing id is a 404 (upstream
 * finds with find_by and then fails on nil).
 */

const seconds = (raw: number | string | null | undefined) =>
  raw === undefined ? undefined : raw === null || raw === '' ? null : Number(raw);
const flag = (raw: boolean | string | null | undefined) =>
  raw === undefined ? undefined : raw === true || raw === 'true' || raw === '1';

/** The columns a body sets; SlaPolicy validates the name's presence only. */
function columnsOf(fields: SlaPolicyFields, creating: boolean) {
  if ((creating || fields.name !== undefined) && isBlank(fields.name))
    throw validationFailed([{ attribute: 'name', message: "can't be blank" }]);
  for (const attribute of ['name', 'description'] as const)
    if (fields[attribute]?.includes('\0')) throw validationFailed([{ attribute, message: 'is invalid' }]);
  const columns = {
    name: fields.name ?? undefined,
    description: fields.description,
    first_response_time_threshold: seconds(fields.first_response_time_threshold),
    next_response_time_threshold: seconds(fields.next_response_time_threshold),
    resolution_time_threshold: seconds(fields.resolution_time_threshold),
    only_during_business_hours: flag(fields.only_during_business_hours),
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as Partial<
    Omit<SlaPolicy, 'id' | 'account_id' | 'created_at' | 'updated_at'>
  >;
}

export async function fetchSlaPolicy(ctx: AccountCtx, rawId: string): Promise<SlaPolicy> {
  const id = parseId(rawId);
  const row =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('sla_policies')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw recordNotFound();
  return row;
}

export async function listSlaPolicies(ctx: AccountCtx): Promise<SlaPolicy[]> {
  return ctx.db.selectFrom('sla_policies').selectAll().where('account_id', '=', ctx.account.id).orderBy('id').execute();
}

export async function createSlaPolicy(ctx: AccountCtx, fields: SlaPolicyFields): Promise<SlaPolicy> {
  requireAdministrator(ctx);
  const columns = columnsOf(fields, true);
  return ctx.db
    .insertInto('sla_policies')
    .values({ ...columns, name: columns.name!, account_id: ctx.account.id })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateSlaPolicy(ctx: AccountCtx, rawId: string, fields: SlaPolicyFields): Promise<SlaPolicy> {
  requireAdministrator(ctx);
  const row = await fetchSlaPolicy(ctx, rawId);
  const columns = columnsOf(fields, false);
  return transactionally(ctx, async (tx) => {
    const updated = await tx
      .updateTable('sla_policies')
      .set({ ...columns, updated_at: new Date() })
      .where('account_id', '=', ctx.account.id)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // new targets move the due times of the conversations under the policy
    const targetsMoved = (
      [
        'first_response_time_threshold',
        'next_response_time_threshold',
        'resolution_time_threshold',
        'only_during_business_hours',
      ] as const
    ).some((key) => updated[key] !== row[key]);
    if (targetsMoved) await recheckPolicySlas(tx, ctx.account.id, row.id);
    return updated;
  });
}

/**
 * Chatwoot deletes in DeleteObjectJob; here at once: its applied SLAs and events go with it and
 * its conversations keep no policy (has_many :conversations, dependent: :nullify), by the foreign keys.
 */
export async function deleteSlaPolicy(ctx: AccountCtx, rawId: string): Promise<void> {
  requireAdministrator(ctx);
  const row = await fetchSlaPolicy(ctx, rawId);
  await ctx.db.deleteFrom('sla_policies').where('account_id', '=', ctx.account.id).where('id', '=', row.id).execute();
}
