import { Type } from 'typebox';
import { notFound } from '../../core/errors.js';
import { sendChunks } from '../../core/http/stream.js';
import type { App, AppDeps } from '../../core/http/types.js';

/** Serves attachment bytes by their unguessable storage key (the data_url of an attachment). */
export async function attachmentFileRoutes(app: App, deps: AppDeps) {
  app.get(
    '/attachments/:key/:filename',
    {
      schema: {
        tags: ['attachments'],
        summary: "An attachment's file",
        params: Type.Object({ key: Type.String(), filename: Type.String() }),
      },
    },
    async (request, reply) => {
      const row = await deps.db
        .selectFrom('attachments')
        .select(['storage_key', 'content_type', 'filename'])
        .where('storage_key', '=', request.params.key)
        .executeTakeFirst();
      const stream = row ? await deps.storage.read(request.params.key) : undefined;
      if (!row || !stream) throw notFound();
      reply.header('content-type', row.content_type ?? 'application/octet-stream');
      reply.header('cache-control', 'private, max-age=31536000, immutable');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(row.filename ?? 'file')}`);
      return sendChunks(reply, stream, 'attachment download');
    },
  );
}
