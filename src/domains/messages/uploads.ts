import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { Storage } from '../../core/storage/storage.js';
import type { StoredFile } from '../conversations/insert-message.js';
import { MAX_ATTACHMENTS } from '../conversations/message-input.js';

/** Chatwoot's FileTypeHelper: image, video, audio by content type; anything else a file. */
export function fileTypeOf(contentType: string): number {
  if (['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/webp'].includes(contentType)) return 0;
  if (['video/ogg', 'video/mp4', 'video/webm', 'video/quicktime'].includes(contentType)) return 2;
  if (contentType.includes('audio/')) return 1;
  return 3;
}

const MAX_FILE_BYTES = 40 * 1024 * 1024;

/**
 * A multipart message create: form fields become the body (`content_attributes` may be JSON
 * text), each `attachments[]` file goes to storage. Files already stored are removed again if a
 * later part fails, so nothing is left half-written.
 */
export async function readMultipartMessage(
  request: FastifyRequest,
  storage: Storage,
): Promise<{ body: Record<string, unknown>; files: StoredFile[] }> {
  const body: Record<string, unknown> = {};
  const files: StoredFile[] = [];
  try {
    for await (const part of request.parts({
      limits: { files: MAX_ATTACHMENTS + 1, fileSize: MAX_FILE_BYTES, fields: 50 },
    })) {
      if (part.type === 'file') {
        if (files.length >= MAX_ATTACHMENTS)
          throw new AppError('unprocessable', 422, {
            error: `Validation failed: Attachments exceeded the maximum of ${MAX_ATTACHMENTS}`,
          });
        const data = await part.toBuffer();
        if (part.file.truncated)
          throw new AppError('unprocessable', 422, { error: 'Validation failed: Attachment is too large' });
        const contentType = part.mimetype || 'application/octet-stream';
        files.push({
          storageKey: await storage.put(data, contentType),
          filename: part.filename || 'file',
          contentType,
          size: data.length,
          fileType: fileTypeOf(contentType),
        });
      } else {
        const name = part.fieldname.replace(/\[\]$/, '');
        const match = /^(\w+)\[(\w+)\]$/.exec(name);
        if (match) body[match[1]!] = { ...(body[match[1]!] as object | undefined), [match[2]!]: part.value };
        else body[name] = part.value;
      }
    }
  } catch (error) {
    await Promise.all(files.map((f) => storage.remove(f.storageKey)));
    throw error;
  }
  return { body, files };
}

declare module 'fastify' {
  interface FastifyRequest {
    storedFiles?: StoredFile[];
  }
}

/**
 * Route hooks for a message create that may be multipart: the form fields become the body before
 * validation (so both forms validate alike), and stored files are removed if the request fails.
 */
export function multipartMessageHooks(storage: Storage) {
  return {
    preValidation: async (request: FastifyRequest) => {
      if (!request.isMultipart()) return;
      const { body, files } = await readMultipartMessage(request, storage);
      request.body = body;
      request.storedFiles = files;
    },
    onError: async (request: FastifyRequest) => {
      await Promise.all((request.storedFiles ?? []).map((f) => storage.remove(f.storageKey)));
    },
  };
}
