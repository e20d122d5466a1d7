import type { AccountCtx } from '../../core/http/account-scope.js';
import { reportingEventJson } from '../../serializers/reporting-event.js';
import { fetchConversation } from '../conversations/access.js';

/**
 * ConversationsController#reporting_events: the conversation's events by created_at, for whoever
 * may see the conversation (its show? policy: 404 unknown, 401 hidden from an agent).
 */
export async function conversationReportingEvents(ctx: AccountCtx, displayId: unknown) {
  const conversation = await fetchConversation(ctx, displayId);
  const rows = await ctx.db
    .selectFrom('reporting_events')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .where('conversation_id', '=', conversation.id)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(reportingEventJson);
}
