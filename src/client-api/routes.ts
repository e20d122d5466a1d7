import { Type } from 'typebox';
import { EmptyBody } from '../core/http/schemas.js';
import type { App, AppDeps } from '../core/http/types.js';
import { multipartMessageHooks } from '../domains/messages/uploads.js';
import { ContactRecordSchema, PublicContactInboxSchema } from '../serializers/public-contact.js';
import { PublicConversationSchema } from '../serializers/public-conversation.js';
import { PublicCsatSurveySchema } from '../serializers/public-csat-survey.js';
import { PublicInboxSchema } from '../serializers/public-inbox.js';
import { PublicMessageSchema } from '../serializers/public-message.js';
import { registerPublicBodyParsers } from './body.js';
import { showCsatSurvey, updateCsatSurvey } from './csat.js';
import {
  createConversation,
  listConversations,
  resolveConversation,
  showConversation,
  toggleTyping,
  updateLastSeen,
} from './conversations.js';
import { contactPath, conversationPath } from './queries.js';
import { liveMessages } from './live-message.js';
import { createMessage, listMessages, updateMessage } from './messages.js';
import { publicRateLimit } from './rate-limit.js';
import { memoryRateLimitStore } from '../core/http/rate-limit-store.js';
import {
  ContactBody,
  ContactParams,
  ConversationBody,
  ConversationParams,
  CsatParams,
  CsatUpdateBody,
  ErrorBody,
  HmacParams,
  InboxParams,
  InvalidBody,
  MessageCreateBody,
  MessageListQuery,
  MessageParams,
  MessagesParams,
  MessageUpdateBody,
  NotFoundBody,
  TypingBody,
} from './schemas.js';
import { createContact, showContact, showInbox, updateContact, type PublicCtx } from './service.js';

const tags = ['client-api'];
const INBOX = '/inboxes/:inbox_identifier';
const CONTACT = `${INBOX}/contacts/:contact_identifier`;
/** Every Client API route: unknown inbox, contact or conversation is Rails' 404; floods get 429. */
const refusals = { 404: NotFoundBody, 429: ErrorBody };
const hmacRefusal = { 401: ErrorBody };

/**
 * /public/api/v1 (Chatwoot's Public::Api::V1): the Client API for custom chat interfaces on
 * API-channel inboxes, and the CSAT survey page. No user token: the inbox identifier and the
 * contact identifier in the path are the credentials, so the scope is rate limited.
 */
export async function publicRoutes(app: App, deps: AppDeps) {
  const liveMessagesFailed = (error: unknown) =>
    app.log.warn({ err: error }, 'live message statement failed; its messages take the full path');
  const ctx: PublicCtx = {
    db: deps.db,
    bus: deps.bus,
    storage: deps.storage,
    // CONFAB_FAST_PATHS=false: every message takes the transactional path
    liveMessages: deps.config.fastPaths ? liveMessages(deps.db, deps.bus, liveMessagesFailed) : undefined,
  };
  registerPublicBodyParsers(app);
  app.addHook(
    'onRequest',
    publicRateLimit(
      { perContact: deps.config.publicRateLimit, perIp: deps.config.publicRateLimitIp },
      deps.rateLimits ?? memoryRateLimitStore(),
    ),
  );

  app.get(
    INBOX,
    {
      schema: {
        tags,
        summary: 'The inbox: name, working hours, whether identity validation is enforced',
        params: InboxParams,
        response: { 200: PublicInboxSchema, ...refusals },
      },
    },
    async (request) => showInbox(ctx, request.params.inbox_identifier),
  );

  app.post(
    `${INBOX}/contacts`,
    {
      schema: {
        tags,
        params: InboxParams,
        body: ContactBody,
        response: { 200: PublicContactInboxSchema, 422: InvalidBody, ...refusals, ...hmacRefusal },
        summary:
          'Create a contact (or find it by identifier, email or phone number) and its contact identifier (source_id) in this inbox',
      },
    },
    async (request) => createContact(ctx, request.params.inbox_identifier, request.body),
  );
  app.get(
    CONTACT,
    {
      schema: {
        tags,
        summary: 'The contact',
        params: ContactParams,
        querystring: HmacParams,
        response: { 200: PublicContactInboxSchema, ...refusals, ...hmacRefusal },
      },
    },
    async (request) =>
      showContact(ctx, request.params.inbox_identifier, request.params.contact_identifier, request.query),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: CONTACT,
    schema: {
      tags,
      summary: 'Update name, email, phone number, avatar_url or custom attributes (the identifier stays)',
      params: ContactParams,
      querystring: HmacParams,
      body: ContactBody,
      response: { 200: ContactRecordSchema, 422: InvalidBody, ...refusals, ...hmacRefusal },
    },
    handler: async (request) =>
      updateContact(ctx, request.params.inbox_identifier, request.params.contact_identifier, {
        ...request.query,
        ...request.body,
      }),
  });

  app.get(
    `${CONTACT}/conversations`,
    {
      schema: {
        tags,
        summary: "The contact's conversations in this inbox (all of the contact's once identity-verified)",
        params: ContactParams,
        response: { 200: Type.Array(PublicConversationSchema), ...refusals },
      },
    },
    async (request) => listConversations(ctx, contactPath(request.params)),
  );
  app.post(
    `${CONTACT}/conversations`,
    {
      schema: {
        tags,
        summary: 'Start a conversation',
        params: ContactParams,
        body: ConversationBody,
        response: { 200: PublicConversationSchema, ...refusals },
      },
    },
    async (request) =>
      createConversation(ctx, { ...contactPath(request.params), customAttributes: request.body.custom_attributes }),
  );
  app.get(
    `${CONTACT}/conversations/:id`,
    {
      schema: {
        tags,
        summary: 'A conversation with all its messages',
        params: ConversationParams,
        response: { 200: PublicConversationSchema, ...refusals },
      },
    },
    async (request) => showConversation(ctx, conversationPath(request.params, request.params.id)),
  );
  app.post(
    `${CONTACT}/conversations/:id/toggle_status`,
    {
      schema: {
        tags,
        summary: 'Resolve the conversation (a new message reopens it)',
        params: ConversationParams,
        response: { 200: PublicConversationSchema, ...refusals },
      },
    },
    async (request) => resolveConversation(ctx, conversationPath(request.params, request.params.id)),
  );
  app.post(
    `${CONTACT}/conversations/:id/toggle_typing`,
    {
      schema: {
        tags,
        summary: 'Typing indicator: on, off or recording',
        params: ConversationParams,
        body: TypingBody,
        response: { 200: EmptyBody, ...refusals },
      },
    },
    async (request, reply) => {
      await toggleTyping(ctx, {
        ...conversationPath(request.params, request.params.id),
        typingStatus: request.body.typing_status,
      });
      return reply.send('');
    },
  );
  app.post(
    `${CONTACT}/conversations/:id/update_last_seen`,
    {
      schema: {
        tags,
        summary: "The contact has seen the conversation: agents' messages so far become read",
        params: ConversationParams,
        response: { 200: EmptyBody, ...refusals },
      },
    },
    async (request, reply) => {
      await updateLastSeen(ctx, conversationPath(request.params, request.params.id));
      return reply.send('');
    },
  );

  app.get(
    `${CONTACT}/conversations/:conversation_id/messages`,
    {
      schema: {
        tags,
        summary: 'Messages without private notes or activity: the latest 20, or the 20 before `before` (ascending)',
        params: MessagesParams,
        querystring: MessageListQuery,
        response: { 200: Type.Array(PublicMessageSchema), ...refusals },
      },
    },
    async (request) =>
      listMessages(ctx, {
        ...conversationPath(request.params, request.params.conversation_id),
        before: request.query.before,
      }),
  );
  app.post(
    `${CONTACT}/conversations/:conversation_id/messages`,
    {
      schema: {
        tags,
        params: MessagesParams,
        body: MessageCreateBody,
        consumes: ['application/json', 'multipart/form-data'],
        response: { 200: PublicMessageSchema, 422: InvalidBody, ...refusals },
        summary:
          'Send a message as the contact (JSON, or multipart with attachments[]); a retry with the same echo_id returns the stored message',
      },
      ...multipartMessageHooks(deps.storage),
    },
    async (request) =>
      createMessage(ctx, {
        ...conversationPath(request.params, request.params.conversation_id),
        body: request.body,
        files: request.storedFiles,
      }),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${CONTACT}/conversations/:conversation_id/messages/:id`,
    schema: {
      tags,
      summary: 'Submit the values of an input_select, form or CSAT message',
      params: MessageParams,
      body: MessageUpdateBody,
      response: { 200: PublicMessageSchema, 422: Type.Union([ErrorBody, InvalidBody]), ...refusals },
    },
    handler: async (request) =>
      updateMessage(ctx, {
        ...conversationPath(request.params, request.params.conversation_id),
        messageId: request.params.id,
        submittedValues: request.body.submitted_values,
      }),
  });

  app.get(
    '/csat_survey/:id',
    {
      schema: {
        tags,
        summary: "The conversation's CSAT survey and its answer",
        params: CsatParams,
        response: { 200: PublicCsatSurveySchema, ...refusals },
      },
    },
    async (request) => showCsatSurvey(ctx, request.params.id),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/csat_survey/:id',
    schema: {
      tags,
      summary: 'Answer the CSAT survey: message.submitted_values.csat_survey_response {rating 1-5, feedback_message}',
      params: CsatParams,
      body: CsatUpdateBody,
      response: { 200: PublicCsatSurveySchema, 422: Type.Union([ErrorBody, InvalidBody]), ...refusals },
    },
    handler: async (request) => updateCsatSurvey(ctx, request.params.id, request.body.message.submitted_values),
  });
}
