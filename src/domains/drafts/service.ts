import { sql } from 'kysely';
import { actorUserId, type AccountCtx } from '../../core/http/account-scope.js';
import { fetchConversation } from '../conversations/access.js';
import type { DraftJson } from './schemas.js';

/**
 * Conversation drafts, as Chatwoot's DraftMessagesController: one per user and conversation, seen
 * only by the user who wrote it. The conversation is found and checked first (unknown: 404; not
 * visible to the caller: 401), as Conversations::BaseController does before every action.
 */

/** GET .../draft_messages. */
export async function showDraft(ctx: AccountCtx, displayId: string): Promise<DraftJson> {
  const conversation = await fetchConversation(ctx, displayId);
  const row = await ctx.db
    .selectFrom('draft_messages')
    .select('message')
    .where('account_id', '=', ctx.account.id)
    .where('conversation_id', '=', conversation.id)
    .where('user_id', '=', actorUserId(ctx))
    .executeTakeFirst();
  return row ? { has_draft: true, message: row.message } : { has_draft: false };
}

/** PATCH/PUT .../draft_messages: saves (or replaces) the caller's draft. */
export async function saveDraft(ctx: AccountCtx, displayId: string, message: string): Promise<void> {
  const conversation = await fetchConversation(ctx, displayId);
  await ctx.db
    .insertInto('draft_messages')
    .values({
      account_id: ctx.account.id,
      conversation_id: conversation.id,
      user_id: actorUserId(ctx),
      message,
    })
    .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ message, updated_at: sql`now()` }))
    .execute();
}

/** DELETE .../draft_messages: removes the caller's draft; 200 whether or not there was one. */
export async function discardDraft(ctx: AccountCtx, displayId: string): Promise<void> {
  const conversation = await fetchConversation(ctx, displayId);
  await ctx.db
    .deleteFrom('draft_messages')
    .where('account_id', '=', ctx.account.id)
    .where('conversation_id', '=', conversation.id)
    .where('user_id', '=', actorUserId(ctx))
    .execute();
}
