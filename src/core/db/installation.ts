import { sql } from 'kysely';
import type { Db } from './kysely.js';

/**
 * A name for this installation: its PostgreSQL cluster's system identifier and its database's
 * name. Installations — or test servers, one database each — that share a Redis put it in their
 * keys and channels, so that they never read each other's.
 */
export async function installationScope(db: Db): Promise<string> {
  const { rows } = await sql<{
    scope: string;
  }>`select (select system_identifier::text from pg_control_system()) || ':' || current_database() as scope`.execute(
    db,
  );
  return rows[0]!.scope;
}
