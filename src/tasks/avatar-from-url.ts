import type { Task } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/kysely.js';
import {
  AVATAR_FROM_URL,
  AVATAR_MAX_BYTES,
  attachAvatar,
  checkAvatar,
  type AvatarFromUrlPayload,
  type AvatarOwner,
} from '../core/storage/avatars.js';
import { fetchRemoteFile } from '../core/storage/fetch-remote.js';
import type { Storage } from '../core/storage/storage.js';

export { AVATAR_FROM_URL };

const OWNERS: readonly AvatarOwner[] = ['users', 'contacts', 'agent_bots', 'inboxes'];

/**
 * Avatar::AvatarFromUrlJob: downloads the image (at most 15 MB, through the webhook SSRF guard —
 * no private addresses, no redirects), checks it is an image by its bytes, and attaches it. A URL
 * that fails is logged and dropped, as Chatwoot does; it is not retried.
 */
export function avatarFromUrlTask(deps: {
  db: Db;
  storage: Storage;
  config: Pick<Config, 'webhookTimeoutMs' | 'webhookAllowPrivate'>;
  log: Logger;
}): Task {
  return async (raw) => {
    const payload = raw as Partial<AvatarFromUrlPayload>;
    const id = Number(payload.id);
    if (
      !payload.owner ||
      !OWNERS.includes(payload.owner) ||
      !Number.isSafeInteger(id) ||
      typeof payload.url !== 'string'
    )
      return;
    const accountId = typeof payload.account_id === 'number' ? payload.account_id : null;
    try {
      const fetched = await fetchRemoteFile(payload.url, {
        maxBytes: AVATAR_MAX_BYTES,
        timeoutMs: deps.config.webhookTimeoutMs,
        allowPrivate: deps.config.webhookAllowPrivate,
      });
      // servers often mislabel images; the bytes decide here
      const file = await checkAvatar({ ...fetched, declaredType: '' });
      await attachAvatar(deps.db, deps.storage, { owner: payload.owner, id, accountId }, file);
    } catch (error) {
      // the URL is the client's; the reason is enough to tell what went wrong
      deps.log.warn({ owner: payload.owner, id, reason: (error as Error).message }, 'avatar from URL not attached');
    }
  };
}
