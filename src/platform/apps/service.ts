import type { Db } from '../../core/db/kysely.js';
import type { PermissibleType, PlatformApp } from '../../core/db/schema.js';
import { deleteAccessTokens, issueAccessToken, accessTokensFor } from '../../core/tokens/access-tokens.js';

/**
 * Platform apps are minted by the installation's operator (Chatwoot: Super Admin console);
 * Confab does it from the CLI. Each gets one access token, like AccessTokenable.
 */
export interface PlatformAppWithToken {
  id: number;
  name: string;
  access_token: string | null;
  revoked: boolean;
  created_at: string;
}

export class PlatformAppInputError extends Error {}

function present(app: PlatformApp, token: string | undefined): PlatformAppWithToken {
  return {
    id: app.id,
    name: app.name,
    access_token: token ?? null,
    revoked: app.revoked_at !== null,
    created_at: new Date(app.created_at).toISOString(),
  };
}

export async function createPlatformApp(db: Db, name: string): Promise<PlatformAppWithToken> {
  const trimmed = name.trim();
  if (!trimmed) throw new PlatformAppInputError('--name is required');
  return db.transaction().execute(async (tx) => {
    const app = await tx.insertInto('platform_apps').values({ name: trimmed }).returningAll().executeTakeFirstOrThrow();
    const token = await issueAccessToken(tx, 'PlatformApp', app.id);
    return present(app, token);
  });
}

export async function listPlatformApps(db: Db): Promise<PlatformAppWithToken[]> {
  const apps = await db.selectFrom('platform_apps').selectAll().orderBy('id').execute();
  const tokens = await accessTokensFor(
    db,
    'PlatformApp',
    apps.map((app) => app.id),
  );
  return apps.map((app) => present(app, tokens.get(app.id)));
}

/** Revokes the app's token: every later Platform API call with it answers 401. */
export async function revokePlatformApp(db: Db, id: number): Promise<PlatformAppWithToken> {
  return db.transaction().execute(async (tx) => {
    const app = await tx
      .updateTable('platform_apps')
      .set({ revoked_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!app) throw new PlatformAppInputError(`No platform app with id ${id}`);
    await deleteAccessTokens(tx, 'PlatformApp', [id]);
    return present(app, undefined);
  });
}

const PERMISSIBLE_TABLES = {
  account: ['Account', 'accounts'],
  user: ['User', 'users'],
  agent_bot: ['AgentBot', 'agent_bots'],
} as const;

/** Grants an existing object to an app, like Chatwoot's `PlatformAppPermissible.create!`. Idempotent. */
export async function permitObject(db: Db, appId: number, kind: string, objectId: number) {
  const entry = PERMISSIBLE_TABLES[kind as keyof typeof PERMISSIBLE_TABLES];
  if (!entry) throw new PlatformAppInputError(`Type must be one of: ${Object.keys(PERMISSIBLE_TABLES).join(', ')}`);
  const [type, table] = entry as [PermissibleType, 'accounts' | 'users' | 'agent_bots'];
  return db.transaction().execute(async (tx) => {
    const app = await tx.selectFrom('platform_apps').select('id').where('id', '=', appId).executeTakeFirst();
    if (!app) throw new PlatformAppInputError(`No platform app with id ${appId}`);
    const target = await tx.selectFrom(table).select('id').where('id', '=', objectId).executeTakeFirst();
    if (!target) throw new PlatformAppInputError(`No ${kind} with id ${objectId}`);
    await tx
      .insertInto('platform_app_permissibles')
      .values({ platform_app_id: appId, permissible_type: type, permissible_id: objectId })
      .onConflict((oc) => oc.columns(['platform_app_id', 'permissible_type', 'permissible_id']).doNothing())
      .execute();
    return { platform_app_id: appId, permissible_type: type, permissible_id: objectId };
  });
}
