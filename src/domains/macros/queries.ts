import type { Db } from '../../core/db/kysely.js';
import type { Macro } from '../../core/db/schema.js';
import type { MacroView } from '../../serializers/macro.js';
import { listAgentViews } from '../agents/queries.js';

/** The account's macro with this id, or undefined. */
export function findMacro(db: Db, accountId: number, id: number): Promise<Macro | undefined> {
  return db
    .selectFrom('macros')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Macro.with_visibility: the account's global macros and the user's own personal ones, by id. */
export function visibleMacros(db: Db, accountId: number, userId: number): Promise<Macro[]> {
  return db
    .selectFrom('macros')
    .selectAll()
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('visibility', '=', 1), eb('created_by_id', '=', userId)]))
    .orderBy('id')
    .execute();
}

/** The blob ids a macro's send_attachment actions name (stored as numbers). */
export function attachmentBlobIds(actions: unknown): number[] {
  if (!Array.isArray(actions)) return [];
  return actions.flatMap((action: { action_name?: unknown; action_params?: unknown }) =>
    action?.action_name === 'send_attachment' && Array.isArray(action.action_params)
      ? action.action_params.filter((id): id is number => Number.isSafeInteger(id))
      : [],
  );
}

/** What the partial shows of each macro, loaded once for all: authors as members of the account, files. */
export async function loadMacroViews(db: Db, accountId: number, macros: Macro[]): Promise<MacroView[]> {
  const userIds = [
    ...new Set(macros.flatMap((m) => [m.created_by_id, m.updated_by_id]).filter((id): id is number => id !== null)),
  ];
  const blobIds = [...new Set(macros.flatMap((m) => attachmentBlobIds(m.actions)))];
  const [agents, blobs] = await Promise.all([
    listAgentViews(db, accountId, userIds),
    blobIds.length
      ? db.selectFrom('blobs').selectAll().where('account_id', '=', accountId).where('id', 'in', blobIds).execute()
      : [],
  ]);
  const agentOf = (id: number | null) => (id === null ? undefined : agents.find((a) => a.user.id === id));
  return macros.map((macro) => {
    const ids = attachmentBlobIds(macro.actions);
    return {
      macro,
      createdBy: agentOf(macro.created_by_id),
      updatedBy: agentOf(macro.updated_by_id),
      files: blobs.filter((b) => ids.includes(b.id)),
    };
  });
}
