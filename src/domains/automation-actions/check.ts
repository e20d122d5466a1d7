import type { Db } from '../../core/db/kysely.js';
import { actionHandler } from './registry.js';
import type { ActionEntry } from './types.js';

/** An action as a request sends it: its params not yet known to be an array. */
interface UncheckedAction {
  action_name: string;
  action_params?: unknown;
}

/** Stored params are an array; anything else checks as none. */
const paramsOf = (action: UncheckedAction): unknown[] =>
  Array.isArray(action.action_params) ? action.action_params : [];

/**
 * Every problem each action's own check() finds in a rule's or macro's actions (ids of another
 * account, bad addresses…), in order: rules report them all, macros the first.
 */
export async function actionProblems(
  db: Db,
  accountId: number,
  actions: readonly UncheckedAction[],
): Promise<{ action_name: string; message: string }[]> {
  const problems: { action_name: string; message: string }[] = [];
  for (const action of actions) {
    const check = actionHandler(action.action_name)?.check;
    const message = check ? await check(db, { accountId, params: paramsOf(action) }) : null;
    if (message) problems.push({ action_name: action.action_name, message });
  }
  return problems;
}

/**
 * Checks a rule's or macro's actions before they are saved, each by its handler's check(), and
 * returns them as they are to be stored (normalize()): the first problem as `{ error }`, else
 * `{ actions }`. Action names are the caller's to allow (each model has its own list).
 */
export async function checkActions(
  db: Db,
  accountId: number,
  actions: readonly ActionEntry[],
): Promise<{ error: string } | { actions: ActionEntry[] }> {
  const [problem] = await actionProblems(db, accountId, actions);
  if (problem) return { error: problem.message };
  return { actions: await normalizeActions(db, accountId, actions) };
}

/**
 * Actions as they are stored, once checked: each handler's normalize() applied to its params
 * (send_attachment: a signed id becomes its blob's numeric id, as Chatwoot's AttachmentConcern
 * stores `[blob.id]`); params of other actions are kept as sent.
 */
export async function normalizeActions<T extends UncheckedAction>(
  db: Db,
  accountId: number,
  actions: readonly T[],
): Promise<T[]> {
  const stored: T[] = [];
  for (const action of actions) {
    const handler = actionHandler(action.action_name);
    if (!handler?.normalize) {
      stored.push({ ...action });
      continue;
    }
    stored.push({ ...action, action_params: await handler.normalize(db, { accountId, params: paramsOf(action) }) });
  }
  return stored;
}
