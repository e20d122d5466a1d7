import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { AgentBot, AgentBotsTable } from '../../core/db/schema.js';

export async function findAgentBot(db: Db, id: number): Promise<AgentBot | undefined> {
  return db.selectFrom('agent_bots').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function agentBotExists(db: Db, id: number): Promise<boolean> {
  return (await db.selectFrom('agent_bots').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function findAgentBots(db: Db, ids: number[]): Promise<AgentBot[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('agent_bots').selectAll().where('id', 'in', ids).orderBy('id').execute();
}

export async function insertAgentBot(db: Db, values: Insertable<AgentBotsTable>): Promise<AgentBot> {
  return db.insertInto('agent_bots').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateAgentBot(db: Db, id: number, values: Updateable<AgentBotsTable>): Promise<AgentBot> {
  return db
    .updateTable('agent_bots')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteAgentBot(db: Db, id: number): Promise<void> {
  await db.deleteFrom('agent_bots').where('id', '=', id).execute();
}

/**
 * The fields both bot APIs accept, as they are written to agent_bots (only those given).
 * avatar_url is not a column write: Chatwoot fetches the image in a job (queueAvatarFromUrl).
 */
export interface AgentBotFields {
  name?: string | null;
  description?: string | null;
  outgoing_url?: string | null;
  avatar_url?: string | null;
  account_id?: number | null;
  bot_config?: Record<string, unknown>;
}

export function agentBotColumns(fields: AgentBotFields) {
  return {
    ...(fields.name !== undefined && { name: fields.name }),
    ...(fields.description !== undefined && { description: fields.description }),
    ...(fields.outgoing_url !== undefined && { outgoing_url: fields.outgoing_url }),
    ...(fields.account_id !== undefined && { account_id: fields.account_id }),
    ...(fields.bot_config !== undefined && { bot_config: JSON.stringify(fields.bot_config) }),
  };
}
