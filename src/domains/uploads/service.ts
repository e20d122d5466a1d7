import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../core/db/kysely.js';
import type { Blob } from '../../core/db/schema.js';
import { AppError, recordNotFound } from '../../core/errors.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { safeFilename, sniffContentType, type UploadedFile } from '../../core/storage/avatars.js';
import { fetchRemoteFile, RemoteFileError } from '../../core/storage/fetch-remote.js';
import type { Storage } from '../../core/storage/storage.js';
import { conversationExists, insertBlob, markUploaded, pendingBlob } from './queries.js';
import { type DirectUploadBody, MAX_UPLOAD_BYTES } from './schemas.js';

/** UploadController's errors: 422 `{ error }`. */
const uploadError = (message: string) => new AppError('unprocessable', 422, { error: message });

/** Stores bytes, then files their blob; the bytes are removed again if the row cannot be written. */
async function storeBlob(ctx: AccountCtx, file: UploadedFile): Promise<{ blob: Blob; url: string }> {
  // ActiveStorage identifies a blob's type from its bytes; the declared type only when they say nothing
  const contentType = (await sniffContentType(file.data)) ?? (file.declaredType || 'application/octet-stream');
  const filename = safeFilename(file.filename);
  const key = await ctx.storage.put(file.data, contentType);
  try {
    const blob = await insertBlob(ctx.db, {
      account_id: ctx.account.id,
      key,
      filename,
      content_type: contentType.slice(0, 255),
      byte_size: file.data.length,
      checksum: createHash('md5').update(file.data).digest('base64'),
    });
    return { blob, url: ctx.storage.fileUrl(key, filename) };
  } catch (error) {
    await ctx.storage.remove(key).catch(() => undefined);
    throw error;
  }
}

/**
 * POST /upload (Api::V1::UploadController): a multipart `attachment`, or a file fetched from
 * `external_url` — through the webhook guard, so never from a private address.
 */
export async function createUpload(
  ctx: AccountCtx,
  input: { file?: UploadedFile; externalUrl?: string },
): Promise<{ blob: Blob; url: string }> {
  if (input.file) return storeBlob(ctx, input.file);
  if (!input.externalUrl) throw uploadError('No file or URL provided');
  let fetched: UploadedFile;
  try {
    fetched = await fetchRemoteFile(input.externalUrl, {
      maxBytes: MAX_UPLOAD_BYTES,
      timeoutMs: ctx.config.webhookTimeoutMs,
      allowPrivate: ctx.config.webhookAllowPrivate,
    });
  } catch (error) {
    if (error instanceof RemoteFileError && error.invalidUrl) throw uploadError('Invalid URL provided');
    throw uploadError(`Failed to fetch file from URL: ${(error as Error).message}`);
  }
  return storeBlob(ctx, fetched);
}

const digestOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * POST /conversations/:conversation_id/direct_uploads (ActiveStorage's DirectUploadsController
 * behind Chatwoot's account and conversation check): a blob row waiting for its bytes, and the
 * one-time URL the client PUTs them to.
 */
export async function createDirectUpload(
  ctx: AccountCtx,
  conversationId: string,
  body: DirectUploadBody,
): Promise<{ blob: Blob; url: string }> {
  const displayId = parseId(conversationId);
  if (displayId === undefined || !(await conversationExists(ctx.db, ctx.account.id, displayId))) throw recordNotFound();
  const token = randomBytes(32).toString('base64url');
  const filename = safeFilename(body.blob.filename);
  const blob = await insertBlob(ctx.db, {
    account_id: ctx.account.id,
    key: ctx.storage.newKey(),
    filename,
    content_type: body.blob.content_type || 'application/octet-stream',
    byte_size: body.blob.byte_size,
    checksum: body.blob.checksum,
    uploaded: false,
    upload_token_digest: digestOf(token),
  });
  return { blob, url: ctx.storage.urlFor(`/rails/active_storage/disk/${token}/${encodeURIComponent(filename)}`) };
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * PUT to a direct upload's URL (ActiveStorage::DiskController#update): the bytes must be what
 * the blob announced — content type, size and MD5 checksum — or it is a 422 and nothing is kept.
 * An unknown or used token is a 404.
 */
export async function receiveDirectUpload(
  db: Db,
  storage: Storage,
  input: { token: string; contentType: string; data: Buffer },
): Promise<void> {
  const blob = await pendingBlob(db, digestOf(input.token));
  if (!blob) throw recordNotFound();
  const checksum = createHash('md5').update(input.data).digest('base64');
  if (
    input.contentType.split(';')[0]!.trim() !== blob.content_type ||
    input.data.length !== blob.byte_size ||
    !sameText(checksum, blob.checksum ?? '')
  )
    throw new AppError('unprocessable', 422, { error: 'The uploaded file does not match its blob' });
  await storage.put(input.data, blob.content_type, blob.key);
  await markUploaded(db, blob.id);
}
