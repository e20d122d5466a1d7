import type { Db } from '../../core/db/kysely.js';
import type { Blob } from '../../core/db/schema.js';

/**
 * The blob ids a rule's or macro's send_attachment actions name, as they are stored (numbers, once
 * normalize() turned a signed id into its blob's id), in order and without repeats.
 */
export function attachmentBlobIds(actions: unknown): number[] {
  if (!Array.isArray(actions)) return [];
  const ids = actions.flatMap((action: { action_name?: unknown; action_params?: unknown }) =>
    action?.action_name === 'send_attachment' && Array.isArray(action.action_params)
      ? action.action_params.filter((id): id is number => Number.isSafeInteger(id))
      : [],
  );
  return [...new Set(ids)];
}

/**
 * The files of several rules or macros at once (Chatwoot's `files` attachments, which its
 * controllers attach from the send_attachment actions): the account's blobs their actions name,
 * one query for all. Returns each owner's blobs, in the order of its actions.
 */
export async function loadActionFiles(
  db: Db,
  accountId: number,
  owners: readonly { actions: unknown }[],
): Promise<Blob[][]> {
  const wanted = owners.map((owner) => attachmentBlobIds(owner.actions));
  const all = [...new Set(wanted.flat())];
  const blobs = all.length
    ? await db.selectFrom('blobs').selectAll().where('account_id', '=', accountId).where('id', 'in', all).execute()
    : [];
  const byId = new Map(blobs.map((blob) => [blob.id, blob]));
  return wanted.map((ids) => ids.flatMap((id) => byId.get(id) ?? []));
}
