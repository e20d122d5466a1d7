import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { DraftBody, DraftParams, DraftSchema, draftTextOf } from './schemas.js';
import { discardDraft, saveDraft, showDraft } from './service.js';

const tags = ['conversations'];
const security = [{ userToken: [] }];
const url = '/conversations/:conversation_id/draft_messages';

/** Chatwoot's `resource :draft_messages, only: [:update, :show, :destroy]`; update and destroy answer `head :ok`. */
export async function draftRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: "The caller's draft in a conversation",
        params: DraftParams,
        response: { 200: DraftSchema },
      },
    },
    async (request) => showDraft(accountCtx(request, deps), request.params.conversation_id),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url,
    schema: {
      tags,
      security,
      summary: "Save the caller's draft in a conversation",
      params: DraftParams,
      body: DraftBody,
      response: { 200: EmptyBody },
    },
    handler: async (request, reply) => {
      await saveDraft(accountCtx(request, deps), request.params.conversation_id, draftTextOf(request.body));
      return reply.status(200).send('');
    },
  });
  app.delete(
    url,
    {
      schema: {
        tags,
        security,
        summary: "Discard the caller's draft in a conversation",
        params: DraftParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await discardDraft(accountCtx(request, deps), request.params.conversation_id);
      return reply.status(200).send('');
    },
  );
}
