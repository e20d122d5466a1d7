import { accountExists } from '../../domains/accounts/queries.js';
import { deleteAccountUser, listAccountUsers, upsertAccountUser } from '../../domains/accounts/account-users.js';
import type { AccountUser } from '../../core/db/schema.js';
import { validationFailed } from '../../core/errors.js';
import { ACCOUNT_USER_ROLES, enumValue } from '../../core/db/enums.js';
import { userExists } from '../../domains/users/queries.js';
import type { PlatformCtx } from '../apps/context.js';
import { assertPermitted } from '../apps/permissibles.js';
import type { AccountUserBody } from './schemas.js';

/** Only the account must be permissible (Chatwoot does not check the user). */
async function permittedAccountId(ctx: PlatformCtx, id: number | undefined): Promise<number> {
  return assertPermitted(ctx.db, ctx.app.id, 'Account', id, (accountId) => accountExists(ctx.db, accountId));
}

export async function listMembers(ctx: PlatformCtx, accountId: number | undefined): Promise<AccountUser[]> {
  return listAccountUsers(ctx.db, await permittedAccountId(ctx, accountId));
}

/** POST: adds the user to the account, or changes the role of an existing member. */
export async function addMember(
  ctx: PlatformCtx,
  accountId: number | undefined,
  body: AccountUserBody,
): Promise<AccountUser> {
  const id = await permittedAccountId(ctx, accountId);
  // belongs_to :user — Rails reports a missing or unknown user as "User must exist"
  if (body.user_id === undefined || !(await userExists(ctx.db, body.user_id))) {
    throw validationFailed([{ attribute: 'user', message: 'must exist' }]);
  }
  const role = body.role === undefined ? undefined : enumValue(ACCOUNT_USER_ROLES, body.role);
  return upsertAccountUser(ctx.db, id, body.user_id, role);
}

/** DELETE (collection route, user_id in the body or query): 200 whether or not the user was a member. */
export async function removeMember(
  ctx: PlatformCtx,
  accountId: number | undefined,
  userId: number | undefined,
): Promise<void> {
  const id = await permittedAccountId(ctx, accountId);
  if (userId !== undefined) await deleteAccountUser(ctx.db, id, userId);
}
