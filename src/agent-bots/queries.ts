import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/kysely.js';
import type { AgentBot, AgentBotsTable } from '../db/schema.js';

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
  return db.updateTable('agent_bots').set({ ...values, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteAgentBot(db: Db, id: number): Promise<void> {
  await db.deleteFrom('agent_bots').where('id', '=', id).execute();
}
