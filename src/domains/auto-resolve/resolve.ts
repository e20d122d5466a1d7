import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import { MESSAGE_CONTENT_TYPE, MESSAGE_TYPE } from '../../core/db/enums.js';
import { transactionally, type EventBus, type Work } from '../../core/events/bus.js';
import { STATUS, setStatus } from '../conversations/status.js';
import { storeMessage } from '../conversations/store-message.js';
import { changeLabels } from '../labels/taggings.js';

/**
 * Account auto-resolve (Account::ConversationsResolutionSchedulerJob and
 * Conversations::ResolutionJob): an open conversation whose last activity is older than the
 * account's `auto_resolve_after` minutes — and, with `auto_resolve_ignore_waiting`, that is not
 * waiting for an agent's reply — gets the account's `auto_resolve_message` as a template message,
 * its `auto_resolve_label`, and is resolved with the activity message "Conversation was marked
 * resolved by system due to N minutes of inactivity" (no label activity: nobody did it).
 *
 * Chatwoot looks hourly; here a job looks every minute, so a conversation is resolved within about
 * a minute of its due time. Each look is index-backed: the accounts with auto-resolve on (a partial
 * index), then for each the open conversations by last_activity_at
 * (conversations_account_status_activity_idx) up to its cut-off.
 */

/** Conversations::ResolutionJob's batch (Limits::BULK_ACTIONS_LIMIT) per account and round. */
const BATCH = 100;
/** Rounds in one look, so a backlog is worked off without one job running for ever. */
const MAX_ROUNDS = 20;

/** The account's settings as auto-resolve reads them; null when auto-resolve is off. */
export interface AutoResolveSettings {
  minutes: number;
  message: string | null;
  label: string | null;
  ignoreWaiting: boolean;
}

const text = (value: unknown) => (typeof value === 'string' && /\S/.test(value) ? value : null);

export function autoResolveSettings(settings: unknown): AutoResolveSettings | null {
  const s = (settings ?? {}) as Record<string, unknown>;
  const minutes = Number(s.auto_resolve_after);
  // `return none if auto_resolve_after.to_i.zero?`
  if (s.auto_resolve_after == null || !Number.isInteger(minutes) || minutes <= 0) return null;
  return {
    minutes,
    message: text(s.auto_resolve_message),
    label: text(s.auto_resolve_label),
    ignoreWaiting: s.auto_resolve_ignore_waiting === true || s.auto_resolve_ignore_waiting === 'true',
  };
}

/** SQL for the same reading of `accounts.settings` (alias a): the minutes, null when off. */
const MINUTES = sql`(case when (a.settings ->> 'auto_resolve_after') ~ '^\\s*[0-9]{1,9}\\s*$'
  then (a.settings ->> 'auto_resolve_after')::int end)`;
const IGNORE_WAITING = sql`coalesce((a.settings ->> 'auto_resolve_ignore_waiting') = 'true', false)`;

/** Due conversations: at most BATCH per account, oldest activity first. */
async function dueConversations(db: Db, now: Date): Promise<Array<{ id: number; account_id: number }>> {
  const { rows } = await sql<{ id: number; account_id: number }>`
    select c.id, a.id as account_id from accounts a
    cross join lateral (
      select c.id from conversations c
      where c.account_id = a.id and c.status = ${STATUS.open}
        and c.last_activity_at < ${now}::timestamptz - make_interval(mins => ${MINUTES})
        and (c.waiting_since is null or not ${IGNORE_WAITING})
      order by c.last_activity_at, c.id
      limit ${BATCH}) c
    where (a.settings ->> 'auto_resolve_after') is not null and ${MINUTES} > 0`.execute(db);
  return rows;
}

/** Adds the label to the conversation's (Conversation#add_labels), announcing the change. */
async function addLabel({ tx, batch }: Work, conversation: Conversation, label: string) {
  const { previous, added, after } = await changeLabels(tx, {
    accountId: conversation.account_id,
    taggableType: 'Conversation',
    taggableId: conversation.id,
    add: [label],
    remove: [],
  });
  if (!added.length) return;
  await tx.updateTable('conversations').set({ updated_at: new Date() }).where('id', '=', conversation.id).execute();
  batch.emit('conversation.updated', {
    accountId: conversation.account_id,
    conversationId: conversation.id,
    changedAttributes: ['label_list'],
    changes: { label_list: [previous, after] },
  });
}

/**
 * Resolves one conversation if it is still due under its account's current settings (a message
 * may have come, or the settings changed, since it was found); true when it did.
 */
async function resolveOne(deps: { db: Db; bus: EventBus }, due: { id: number; account_id: number }, now: Date) {
  return transactionally(deps, async (tx, batch) => {
    const account = await tx
      .selectFrom('accounts')
      .select('settings')
      .where('id', '=', due.account_id)
      .executeTakeFirst();
    const settings = autoResolveSettings(account?.settings);
    if (!settings) return false;
    let query = tx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', due.id)
      .where('account_id', '=', due.account_id)
      .where('status', '=', STATUS.open)
      .where('last_activity_at', '<', new Date(now.getTime() - settings.minutes * 60_000));
    if (settings.ignoreWaiting) query = query.where('waiting_since', 'is', null);
    // another look (a slow one, or a manual one) holding it is resolving it already
    const conversation = await query.forUpdate().skipLocked().executeTakeFirst();
    if (!conversation) return false;
    const work = { tx, batch };
    if (settings.message) {
      // MessageTemplates::Template::AutoResolve (an API inbox can always reply)
      await storeMessage(work, {
        conversationId: conversation.id,
        message: {
          messageType: MESSAGE_TYPE.template,
          contentType: MESSAGE_CONTENT_TYPE.text,
          content: settings.message,
          private: false,
          contentAttributes: {},
          additionalAttributes: {},
          sourceId: null,
          sender: null,
          echoId: null,
          idempotencyKey: null,
          files: [],
        },
      });
    }
    if (settings.label) await addLabel(work, conversation, settings.label);
    await setStatus(work, {
      conversation,
      status: 'resolved',
      cause: { kind: 'auto_resolve', minutes: settings.minutes },
    });
    return true;
  });
}

/** One look at every account with auto-resolve on, as of `now`; returns how many were resolved. */
export async function resolveInactiveConversations(deps: { db: Db; bus: EventBus }, now: Date): Promise<number> {
  let resolved = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const due = await dueConversations(deps.db, now);
    let done = 0;
    for (const conversation of due) if (await resolveOne(deps, conversation, now)) done++;
    resolved += done;
    // a round that resolved nothing (all taken or no longer due) would find the same rows again
    if (done === 0 || due.length < BATCH) break;
  }
  return resolved;
}
