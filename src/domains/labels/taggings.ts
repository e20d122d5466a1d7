import { sql } from 'kysely';
import { ANY_PLAN, prepared } from '../../core/db/prepared.js';
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

/** A change of one record's labels: `add` them, and remove `remove` ('others': every label not added). */
export interface LabelChange {
  accountId: number;
  taggableType: Taggable;
  taggableId: number;
  add: string[];
  remove: string[] | 'others';
}

/** The labels before a change (in the order they were added), and what it added and removed. */
export interface LabelsChanged {
  previous: string[];
  added: string[];
  removed: string[];
  /** The labels after it, in the order they were added. */
  after: string[];
}

/**
 * Changes a record's labels in one statement: the removals, the additions (in the order given) and
 * the labels as they were before, read in the statement's snapshot. A label both added and
 * removed stays. The caller holds the record, so what follows the change is computed, not read.
 */
export async function changeLabels(
  db: Db,
  { accountId, taggableType: type, taggableId: id, add, remove }: LabelChange,
): Promise<LabelsChanged> {
  const adding = normaliseLabels(add);
  const removing = remove === 'others' ? null : normaliseLabels(remove);
  const { rows } = await prepared(sql<{ previous: string[]; removed: string[]; added: string[] }>`
    with removed as (
      delete from taggings
       where taggable_type = ${type} and taggable_id = ${id}
         and (${removing}::text[] is null or name = any(${removing}::text[]))
         and not (name = any(${adding}::text[]))
      returning name),
    added as (
      insert into taggings (account_id, taggable_type, taggable_id, name)
      select ${accountId}, ${type}, ${id}, u.name from unnest(${adding}::text[]) with ordinality as u(name, position)
       order by u.position
      on conflict (taggable_type, taggable_id, name) do nothing
      returning id, name)
    select array(select name from taggings where taggable_type = ${type} and taggable_id = ${id} order by id) as previous,
           array(select name from removed) as removed,
           array(select name from added order by id) as added`).execute(db);
  const { previous, removed: gone, added } = rows[0]!;
  const removedSet = new Set(gone);
  const removed = previous.filter((name) => removedSet.has(name));
  return { previous, added, removed, after: [...previous.filter((name) => !removedSet.has(name)), ...added] };
}

/** Replaces the record's labels with exactly these; returns what was added and removed. */
export const replaceLabels = (
  db: Db,
  { labels, ...record }: Omit<LabelChange, 'add' | 'remove'> & { labels: string[] },
): Promise<LabelsChanged> => changeLabels(db, { ...record, add: labels, remove: 'others' });
