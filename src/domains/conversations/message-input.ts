import { AppError } from '../../core/errors.js';
import { jsonTooDeep } from '../../core/http/input-guards.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { MESSAGE_TYPES, MESSAGE_CONTENT_TYPE, MESSAGE_TYPE } from '../../core/db/enums.js';
import type { NewMessage, StoredFile } from './insert-message.js';

export const MAX_CONTENT = 150_000;
export const MAX_ATTACHMENTS = 15;
/**
 * echo_id and Idempotency-Key are kept at most this long: both are unique-indexed per
 * conversation, and a btree entry has a size limit that a longer key would hit (a 500).
 */
export const MAX_RETRY_KEY = 255;

/** MessagesController#create rescues everything into 422 {"error": message}. */
const createError = (message: string) => new AppError('unprocessable', 422, { error: message });
const invalid = (details: string) => createError(`Validation failed: ${details}`);

export interface MessageBody {
  content?: string | null;
  message_type?: string | number | null;
  private?: boolean | string | null;
  content_type?: string | null;
  content_attributes?: unknown;
  template_params?: Record<string, unknown>;
  echo_id?: string | number | null;
  source_id?: string | null;
  campaign_id?: number | string | null;
}

function attributesOf(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') {
    // JSON text (multipart forms) is held to the same nesting limit as a JSON body; deeper is unreadable
    if (jsonTooDeep(raw)) return {};
    try {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

const keysOutside = (item: unknown, allowed: string[]) =>
  item && typeof item === 'object' ? Object.keys(item).filter((k) => !allowed.includes(k)) : [];
const symbols = (keys: string[]) => `[${keys.map((k) => `:${k}`).join(', ')}]`;

/** ContentAttributeValidator: input_select and cards need well-formed items. */
function validateItems(contentType: string, attributes: Record<string, unknown>): void {
  if (contentType !== 'input_select' && contentType !== 'cards') return;
  const items = attributes.items;
  if (!Array.isArray(items) || items.length === 0) throw invalid('Content attributes At least one item is required.');
  const allowed =
    contentType === 'input_select' ? ['title', 'value'] : ['title', 'description', 'media_url', 'actions'];
  const extra = [...new Set(items.flatMap((item) => keysOutside(item, allowed)))];
  if (extra.length) throw invalid(`Content attributes contains invalid keys for items : ${symbols(extra)}`);
  if (contentType === 'cards') {
    const actions = items.map((item) => (item as Record<string, unknown>).actions);
    if (actions.some((a) => !Array.isArray(a) || a.length === 0))
      throw invalid('Content attributes contains items missing actions');
    const badKeys = [
      ...new Set(
        actions.flatMap((list) =>
          (list as unknown[]).flatMap((a) => keysOutside(a, ['text', 'type', 'payload', 'uri'])),
        ),
      ),
    ];
    if (badKeys.length) throw invalid(`Content attributes contains invalid keys for actions:  ${symbols(badKeys)}`);
  }
}

/**
 * Messages::MessageBuilder's reading of a create request: outgoing unless told otherwise, sent by
 * the caller (user or agent bot) when outgoing and by the conversation's contact otherwise.
 */
export function messageInputFrom(
  ctx: AccountCtx,
  body: MessageBody,
  options: { contactId?: number; idempotencyKey?: string; files?: StoredFile[] } = {},
): NewMessage {
  const typeName = String(body.message_type ?? 'outgoing');
  const messageType = /^\d+$/.test(typeName) ? Number(typeName) : MESSAGE_TYPE[typeName as keyof typeof MESSAGE_TYPE];
  if (messageType === undefined || !(messageType in MESSAGE_TYPES))
    throw createError(`'${typeName}' is not a valid message_type`);
  const contentTypeName = body.content_type || 'text';
  if (!Object.hasOwn(MESSAGE_CONTENT_TYPE, contentTypeName))
    throw createError(`'${contentTypeName}' is not a valid content_type`);
  const content = body.content ?? null;
  if (content !== null && content.length > MAX_CONTENT)
    throw invalid(`Content is too long (maximum is ${MAX_CONTENT} characters)`);
  const files = options.files ?? [];
  if (files.length > MAX_ATTACHMENTS) throw invalid(`Attachments exceeded the maximum of ${MAX_ATTACHMENTS}`);
  const contentAttributes = attributesOf(body.content_attributes);
  validateItems(contentTypeName, contentAttributes);
  const additionalAttributes: Record<string, unknown> = {};
  if (body.template_params) {
    if (typeof body.template_params.name !== 'string' || !body.template_params.name)
      throw invalid('Additional attributes template_params name is required');
    additionalAttributes.template_params = body.template_params;
  }
  if (body.campaign_id !== undefined && body.campaign_id !== null) additionalAttributes.campaign_id = body.campaign_id;
  const outgoing = messageType === MESSAGE_TYPE.outgoing;
  // a rule's message has no sender (AutomationRules::ActionService builds it with user nil)
  const sender = outgoing
    ? ctx.actor.kind === 'user'
      ? { type: 'User' as const, id: ctx.actor.user.id }
      : ctx.actor.kind === 'agent_bot'
        ? { type: 'AgentBot' as const, id: ctx.actor.bot.id }
        : null
    : options.contactId !== undefined
      ? { type: 'Contact' as const, id: options.contactId }
      : null;
  const isPrivate = body.private === true || body.private === 'true';
  const echo =
    body.echo_id === undefined || body.echo_id === null || body.echo_id === ''
      ? null
      : String(body.echo_id).slice(0, MAX_RETRY_KEY);
  return {
    messageType,
    contentType: MESSAGE_CONTENT_TYPE[contentTypeName as keyof typeof MESSAGE_CONTENT_TYPE],
    content,
    private: isPrivate,
    contentAttributes,
    additionalAttributes,
    sourceId: body.source_id ?? null,
    sender,
    echoId: echo,
    idempotencyKey: options.idempotencyKey ?? null,
    files,
  };
}
