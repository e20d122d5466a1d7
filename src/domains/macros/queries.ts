import type { Db } from '../../core/db/kysely.js';
import type { Macro } from '../../core/db/schema.js';
import type { MacroView } from '../../serializers/macro.js';
import { listAgentViews } from '../agents/queries.js';
import { loadActionFiles } from '../automation-actions/files.js';

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

/** What the partial shows of each macro, loaded once for all: authors as members of the account, files. */
export async function loadMacroViews(db: Db, accountId: number, macros: Macro[]): Promise<MacroView[]> {
  const userIds = [
    ...new Set(macros.flatMap((m) => [m.created_by_id, m.updated_by_id]).filter((id): id is number => id !== null)),
  ];
  const [agents, files] = await Promise.all([
    listAgentViews(db, accountId, userIds),
    loadActionFiles(db, accountId, macros),
  ]);
  const agentOf = (id: number | null) => (id === null ? undefined : agents.find((a) => a.user.id === id));
  return macros.map((macro, i) => ({
    macro,
    createdBy: agentOf(macro.created_by_id),
    updatedBy: agentOf(macro.updated_by_id),
    files: files[i]!,
  }));
}
