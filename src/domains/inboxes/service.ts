import { removeAvatar } from '../../core/storage/avatars.js';
import type { Db } from '../../core/db/kysely.js';
import type { AgentBot, Inbox } from '../../core/db/schema.js';
import { recordNotFound, unauthorizedAction, validationFailed, type FieldError } from '../../core/errors.js';
import { rowChanges } from '../../core/db/row-changes.js';
import { transactionally } from '../../core/events/bus.js';
import { isAdministrator, performerOf, requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { invalidateCacheKey } from '../../core/realtime/cache-keys.js';
import { listAgentViews } from '../agents/queries.js';
import type { AgentView } from '../../serializers/agent.js';
import { SENDER_NAME_TYPES, type InboxView } from '../../serializers/inbox.js';
import { ACCOUNT_USER_ROLES, enumValue } from '../../core/db/enums.js';
import { generateSecureToken } from '../../core/tokens/secure-token.js';
import {
  API_CHANNEL,
  deleteInboxWithChannel,
  findInbox,
  insertApiChannel,
  insertDefaultWorkingHours,
  insertInbox,
  isInboxMember,
  listInboxes as listInboxRows,
  loadInboxViews,
  updateApiChannel,
  updateInbox,
} from './queries.js';
import type { InboxBody, WorkingHoursInput } from './schemas.js';
import { inboxErrors, mergeWorkingHour, workingHourErrors } from './validate.js';

/** Chatwoot's format_csat_config: the known keys with their defaults, plus a template if sent. */
function csatConfig(input: Record<string, unknown>) {
  const rules = (input.survey_rules ?? {}) as Record<string, unknown>;
  return {
    display_type: input.display_type ?? 'emoji',
    message: input.message ?? '',
    survey_rules: { operator: rules.operator ?? 'contains', values: rules.values ?? [] },
    button_text: input.button_text ?? 'Please rate us',
    language: input.language ?? 'en',
    ...(input.template !== undefined && { template: input.template }),
  };
}

function inboxColumns(body: InboxBody) {
  const copy = <K extends keyof InboxBody>(...keys: K[]) =>
    Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
  return {
    ...copy(
      'greeting_enabled',
      'greeting_message',
      'enable_email_collect',
      'csat_survey_enabled',
      'enable_auto_assignment',
      'working_hours_enabled',
      'out_of_office_message',
      'timezone',
      'allow_messages_after_resolved',
      'lock_to_single_conversation',
      'business_name',
    ),
    ...(body.name !== undefined && { name: body.name.trim() }),
    ...(body.csat_config !== undefined && { csat_config: JSON.stringify(csatConfig(body.csat_config)) }),
    ...(body.auto_assignment_config !== undefined && {
      auto_assignment_config: JSON.stringify(body.auto_assignment_config),
    }),
    ...(body.sender_name_type !== undefined && {
      sender_name_type: enumValue(SENDER_NAME_TYPES, body.sender_name_type),
    }),
  };
}

function channelColumns(channel: InboxBody['channel']) {
  return {
    ...(channel?.webhook_url !== undefined && { webhook_url: channel.webhook_url || null }),
    ...(channel?.hmac_mandatory !== undefined && { hmac_mandatory: channel.hmac_mandatory }),
    ...(channel?.additional_attributes !== undefined && {
      additional_attributes: JSON.stringify(channel.additional_attributes),
    }),
  };
}

/**
 * Updates the given days of the schedule (OutOfOffisable#update_working_hours): each day keeps
 * the keys not sent. A day that fails WorkingHour's validations refuses the whole request with
 * 422 and the transaction writes nothing (Chatwoot's non-bang update skips such a day silently).
 */
async function applyWorkingHours(tx: Db, inbox: Inbox, rows: WorkingHoursInput[]) {
  const stored = await tx
    .selectFrom('working_hours')
    .selectAll()
    .where('account_id', '=', inbox.account_id)
    .where('inbox_id', '=', inbox.id)
    .execute();
  const errors: FieldError[] = [];
  const updates = [];
  for (const input of rows) {
    const index = stored.findIndex((row) => row.day_of_week === input.day_of_week);
    if (index < 0) continue;
    // a day sent twice is updated twice, the second time over the first
    const row = mergeWorkingHour(stored[index]!, input);
    stored[index] = { ...stored[index]!, ...row };
    errors.push(...workingHourErrors(row));
    updates.push(row);
  }
  if (errors.length) throw validationFailed(errors.slice(0, 1));
  for (const { day_of_week, ...row } of updates) {
    await tx
      .updateTable('working_hours')
      .set(row)
      .where('account_id', '=', inbox.account_id)
      .where('inbox_id', '=', inbox.id)
      .where('day_of_week', '=', day_of_week)
      .execute();
  }
}

async function view(db: Db, inbox: Inbox): Promise<InboxView> {
  return (await loadInboxViews(db, [inbox]))[0]!;
}

/** Chatwoot's fetch_inbox: 404 outside the account, 401 for an agent who is not a member. */
async function fetchInbox(ctx: AccountCtx, id: number | undefined): Promise<Inbox> {
  const inbox = id === undefined ? undefined : await findInbox(ctx.db, ctx.account.id, id);
  if (!inbox) throw recordNotFound();
  if (
    ctx.actor.kind === 'user' &&
    !isAdministrator(ctx) &&
    !(await isInboxMember(ctx.db, inbox.id, ctx.actor.user.id))
  ) {
    throw unauthorizedAction();
  }
  return inbox;
}

/** GET /inboxes: administrators see every inbox, agents only those they are members of. */
export async function listInboxes(ctx: AccountCtx): Promise<InboxView[]> {
  const memberOnly = isAdministrator(ctx) || ctx.actor.kind !== 'user' ? undefined : ctx.actor.user.id;
  return loadInboxViews(ctx.db, await listInboxRows(ctx.db, ctx.account.id, memberOnly));
}

export async function getInbox(ctx: AccountCtx, id: number | undefined): Promise<InboxView> {
  return view(ctx.db, await fetchInbox(ctx, id));
}

/** POST /inboxes (administrators). Only API channels exist here; other types fail like Chatwoot's unknown types. */
export async function createInbox(ctx: AccountCtx, body: InboxBody): Promise<InboxView> {
  requireAdministrator(ctx);
  const errors = inboxErrors(body, true);
  if (body.channel?.type !== 'api') errors.push({ attribute: 'channel', message: 'must exist' });
  if (errors.length) throw validationFailed(errors);
  return transactionally(ctx, async (tx, batch) => {
    const channel = await insertApiChannel(tx, {
      account_id: ctx.account.id,
      identifier: generateSecureToken(),
      hmac_token: generateSecureToken(),
      secret: generateSecureToken(),
      ...channelColumns(body.channel),
    });
    const inbox = await insertInbox(tx, {
      account_id: ctx.account.id,
      channel_type: API_CHANNEL,
      channel_id: channel.id,
      name: body.name!.trim(),
      ...inboxColumns(body),
    });
    await insertDefaultWorkingHours(tx, inbox);
    if (body.working_hours) await applyWorkingHours(tx, inbox, body.working_hours);
    await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'inbox', performer: performerOf(ctx) });
    batch.emit('inbox.created', { accountId: ctx.account.id, inboxId: inbox.id, performer: performerOf(ctx) });
    return view(tx, inbox);
  });
}

/** PATCH /inboxes/:id (administrators): inbox fields, working hours and channel fields, all or nothing. */
export async function patchInbox(ctx: AccountCtx, id: number | undefined, body: InboxBody): Promise<InboxView> {
  const inbox = await fetchInbox(ctx, id);
  requireAdministrator(ctx);
  const errors = inboxErrors(body, false);
  if (errors.length) throw validationFailed(errors);
  return transactionally(ctx, async (tx, batch) => {
    const updated = await updateInbox(tx, inbox.id, inboxColumns(body));
    if (body.working_hours) await applyWorkingHours(tx, inbox, body.working_hours);
    const channel = channelColumns(body.channel);
    if (Object.keys(channel).length && inbox.channel_type === API_CHANNEL)
      await updateApiChannel(tx, inbox.channel_id, channel);
    await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'inbox', performer: performerOf(ctx) });
    // like Inbox#dispatch_update_event: only a change to the inbox row itself (not its channel or hours) is announced
    const changes = rowChanges(inbox, updated);
    if (changes)
      batch.emit('inbox.updated', {
        accountId: ctx.account.id,
        inboxId: inbox.id,
        performer: performerOf(ctx),
        changes,
      });
    return view(tx, updated);
  });
}

/**
 * POST /inboxes/:id/reset_secret (administrators; Channel::Api#reset_secret!): a new secret for
 * the webhook_url deliveries; those still waiting are signed with it from their next try.
 * Chatwoot answers 404 for other channel types.
 */
export async function resetInboxSecret(ctx: AccountCtx, id: number | undefined): Promise<InboxView> {
  const inbox = await fetchInbox(ctx, id);
  requireAdministrator(ctx);
  if (inbox.channel_type !== API_CHANNEL) throw recordNotFound();
  await updateApiChannel(ctx.db, inbox.channel_id, { secret: generateSecureToken() });
  return view(ctx.db, inbox);
}

/** DELETE /inboxes/:id/avatar (administrators): Chatwoot destroys the attachment and answers 200. */
export async function removeInboxAvatar(ctx: AccountCtx, id: number | undefined): Promise<void> {
  const inbox = await fetchInbox(ctx, id);
  requireAdministrator(ctx);
  await removeAvatar(ctx.db, ctx.storage, { owner: 'inboxes', id: inbox.id, accountId: ctx.account.id });
}

/** DELETE /inboxes/:id (administrators). Chatwoot deletes in a job and says so; we delete at once. */
export async function removeInbox(ctx: AccountCtx, id: number | undefined): Promise<void> {
  const inbox = await fetchInbox(ctx, id);
  requireAdministrator(ctx);
  await transactionally(ctx, async (tx, batch) => {
    await deleteInboxWithChannel(tx, inbox);
    await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'inbox', performer: performerOf(ctx) });
  });
}

/** GET /inboxes/:id/assignable_agents: the inbox's members plus every administrator. */
export async function assignableAgents(ctx: AccountCtx, id: number | undefined): Promise<AgentView[]> {
  const inbox = await fetchInbox(ctx, id);
  const agents = await listAgentViews(ctx.db, ctx.account.id);
  const members = new Set(
    (await ctx.db.selectFrom('inbox_members').select('user_id').where('inbox_id', '=', inbox.id).execute()).map(
      (r) => r.user_id,
    ),
  );
  const administrator = enumValue(ACCOUNT_USER_ROLES, 'administrator');
  return agents.filter((a) => members.has(a.user.id) || a.accountUser.role === administrator);
}

/** GET /inboxes/:id/agent_bot. */
export async function inboxAgentBot(ctx: AccountCtx, id: number | undefined): Promise<AgentBot | undefined> {
  const inbox = await fetchInbox(ctx, id);
  return ctx.db
    .selectFrom('agent_bots')
    .selectAll('agent_bots')
    .innerJoin('agent_bot_inboxes', 'agent_bot_inboxes.agent_bot_id', 'agent_bots.id')
    .where('agent_bot_inboxes.inbox_id', '=', inbox.id)
    .executeTakeFirst();
}

/** POST /inboxes/:id/set_agent_bot (administrators): attach a global or own bot, or detach with null. */
export async function setInboxAgentBot(
  ctx: AccountCtx,
  id: number | undefined,
  botId: number | null | undefined,
): Promise<void> {
  const inbox = await fetchInbox(ctx, id);
  requireAdministrator(ctx);
  if (botId === null || botId === undefined) {
    await ctx.db.deleteFrom('agent_bot_inboxes').where('inbox_id', '=', inbox.id).execute();
    return;
  }
  const bot = await ctx.db
    .selectFrom('agent_bots')
    .select('id')
    .where('id', '=', botId)
    .where((eb) => eb.or([eb('account_id', 'is', null), eb('account_id', '=', ctx.account.id)]))
    .executeTakeFirst();
  if (!bot) throw recordNotFound();
  await ctx.db
    .insertInto('agent_bot_inboxes')
    .values({ inbox_id: inbox.id, agent_bot_id: bot.id, account_id: ctx.account.id })
    .onConflict((oc) => oc.column('inbox_id').doUpdateSet({ agent_bot_id: bot.id, updated_at: new Date() }))
    .execute();
}
