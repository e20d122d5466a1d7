import { actorUserId, requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import type { Db } from '../../core/db/kysely.js';
import { recordNotFound, validationFailed } from '../../core/errors.js';
import { ACCOUNT_USER_ROLES, AVAILABILITIES, enumValue } from '../../core/db/enums.js';
import type { AgentView } from '../../serializers/agent.js';
import { findUserByEmail } from '../users/queries.js';
import { insertConfirmedUser, prepareUser } from '../users/create.js';
import { isEmail } from '../../core/http/values.js';
import { queueAuthMail } from '../auth-mail/queue.js';
import { listAgentViews } from './queries.js';
import type { AgentFields } from './schemas.js';

export async function listAgents(ctx: AccountCtx): Promise<AgentView[]> {
  return listAgentViews(ctx.db, ctx.account.id);
}

async function agentView(ctx: AccountCtx, db: Db, userId: number): Promise<AgentView> {
  const [view] = await listAgentViews(db, ctx.account.id, [userId]);
  if (!view) throw recordNotFound();
  return view;
}

/**
 * Chatwoot's AgentBuilder: reuse the user with that email (so one person can join several
 * accounts) or create one with an unusable random password, then add the membership.
 */
async function addAgent(ctx: AccountCtx, tx: Db, fields: AgentFields): Promise<number> {
  const email = fields.email?.trim() ?? '';
  let user = email ? await findUserByEmail(tx, email) : undefined;
  if (!user) {
    const input = { name: fields.name?.trim() || email.split('@')[0] || '', email };
    await prepareUser(input, { requirePassword: false });
    // AgentBuilder's User.create!: unconfirmed, and devise's confirmation mail (the invitation,
    // with a link to set a password) goes out once the membership commits
    user = await insertConfirmedUser(tx, input, null, { confirmed: false });
    await queueAuthMail(tx, 'confirmation_instructions', user.id);
  }
  const existing = await tx
    .selectFrom('account_users')
    .select('id')
    .where('account_id', '=', ctx.account.id)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (existing) throw validationFailed([{ attribute: 'user_id', message: 'has already been taken' }]);
  await tx
    .insertInto('account_users')
    .values({
      account_id: ctx.account.id,
      user_id: user.id,
      inviter_id: actorUserId(ctx),
      ...(fields.role && { role: enumValue(ACCOUNT_USER_ROLES, fields.role) }),
      ...(fields.availability && { availability: enumValue(AVAILABILITIES, fields.availability) }),
      ...(fields.auto_offline !== undefined && { auto_offline: fields.auto_offline }),
    })
    .execute();
  return user.id;
}

/** POST /agents (administrators). */
export async function createAgent(ctx: AccountCtx, fields: AgentFields): Promise<AgentView> {
  requireAdministrator(ctx);
  const email = fields.email?.trim() ?? '';
  if (!email) throw validationFailed([{ attribute: 'email', message: "can't be blank" }]);
  if (!isEmail(email)) throw validationFailed([{ attribute: 'email', message: 'is invalid' }]);
  return ctx.db.transaction().execute(async (tx) => agentView(ctx, tx, await addAgent(ctx, tx, fields)));
}

/**
 * POST /agents/bulk_create (administrators): each email becomes an agent named after its local
 * part; emails that are invalid or already members are skipped, as Chatwoot swallows those errors.
 */
export async function bulkCreateAgents(ctx: AccountCtx, emails: string[]): Promise<void> {
  requireAdministrator(ctx);
  for (const raw of emails) {
    const email = raw.trim();
    if (!isEmail(email)) continue;
    await ctx.db.transaction().execute(async (tx) => {
      const existing = await findUserByEmail(tx, email);
      const member =
        existing &&
        (await tx
          .selectFrom('account_users')
          .select('id')
          .where('account_id', '=', ctx.account.id)
          .where('user_id', '=', existing.id)
          .executeTakeFirst());
      if (!member)
        await addAgent(ctx, tx, { email, name: email.split('@')[0], availability: 'offline', auto_offline: false });
    });
  }
}

/** PATCH /agents/:id (administrators): name on the user; role, availability, auto_offline on the membership. */
export async function updateAgent(
  ctx: AccountCtx,
  userId: number | undefined,
  fields: AgentFields,
): Promise<AgentView> {
  const view = await agentView(ctx, ctx.db, userId ?? 0);
  requireAdministrator(ctx);
  if (fields.name !== undefined && !fields.name.trim())
    throw validationFailed([{ attribute: 'name', message: "can't be blank" }]);
  return ctx.db.transaction().execute(async (tx) => {
    if (fields.name !== undefined) {
      await tx
        .updateTable('users')
        .set({ name: fields.name.trim(), updated_at: new Date() })
        .where('id', '=', view.user.id)
        .execute();
    }
    const membership = {
      ...(fields.role && { role: enumValue(ACCOUNT_USER_ROLES, fields.role) }),
      ...(fields.availability && { availability: enumValue(AVAILABILITIES, fields.availability) }),
      ...(fields.auto_offline !== undefined && { auto_offline: fields.auto_offline }),
    };
    if (Object.keys(membership).length) {
      await tx
        .updateTable('account_users')
        .set({ ...membership, updated_at: new Date() })
        .where('id', '=', view.accountUser.id)
        .execute();
    }
    return agentView(ctx, tx, view.user.id);
  });
}

/**
 * DELETE /agents/:id (administrators): the membership goes, with the agent's inbox and team
 * memberships in this account (Agents::DestroyService); a user left in no account is deleted.
 */
export async function removeAgent(ctx: AccountCtx, userId: number | undefined): Promise<void> {
  const view = await agentView(ctx, ctx.db, userId ?? 0);
  requireAdministrator(ctx);
  await ctx.db.transaction().execute(async (tx) => {
    const accountInboxes = tx.selectFrom('inboxes').select('id').where('account_id', '=', ctx.account.id);
    const accountTeams = tx.selectFrom('teams').select('id').where('account_id', '=', ctx.account.id);
    await tx
      .deleteFrom('inbox_members')
      .where('user_id', '=', view.user.id)
      .where('inbox_id', 'in', accountInboxes)
      .execute();
    await tx
      .deleteFrom('team_members')
      .where('user_id', '=', view.user.id)
      .where('team_id', 'in', accountTeams)
      .execute();
    await tx.deleteFrom('account_users').where('id', '=', view.accountUser.id).execute();
    const left = await tx
      .selectFrom('account_users')
      .select('id')
      .where('user_id', '=', view.user.id)
      .executeTakeFirst();
    const platformOwned = await tx
      .selectFrom('platform_app_permissibles')
      .select('id')
      .where('permissible_type', '=', 'User')
      .where('permissible_id', '=', view.user.id)
      .executeTakeFirst();
    if (!left && !platformOwned) {
      await tx
        .deleteFrom('access_tokens')
        .where('owner_type', '=', 'User')
        .where('owner_id', '=', view.user.id)
        .execute();
      await tx.deleteFrom('users').where('id', '=', view.user.id).execute();
    }
  });
}
