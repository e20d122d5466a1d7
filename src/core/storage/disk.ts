import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from './storage.js';

/** Blobs as files under a directory (the default: CONFAB_DATA_DIR/storage). */
export function diskBlobs(root: string): BlobStore {
  const fileOf = (key: string) => path.join(root, key.slice(0, 2), key);
  return {
    async put(key, data) {
      await fs.mkdir(path.dirname(fileOf(key)), { recursive: true });
      await fs.writeFile(fileOf(key), data, { mode: 0o600 });
    },
    async read(key) {
      try {
        await fs.access(fileOf(key));
      } catch {
        return undefined;
      }
      return createReadStream(fileOf(key));
    },
    async remove(key) {
      await fs.rm(fileOf(key), { force: true });
    },
  };
}
