import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody, NullableString, Page } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { IdParams } from '../../core/http/ids.js';
import type { FilterCondition } from '../filters/compile.js';
import { FilterBody, LabelsBody } from '../contacts/schemas.js';
import { AgentSchema } from '../../serializers/agent.js';
import { ConversationSchema } from '../../serializers/conversation.js';
import { SenderSchema } from '../../serializers/message.js';
import { CONVERSATION_STATUSES } from '../../core/db/enums.js';
import {
  AssignmentBody,
  ConversationIdParams,
  ConversationParams,
  CreateBody,
  CustomAttributesBody,
  ListQuery,
  ParticipantsBody,
  TogglePriorityBody,
  ToggleStatusBody,
  TypingBody,
  UpdateBody,
} from './schemas.js';
import {
  contactConversations,
  conversationCounts,
  createConversation,
  deleteConversation,
  filterConversations,
  listConversations,
  showConversation,
  updateConversation,
} from './service.js';
import {
  markUnread,
  replaceCustomAttributes,
  setMuted,
  toggleStatus,
  togglePriority,
  toggleTyping,
  updateLastSeen,
} from './actions.js';
import { createAssignment } from './assignments.js';
import { conversationAttachments } from './attachments.js';
import { conversationLabels, setConversationLabels } from './labels.js';
import { changeParticipants, listParticipants } from './participants.js';

const tags = ['conversations'];
const security = [{ userToken: [] }];
const bot = { botAccessible: true };

const CountsSchema = Type.Object({
  mine_count: Type.Integer(),
  assigned_count: Type.Integer(),
  unassigned_count: Type.Integer(),
  all_count: Type.Integer(),
});
const ListEnvelope = Type.Object({
  data: Type.Object({ meta: CountsSchema, payload: Type.Array(ConversationSchema) }),
});
const MetaEnvelope = Type.Object({ meta: CountsSchema, payload: Type.Array(ConversationSchema) });
const LabelList = Type.Object({ payload: Type.Array(Type.String()) });
const RawTeam = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: NullableString(),
  allow_auto_assign: Type.Boolean(),
  account_id: Type.Integer(),
  created_at: NullableString(),
  updated_at: NullableString(),
});
const AttachmentItem = Type.Object({
  message_id: Type.Integer(),
  thumb_url: Type.String(),
  data_url: Type.String(),
  file_size: Type.Union([Type.Integer(), Type.Null()]),
  file_type: Type.String(),
  extension: NullableString(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.Integer(),
  sender: Type.Optional(SenderSchema),
});

export async function conversationRoutes(app: App, deps: AppDeps) {
  const ctx = (request: Parameters<typeof accountCtx>[0]) => accountCtx(request, deps);

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        security,
        summary: "Conversations (Chatwoot's ConversationFinder), 25 a page, counts before the assignee filter",
        querystring: ListQuery,
        response: { 200: ListEnvelope },
      },
    },
    async (request) => {
      const { counts, payload } = await listConversations(ctx(request), request.query);
      return { data: { meta: counts, payload } };
    },
  );
  app.get(
    '/conversations/meta',
    {
      schema: {
        tags,
        security,
        summary: 'The list counts only',
        querystring: ListQuery,
        response: { 200: Type.Object({ meta: CountsSchema }) },
      },
    },
    async (request) => ({ meta: await conversationCounts(ctx(request), request.query) }),
  );
  app.get(
    '/conversations/search',
    {
      schema: {
        tags,
        security,
        summary: 'Conversations whose messages contain q',
        querystring: ListQuery,
        response: { 200: MetaEnvelope },
      },
    },
    async (request) => {
      const { counts, payload } = await listConversations(ctx(request), request.query);
      return { meta: counts, payload };
    },
  );
  app.post(
    '/conversations/filter',
    {
      schema: {
        tags,
        security,
        summary: "Filter with Chatwoot's filter payload",
        body: FilterBody,
        response: { 200: MetaEnvelope },
      },
    },
    async (request) => {
      const { counts, payload } = await filterConversations(
        ctx(request),
        (request.body.payload ?? []) as FilterCondition[],
        request.body.page ?? 1,
      );
      return { meta: counts, payload };
    },
  );
  app.post(
    '/conversations',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary: 'Create a conversation (inbox_id + contact_id, or source_id), optionally with a first message',
        body: CreateBody,
        response: { 200: ConversationSchema },
      },
    },
    async (request) => createConversation(ctx(request), request.body),
  );
  app.get(
    '/conversations/:id',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary: 'Show a conversation by display id',
        params: ConversationParams,
        response: { 200: ConversationSchema },
      },
    },
    async (request) => showConversation(ctx(request), request.params.id),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/conversations/:id',
    config: bot,
    schema: {
      tags,
      security,
      summary: 'Update priority / SLA policy',
      params: ConversationParams,
      body: UpdateBody,
      response: { 200: ConversationSchema },
    },
    handler: async (request) => updateConversation(ctx(request), request.params.id, request.body),
  });
  app.delete(
    '/conversations/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a conversation (administrators)',
        params: ConversationParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteConversation(ctx(request), request.params.id);
      return reply.send('');
    },
  );

  app.post(
    '/conversations/:id/toggle_status',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary:
          'Set the status (open, resolved, pending, snoozed with snoozed_until in unix seconds); without status, toggle open/resolved',
        params: ConversationParams,
        body: ToggleStatusBody,
        response: {
          200: Type.Object({
            meta: Type.Object({}),
            payload: Type.Object({
              success: Type.Union([Type.Boolean(), Type.Null()]),
              conversation_id: Type.Integer(),
              current_status: Type.Enum(CONVERSATION_STATUSES),
              snoozed_until: NullableString(),
            }),
          }),
        },
      },
    },
    async (request) => ({ meta: {}, payload: await toggleStatus(ctx(request), request.params.id, request.body) }),
  );
  app.post(
    '/conversations/:id/toggle_priority',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary: 'Set the priority (urgent, high, medium, low; none clears it)',
        params: ConversationParams,
        body: TogglePriorityBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await togglePriority(ctx(request), request.params.id, request.body.priority);
      return reply.send('');
    },
  );
  app.post(
    '/conversations/:id/toggle_typing_status',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary: 'Typing indicator: on, off or recording',
        params: ConversationParams,
        body: TypingBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await toggleTyping(ctx(request), request.params.id, request.body);
      return reply.send('');
    },
  );
  app.post(
    '/conversations/:id/update_last_seen',
    {
      schema: {
        tags,
        security,
        summary: 'Mark the conversation read by the agent',
        params: ConversationParams,
        response: { 200: ConversationSchema },
      },
    },
    async (request) => updateLastSeen(ctx(request), request.params.id),
  );
  app.post(
    '/conversations/:id/unread',
    {
      schema: {
        tags,
        security,
        summary: 'Mark the last incoming message unread',
        params: ConversationParams,
        response: { 200: ConversationSchema },
      },
    },
    async (request) => markUnread(ctx(request), request.params.id),
  );
  for (const [action, muted] of [
    ['mute', true],
    ['unmute', false],
  ] as const) {
    app.post(
      `/conversations/:id/${action}`,
      {
        schema: {
          tags,
          security,
          summary: muted ? 'Mute: resolve and block the contact' : 'Unmute: unblock the contact',
          params: ConversationParams,
          response: { 200: EmptyBody },
        },
      },
      async (request, reply) => {
        await setMuted(ctx(request), request.params.id, muted);
        return reply.send('');
      },
    );
  }
  app.post(
    '/conversations/:id/custom_attributes',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary: "Replace the conversation's custom attributes",
        params: ConversationParams,
        body: CustomAttributesBody,
        response: { 200: Type.Object({ custom_attributes: Type.Record(Type.String(), Type.Unknown()) }) },
      },
    },
    async (request) => replaceCustomAttributes(ctx(request), request.params.id, request.body.custom_attributes),
  );
  app.get(
    '/conversations/:id/attachments',
    {
      schema: {
        tags,
        security,
        summary: 'Attachments of the conversation, newest first',
        params: ConversationParams,
        querystring: Type.Object({ page: Type.Optional(Page()) }),
        response: {
          200: Type.Object({ meta: Type.Object({ total_count: Type.Integer() }), payload: Type.Array(AttachmentItem) }),
        },
      },
    },
    async (request) => conversationAttachments(ctx(request), request.params.id, request.query.page),
  );

  app.post(
    '/conversations/:conversation_id/assignments',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary: 'Assign an agent (assignee_id) or a team (team_id); null unassigns',
        params: ConversationIdParams,
        body: AssignmentBody,
        response: { 200: Type.Union([AgentSchema, RawTeam, Type.Null()]) },
      },
    },
    async (request, reply) => {
      const assigned = await createAssignment(
        ctx(request),
        request.params.conversation_id,
        request.body as Record<string, unknown>,
      );
      // Chatwoot renders `null` when nobody (or no team) ends up assigned
      return assigned ?? reply.type('application/json').send('null' as never);
    },
  );

  app.get(
    '/conversations/:conversation_id/labels',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary: 'Labels of the conversation',
        params: ConversationIdParams,
        response: { 200: LabelList },
      },
    },
    async (request) => ({ payload: await conversationLabels(ctx(request), request.params.conversation_id) }),
  );
  app.post(
    '/conversations/:conversation_id/labels',
    {
      config: bot,
      schema: {
        tags,
        security,
        summary: "Replace the conversation's labels",
        params: ConversationIdParams,
        body: LabelsBody,
        response: { 200: LabelList },
      },
    },
    async (request) => ({
      payload: await setConversationLabels(ctx(request), request.params.conversation_id, request.body.labels ?? []),
    }),
  );

  const Participants = Type.Array(AgentSchema);
  app.get(
    '/conversations/:conversation_id/participants',
    {
      schema: {
        tags,
        security,
        summary: 'Participants of the conversation',
        params: ConversationIdParams,
        response: { 200: Participants },
      },
    },
    async (request) => listParticipants(ctx(request), request.params.conversation_id),
  );
  app.post(
    '/conversations/:conversation_id/participants',
    {
      schema: {
        tags,
        security,
        summary: 'Add participants (answers the newly added)',
        params: ConversationIdParams,
        body: ParticipantsBody,
        response: { 200: Participants },
      },
    },
    async (request) => changeParticipants(ctx(request), request.params.conversation_id, 'add', request.body.user_ids),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/conversations/:conversation_id/participants',
    schema: {
      tags,
      security,
      summary: 'Make the participants exactly these users',
      params: ConversationIdParams,
      body: ParticipantsBody,
      response: { 200: Participants },
    },
    handler: async (request) =>
      changeParticipants(ctx(request), request.params.conversation_id, 'replace', request.body.user_ids),
  });
  app.delete(
    '/conversations/:conversation_id/participants',
    {
      schema: {
        tags,
        security,
        summary: 'Remove participants',
        params: ConversationIdParams,
        body: ParticipantsBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await changeParticipants(ctx(request), request.params.conversation_id, 'remove', request.body.user_ids);
      return reply.send('');
    },
  );

  // under /contacts in Chatwoot's routes; served here so contacts/ need not reach up into conversations/
  app.get(
    '/contacts/:id/conversations',
    {
      schema: {
        tags: ['contacts'],
        security,
        summary: "The contact's conversations (those the caller can see), latest activity first",
        params: IdParams,
        response: { 200: Type.Object({ payload: Type.Array(ConversationSchema) }) },
      },
    },
    async (request) => ({ payload: await contactConversations(ctx(request), request.params.id) }),
  );
}
