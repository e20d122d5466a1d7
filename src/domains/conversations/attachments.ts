// A conversation's attachments: GET .../conversations/:id/attachments.
import { ATTACHMENT_FILE_TYPES, enumName } from '../../core/db/enums.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { senderJson } from '../../serializers/message.js';
import { epochSeconds } from '../../serializers/time.js';
import { fetchConversation } from './access.js';
import { loadMessageViews } from './views.js';

/** GET .../attachments: newest first, 100 a page, with the total. */
export async function conversationAttachments(ctx: AccountCtx, displayId: string, page = 1) {
  const conversation = await fetchConversation(ctx, displayId);
  const base = ctx.db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .where('messages.conversation_id', '=', conversation.id);
  const [rows, total] = await Promise.all([
    base
      .selectAll('attachments')
      .orderBy('attachments.created_at', 'desc')
      .orderBy('attachments.id', 'desc')
      .limit(100)
      .offset((Math.max(1, page) - 1) * 100)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const messages = rows.length
    ? await ctx.db
        .selectFrom('messages')
        .selectAll()
        .where('id', 'in', [...new Set(rows.map((r) => r.message_id))])
        .execute()
    : [];
  const views = new Map(
    (
      await loadMessageViews(ctx.db, ctx.account.id, messages, () => ({
        display_id: conversation.display_id,
        assignee_id: null,
        unread_count: 0,
        last_activity_at: conversation.last_activity_at,
        source_id: null,
      }))
    ).map((v) => [v.message.id, v]),
  );
  return {
    meta: { total_count: Number(total.n) },
    payload: rows.map((a) => {
      const view = views.get(a.message_id)!;
      return {
        message_id: a.message_id,
        thumb_url: a.file_type === 0 ? ctx.storage.thumbUrl(a) : '',
        data_url: ctx.storage.dataUrl(a),
        file_size: a.file_size,
        file_type: enumName(ATTACHMENT_FILE_TYPES, a.file_type),
        extension: a.extension,
        width: a.width,
        height: a.height,
        created_at: epochSeconds(view.message.created_at),
        ...(view.sender ? { sender: senderJson(view.sender) } : {}),
      };
    }),
  };
}
