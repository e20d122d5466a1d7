import {
  accountExists,
  deleteAccount,
  findAccount,
  listAccountsByIds,
  updateAccount,
} from '../../domains/accounts/queries.js';
import { applyFeatureToggles } from '../../core/db/account-features.js';
import { insertAccountWithFeatures } from '../../domains/accounts/service.js';
import { accountErrors } from '../../domains/accounts/validate.js';
import type { Account } from '../../core/db/schema.js';
import { validationFailed } from '../../core/errors.js';
import { deleteAccessTokens } from '../../core/tokens/access-tokens.js';
import { ACCOUNT_STATUSES, enumValue } from '../../core/db/enums.js';
import type { PlatformCtx } from '../apps/context.js';
import { assertPermitted, dropPermissibles, grantPermissible, permittedIds } from '../apps/permissibles.js';
import type { AccountBody } from './schemas.js';

function columnsFrom(body: AccountBody) {
  return {
    ...(body.name !== undefined && { name: body.name.trim() }),
    ...(body.locale !== undefined && { locale: body.locale }),
    ...(body.domain !== undefined && { domain: body.domain }),
    ...(body.support_email !== undefined && { support_email: body.support_email }),
    ...(body.status !== undefined && { status: enumValue(ACCOUNT_STATUSES, body.status) }),
    // Chatwoot replaces these two wholesale on update
    ...(body.limits !== undefined && { limits: JSON.stringify(body.limits) }),
    ...(body.custom_attributes !== undefined && { custom_attributes: JSON.stringify(body.custom_attributes) }),
  };
}

/** POST /accounts: creates the account and records it as the app's. */
export async function createAccount(ctx: PlatformCtx, body: AccountBody): Promise<Account> {
  const errors = accountErrors(body, true);
  if (errors.length) throw validationFailed(errors);
  return ctx.db.transaction().execute(async (tx) => {
    const account = await insertAccountWithFeatures(
      tx,
      { name: body.name!.trim(), ...columnsFrom(body) },
      body.features,
    );
    await grantPermissible(tx, ctx.app.id, 'Account', account.id);
    return account;
  });
}

/** GET /accounts (newer Chatwoot): the accounts this app may manage. */
export async function listAccounts(ctx: PlatformCtx): Promise<Account[]> {
  return listAccountsByIds(ctx.db, await permittedIds(ctx.db, ctx.app.id, 'Account'));
}

async function permittedAccountId(ctx: PlatformCtx, id: number | undefined): Promise<number> {
  return assertPermitted(ctx.db, ctx.app.id, 'Account', id, (accountId) => accountExists(ctx.db, accountId));
}

export async function getAccount(ctx: PlatformCtx, id: number | undefined): Promise<Account> {
  return (await findAccount(ctx.db, await permittedAccountId(ctx, id)))!;
}

export async function patchAccount(ctx: PlatformCtx, id: number | undefined, body: AccountBody): Promise<Account> {
  const accountId = await permittedAccountId(ctx, id);
  const errors = accountErrors(body, false);
  if (errors.length) throw validationFailed(errors);
  return ctx.db.transaction().execute(async (tx) => {
    const current = (await findAccount(tx, accountId))!;
    return updateAccount(tx, accountId, {
      ...columnsFrom(body),
      ...(body.features !== undefined && {
        features: JSON.stringify(applyFeatureToggles(current.features, body.features)),
      }),
    });
  });
}

/** DELETE: Chatwoot deletes in a background job and answers 200 at once; we delete in the request. */
export async function removeAccount(ctx: PlatformCtx, id: number | undefined): Promise<void> {
  const accountId = await permittedAccountId(ctx, id);
  await ctx.db.transaction().execute(async (tx) => {
    const bots = await tx.selectFrom('agent_bots').select('id').where('account_id', '=', accountId).execute();
    for (const bot of bots) await dropPermissibles(tx, 'AgentBot', bot.id);
    await deleteAccessTokens(
      tx,
      'AgentBot',
      bots.map((bot) => bot.id),
    );
    await deleteAccount(tx, accountId);
    await dropPermissibles(tx, 'Account', accountId);
  });
}
