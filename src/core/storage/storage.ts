import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Attachment } from '../db/schema.js';
import { diskBlobs } from './disk.js';
import { s3Blobs, type S3Settings } from './s3.js';

/** Where an attachment's bytes are served from (storage decides: local route or bucket URL). */
export interface AttachmentUrls {
  dataUrl(attachment: Attachment): string;
  thumbUrl(attachment: Attachment): string;
}

/** Where the bytes go: a directory, or an S3-compatible bucket. */
export interface BlobStore {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  read(key: string): Promise<Readable | undefined>;
  remove(key: string): Promise<void>;
}

/**
 * Attachment bytes. Either way they are served at /attachments/:key/:filename (the attachment's
 * data_url); keys are 32 random bytes, so a URL is as unguessable as Chatwoot's signed blob ids.
 */
export interface Storage extends AttachmentUrls {
  /** Stores bytes under a new key (or the one given, from newKey()) and returns the key. */
  put(data: Buffer, contentType: string, key?: string): Promise<string>;
  /** A fresh key, for a file whose bytes come later (direct uploads). */
  newKey(): string;
  read(key: string): Promise<Readable | undefined>;
  remove(key: string): Promise<void>;
  /** An absolute URL for a path on this server (its public base URL in front). */
  urlFor(path: string): string;
  /** Where a stored file is served (the same /attachments/:key/:filename route as attachments). */
  fileUrl(key: string, filename: string): string;
  /** The public base URL, once the server knows the port it listens on (no FRONTEND_URL). */
  setBaseUrl(url: string): void;
}

const KEY = /^[A-Za-z0-9_-]{43}$/;

export function createStorage(options: { directory: string; s3?: S3Settings; baseUrl?: string }): Storage {
  const blobs = options.s3 ? s3Blobs(options.s3) : diskBlobs(options.directory);
  let base = options.baseUrl;
  const fileUrl = (key: string, filename: string) =>
    `${base ?? ''}/attachments/${key}/${encodeURIComponent(filename || 'file')}`;
  const dataUrl = (attachment: Attachment) => fileUrl(attachment.storage_key ?? '', attachment.filename ?? 'file');
  return {
    async put(data, contentType, given) {
      if (given !== undefined && !KEY.test(given)) throw new Error('invalid storage key');
      const key = given ?? randomBytes(32).toString('base64url');
      await blobs.put(key, data, contentType);
      return key;
    },
    newKey: () => randomBytes(32).toString('base64url'),
    read: (key) => (KEY.test(key) ? blobs.read(key) : Promise.resolve(undefined)),
    remove: (key) => (KEY.test(key) ? blobs.remove(key) : Promise.resolve()),
    setBaseUrl(url) {
      base ??= url;
    },
    urlFor: (path) => `${base ?? ''}${path}`,
    fileUrl,
    dataUrl,
    // Chatwoot renders a 250px thumbnail for images and '' otherwise; we serve the image itself
    thumbUrl: (attachment) => (attachment.file_type === 0 ? dataUrl(attachment) : ''),
  };
}
