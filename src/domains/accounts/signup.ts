import type { Config } from '../../core/config.js';
import type { Db } from '../../core/db/kysely.js';
import type { Account, User } from '../../core/db/schema.js';
import { ACCOUNT_USER_ROLES, enumValue } from '../../core/db/enums.js';
import { AppError, notFound, validationFailed } from '../../core/errors.js';
import { isBlank, isEmail } from '../../core/http/values.js';
import { createSession, type SessionHeaders } from '../../core/tokens/sessions.js';
import type { UserView } from '../../serializers/user.js';
import { insertConfirmedUser, prepareUser } from '../users/create.js';
import { findUserByEmail, loadUserView } from '../users/queries.js';
import { queueAuthMail } from '../auth-mail/queue.js';
import { upsertAccountUser } from './account-users.js';
import { accountErrors } from './validate.js';
import { insertAccountWithFeatures } from './service.js';

export interface SignupInput {
  account_name?: string;
  user_full_name?: string;
  email?: string;
  password?: string;
  locale?: string;
}

export type SignupResult =
  | { kind: 'session'; view: UserView; account: Account; headers: SessionHeaders }
  | { kind: 'email'; email: string };

/** CustomExceptions::Account::*: status 403 with `{ message }` (CustomExceptions::Base). */
const signupRefused = (message: string) => new AppError('signup_refused', 403, { message });

const LOCALE = /^[a-z]{2,3}([_-][A-Za-z]{2,4})?$/;

/**
 * POST /api/v1/accounts (Api::V1::AccountsController#create with AccountBuilder): off unless
 * sign-up is enabled (404, Rails' routing error). A signed-in user ("add account" in the
 * dashboard) gets a new account they administer; anyone else also gets a new user. The signed-in
 * user and API-only installations get the user and fresh session headers; a web sign-up only its
 * email back: its user is unconfirmed, devise's confirmation mail goes out with the account (a job
 * queued in the same transaction), and /auth/sign_in refuses them until they follow its link — so
 * nobody signs up with an address they cannot read. (An API-only installation's client gets its
 * session at once, so its user is created confirmed.)
 */
export async function signUp(
  deps: { db: Db; config: Readonly<Config> },
  input: SignupInput,
  currentUser: User | undefined,
): Promise<SignupResult> {
  const { db, config } = deps;
  if (!config.accountSignup) throw notFound();
  // ensure_account_name: one of the two names must be there
  if (isBlank(input.account_name) && isBlank(input.user_full_name)) {
    throw signupRefused('Invalid, please check the signup paramters and try again');
  }
  const accountName = (input.account_name ?? '').trim();
  const accountProblems = accountErrors({ name: accountName }, true);
  if (accountProblems.length) throw validationFailed(accountProblems);
  const locale = input.locale && LOCALE.test(input.locale) ? input.locale : 'en';

  let encrypted: string | null = null;
  const email = (input.email ?? '').trim();
  const userInput = { name: input.user_full_name ?? '', email, password: input.password };
  if (!currentUser) {
    if (!isEmail(email)) throw signupRefused('You have entered an invalid email');
    if (await findUserByEmail(db, email)) {
      throw signupRefused(`You have already signed up for an account with ${email}`);
    }
    ({ encrypted } = await prepareUser(userInput, { requirePassword: true }));
  }

  const { account, user } = await db.transaction().execute(async (tx) => {
    const account = await insertAccountWithFeatures(tx, { name: accountName, locale });
    const confirmByMail = !currentUser && !config.signupAnswersSession;
    const user = currentUser ?? (await insertConfirmedUser(tx, userInput, encrypted, { confirmed: !confirmByMail }));
    await upsertAccountUser(tx, account.id, user.id, enumValue(ACCOUNT_USER_ROLES, 'administrator'));
    if (confirmByMail) await queueAuthMail(tx, 'confirmation_instructions', user.id);
    return { account, user };
  });
  if (!currentUser && !config.signupAnswersSession) return { kind: 'email', email: user.email };
  return { kind: 'session', view: await loadUserView(db, user), account, headers: await createSession(db, user) };
}
