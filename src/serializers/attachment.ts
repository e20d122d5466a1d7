// Mirrors Attachment#push_event_data (app/models/attachment.rb): a base plus per-file-type keys.
import { Type, type Static } from 'typebox';
import type { Attachment } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { ATTACHMENT_FILE_TYPES, enumName } from '../core/db/enums.js';
import type { AttachmentUrls } from '../core/storage/storage.js';

export type { AttachmentUrls };

export const AttachmentSchema = Type.Object(
  {
    id: Type.Integer(),
    message_id: Type.Integer(),
    file_type: Type.Enum(ATTACHMENT_FILE_TYPES),
    account_id: Type.Integer(),
    extension: Type.Optional(NullableString()),
    data_url: Type.Optional(NullableString()),
    thumb_url: Type.Optional(Type.String()),
    file_size: Type.Optional(NullableInteger()),
    width: Type.Optional(NullableInteger()),
    height: Type.Optional(NullableInteger()),
    coordinates_lat: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    coordinates_long: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    fallback_title: Type.Optional(NullableString()),
  },
  { title: 'Attachment' },
);

export function attachmentJson(attachment: Attachment, urls: AttachmentUrls): Static<typeof AttachmentSchema> {
  const fileType = enumName(ATTACHMENT_FILE_TYPES, attachment.file_type);
  const base = {
    id: attachment.id,
    message_id: attachment.message_id,
    file_type: fileType,
    account_id: attachment.account_id,
  };
  if (fileType === 'location') {
    return {
      ...base,
      coordinates_lat: attachment.coordinates_lat,
      coordinates_long: attachment.coordinates_long,
      fallback_title: attachment.fallback_title,
      data_url: attachment.external_url,
    };
  }
  if (fileType === 'fallback')
    return { ...base, fallback_title: attachment.fallback_title, data_url: attachment.external_url };
  if (fileType === 'contact') return { ...base, fallback_title: attachment.fallback_title };
  return {
    ...base,
    extension: attachment.extension,
    data_url: urls.dataUrl(attachment),
    thumb_url: urls.thumbUrl(attachment),
    file_size: attachment.file_size,
    width: attachment.width,
    height: attachment.height,
  };
}
