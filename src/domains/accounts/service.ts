import type { Db } from '../../core/db/kysely.js';
import type { Account, NewAccount } from '../../core/db/schema.js';
import { validationFailed } from '../../core/errors.js';
import { upsertAccountUser } from './account-users.js';
import { ACCOUNT_USER_ROLES, enumValue } from '../../core/db/enums.js';
import type { UserView } from '../../serializers/user.js';
import { loadUserView } from '../users/queries.js';
import { insertConfirmedUser, prepareUser } from '../users/create.js';
import { applyFeatureToggles, FEATURE_DEFAULTS } from '../../core/db/account-features.js';
import { insertAccount } from './queries.js';
import { accountErrors } from './validate.js';

/** Inserts an account with the default features plus any toggles (validated by the caller). */
export async function insertAccountWithFeatures(
  tx: Db,
  values: Omit<NewAccount, 'features'>,
  toggles?: Record<string, unknown>,
): Promise<Account> {
  return insertAccount(tx, {
    ...values,
    features: JSON.stringify(applyFeatureToggles({ ...FEATURE_DEFAULTS }, toggles)),
  });
}

export interface FirstAdministratorInput {
  accountName: string;
  name: string;
  email: string;
  password: string;
}

/**
 * A fresh installation's first account and its administrator (Chatwoot's AccountBuilder, as run
 * by the onboarding form): a confirmed SuperAdmin user, an account, an administrator membership.
 */
export async function createAccountWithAdministrator(
  db: Db,
  input: FirstAdministratorInput,
): Promise<{ account: Account; user: UserView }> {
  const errors = accountErrors({ name: input.accountName }, true);
  if (errors.length) throw validationFailed(errors);
  const userInput = { name: input.name, email: input.email, password: input.password, type: 'SuperAdmin' as const };
  const { encrypted } = await prepareUser(userInput, { requirePassword: true });
  return db.transaction().execute(async (tx) => {
    const account = await insertAccountWithFeatures(tx, { name: input.accountName.trim() });
    const user = await insertConfirmedUser(tx, userInput, encrypted);
    await upsertAccountUser(tx, account.id, user.id, enumValue(ACCOUNT_USER_ROLES, 'administrator'));
    return { account, user: await loadUserView(tx, user) };
  });
}
