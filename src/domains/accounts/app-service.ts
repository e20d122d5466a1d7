import type { FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/kysely.js';
import type { Account } from '../../core/db/schema.js';
import { recordNotFound, unauthorizedAction, validationFailed } from '../../core/errors.js';
import { currentUser } from '../../core/http/auth.js';
import { parseId } from '../../core/http/ids.js';
import { ACCOUNT_USER_ROLES, enumValue } from '../../core/db/enums.js';
import type { CacheKeys } from '../../serializers/account.js';
import { findAccount, updateAccount } from './queries.js';
import { readCacheKeys } from '../../core/realtime/cache-keys.js';
import type { AccountUpdateBody } from './schemas.js';
import { accountErrors } from './validate.js';

/**
 * /api/v1/accounts/:id is outside the account-scoped controllers in Chatwoot: it looks the
 * account up among the user's own accounts, so a stranger's account is 404, not 401.
 */
async function ownMembership(db: Db, request: FastifyRequest) {
  const user = currentUser(request);
  const id = parseId((request.params as { id?: string }).id);
  const membership =
    id === undefined
      ? undefined
      : await db
          .selectFrom('account_users')
          .selectAll()
          .where('account_id', '=', id)
          .where('user_id', '=', user.id)
          .executeTakeFirst();
  if (!membership) throw recordNotFound();
  return membership;
}

/** Epoch-second strings of the last change per cached collection (Chatwoot keeps them in Redis). */
export async function cacheKeysFor(db: Db, accountId: number): Promise<CacheKeys> {
  return readCacheKeys(db, accountId);
}

export async function showAccount(db: Db, request: FastifyRequest): Promise<Account> {
  const membership = await ownMembership(db, request);
  return (await findAccount(db, membership.account_id))!;
}

export async function patchAccount(db: Db, request: FastifyRequest, body: AccountUpdateBody): Promise<Account> {
  const membership = await ownMembership(db, request);
  if (membership.role !== enumValue(ACCOUNT_USER_ROLES, 'administrator')) throw unauthorizedAction();
  const errors = accountErrors(body, false);
  if (errors.length) throw validationFailed(errors);
  return db.transaction().execute(async (tx) => {
    const current = (await findAccount(tx, membership.account_id))!;
    const pick = <K extends keyof AccountUpdateBody>(keys: K[]) =>
      Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
    const customAttributes = pick(['industry', 'company_size', 'timezone']);
    const settings = pick([
      'auto_resolve_after',
      'auto_resolve_message',
      'auto_resolve_ignore_waiting',
      'audio_transcriptions',
      'auto_resolve_label',
    ]);
    return updateAccount(tx, current.id, {
      ...(body.name !== undefined && { name: body.name.trim() }),
      ...(body.locale !== undefined && { locale: body.locale }),
      ...(body.domain !== undefined && { domain: body.domain }),
      ...(body.support_email !== undefined && { support_email: body.support_email }),
      ...(body.auto_resolve_duration !== undefined && { auto_resolve_duration: body.auto_resolve_duration }),
      ...(Object.keys(customAttributes).length && {
        custom_attributes: JSON.stringify({ ...current.custom_attributes, ...customAttributes }),
      }),
      ...(Object.keys(settings).length && { settings: JSON.stringify({ ...current.settings, ...settings }) }),
    });
  });
}

/** POST /api/v1/accounts/:id/update_active_at: any member. */
export async function touchActiveAt(db: Db, request: FastifyRequest): Promise<void> {
  const membership = await ownMembership(db, request);
  await db
    .updateTable('account_users')
    .set({ active_at: new Date(), updated_at: new Date() })
    .where('id', '=', membership.id)
    .execute();
}
