import type { Db } from '../../core/db/kysely.js';
import { ACTION_HANDLERS } from './registry.js';
import type { ActionEntry } from './types.js';

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
  const stored: ActionEntry[] = [];
  for (const action of actions) {
    const handler = ACTION_HANDLERS[action.action_name];
    const params = action.action_params ?? [];
    const error = handler?.check ? await handler.check(db, { accountId, params }) : null;
    if (error) return { error };
    const kept = handler?.normalize ? await handler.normalize(db, { accountId, params }) : params;
    stored.push(
      action.action_params === undefined && !handler?.normalize ? { ...action } : { ...action, action_params: kept },
    );
  }
  return { actions: stored };
}
