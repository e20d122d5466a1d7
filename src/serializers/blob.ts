// Mirrors the two blob shapes Chatwoot answers: Api::V1::UploadController#create
// ({ file_url, blob_key, blob_id }) and ActiveStorage::DirectUploadsController#create
// (the blob's as_json with signed_id, plus direct_upload { url, headers }).
import { Type, type Static } from 'typebox';
import type { Blob } from '../core/db/schema.js';
import { isoTime } from './time.js';

export const UploadSchema = Type.Object({
  file_url: Type.String(),
  blob_key: Type.String(),
  blob_id: Type.Integer(),
});

export function uploadJson(blob: Blob, fileUrl: string): Static<typeof UploadSchema> {
  return { file_url: fileUrl, blob_key: blob.key, blob_id: blob.id };
}

export const DirectUploadSchema = Type.Object({
  id: Type.Integer(),
  key: Type.String(),
  filename: Type.String(),
  content_type: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  service_name: Type.String(),
  byte_size: Type.Integer(),
  checksum: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Union([Type.String(), Type.Null()]),
  signed_id: Type.String(),
  direct_upload: Type.Object({
    url: Type.String(),
    headers: Type.Record(Type.String(), Type.String()),
  }),
});

/**
 * A direct upload's blob. `signed_id` is the blob's key (as unguessable as ActiveStorage's
 * signed id); `direct_upload.url` is where the client PUTs the bytes, with these headers.
 */
export function directUploadJson(
  blob: Blob,
  target: { url: string; serviceName: string },
): Static<typeof DirectUploadSchema> {
  return {
    id: blob.id,
    key: blob.key,
    filename: blob.filename,
    content_type: blob.content_type,
    metadata: {},
    service_name: target.serviceName,
    byte_size: blob.byte_size,
    checksum: blob.checksum,
    created_at: isoTime(blob.created_at),
    signed_id: blob.key,
    direct_upload: { url: target.url, headers: { 'Content-Type': blob.content_type } },
  };
}
