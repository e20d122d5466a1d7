import type { Db } from '../../core/db/kysely.js';
import type { Blob } from '../../core/db/schema.js';

export async function conversationExists(db: Db, accountId: number, displayId: number): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('account_id', '=', accountId)
    .where('display_id', '=', displayId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewBlob {
  account_id: number;
  key: string;
  filename: string;
  content_type: string;
  byte_size: number;
  checksum: string | null;
  uploaded?: boolean;
  upload_token_digest?: string | null;
}

export function insertBlob(db: Db, values: NewBlob): Promise<Blob> {
  return db.insertInto('blobs').values(values).returningAll().executeTakeFirstOrThrow();
}

/** The direct upload still waiting for the bytes of this token (by its digest). */
export function pendingBlob(db: Db, digest: string): Promise<Blob | undefined> {
  return db
    .selectFrom('blobs')
    .selectAll()
    .where('upload_token_digest', '=', digest)
    .where('uploaded', '=', false)
    .executeTakeFirst();
}

/** Marks the bytes received; the token cannot be used again. */
export async function markUploaded(db: Db, id: number): Promise<void> {
  await db
    .updateTable('blobs')
    .set({ uploaded: true, upload_token_digest: null })
    .where('id', '=', id)
    .where('uploaded', '=', false)
    .execute();
}
