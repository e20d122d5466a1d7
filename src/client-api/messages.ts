import type { Conversation, Message } from '../core/db/schema.js';
import { transactionally, type Performer, type Work } from '../core/events/bus.js';
import { AppError, notFound, validationFailed } from '../core/errors.js';
import { parseId } from '../core/http/ids.js';
import {
  findReplay,
  insertMessage,
  type NewMessage,
  type StoredFile,
} from '../domains/conversations/insert-message.js';
import { MAX_ATTACHMENTS, MAX_CONTENT, MAX_RETRY_KEY } from '../domains/conversations/message-input.js';
import { isContactVisible, publicMessageJson, type PublicMessageJson } from '../serializers/public-message.js';
import { liveMessage } from './live-message.js';
import {
  findConversationScope,
  loadPublicMessageViews,
  type ConversationPath,
  type ConversationScope,
} from './queries.js';
import type { PublicCtx } from './service.js';
import type { MessageCreateBody } from './schemas.js';
import { MESSAGE_CONTENT_TYPE, MESSAGE_TYPE } from '../core/db/enums.js';

const PAGE = 20;
const CSAT_LOCK_DAYS = 14;

async function render(ctx: PublicCtx, scope: ConversationScope, messages: Message[]): Promise<PublicMessageJson[]> {
  const views = await loadPublicMessageViews(
    ctx.db,
    scope.conversation.account_id,
    messages,
    new Map([[scope.conversation.id, scope.conversation.display_id]]),
  );
  return views.map((view) => publicMessageJson(view, ctx.storage));
}

/**
 * GET .../conversations/:conversation_id/messages: MessageFinder with filter_internal_messages
 * (no private notes, no activity messages), the latest 20 or the 20 before `before`, ascending.
 */
export async function listMessages(ctx: PublicCtx, { before, ...path }: ConversationPath & { before?: string }) {
  const scope = await findConversationScope(ctx.db, path.inboxIdentifier, path.contactIdentifier, path.displayId);
  let query = ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', scope.conversation.id)
    .where('private', '=', false)
    .where('message_type', '!=', MESSAGE_TYPE.activity);
  const beforeId = parseId(before);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  const rows = (await query.orderBy('id', 'desc').limit(PAGE).execute()).reverse();
  return render(ctx, scope, rows);
}

const scalar = (value: string | number | null | undefined) =>
  value === undefined || value === null ? null : String(value);

/**
 * POST .../conversations/:conversation_id/messages: an incoming message from the contact with
 * `content` and optional `echo_id` and `attachments[]`; nothing else the body holds is read, so a
 * contact cannot write a private note or an agent's message. The Message callbacks apply
 * (insertMessage): a resolved conversation reopens with Chatwoot's system activity message,
 * waiting_since starts, the agents' unread count grows. A retry with a stored echo_id gets the
 * stored message back.
 */
export async function createMessage(
  ctx: PublicCtx,
  { body, files = [], ...path }: ConversationPath & { body: MessageCreateBody; files?: StoredFile[] },
) {
  const content = scalar(body.content);
  const echoId = scalar(body.echo_id)?.slice(0, MAX_RETRY_KEY) || null;
  const invalid =
    contentProblem(content, files) ??
    (echoId?.includes('\0') ? validationFailed([{ attribute: 'echo_id', message: 'is invalid' }]) : undefined);
  const live = !invalid && files.length === 0 ? liveMessage(path, content!, echoId) : undefined;
  const stored = live && (await ctx.liveMessages?.submit(live));
  if (stored)
    return publicMessageJson(
      {
        message: stored.message,
        conversationDisplayId: stored.conversation.display_id,
        sender: stored.sender,
        attachments: [],
      },
      ctx.storage,
    );
  // the full path: 404 before 422, as Rails' before_action finds the records first
  const scope = await findConversationScope(ctx.db, path.inboxIdentifier, path.contactIdentifier, path.displayId);
  if (invalid) throw invalid;
  const sender: Performer = { type: 'Contact', id: scope.contact.id };
  const input: NewMessage = {
    messageType: MESSAGE_TYPE.incoming,
    contentType: 0,
    content,
    private: false,
    contentAttributes: {},
    additionalAttributes: {},
    sourceId: null,
    sender,
    echoId,
    idempotencyKey: null,
    files,
  };
  const replay = input.echoId ? await findReplay(ctx.db, scope.conversation.id, input) : undefined;
  if (replay) return (await render(ctx, scope, [replay]))[0]!;
  let message: Message;
  try {
    message = (
      await transactionally(ctx, (tx, batch) =>
        insertMessage(
          { tx, batch },
          {
            conversationId: scope.conversation.id,
            message: input,
            reopenCause: { kind: 'contact_reopen', performer: sender },
          },
        ),
      )
    ).message;
  } catch (error) {
    // two retries raced: the unique index kept one of them; answer with it
    const stored =
      (error as { code?: string }).code === '23505'
        ? await findReplay(ctx.db, scope.conversation.id, input)
        : undefined;
    if (!stored) throw error;
    message = stored;
  }
  return (await render(ctx, scope, [message]))[0]!;
}

function contentProblem(content: string | null, files: StoredFile[]): AppError | undefined {
  // PostgreSQL text cannot hold NUL; refused here, before it could fail a statement shared with other contacts' messages
  if (content?.includes('\0')) return validationFailed([{ attribute: 'content', message: 'is invalid' }]);
  if (content !== null && content.length > MAX_CONTENT) {
    return validationFailed([{ attribute: 'content', message: `is too long (maximum is ${MAX_CONTENT} characters)` }]);
  }
  if ((content === null || content.trim() === '') && files.length === 0)
    return validationFailed([{ attribute: 'content', message: "can't be blank" }]);
  if (files.length > MAX_ATTACHMENTS)
    return validationFailed([{ attribute: 'attachments', message: `exceeded the maximum of ${MAX_ATTACHMENTS}` }]);
  return undefined;
}

const pick = (source: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => Object.hasOwn(source, k)).map((k) => [k, source[k]]));
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * Rails' `permit(submitted_values: [:name, :title, :value, {csat_survey_response: [:feedback_message,
 * :rating]}])`: a hash or an array of hashes with those scalar keys; anything else is dropped.
 * Undefined when nothing permitted remains (the update then changes nothing).
 */
export function permittedSubmittedValues(raw: unknown): unknown {
  const permitOne = (item: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const key of ['name', 'title', 'value'])
      if (Object.hasOwn(item, key) && isScalar(item[key])) out[key] = item[key];
    if (isObject(item.csat_survey_response)) {
      const csat = pick(item.csat_survey_response, ['feedback_message', 'rating']);
      out.csat_survey_response = Object.fromEntries(Object.entries(csat).filter(([, v]) => isScalar(v)));
    }
    return out;
  };
  if (Array.isArray(raw)) return raw.filter(isObject).map(permitOne);
  if (isObject(raw)) return permitOne(raw);
  return undefined;
}

/** Whole days between the message's date and today (UTC), as Chatwoot's check_csat_locked counts. */
function daysSince(date: Date | string): number {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(new Date()) - day(new Date(date))) / 86_400_000);
}

export function assertCsatOpen(message: Message): void {
  if (message.content_type === MESSAGE_CONTENT_TYPE.input_csat && daysSince(message.created_at) > CSAT_LOCK_DAYS) {
    throw new AppError('unprocessable', 422, { error: 'You cannot update the CSAT survey after 14 days' });
  }
}

/**
 * Stores the submitted values on the message (message.updated follows), and for an input_csat
 * message with a rating writes its csat_survey_responses row, as CsatSurveys::ResponseBuilder does
 * on message_updated — here in the same transaction, so the response already shows it.
 */
export async function applySubmittedValues(
  { tx, batch }: Work,
  {
    message,
    conversation,
    submitted,
    performer,
  }: { message: Message; conversation: Conversation; submitted: unknown; performer: Performer },
): Promise<Message> {
  if (submitted === undefined) return message;
  const rating =
    isObject(submitted) && isObject(submitted.csat_survey_response) ? submitted.csat_survey_response.rating : undefined;
  const csat =
    message.content_type === MESSAGE_CONTENT_TYPE.input_csat &&
    rating !== undefined &&
    rating !== null &&
    rating !== '';
  const ratingValue = Number(rating);
  if (csat && !(Number.isInteger(ratingValue) && ratingValue >= 1 && ratingValue <= 5)) {
    throw validationFailed([{ attribute: 'rating', message: 'is not included in the list' }]);
  }
  const updated = await tx
    .updateTable('messages')
    .set({
      content_attributes: JSON.stringify({ ...message.content_attributes, submitted_values: submitted }),
      updated_at: new Date(),
    })
    .where('id', '=', message.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (csat) {
    const feedback = (submitted as { csat_survey_response: { feedback_message?: unknown } }).csat_survey_response
      .feedback_message;
    const feedbackText = feedback === undefined || feedback === null ? null : String(feedback);
    await tx
      .insertInto('csat_survey_responses')
      .values({
        account_id: message.account_id,
        conversation_id: conversation.id,
        message_id: message.id,
        contact_id: conversation.contact_id,
        assigned_agent_id: conversation.assignee_id,
        rating: ratingValue,
        feedback_message: feedbackText,
      })
      .onConflict((oc) =>
        oc
          .column('message_id')
          .doUpdateSet({ rating: ratingValue, feedback_message: feedbackText, updated_at: new Date() }),
      )
      .execute();
  }
  batch.emit('message.updated', {
    accountId: message.account_id,
    conversationId: conversation.id,
    messageId: message.id,
    performer,
  });
  return updated;
}

/**
 * PATCH .../messages/:id: the contact's answer to an input_select, form or CSAT message. Only a
 * message the contact can see resolves: Chatwoot would also update and render a private note
 * here, which would show it to the contact.
 */
export async function updateMessage(
  ctx: PublicCtx,
  { messageId: rawId, submittedValues, ...path }: ConversationPath & { messageId: string; submittedValues: unknown },
) {
  const scope = await findConversationScope(ctx.db, path.inboxIdentifier, path.contactIdentifier, path.displayId);
  const id = parseId(rawId);
  const message =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('messages')
          .selectAll()
          .where('conversation_id', '=', scope.conversation.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!message || !isContactVisible(message)) throw notFound();
  assertCsatOpen(message);
  const updated = await transactionally(ctx, (tx, batch) =>
    applySubmittedValues(
      { tx, batch },
      {
        message,
        conversation: scope.conversation,
        submitted: permittedSubmittedValues(submittedValues),
        performer: {
          type: 'Contact',
          id: scope.contact.id,
        },
      },
    ),
  );
  return (await render(ctx, scope, [updated]))[0]!;
}
