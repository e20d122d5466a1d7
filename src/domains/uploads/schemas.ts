import { Type, type Static } from 'typebox';
import { Attributes, ShortText, Url } from '../../core/http/schemas.js';

/** POST /upload: a multipart `attachment` file, or an `external_url` to fetch. */
export const UploadBody = Type.Object({
  external_url: Type.Optional(Url({ description: 'An http(s) URL to fetch the file from (no private addresses)' })),
});
export type UploadBody = Static<typeof UploadBody>;

/** Largest file /upload and direct uploads take: the message attachment limit. */
export const MAX_UPLOAD_BYTES = 40 * 1024 * 1024;

/** ActiveStorage's direct upload request: `{ blob: { filename, byte_size, checksum, content_type, metadata } }`. */
export const DirectUploadBody = Type.Object({
  blob: Type.Object({
    filename: ShortText({ minLength: 1 }),
    byte_size: Type.Integer({ minimum: 0, maximum: MAX_UPLOAD_BYTES }),
    checksum: ShortText({ description: 'Base64 MD5 of the bytes' }),
    content_type: Type.Optional(ShortText()),
    metadata: Type.Optional(Attributes({ description: 'Kept by ActiveStorage; ignored here' })),
  }),
});
export type DirectUploadBody = Static<typeof DirectUploadBody>;

export const DirectUploadParams = Type.Object({
  conversation_id: Type.String({ description: 'Conversation display id' }),
});

export const DiskParams = Type.Object({
  token: Type.String({ maxLength: 100 }),
  filename: Type.String({ maxLength: 1_000 }),
});
