import { AppError, unauthorizedAction, unprocessable } from '../../core/errors.js';
import { actorUserId, isAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { addJob } from '../../core/jobs/runner.js';
import { CONVERSATION_STATUSES, type ConversationStatus } from '../../core/db/enums.js';
import { snoozeTime } from '../conversations/service.js';
import { normaliseLabels } from '../labels/taggings.js';
import type { BulkActionBody } from './schemas.js';

/** The graphile-worker task that applies a bulk action (Chatwoot's BulkActionsJob / Contacts::BulkActionJob). */
export const BULK_ACTIONS = 'bulk_actions';

/** What the job receives: everything already checked and normalised, ids as numbers. */
export interface BulkActionJob {
  account_id: number;
  user_id: number;
  type: 'Conversation' | 'Contact';
  ids: number[];
  /** Conversations: each present key is set (null unassigns or removes the team). */
  fields: { status?: ConversationStatus; assignee_id?: number | null; team_id?: number | null };
  /** ISO time, kept with status snoozed. */
  snoozed_until: string | null;
  labels: { add: string[]; remove: string[] };
  /** Contacts: `delete`. */
  action_name: string | null;
}

/** Rails' `params[:type].to_s.camelize`: conversation and Conversation are the same type. */
const camelize = (raw: string) =>
  raw
    .split(/[_/]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** The controller's `render json: { success: false }, status: :unprocessable_entity`. */
const unknownType = () => new AppError('unprocessable', 422, { success: false });

/**
 * POST /bulk_actions: checks what the controller checks (the type; an assignee and a team of this
 * account; a contact deletion only for administrators) and a valid status, then queues the job in
 * this request and answers as Chatwoot does, 200 with an empty body. The job acts as the caller.
 */
export async function enqueueBulkAction(ctx: AccountCtx, body: BulkActionBody): Promise<void> {
  const userId = actorUserId(ctx);
  const type = camelize(body.type ?? '');
  if (type !== 'Conversation' && type !== 'Contact') throw unknownType();
  const job: BulkActionJob = {
    account_id: ctx.account.id,
    user_id: userId,
    type,
    ids: [...new Set((body.ids ?? []).map(parseId).filter((id): id is number => id !== undefined))],
    fields: {},
    snoozed_until: null,
    labels: { add: normaliseLabels(body.labels?.add ?? []), remove: normaliseLabels(body.labels?.remove ?? []) },
    action_name: body.action_name ?? null,
  };
  if (type === 'Conversation') {
    await conversationFields(ctx, body, job);
  } else if (job.action_name === 'delete' && !isAdministrator(ctx)) {
    // authorize(Contact, :destroy?)
    throw unauthorizedAction();
  }
  if (job.ids.length === 0) return;
  await addJob(ctx.db, BULK_ACTIONS, job as unknown as Record<string, unknown>);
}

/** validate_assignment_targets, plus the status the model would refuse. */
async function conversationFields(ctx: AccountCtx, body: BulkActionBody, job: BulkActionJob): Promise<void> {
  const fields = body.fields ?? {};
  if (fields.assignee_id !== undefined && fields.assignee_id !== null) {
    const id = parseId(fields.assignee_id);
    const member =
      id === undefined
        ? undefined
        : await ctx.db
            .selectFrom('account_users')
            .select('user_id')
            .where('account_id', '=', ctx.account.id)
            .where('user_id', '=', id)
            .executeTakeFirst();
    if (!member) throw unprocessable('Invalid assignee_id');
    job.fields.assignee_id = member.user_id;
  } else if (fields.assignee_id === null) {
    job.fields.assignee_id = null;
  }
  if (fields.team_id !== undefined) {
    // the dashboard sends 0 to remove the team
    if (fields.team_id === null || fields.team_id === 0 || fields.team_id === '0') {
      job.fields.team_id = null;
    } else {
      const id = parseId(fields.team_id);
      const team =
        id === undefined
          ? undefined
          : await ctx.db
              .selectFrom('teams')
              .select('id')
              .where('account_id', '=', ctx.account.id)
              .where('id', '=', id)
              .executeTakeFirst();
      if (!team) throw unprocessable('Invalid team_id');
      job.fields.team_id = team.id;
    }
  }
  if (fields.status) {
    if (!(CONVERSATION_STATUSES as readonly string[]).includes(fields.status)) {
      throw unprocessable(`'${fields.status}' is not a valid status`);
    }
    job.fields.status = fields.status as ConversationStatus;
    const until = snoozeTime(body.snoozed_until ?? fields.snoozed_until);
    if (job.fields.status === 'snoozed') job.snoozed_until = until?.toISOString() ?? null;
  }
}
