import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { accountCtx } from '../../core/http/account-scope.js';
import type { App, AppDeps } from '../../core/http/types.js';
import type { UploadedFile } from '../../core/storage/avatars.js';
import { DirectUploadSchema, directUploadJson, UploadSchema, uploadJson } from '../../serializers/blob.js';
import { DirectUploadBody, DirectUploadParams, DiskParams, MAX_UPLOAD_BYTES, UploadBody } from './schemas.js';
import { createDirectUpload, createUpload, receiveDirectUpload } from './service.js';

const tags = ['uploads'];
const security = [{ userToken: [] }];

declare module 'fastify' {
  interface FastifyRequest {
    /** POST /upload's multipart `attachment`. */
    uploadFile?: UploadedFile;
  }
}

const tooLarge = () => new AppError('unprocessable', 422, { error: 'File is too large' });

/** The multipart form of POST /upload: `attachment` (a file) and `external_url`. */
async function readUploadForm(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const body: Record<string, unknown> = {};
  try {
    for await (const part of request.parts({ limits: { files: 2, fileSize: MAX_UPLOAD_BYTES, fields: 20 } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.file.truncated) throw tooLarge();
        if (part.fieldname === 'attachment')
          request.uploadFile = { data, filename: part.filename, declaredType: part.mimetype };
      } else if (typeof part.value === 'string') {
        body[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw error;
  }
  request.body = body;
}

/** /api/v1/accounts/:account_id/upload and a conversation's direct_uploads. */
export async function uploadRoutes(app: App, deps: AppDeps) {
  app.post(
    '/upload',
    {
      schema: {
        tags,
        security,
        summary: 'Store a file (multipart attachment) or fetch one (external_url); answers its URL and blob',
        consumes: ['application/json', 'multipart/form-data'],
        body: UploadBody,
        response: { 200: UploadSchema },
      },
      preValidation: readUploadForm,
    },
    async (request) => {
      const { blob, url } = await createUpload(accountCtx(request, deps), {
        file: request.uploadFile,
        externalUrl: request.body.external_url,
      });
      return uploadJson(blob, url);
    },
  );

  app.post(
    '/conversations/:conversation_id/direct_uploads',
    {
      schema: {
        tags,
        security,
        summary: "ActiveStorage direct upload: a blob and the URL to PUT its bytes to (the dashboard's uploads)",
        params: DirectUploadParams,
        body: DirectUploadBody,
        response: { 200: DirectUploadSchema },
      },
    },
    async (request) => {
      const { blob, url } = await createDirectUpload(
        accountCtx(request, deps),
        request.params.conversation_id,
        request.body,
      );
      return directUploadJson(blob, { url, serviceName: deps.config.s3 ? 'amazon' : 'local' });
    },
  );
}

/**
 * The PUT target of direct uploads (ActiveStorage's disk service URL): the one-time token in the
 * path is the credential; any content type is taken as raw bytes. 204 when stored.
 */
export async function directUploadTargetRoutes(app: App, deps: AppDeps) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  app.put(
    '/rails/active_storage/disk/:token/:filename',
    {
      schema: {
        tags,
        summary: "A direct upload's bytes (204), to the URL its blob was given",
        params: DiskParams,
      },
    },
    async (request, reply) => {
      const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      await receiveDirectUpload(deps.db, deps.storage, {
        token: request.params.token,
        contentType: request.headers['content-type'] ?? '',
        data,
      });
      return reply.status(204).send();
    },
  );
}
