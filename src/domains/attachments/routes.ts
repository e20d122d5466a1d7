import { Type } from 'typebox';
import { notFound } from '../../core/errors.js';
import { sendChunks } from '../../core/http/stream.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { AVATAR_TYPES } from '../../core/storage/avatars.js';

/**
 * Serves stored bytes by their unguessable storage key: message attachments (their data_url) and
 * blobs (avatars, /upload and direct-upload files). A direct upload still waiting for its bytes is 404.
 */
export async function attachmentFileRoutes(app: App, deps: AppDeps) {
  app.get(
    '/attachments/:key/:filename',
    {
      schema: {
        tags: ['attachments'],
        summary: "An attachment's, avatar's or uploaded file's bytes",
        params: Type.Object({ key: Type.String(), filename: Type.String() }),
      },
    },
    async (request, reply) => {
      const { key } = request.params;
      const attachment = await deps.db
        .selectFrom('attachments')
        .select(['content_type', 'filename'])
        .where('storage_key', '=', key)
        .executeTakeFirst();
      const blob = attachment
        ? undefined
        : await deps.db
            .selectFrom('blobs')
            .select(['content_type', 'filename'])
            .where('key', '=', key)
            .where('uploaded', '=', true)
            .executeTakeFirst();
      const row = attachment ?? blob;
      const stream = row ? await deps.storage.read(key) : undefined;
      if (!row || !stream) throw notFound();
      const contentType = row.content_type ?? 'application/octet-stream';
      // a blob's type may be anything a client declared (/upload): only the raster images an
      // avatar may be are shown inline; anything else downloads, so it never runs as a page here
      const inline = attachment !== undefined || AVATAR_TYPES.includes(contentType);
      reply.header('content-type', contentType);
      reply.header('cache-control', 'private, max-age=31536000, immutable');
      reply.header('x-content-type-options', 'nosniff');
      reply.header(
        'content-disposition',
        `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(row.filename ?? 'file')}`,
      );
      return sendChunks(reply, stream, 'attachment download');
    },
  );
}
