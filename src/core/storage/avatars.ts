import { fileTypeFromBuffer } from 'file-type';
import type { Db } from '../db/kysely.js';
import { addJob } from '../jobs/runner.js';
import { recordNotFound, validationFailed } from '../errors.js';
import type { Storage } from './storage.js';

/**
 * Avatars (Chatwoot's Avatarable): one image per user, contact, agent bot or inbox, kept as a
 * blob in the attachment store; the row's avatar_url is where the store serves it, so every
 * serializer that reads avatar_url (and thumbnail) shows it without knowing about blobs.
 */

/** Avatarable#acceptable_avatar: "is too big" above 15 megabytes. */
export const AVATAR_MAX_BYTES = 15 * 1024 * 1024;

/**
 * The image types an avatar may be. Chatwoot's Avatarable accepts jpeg, png and gif; webp is
 * added here (its dashboard's file pickers offer it, and it is only an image).
 */
export const AVATAR_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** Declared types that say nothing about the bytes (curl and browsers send these for unknown files). */
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** An uploaded file, read whole (avatars and /upload files are bounded). */
export interface UploadedFile {
  data: Buffer;
  filename: string;
  /** What the client said the file is. */
  declaredType: string;
}

/** A checked avatar: its type is the one its bytes show. */
export interface AvatarFile {
  data: Buffer;
  filename: string;
  contentType: string;
}

/** The content type the bytes themselves show (magic numbers, via file-type), if any. */
export async function sniffContentType(data: Buffer): Promise<string | undefined> {
  return (await fileTypeFromBuffer(data))?.mime;
}

const tooBig = (attribute: string) => validationFailed([{ attribute, message: 'is too big' }]);
const unsupported = (attribute: string) => validationFailed([{ attribute, message: 'filetype not supported' }]);

/**
 * Checks an avatar before anything is stored: at most 15 MB, and an image (png, jpeg, gif, webp)
 * by its bytes. A file that declares one type while its bytes are another is refused too, as is
 * anything else; each is Chatwoot's 422 `{ message: "Avatar …", attributes: ["avatar"] }`.
 */
export async function checkAvatar(file: UploadedFile, attribute = 'avatar'): Promise<AvatarFile> {
  if (file.data.length > AVATAR_MAX_BYTES) throw tooBig(attribute);
  const sniffed = await sniffContentType(file.data);
  if (!sniffed || !AVATAR_TYPES.includes(sniffed)) throw unsupported(attribute);
  const declared = file.declaredType.split(';')[0]!.trim().toLowerCase();
  // image/jpg is a common misspelling of image/jpeg, not a lie
  const normalized = declared === 'image/jpg' ? 'image/jpeg' : declared;
  if (!GENERIC_TYPES.has(normalized) && normalized !== sniffed) throw unsupported(attribute);
  return { data: file.data, filename: safeFilename(file.filename), contentType: sniffed };
}

/** A filename fit for a URL path segment and a Content-Disposition header. */
export function safeFilename(raw: string): string {
  const base = [...raw.replace(/^.*[\\/]/, '')].filter((c) => c.charCodeAt(0) > 31 && c !== '\u007f').join('');
  return base.slice(-200) || 'file';
}

/** The tables whose rows carry an avatar (a portal's is its logo). */
export type AvatarOwner = 'users' | 'contacts' | 'agent_bots' | 'inboxes' | 'portals';

export interface AvatarTarget {
  owner: AvatarOwner;
  id: number;
  /**
   * The account the row belongs to: the query is limited to it (contacts, inboxes, an account's
   * bots) and the blob is filed under it; null for users and global bots.
   */
  accountId: number | null;
}

export interface AvatarState {
  avatar_url: string | null;
  avatar_blob_id: number | null;
}

// The four tables share id, account_id (but users), avatar_url, avatar_blob_id and updated_at;
// Kysely is given one of them so that the shared columns type-check.
const table = (owner: AvatarOwner) => owner as 'contacts';

/**
 * Stores the avatar's bytes, then in one transaction files the blob, points the row at it and
 * drops the blob it replaces; the old bytes are removed after commit, the new ones if anything
 * fails. 404 when the row is not there (or not in the account).
 */
export async function attachAvatar(
  db: Db,
  storage: Storage,
  target: AvatarTarget,
  file: AvatarFile,
): Promise<AvatarState> {
  const key = await storage.put(file.data, file.contentType);
  let replaced: string | undefined;
  try {
    const state = await db.transaction().execute(async (tx) => {
      let current = tx.selectFrom(table(target.owner)).select('avatar_blob_id').where('id', '=', target.id);
      if (target.owner !== 'users' && target.accountId !== null)
        current = current.where('account_id', '=', target.accountId);
      const row = await current.forUpdate().executeTakeFirst();
      if (!row) throw recordNotFound();
      const blob = await tx
        .insertInto('blobs')
        .values({
          account_id: target.accountId,
          key,
          filename: file.filename,
          content_type: file.contentType,
          byte_size: file.data.length,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const next: AvatarState = { avatar_url: storage.fileUrl(key, file.filename), avatar_blob_id: blob.id };
      await tx
        .updateTable(table(target.owner))
        .set({ ...next, updated_at: new Date() })
        .where('id', '=', target.id)
        .execute();
      if (row.avatar_blob_id !== null)
        replaced = (
          await tx.deleteFrom('blobs').where('id', '=', row.avatar_blob_id).returning('key').executeTakeFirst()
        )?.key;
      return next;
    });
    if (replaced) await storage.remove(replaced).catch(() => undefined);
    return state;
  } catch (error) {
    await storage.remove(key).catch(() => undefined);
    throw error;
  }
}

/**
 * DELETE …/avatar (`avatar.attachment.destroy!`): the row has no avatar afterwards — neither a
 * stored one (its blob and bytes go) nor an external avatar_url.
 */
export async function removeAvatar(db: Db, storage: Storage, target: AvatarTarget): Promise<void> {
  const key = await db.transaction().execute(async (tx) => {
    let current = tx.selectFrom(table(target.owner)).select('avatar_blob_id').where('id', '=', target.id);
    if (target.owner !== 'users' && target.accountId !== null)
      current = current.where('account_id', '=', target.accountId);
    const row = await current.forUpdate().executeTakeFirst();
    if (!row) throw recordNotFound();
    await tx
      .updateTable(table(target.owner))
      .set({ avatar_url: null, avatar_blob_id: null, updated_at: new Date() })
      .where('id', '=', target.id)
      .execute();
    if (row.avatar_blob_id === null) return undefined;
    return (await tx.deleteFrom('blobs').where('id', '=', row.avatar_blob_id).returning('key').executeTakeFirst())?.key;
  });
  if (key) await storage.remove(key).catch(() => undefined);
}

/** The graphile-worker task that fetches an avatar from a URL (Chatwoot's Avatar::AvatarFromUrlJob). */
export const AVATAR_FROM_URL = 'avatar_from_url';

/** The job's payload. */
export interface AvatarFromUrlPayload {
  owner: AvatarOwner;
  id: number;
  account_id: number | null;
  url: string;
}

/**
 * `avatar_url` given on a contact or agent bot: Chatwoot does not show that URL, it fetches the
 * image in a job and attaches it. Queued in the caller's transaction; only an http(s) URL is
 * worth a try (`params[:avatar_url].present?`, and the fetch refuses anything else).
 */
export async function queueAvatarFromUrl(db: Db, target: AvatarTarget, url: string | null | undefined): Promise<void> {
  if (!url || !/^https?:\/\//i.test(url.trim())) return;
  const payload: AvatarFromUrlPayload = {
    owner: target.owner,
    id: target.id,
    account_id: target.accountId,
    url: url.trim(),
  };
  await addJob(db, AVATAR_FROM_URL, { ...payload }, { maxAttempts: 1 });
}
