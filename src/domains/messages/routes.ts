import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import {
  Attributes as AttributesOf,
  LIMITS,
  NullableIdOrText,
  NullableScalar,
  NullableShortText,
  NullableString,
  NullableText,
  ShortText,
} from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { ContactPushSchema, MessageSchema, UserPushSchema } from '../../serializers/message.js';
import { MAX_RETRY_KEY } from '../conversations/message-input.js';
import { createMessage, deleteMessage, listMessages, updateMessage } from './service.js';
import { retryMessage } from './retry.js';
import { multipartMessageHooks } from './uploads.js';

const tags = ['messages'];
const security = [{ userToken: [] }];
const Params = Type.Object({ conversation_id: Type.String({ description: "The conversation's display id" }) });
const MessageParams = Type.Object({ conversation_id: Type.String(), id: Type.String() });
const Attributes = AttributesOf();
/** A number or its text, read as text (message_type's name or number, echo_id). */
const Scalar = (description: string, maxLength: number = LIMITS.short) => NullableScalar({ maxLength, description });

const CreateBody = Type.Object({
  // Chatwoot's 150,000-character limit is the service's (input.ts), with MessagesController's
  // error shape; the schema only keeps content inside what a request body can hold
  content: Type.Optional(NullableString({ maxLength: LIMITS.body })),
  message_type: Type.Optional(Scalar('outgoing (default) or incoming')),
  private: Type.Optional(
    Type.Unsafe<boolean | string | null>({ type: ['boolean', 'string', 'null'], maxLength: LIMITS.short }),
  ),
  content_type: Type.Optional(NullableShortText({ description: 'text, input_select, cards, form, article, ...' })),
  content_attributes: Type.Optional(Type.Unknown({ description: 'An object, or its JSON text (multipart)' })),
  template_params: Type.Optional(Attributes),
  // the service keeps the first MAX_RETRY_KEY characters (the unique index's bound)
  echo_id: Type.Optional(
    Scalar("The client's temporary id; a retried POST with it returns the stored message", LIMITS.text),
  ),
  source_id: Type.Optional(NullableShortText()),
  campaign_id: Type.Optional(NullableIdOrText()),
  attachments: Type.Optional(Type.Array(Type.Unknown(), { description: 'multipart attachments[] files' })),
});
const PatchBody = Type.Object({
  status: Type.Optional(NullableShortText({ description: 'sent, delivered, read or failed' })),
  external_error: Type.Optional(NullableText()),
  submitted_values: Type.Optional(Type.Unknown()),
  content_attributes: Type.Optional(Attributes),
});
const IndexEnvelope = Type.Object({
  meta: Type.Object({
    labels: Type.Array(Type.String()),
    additional_attributes: Attributes,
    contact: ContactPushSchema,
    assignee: Type.Optional(UserPushSchema),
    agent_last_seen_at: NullableString(),
    assignee_last_seen_at: NullableString(),
  }),
  payload: Type.Array(MessageSchema),
});

export async function messageRoutes(app: App, deps: AppDeps) {
  const ctx = (request: Parameters<typeof accountCtx>[0]) => accountCtx(request, deps);

  app.get(
    '/conversations/:conversation_id/messages',
    {
      schema: {
        tags,
        security,
        summary: 'Messages: the latest 20, 20 before `before`, or up to 100 after `after` (ascending)',
        params: Params,
        querystring: Type.Object({
          before: Type.Optional(ShortText()),
          after: Type.Optional(ShortText()),
          filter_internal_messages: Type.Optional(ShortText()),
        }),
        response: { 200: IndexEnvelope },
      },
    },
    async (request) => listMessages(ctx(request), request.params.conversation_id, request.query),
  );

  app.post(
    '/conversations/:conversation_id/messages',
    {
      config: { botAccessible: true },
      schema: {
        tags,
        security,
        params: Params,
        body: CreateBody,
        consumes: ['application/json', 'multipart/form-data'],
        response: { 200: MessageSchema },
        summary:
          'Send a message (JSON, or multipart with attachments[]); an Idempotency-Key header or echo_id makes retries safe',
      },
      ...multipartMessageHooks(deps.storage),
    },
    async (request) => {
      const key = request.headers['idempotency-key'];
      return createMessage(ctx(request), request.params.conversation_id, request.body, {
        idempotencyKey: typeof key === 'string' && key ? key.slice(0, MAX_RETRY_KEY) : undefined,
        files: request.storedFiles,
      });
    },
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/conversations/:conversation_id/messages/:id',
    schema: {
      tags,
      security,
      summary: 'Update delivery status, or the submitted values of an input message',
      params: MessageParams,
      body: PatchBody,
      response: { 200: MessageSchema },
    },
    handler: async (request) =>
      updateMessage(ctx(request), request.params.conversation_id, request.params.id, request.body),
  });
  app.delete(
    '/conversations/:conversation_id/messages/:id',
    {
      schema: {
        tags,
        security,
        summary: "Delete a message (Chatwoot's soft delete)",
        params: MessageParams,
        response: { 200: MessageSchema },
      },
    },
    async (request) => deleteMessage(ctx(request), request.params.conversation_id, request.params.id),
  );
  app.post(
    '/conversations/:conversation_id/messages/:id/retry',
    {
      schema: {
        tags,
        security,
        summary: 'Send a failed message again: status back to sent, its external_error cleared',
        params: MessageParams,
        response: { 200: MessageSchema },
      },
    },
    async (request) => retryMessage(ctx(request), request.params.conversation_id, request.params.id),
  );
}
