import type { Db } from '../../core/db/kysely.js';
import type { PermissibleType } from '../../core/db/schema.js';
import { nonPermissible, notFound } from '../../core/errors.js';

/** Records that a platform app may manage an object (every object it creates; CLI grants). */
export async function grantPermissible(
  db: Db,
  platformAppId: number,
  type: PermissibleType,
  id: number,
): Promise<void> {
  await db
    .insertInto('platform_app_permissibles')
    .values({ platform_app_id: platformAppId, permissible_type: type, permissible_id: id })
    .onConflict((oc) => oc.columns(['platform_app_id', 'permissible_type', 'permissible_id']).doNothing())
    .execute();
}

/** Forgets every grant on an object that is being deleted (the table is polymorphic: no FK cascade). */
export async function dropPermissibles(db: Db, type: PermissibleType, id: number): Promise<void> {
  await db
    .deleteFrom('platform_app_permissibles')
    .where('permissible_type', '=', type)
    .where('permissible_id', '=', id)
    .execute();
}

/**
 * Chatwoot order: `Model.find(id)` first (404 when absent), then the permissible check
 * (401 Non permissible resource). Returns the id once both pass.
 */
export async function assertPermitted(
  db: Db,
  platformAppId: number,
  type: PermissibleType,
  id: number | undefined,
  exists: (id: number) => Promise<boolean>,
): Promise<number> {
  if (id === undefined || !(await exists(id))) throw notFound();
  const grant = await db
    .selectFrom('platform_app_permissibles')
    .select('id')
    .where('platform_app_id', '=', platformAppId)
    .where('permissible_type', '=', type)
    .where('permissible_id', '=', id)
    .executeTakeFirst();
  if (!grant) throw nonPermissible();
  return id;
}

/** Ids of one kind that the app may manage (GET /platform/api/v1/agent_bots lists only those). */
export async function permittedIds(db: Db, platformAppId: number, type: PermissibleType): Promise<number[]> {
  const rows = await db
    .selectFrom('platform_app_permissibles')
    .select('permissible_id')
    .where('platform_app_id', '=', platformAppId)
    .where('permissible_type', '=', type)
    .execute();
  return rows.map((row) => row.permissible_id);
}
