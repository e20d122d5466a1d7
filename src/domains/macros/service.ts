import { MACRO_VISIBILITIES } from '../../core/db/enums.js';
import type { Macro } from '../../core/db/schema.js';
import { AppError, recordNotFound, unauthorizedAction } from '../../core/errors.js';
import { actorUserId, isAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { addJob } from '../../core/jobs/runner.js';
import type { MacroView } from '../../serializers/macro.js';
import { checkActions } from '../automation-actions/check.js';
import type { ActionEntry } from '../automation-actions/types.js';
import { findMacro, loadMacroViews, visibleMacros } from './queries.js';
import type { ExecuteBody, MacroBody } from './schemas.js';

/** The graphile-worker task that runs a macro on conversations (Chatwoot's MacrosExecutionJob). */
export const MACROS_EXECUTION = 'macros_execution';

/** What the job receives: the macro is read when it runs, so it runs the actions as they are then. */
export interface MacroExecutionJob {
  account_id: number;
  user_id: number;
  macro_id: number;
  conversation_ids: number[];
}

/** Macro::ACTIONS_ATTRS: what a macro may do (no open_conversation, send_email_to_team or add_sla). */
export const MACRO_ACTIONS: readonly string[] = [
  'send_message',
  'add_label',
  'assign_team',
  'assign_agent',
  'mute_conversation',
  'change_status',
  'remove_label',
  'remove_assigned_team',
  'resolve_conversation',
  'snooze_conversation',
  'change_priority',
  'send_email_transcript',
  'send_attachment',
  'add_private_note',
  'send_webhook_event',
];

const GLOBAL = MACRO_VISIBILITIES.indexOf('global');
const PERSONAL = MACRO_VISIBILITIES.indexOf('personal');

/** `render json: { error: @macro.errors.messages }, status: :unprocessable_entity`. */
const invalid = (attribute: string, message: string) =>
  new AppError('unprocessable', 422, { error: { [attribute]: [message] } });

/** Which macro a caller may even know of: global ones and their own (MacroPolicy#show?). */
const knownTo = (ctx: AccountCtx, macro: Macro) =>
  macro.visibility === GLOBAL || macro.created_by_id === actorUserId(ctx);

/**
 * The account's macro, if the caller may see it. Chatwoot answers another user's personal macro
 * with 401; it is a 404 here, as if it did not exist (Confab's brief: personal means invisible).
 */
async function fetchKnownMacro(ctx: AccountCtx, rawId: string): Promise<Macro | undefined> {
  const id = parseId(rawId);
  const macro = id === undefined ? undefined : await findMacro(ctx.db, ctx.account.id, id);
  return macro && knownTo(ctx, macro) ? macro : undefined;
}

/** MacroPolicy#update? and #destroy?: a global macro is the administrators', a personal one its author's. */
function authorizeChange(ctx: AccountCtx, macro: Macro): void {
  if (macro.visibility === GLOBAL ? !isAdministrator(ctx) : macro.created_by_id !== actorUserId(ctx))
    throw unauthorizedAction();
}

async function view(ctx: AccountCtx, macro: Macro): Promise<MacroView> {
  return (await loadMacroViews(ctx.db, ctx.account.id, [macro]))[0]!;
}

/** GET /macros: Macro.with_visibility, ordered by id. */
export async function listMacros(ctx: AccountCtx): Promise<MacroView[]> {
  return loadMacroViews(ctx.db, ctx.account.id, await visibleMacros(ctx.db, ctx.account.id, actorUserId(ctx)));
}

/** GET /macros/:id: undefined (404 with an empty body, as Chatwoot's `head :not_found`) when unknown. */
export async function showMacro(ctx: AccountCtx, rawId: string): Promise<MacroView | undefined> {
  const macro = await fetchKnownMacro(ctx, rawId);
  return macro ? view(ctx, macro) : undefined;
}

/** Macro#set_visibility: the given visibility, but always personal for an agent. */
function visibilityFrom(ctx: AccountCtx, raw: string | null | undefined, current: number): number {
  if (!isAdministrator(ctx)) return PERSONAL;
  if (raw === undefined || raw === null || raw === '') return current;
  const value = (MACRO_VISIBILITIES as readonly string[]).indexOf(raw);
  if (value === -1) throw new AppError('unprocessable', 422, { error: `'${raw}' is not a valid visibility` });
  return value;
}

/** Macro#json_actions_format, then each action's own check of its params (ids of this account…). */
async function storedActions(ctx: AccountCtx, actions: ActionEntry[]): Promise<ActionEntry[]> {
  const unsupported = actions.map((a) => a.action_name).filter((name) => !MACRO_ACTIONS.includes(name));
  if (unsupported.length) throw invalid('actions', `Macro execution actions ${unsupported.join(',')} not supported.`);
  const checked = await checkActions(ctx.db, ctx.account.id, actions);
  if ('error' in checked) throw new AppError('unprocessable', 422, { error: checked.error });
  return checked.actions;
}

const actionsOf = (body: MacroBody): ActionEntry[] =>
  (body.actions ?? []).map((a) => (a.action_params == null ? { action_name: a.action_name } : { ...a }) as ActionEntry);

/** POST /macros: the caller is created_by and updated_by; nothing is written on a 422. */
export async function createMacro(ctx: AccountCtx, body: MacroBody): Promise<MacroView> {
  const userId = actorUserId(ctx);
  if (!body.name?.trim()) throw invalid('name', "can't be blank");
  const visibility = visibilityFrom(ctx, body.visibility, PERSONAL);
  const actions = await storedActions(ctx, actionsOf(body));
  const macro = await ctx.db
    .insertInto('macros')
    .values({
      account_id: ctx.account.id,
      name: body.name,
      visibility,
      created_by_id: userId,
      updated_by_id: userId,
      actions: JSON.stringify(actions),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return view(ctx, macro);
}

/** PATCH/PUT /macros/:id: name, visibility and actions are replaced only when sent; the caller is updated_by. */
export async function updateMacro(ctx: AccountCtx, rawId: string, body: MacroBody): Promise<MacroView> {
  const macro = await fetchKnownMacro(ctx, rawId);
  if (!macro) throw recordNotFound();
  authorizeChange(ctx, macro);
  if (body.name !== undefined && !body.name?.trim()) throw invalid('name', "can't be blank");
  const visibility = visibilityFrom(ctx, body.visibility, macro.visibility);
  const actions = body.actions === undefined ? undefined : await storedActions(ctx, actionsOf(body));
  const updated = await ctx.db
    .updateTable('macros')
    .set({
      ...(body.name ? { name: body.name } : {}),
      visibility,
      ...(actions ? { actions: JSON.stringify(actions) } : {}),
      updated_by_id: actorUserId(ctx),
      updated_at: new Date(),
    })
    .where('account_id', '=', ctx.account.id)
    .where('id', '=', macro.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return view(ctx, updated);
}

/** DELETE /macros/:id. */
export async function deleteMacro(ctx: AccountCtx, rawId: string): Promise<void> {
  const macro = await fetchKnownMacro(ctx, rawId);
  if (!macro) throw recordNotFound();
  authorizeChange(ctx, macro);
  await ctx.db.deleteFrom('macros').where('account_id', '=', ctx.account.id).where('id', '=', macro.id).execute();
}

/**
 * POST /macros/:id/execute (MacroPolicy#execute?: a global macro, or the caller's own): queues
 * the job in this request and answers 200 with an empty body, as Chatwoot's perform_later does.
 * The job runs the actions as the caller, on the conversations with these display ids that the
 * caller may see.
 */
export async function executeMacro(ctx: AccountCtx, rawId: string, body: ExecuteBody): Promise<void> {
  const macro = await fetchKnownMacro(ctx, rawId);
  if (!macro) throw recordNotFound();
  const ids = [...new Set((body.conversation_ids ?? []).map(parseId).filter((id): id is number => id !== undefined))];
  if (ids.length === 0) return;
  const job: MacroExecutionJob = {
    account_id: ctx.account.id,
    user_id: actorUserId(ctx),
    macro_id: macro.id,
    conversation_ids: ids,
  };
  await addJob(ctx.db, MACROS_EXECUTION, job as unknown as Record<string, unknown>);
}
