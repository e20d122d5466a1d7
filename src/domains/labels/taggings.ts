import { ANY_PLAN } from '../../core/db/prepared.js';
import type { Db } from '../../core/db/kysely.js';

/** Labels on contacts and conversations: tag names, as acts_as_taggable_on keeps them in Chatwoot. */
export type Taggable = 'Contact' | 'Conversation';

/** The labels of one record, in the order they were added. */
export async function labelsOf(db: Db, type: Taggable, id: number): Promise<string[]> {
  const rows = await db
    .selectFrom('taggings')
    .modifyFront(ANY_PLAN)
    .select('name')
    .where('taggable_type', '=', type)
    .where('taggable_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.name);
}

/** Label names as Chatwoot stores them: trimmed, lowercase, each once. */
export const normaliseLabels = (labels: string[]) => [
  ...new Set(labels.map((l) => l.trim().toLowerCase()).filter(Boolean)),
];

/** Replaces the record's labels with exactly these; returns what was added and removed. */
export interface LabelReplacement {
  accountId: number;
  taggableType: Taggable;
  taggableId: number;
  labels: string[];
}

export async function replaceLabels(
  db: Db,
  { accountId, taggableType: type, taggableId: id, labels }: LabelReplacement,
): Promise<{ added: string[]; removed: string[] }> {
  const wanted = normaliseLabels(labels);
  let removal = db.deleteFrom('taggings').where('taggable_type', '=', type).where('taggable_id', '=', id);
  if (wanted.length) removal = removal.where('name', 'not in', wanted);
  const removed = (await removal.returning('name').modifyEnd(ANY_PLAN).execute()).map((row) => row.name);
  if (wanted.length === 0) return { added: [], removed };
  const added = await db
    .insertInto('taggings')
    .values(wanted.map((name) => ({ account_id: accountId, taggable_type: type, taggable_id: id, name })))
    .onConflict((oc) => oc.columns(['taggable_type', 'taggable_id', 'name']).doNothing())
    .returning('name')
    .modifyEnd(ANY_PLAN)
    .execute();
  return { added: added.map((row) => row.name), removed };
}
