import { sql } from 'kysely';
import { prepared } from '../../core/db/prepared.js';
import type { Db } from '../../core/db/kysely.js';
import type { AutomationRule } from '../../core/db/schema.js';

/** The account's active rules for these events, in rule order (the order they run in). */
export const activeRules = async (db: Db, accountId: number, events: readonly string[]): Promise<AutomationRule[]> =>
  (
    await prepared(sql<AutomationRule>`select * from automation_rules where account_id = ${accountId}
      and active and event_name = any(${events}::text[]) order by id`).execute(db)
  ).rows;
