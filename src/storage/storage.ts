import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Attachment } from '../db/schema.js';
import type { AttachmentUrls } from '../serializers/attachment.js';

/**
 * Where uploaded attachment bytes live. The default keeps them on local disk under the data
 * directory and serves them at /attachments/:key/:filename; keys are 32 random bytes, so a URL
 * is as unguessable as Chatwoot's signed blob ids.
 */
export interface Storage extends AttachmentUrls {
  put(data: Buffer): Promise<string>;
  read(key: string): Promise<Readable | undefined>;
  remove(key: string): Promise<void>;
  /** The public base URL, once the server knows the port it listens on (no FRONTEND_URL). */
  setBaseUrl(url: string): void;
}

const KEY = /^[A-Za-z0-9_-]{43}$/;

export function localStorage(root: string, baseUrl: string | undefined): Storage {
  let base = baseUrl;
  const fileOf = (key: string) => path.join(root, key.slice(0, 2), key);
  const dataUrl = (attachment: Attachment) =>
    `${base ?? ''}/attachments/${attachment.storage_key}/${encodeURIComponent(attachment.filename ?? 'file')}`;
  return {
    async put(data) {
      const key = randomBytes(32).toString('base64url');
      await fs.mkdir(path.dirname(fileOf(key)), { recursive: true });
      await fs.writeFile(fileOf(key), data, { mode: 0o600 });
      return key;
    },
    async read(key) {
      if (!KEY.test(key)) return undefined;
      try {
        await fs.access(fileOf(key));
      } catch {
        return undefined;
      }
      return createReadStream(fileOf(key));
    },
    async remove(key) {
      if (KEY.test(key)) await fs.rm(fileOf(key), { force: true });
    },
    setBaseUrl(url) {
      base ??= url;
    },
    dataUrl,
    // Chatwoot renders a 250px thumbnail for images and '' otherwise; we serve the image itself
    thumbUrl: (attachment) => (attachment.file_type === 0 ? dataUrl(attachment) : ''),
  };
}
