import { sql } from 'kysely';
import { signal, transactionally } from '../../core/events/bus.js';
import { unprocessable } from '../../core/errors.js';
import { isAdministrator, type AccountCtx, type AccountWork } from '../../core/http/account-scope.js';
import type { Conversation } from '../../core/db/schema.js';
import { CONVERSATION_STATUSES, MESSAGE_TYPE, type ConversationStatus } from '../../core/db/enums.js';
import { isoTime } from '../../serializers/time.js';
import { ACTIVITY, actorName, writeActivity } from './activity.js';
import { fetchConversation } from './access.js';
import { assignConversation } from './assignments.js';
import { setPriority } from './priority.js';
import { renderOne, snoozeTime } from './service.js';
import { performerOf } from '../../core/http/account-scope.js';
import { setStatus, STATUS, statusName } from './status.js';

/**
 * Member actions on one conversation (ConversationsController): status, priority, typing,
 * last seen, unread, mute, custom attributes.
 */

export interface ToggleStatusResult {
  success: boolean | null;
  conversation_id: number;
  current_status: ConversationStatus;
  snoozed_until: string | null;
}

export async function toggleStatus(
  ctx: AccountCtx,
  displayId: string,
  body: { status?: string | null; snoozed_until?: unknown },
): Promise<ToggleStatusResult> {
  const conversation = await fetchConversation(ctx, displayId);
  const requested = body.status || undefined;
  if (requested !== undefined && !(CONVERSATION_STATUSES as readonly string[]).includes(requested)) {
    throw unprocessable(`'${requested}' is not a valid status`);
  }
  const snoozedUntil = body.snoozed_until !== undefined ? snoozeTime(body.snoozed_until) : null;
  const cause = { kind: 'actor' as const, name: actorName(ctx), performer: performerOf(ctx) };
  let success: boolean | null = true;
  const updated = await transactionally(ctx, async (tx, batch) => {
    const current = await tx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversation.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    // an agent bot handing a pending conversation over to humans (Chatwoot's bot_handoff!)
    if (ctx.actor.kind === 'agent_bot' && current.status === STATUS.pending && requested === 'open') {
      success = null;
      if (!current.waiting_since)
        await tx.updateTable('conversations').set({ waiting_since: new Date() }).where('id', '=', current.id).execute();
      return setStatus(
        { tx, batch },
        { conversation: { ...current, waiting_since: current.waiting_since ?? new Date() }, status: 'open', cause },
      );
    }
    const next: ConversationStatus =
      (requested as ConversationStatus | undefined) ?? (current.status === STATUS.open ? 'resolved' : 'open');
    let result = await setStatus({ tx, batch }, { conversation: current, status: next, cause, snoozedUntil });
    // Chatwoot assigns a conversation an agent (not an administrator) reopens to that agent
    if (
      next === 'open' &&
      ctx.actor.kind === 'user' &&
      !isAdministrator(ctx) &&
      result.assignee_id !== ctx.actor.user.id
    ) {
      result = await assignConversation({ ctx, tx, batch }, { conversation: result, assigneeId: ctx.actor.user.id });
    }
    return result;
  });
  return {
    success,
    conversation_id: updated.display_id,
    current_status: statusName(updated),
    snoozed_until: isoTime(updated.snoozed_until),
  };
}

export async function togglePriority(
  ctx: AccountCtx,
  displayId: string,
  priority: string | null | undefined,
): Promise<void> {
  const conversation = await fetchConversation(ctx, displayId);
  await transactionally(ctx, (tx, batch) =>
    setPriority({ ctx, tx, batch }, { conversation, priority: priority ?? null }),
  );
}

const TYPING_EVENTS = {
  on: 'conversation.typing_on',
  off: 'conversation.typing_off',
  recording: 'conversation.recording',
} as const;

export async function toggleTyping(
  ctx: AccountCtx,
  displayId: string,
  body: { typing_status?: string | null; is_private?: boolean | string },
): Promise<void> {
  const conversation = await fetchConversation(ctx, displayId);
  const status = body.typing_status ?? '';
  if (!Object.hasOwn(TYPING_EVENTS, status)) return;
  // typing changes no row: nothing to commit its webhooks with (see signal)
  await signal(ctx, [
    {
      name: TYPING_EVENTS[status as keyof typeof TYPING_EVENTS],
      payload: {
        accountId: ctx.account.id,
        conversationId: conversation.id,
        performer: performerOf(ctx),
        isPrivate: body.is_private === true || body.is_private === 'true',
      },
    },
  ]);
}

/** The agent has read the conversation (and the assignee, when it is theirs). */
export async function updateLastSeen(ctx: AccountCtx, displayId: string) {
  const conversation = await fetchConversation(ctx, displayId);
  const now = new Date();
  const mine = ctx.actor.kind === 'user' && conversation.assignee_id === ctx.actor.user.id;
  const updated = await transactionally(ctx, async (tx, batch) => {
    const row = await tx
      .updateTable('conversations')
      .set({ agent_last_seen_at: now, ...(mine ? { assignee_last_seen_at: now } : {}) })
      .where('id', '=', conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    batch.emit('conversation.read', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      performer: performerOf(ctx),
    });
    return row;
  });
  return renderOne(ctx, updated);
}

/** Marks the last incoming message unread: last seen just before it. */
export async function markUnread(ctx: AccountCtx, displayId: string) {
  const conversation = await fetchConversation(ctx, displayId);
  const last = await ctx.db
    .selectFrom('messages')
    .select('created_at')
    .where('conversation_id', '=', conversation.id)
    .where('message_type', '=', MESSAGE_TYPE.incoming)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const seen = last ? new Date(new Date(last.created_at).getTime() - 1000) : null;
  const updated = await transactionally(ctx, async (tx, batch) => {
    const row = await tx
      .updateTable('conversations')
      .set({ agent_last_seen_at: seen, assignee_last_seen_at: seen })
      .where('id', '=', conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    batch.emit('conversation.updated', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      changedAttributes: ['agent_last_seen_at'],
    });
    return row;
  });
  return renderOne(ctx, updated);
}

/** Chatwoot's mute!: resolve, block the contact, and say so; unmute! unblocks without reopening. */
export async function setMuted(ctx: AccountCtx, displayId: string, muted: boolean): Promise<void> {
  const conversation = await fetchConversation(ctx, displayId);
  await transactionally(ctx, async (tx, batch) => {
    const current = await tx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversation.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await muteConversation({ ctx, tx, batch }, { conversation: current, muted });
  });
}

/** Conversation#mute! / unmute! on a locked conversation (the route and automation's mute_conversation). */
export async function muteConversation(
  work: AccountWork,
  { conversation, muted }: { conversation: Conversation; muted: boolean },
): Promise<Conversation> {
  const { ctx, tx, batch } = work;
  const name = actorName(ctx);
  let current = conversation;
  if (muted)
    current = await setStatus(
      { tx, batch },
      { conversation: current, status: 'resolved', cause: { kind: 'actor', name, performer: performerOf(ctx) } },
    );
  await tx
    .updateTable('contacts')
    .set({ blocked: muted, updated_at: new Date() })
    .where('id', '=', current.contact_id)
    .execute();
  await writeActivity(
    { tx, batch },
    { conversation: current, content: muted ? ACTIVITY.muted(name) : ACTIVITY.unmuted(name) },
  );
  return current;
}

/** POST /conversations/:id/custom_attributes: replaces the conversation's custom attributes. */
export async function replaceCustomAttributes(
  ctx: AccountCtx,
  displayId: string,
  attributes: Record<string, unknown> | undefined,
) {
  const conversation = await fetchConversation(ctx, displayId);
  const updated = await transactionally(ctx, async (tx, batch) => {
    const before = await tx
      .selectFrom('conversations')
      .select('custom_attributes')
      .where('id', '=', conversation.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const row = await tx
      .updateTable('conversations')
      .set({ custom_attributes: JSON.stringify(attributes ?? {}), updated_at: sql`now()` })
      .where('id', '=', conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    batch.emit('conversation.updated', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      changedAttributes: ['custom_attributes'],
      changes: { custom_attributes: [before.custom_attributes, row.custom_attributes] },
    });
    return row;
  });
  return { custom_attributes: updated.custom_attributes };
}
