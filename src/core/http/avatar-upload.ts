import type { FastifyRequest } from 'fastify';
import { validationFailed } from '../errors.js';
import { AVATAR_MAX_BYTES, checkAvatar, type AvatarFile } from '../storage/avatars.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** A checked multipart `avatar` (or `<wrapper>[avatar]`; a portal's `logo`), not yet stored. */
    avatarFile?: AvatarFile;
  }
}

/**
 * Form fields Chatwoot's dashboard sends as JSON text in a multipart form (FormData cannot nest);
 * they become objects again so that the route's schema reads them as it reads a JSON body.
 */
const JSON_FIELDS = new Set([
  'additional_attributes',
  'custom_attributes',
  'ui_settings',
  'bot_config',
  'channel',
  'working_hours',
  'csat_config',
  'auto_assignment_config',
  'config',
]);

function fieldValue(name: string, value: string): unknown {
  if (!JSON_FIELDS.has(name) || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // left as text: the schema refuses it with a 422
  }
}

/** `a[b]` nests one level, as Rails reads form fields; `a[]` is a list. */
function assign(body: Record<string, unknown>, rawName: string, value: string): void {
  const list = rawName.endsWith('[]');
  const name = list ? rawName.slice(0, -2) : rawName;
  const nested = /^(\w+)\[(\w+)\]$/.exec(name);
  if (nested && body[nested[1]!] === undefined) body[nested[1]!] = {};
  const [holder, key] = nested ? [body[nested[1]!] as Record<string, unknown>, nested[2]!] : [body, name];
  if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) return;
  const parsed = fieldValue(key, value);
  if (list) holder[key] = [...((holder[key] as unknown[] | undefined) ?? []), parsed];
  else holder[key] = parsed;
}

const isImageField = (field: string, name: string) =>
  name === field || (name.endsWith(`[${field}]`) && /^\w+\[\w+\]$/.test(name));

/**
 * A preValidation hook for the routes that take Chatwoot's multipart `avatar` (profile, contacts,
 * agent bots, inboxes): the form fields become the body, and the avatar is read and checked here —
 * size, and an image by its bytes — so a bad one is a 422 before the route writes anything. Its
 * bytes are stored only once the route's own change has succeeded (`attachAvatar`).
 */
export function readAvatarForm(request: FastifyRequest): Promise<void> {
  return readImageForm(request, 'avatar');
}

/** readAvatarForm for the image field a route names (a portal's `logo`). */
export const imageFormReader = (field: string) => (request: FastifyRequest) => readImageForm(request, field);

async function readImageForm(request: FastifyRequest, field: string): Promise<void> {
  if (!request.isMultipart()) return;
  const body: Record<string, unknown> = {};
  let avatar: AvatarFile | undefined;
  try {
    for await (const part of request.parts({ limits: { files: 4, fileSize: AVATAR_MAX_BYTES, fields: 100 } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (!isImageField(field, part.fieldname)) continue;
        if (part.file.truncated) throw validationFailed([{ attribute: field, message: 'is too big' }]);
        avatar = await checkAvatar({ data, filename: part.filename, declaredType: part.mimetype }, field);
      } else if (typeof part.value === 'string') {
        assign(body, part.fieldname, part.value);
      }
    }
  } catch (error) {
    // @fastify/multipart stops a file at the size limit with a 413; Chatwoot's model says 422
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw validationFailed([{ attribute: field, message: 'is too big' }]);
    throw error;
  }
  request.body = body;
  request.avatarFile = avatar;
}
