import type { ContactInbox, Conversation } from '../../core/db/schema.js';
import { transactionally } from '../../core/events/bus.js';
import { recordNotFound, unauthorizedAction, unprocessable } from '../../core/errors.js';
import { performerOf, requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { epochDate } from '../../core/http/values.js';
import { compileFilter, type FilterCondition } from '../filters/compile.js';
import { CONVERSATION_FILTERS } from '../filters/keys.js';
import { filterableAttributes } from '../custom-attributes/service.js';
import { findOrCreateContactInbox } from '../contacts/queries.js';
import { fetchContact } from '../contacts/service.js';
import { hasActiveBot } from '../inboxes/queries.js';
import { CONVERSATION_PRIORITIES } from '../../core/db/enums.js';
import { STATUS } from './status.js';
import { conversationJson, type ConversationJson } from '../../serializers/conversation.js';
import { insertMessage } from './insert-message.js';
import { messageInputFrom } from './message-input.js';
import { canSee, fetchConversation, visibilityOf, visiblePredicate } from './access.js';
import {
  applyOrder,
  CONVERSATIONS_PER_PAGE,
  counterTotals,
  findConversations,
  rowCounts,
  type Counts,
  type FinderParams,
} from './finder.js';
import type { CreateBody, UpdateBody } from './schemas.js';
import { actorName, writeActivity } from './activity.js';
import { settleNewTeam } from './assignments.js';
import { loadConversationViews } from './views.js';
import { setPriority } from './priority.js';
import { loadConversationSla, setSlaPolicy } from './sla.js';
import { featureEnabled } from '../../core/db/account-features.js';

export const viewerId = (ctx: AccountCtx) => (ctx.actor.kind === 'user' ? ctx.actor.user.id : undefined);

export async function render(ctx: AccountCtx, conversations: Conversation[]): Promise<ConversationJson[]> {
  const views = await loadConversationViews(ctx.db, ctx.account.id, conversations, viewerId(ctx));
  if (featureEnabled(ctx.account.features, 'sla')) {
    const sla = await loadConversationSla(
      ctx.db,
      ctx.account.id,
      conversations.map((c) => c.id),
    );
    for (const view of views) view.sla = sla.get(view.conversation.id);
  }
  return views.map((view) => conversationJson(view, ctx.storage));
}

export async function renderOne(ctx: AccountCtx, conversation: Conversation): Promise<ConversationJson> {
  return (await render(ctx, [conversation]))[0]!;
}

/** GET /conversations and /conversations/search: the finder's page and its counts. */
export async function listConversations(
  ctx: AccountCtx,
  params: FinderParams,
): Promise<{ counts: Counts; payload: ConversationJson[] }> {
  const { conversations, counts } = await findConversations(ctx, params);
  return { counts, payload: await render(ctx, conversations) };
}

export async function conversationCounts(ctx: AccountCtx, params: FinderParams): Promise<Counts> {
  return (await findConversations(ctx, params, { withRows: false })).counts;
}

/** POST /conversations/filter: Chatwoot's FilterService over the conversations the caller can see. */
export async function filterConversations(
  ctx: AccountCtx,
  payload: FilterCondition[],
  page = 1,
): Promise<{ counts: Counts; payload: ConversationJson[] }> {
  const customs = await filterableAttributes(ctx.db, ctx.account.id, CONVERSATION_FILTERS.attributeModel);
  const condition = compileFilter(CONVERSATION_FILTERS, payload, customs);
  const visibility = await visibilityOf(ctx);
  const base = ctx.db
    .selectFrom('conversations')
    .where('conversations.account_id', '=', ctx.account.id)
    .where(visiblePredicate(visibility, 'conversations'))
    .where(condition);
  const me = viewerId(ctx) ?? 0;
  // one "labels equal_to <one label>" condition is answered by the label counters
  const only = payload.length === 1 ? payload[0]! : undefined;
  const values = Array.isArray(only?.values) ? only.values : [only?.values];
  const label =
    only?.attribute_key === 'labels' &&
    only.filter_operator === 'equal_to' &&
    values.length === 1 &&
    typeof values[0] === 'string'
      ? values[0]
      : undefined;
  const [rows, counts] = await Promise.all([
    applyOrder(base, 'last_activity_at_desc')
      .selectAll('conversations')
      .limit(CONVERSATIONS_PER_PAGE)
      .offset((Math.max(1, page) - 1) * CONVERSATIONS_PER_PAGE)
      .execute(),
    label !== undefined ? counterTotals(ctx, { visibility }, me, label) : rowCounts(base, me),
  ]);
  return { counts, payload: await render(ctx, rows as Conversation[]) };
}

export async function showConversation(ctx: AccountCtx, displayId: string): Promise<ConversationJson> {
  return renderOne(ctx, await fetchConversation(ctx, displayId));
}

const idOrNull = (raw: unknown) => (raw === undefined || raw === null || raw === '' ? null : (parseId(raw) ?? 0));

/** Unix seconds (Chatwoot's DateTime.strptime(value, '%s')); anything else is a 422. */
export function snoozeTime(raw: unknown): Date | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const date = epochDate(raw);
  if (!date) throw unprocessable('invalid date');
  return date;
}

/**
 * POST /conversations: the contact inbox from inbox_id + contact_id (or an existing source_id),
 * ConversationBuilder's fields, the model's status rules (a blocked contact's conversation starts
 * resolved, a bot-handled inbox's pending), and the optional first message, in one transaction.
 */
export async function createConversation(ctx: AccountCtx, body: CreateBody): Promise<ConversationJson> {
  const status = body.status ?? 'open';
  if (!Object.hasOwn(STATUS, status)) throw unprocessable(`'${status}' is not a valid status`);
  const assigneeId = idOrNull(body.assignee_id);
  const teamId = idOrNull(body.team_id);
  const snoozedUntil = snoozeTime(body.snoozed_until);
  const message = body.message?.content
    ? messageInputFrom(ctx, { content: body.message.content, template_params: body.message.template_params })
    : undefined;

  const conversation = await transactionally(ctx, async (tx, batch) => {
    let contactInbox: ContactInbox | undefined;
    if (
      body.inbox_id !== undefined &&
      body.inbox_id !== null &&
      body.contact_id !== undefined &&
      body.contact_id !== null
    ) {
      const [inbox, contact] = await Promise.all([
        tx
          .selectFrom('inboxes')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', parseId(body.inbox_id) ?? 0)
          .executeTakeFirst(),
        tx
          .selectFrom('contacts')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', parseId(body.contact_id) ?? 0)
          .executeTakeFirst(),
      ]);
      if (!inbox || !contact) throw recordNotFound();
      if (!canSee(await visibilityOf(ctx), { inbox_id: inbox.id, team_id: null })) throw unauthorizedAction();
      contactInbox = await findOrCreateContactInbox(tx, contact.id, inbox.id, body.source_id);
      if (contactInbox.contact_id !== contact.id) throw unprocessable('source_id should be unique');
    } else {
      contactInbox = body.source_id
        ? await tx
            .selectFrom('contact_inboxes')
            .innerJoin('inboxes', 'inboxes.id', 'contact_inboxes.inbox_id')
            .selectAll('contact_inboxes')
            .where('inboxes.account_id', '=', ctx.account.id)
            .where('contact_inboxes.source_id', '=', body.source_id)
            .executeTakeFirst()
        : undefined;
      if (!contactInbox) throw recordNotFound();
      if (!canSee(await visibilityOf(ctx), { inbox_id: contactInbox.inbox_id, team_id: null }))
        throw unauthorizedAction();
    }
    const [assignee, team, contact, bot, inbox] = await Promise.all([
      assigneeId
        ? tx
            .selectFrom('account_users')
            .select('user_id')
            .where('account_id', '=', ctx.account.id)
            .where('user_id', '=', assigneeId)
            .executeTakeFirst()
        : undefined,
      teamId
        ? tx
            .selectFrom('teams')
            .select('id')
            .where('account_id', '=', ctx.account.id)
            .where('id', '=', teamId)
            .executeTakeFirst()
        : undefined,
      tx.selectFrom('contacts').select('blocked').where('id', '=', contactInbox.contact_id).executeTakeFirstOrThrow(),
      hasActiveBot(tx, contactInbox.inbox_id),
      tx
        .selectFrom('inboxes')
        .select('lock_to_single_conversation')
        .where('id', '=', contactInbox.inbox_id)
        .executeTakeFirstOrThrow(),
    ]);
    if (inbox.lock_to_single_conversation) {
      const existing = await tx
        .selectFrom('conversations')
        .selectAll()
        .where('contact_inbox_id', '=', contactInbox.id)
        .where('status', '!=', STATUS.resolved)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (existing) return existing;
    }
    const finalStatus = contact.blocked ? 'resolved' : bot ? 'pending' : status;
    const now = new Date();
    const created = await tx
      .insertInto('conversations')
      .values({
        account_id: ctx.account.id,
        inbox_id: contactInbox.inbox_id,
        contact_id: contactInbox.contact_id,
        contact_inbox_id: contactInbox.id,
        status: STATUS[finalStatus as keyof typeof STATUS],
        assignee_id: assignee?.user_id ?? null,
        team_id: team?.id ?? null,
        snoozed_until: finalStatus === 'snoozed' ? snoozedUntil : null,
        additional_attributes: JSON.stringify(body.additional_attributes ?? {}),
        custom_attributes: JSON.stringify(body.custom_attributes ?? {}),
        waiting_since: now,
        last_activity_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (assignee && !team) {
      await tx
        .insertInto('conversation_participants')
        .values({ account_id: ctx.account.id, conversation_id: created.id, user_id: assignee.user_id })
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
        .execute();
    }
    batch.emit('conversation.created', {
      accountId: ctx.account.id,
      conversationId: created.id,
      performer: performerOf(ctx),
    });
    // a team sent with the conversation: its assignee rules and activity (AssignmentHandler on create)
    const teamed = team ? await settleNewTeam({ ctx, tx, batch }, { conversation: created }) : undefined;
    if (message)
      await insertMessage(
        { tx, batch },
        {
          conversationId: created.id,
          message,
          reopenCause: {
            kind: 'actor',
            name: actorName(ctx),
            performer: performerOf(ctx),
          },
        },
      );
    if (teamed) await writeActivity({ tx, batch }, { conversation: teamed.conversation, content: teamed.activity });
    return teamed?.conversation ?? created;
  });
  // read after commit: the transactional listeners may have changed it (auto-assignment's assignee)
  return renderOne(
    ctx,
    await ctx.db.selectFrom('conversations').selectAll().where('id', '=', conversation.id).executeTakeFirstOrThrow(),
  );
}

/** PATCH /conversations/:id: priority and sla_policy_id (set once, as the enterprise Conversation validates it). */
export async function updateConversation(
  ctx: AccountCtx,
  displayId: string,
  body: UpdateBody,
): Promise<ConversationJson> {
  const conversation = await fetchConversation(ctx, displayId);
  if (
    body.priority !== undefined &&
    body.priority !== null &&
    !(CONVERSATION_PRIORITIES as readonly string[]).includes(body.priority)
  ) {
    throw unprocessable(`'${body.priority}' is not a valid priority`);
  }
  const updated = await transactionally(ctx, async (tx, batch) => {
    let current = conversation;
    if (body.priority !== undefined)
      current = await setPriority({ ctx, tx, batch }, { conversation: current, priority: body.priority });
    if (body.sla_policy_id !== undefined)
      current = await setSlaPolicy(
        { ctx, tx, batch },
        { conversation: current, policyId: idOrNull(body.sla_policy_id) },
      );
    return current;
  });
  return renderOne(ctx, updated);
}

/** DELETE /conversations/:id (administrators): the conversation, its messages and attachments. */
export async function deleteConversation(ctx: AccountCtx, displayId: string): Promise<void> {
  requireAdministrator(ctx);
  const conversation = await fetchConversation(ctx, displayId);
  const keys = await ctx.db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .select('attachments.storage_key')
    .where('messages.conversation_id', '=', conversation.id)
    .execute();
  await transactionally(ctx, async (tx, batch) => {
    await tx
      .deleteFrom('taggings')
      .where('taggable_type', '=', 'Conversation')
      .where('taggable_id', '=', conversation.id)
      .execute();
    await tx.deleteFrom('conversations').where('id', '=', conversation.id).execute();
    batch.emit('conversation.deleted', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      performer: performerOf(ctx),
    });
  });
  await Promise.all(keys.map((k) => (k.storage_key ? ctx.storage.remove(k.storage_key) : undefined)));
}

/** GET /contacts/:id/conversations: the contact's conversations the caller can see, latest activity first. */
export async function contactConversations(ctx: AccountCtx, rawContactId: string): Promise<ConversationJson[]> {
  const contactId = (await fetchContact(ctx, rawContactId)).id;
  const visibility = await visibilityOf(ctx);
  const rows = await applyOrder(
    ctx.db
      .selectFrom('conversations')
      .where('conversations.account_id', '=', ctx.account.id)
      .where('conversations.contact_id', '=', contactId)
      .where(visiblePredicate(visibility, 'conversations')),
    'last_activity_at_desc',
  )
    .selectAll('conversations')
    .limit(20)
    .execute();
  return render(ctx, rows as Conversation[]);
}
