import type { Readable } from 'node:stream';
import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import { MESSAGE_CONTENT_TYPE, MESSAGE_TYPE } from '../../core/db/enums.js';
import type { Performer } from '../../core/events/bus.js';
import { performerOf, type AccountWork } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { LIMITS } from '../../core/http/schemas.js';
import { parseWebhookUrl } from '../../core/webhooks/ssrf-guard.js';
import { conversationWebhookJson } from '../../serializers/conversation.js';
import { queueConversationMail } from '../conversation-mail/queue.js';
import { actorName } from '../conversations/activity.js';
import { insertMessage, type StoredFile } from '../conversations/insert-message.js';
import { MAX_ATTACHMENTS, MAX_CONTENT } from '../conversations/message-input.js';
import { pushView } from '../conversations/push-view.js';
import { fileTypeOf } from '../messages/uploads.js';
import { queueDelivery } from '../webhooks/receivers.js';
import type { ActionHandler } from './types.js';

/*
 * The message actions of Chatwoot's ActionService and its two subclasses. Where they differ, the
 * actor decides: a rule (AutomationRules::ActionService) writes with no sender and marks its
 * messages with content_attributes.automation_rule_id; a macro (Macros::ExecutionService) writes
 * as the user who runs it (Current.user), so its messages are the agent's own replies and notes.
 */

/** Most addresses one send_email_transcript names (Chatwoot sets none; a bound against mail floods). */
const MAX_TRANSCRIPT_ADDRESSES = 50;
/** Most teams one send_email_to_team names. */
const MAX_TEAMS = 100;

/** Chatwoot's conversation_a_tweet?: message actions leave tweets alone. */
const isTweet = (conversation: Conversation) =>
  (conversation.additional_attributes as Record<string, unknown> | null)?.type === 'tweet';

/** Who a message written by an action comes from: the macro's user (or bot), none for a rule. */
function senderOf(work: AccountWork): Performer | null {
  return work.ctx.actor.kind === 'automation' ? null : performerOf(work.ctx);
}

/** content_attributes of a rule's message (AutomationRules::ActionService); a macro's have none. */
function attributesOf(work: AccountWork): Record<string, unknown> {
  return work.ctx.actor.kind === 'automation' ? { automation_rule_id: work.ctx.actor.rule.id } : {};
}

/** An outgoing message (or private note) from the action, through the one message-insert path. */
async function writeMessage(
  work: AccountWork,
  conversation: Conversation,
  input: { content: string | null; private: boolean; files?: StoredFile[] },
): Promise<Conversation> {
  const stored = await insertMessage(work, {
    conversationId: conversation.id,
    message: {
      messageType: MESSAGE_TYPE.outgoing,
      contentType: MESSAGE_CONTENT_TYPE.text,
      content: input.content,
      private: input.private,
      contentAttributes: attributesOf(work),
      additionalAttributes: {},
      sourceId: null,
      sender: senderOf(work),
      echoId: null,
      idempotencyKey: null,
      files: input.files ?? [],
    },
    reopenCause: { kind: 'actor', name: actorName(work.ctx), performer: performerOf(work.ctx) },
  });
  return stored.conversation;
}

/** The one text param of send_message / add_private_note. */
async function checkText(_db: Db, { params }: { params: unknown[] }): Promise<string | null> {
  const text = params[0];
  if (typeof text !== 'string' || text.trim() === '') return 'Message content is required';
  if (text.length > MAX_CONTENT) return `Message content is too long (maximum is ${MAX_CONTENT} characters)`;
  return null;
}

const textMessage = (isPrivate: boolean): ActionHandler => ({
  async run(work, { conversation, params }) {
    const text = params[0];
    if (isTweet(conversation) || typeof text !== 'string' || text === '') return conversation;
    return writeMessage(work, conversation, { content: text, private: isPrivate });
  },
  check: checkText,
});

/**
 * The account's uploaded blobs a send_attachment param names: a numeric blob id (POST /upload's
 * blob_id, and what is stored), or a direct upload's signed id (its key here).
 */
async function blobsNamed(db: Db, accountId: number, params: unknown[]) {
  const ids = params.map((p) => (typeof p === 'number' || /^\d+$/.test(String(p)) ? parseId(p) : undefined));
  const keys = params.filter((p, i) => ids[i] === undefined && typeof p === 'string' && p.length <= LIMITS.short);
  const numeric = ids.filter((id): id is number => id !== undefined);
  if (numeric.length === 0 && keys.length === 0) return { rows: [], wanted: params.length };
  const rows = await db
    .selectFrom('blobs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('uploaded', '=', true)
    .where((eb) =>
      eb.or([
        ...(numeric.length ? [eb('id', 'in', numeric)] : []),
        ...(keys.length ? [eb('key', 'in', keys as string[])] : []),
      ]),
    )
    .orderBy('id')
    .execute();
  return { rows, wanted: params.length };
}

const readAll = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
};

const sendAttachment: ActionHandler = {
  /**
   * An outgoing message holding the named files. Each file is copied to a key of its own: the
   * message's attachment can be deleted with the message without taking the macro's file along.
   */
  async run(work, { conversation, params }) {
    if (isTweet(conversation)) return conversation;
    const { rows } = await blobsNamed(work.tx, work.ctx.account.id, params.slice(0, MAX_ATTACHMENTS));
    const files: StoredFile[] = [];
    for (const blob of rows) {
      const stream = await work.ctx.storage.read(blob.key);
      if (!stream) continue;
      const data = await readAll(stream);
      files.push({
        storageKey: await work.ctx.storage.put(data, blob.content_type),
        filename: blob.filename,
        contentType: blob.content_type,
        size: data.length,
        fileType: fileTypeOf(blob.content_type),
      });
    }
    if (files.length === 0) return conversation;
    return writeMessage(work, conversation, { content: null, private: false, files });
  },
  async check(db, { accountId, params }) {
    if (params.length === 0 || params.length > MAX_ATTACHMENTS) return 'Invalid attachment';
    const { rows, wanted } = await blobsNamed(db, accountId, params);
    return rows.length === wanted ? null : 'Invalid attachment';
  },
  async normalize(db, { accountId, params }) {
    return (await blobsNamed(db, accountId, params)).rows.map((blob) => blob.id);
  },
};

/** send_email_to_team's one param: `{ team_ids: [...], message: "..." }`. */
function teamMailParams(params: unknown[]): { teamIds: number[]; message: string } | undefined {
  const param = params[0] as { team_ids?: unknown; message?: unknown } | undefined;
  if (!param || typeof param !== 'object' || !Array.isArray(param.team_ids)) return undefined;
  if (typeof param.message !== 'string' || param.message.length > LIMITS.text) return undefined;
  const teamIds = param.team_ids.map((id) => parseId(id));
  if (teamIds.length === 0 || teamIds.length > MAX_TEAMS || teamIds.some((id) => id === undefined)) return undefined;
  return { teamIds: [...new Set(teamIds as number[])], message: param.message };
}

const accountTeams = (db: Db, accountId: number, ids: number[]) =>
  db
    .selectFrom('teams')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();

const sendEmailToTeam: ActionHandler = {
  /** TeamNotifications::AutomationNotificationMailer to each team of the account, by a durable mail job. */
  async run(work, { conversation, params }) {
    const parsed = teamMailParams(params);
    if (!parsed) return conversation;
    for (const team of await accountTeams(work.tx, work.ctx.account.id, parsed.teamIds)) {
      await queueConversationMail(work.tx, {
        kind: 'team_automation',
        account_id: work.ctx.account.id,
        conversation_id: conversation.id,
        team_id: team.id,
        message: parsed.message,
      });
    }
    return conversation;
  },
  async check(db, { accountId, params }) {
    const parsed = teamMailParams(params);
    if (!parsed) return 'Invalid params for send_email_to_team';
    const found = await accountTeams(db, accountId, parsed.teamIds);
    return found.length === parsed.teamIds.length ? null : 'Invalid team_ids';
  },
};

const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;
/** The one liquid variable Confab renders in an address (Chatwoot's parse_email_variables). */
const CONTACT_EMAIL = /^\{\{\s*contact\.email\s*\}\}$/;

/** ActionService#send_email_transcript's reading: one string, addresses split on commas, blanks removed. */
function transcriptAddresses(params: unknown[]): string[] | undefined {
  if (typeof params[0] !== 'string' || params[0].length > LIMITS.text) return undefined;
  const all = params[0].replace(/\s+/g, '').split(',').filter(Boolean);
  if (all.length === 0 || all.length > MAX_TRANSCRIPT_ADDRESSES) return undefined;
  return all.every((a) => (EMAIL.test(a) && a.length <= LIMITS.short) || CONTACT_EMAIL.test(a)) ? all : undefined;
}

const sendEmailTranscript: ActionHandler = {
  /** ConversationReplyMailer#conversation_transcript to each address, by a durable mail job. */
  async run(work, { conversation, params }) {
    const addresses = transcriptAddresses(params);
    if (!addresses) return conversation;
    const contact = addresses.some((a) => CONTACT_EMAIL.test(a))
      ? await work.tx
          .selectFrom('contacts')
          .select('email')
          .where('account_id', '=', work.ctx.account.id)
          .where('id', '=', conversation.contact_id)
          .executeTakeFirst()
      : undefined;
    for (const address of addresses) {
      const to = CONTACT_EMAIL.test(address) ? contact?.email : address;
      if (!to) continue;
      await queueConversationMail(work.tx, {
        kind: 'transcript',
        account_id: work.ctx.account.id,
        conversation_id: conversation.id,
        to,
      });
    }
    return conversation;
  },
  async check(_db, { params }) {
    return transcriptAddresses(params) ? null : 'Invalid email addresses';
  },
};

function webhookUrl(params: unknown[]): string | undefined {
  const url = params[0];
  if (typeof url !== 'string' || url.length > LIMITS.url) return undefined;
  try {
    parseWebhookUrl(url);
    return url;
  } catch {
    return undefined;
  }
}

const sendWebhookEvent: ActionHandler = {
  /**
   * POSTs the conversation's webhook data with `event` set: `automation_event.<event_name>` from a
   * rule, `macro.executed` from a macro. Through the durable webhook delivery (its row, retries,
   * private-address guard), written in this transaction like every other delivery.
   */
  async run(work, { conversation, params }) {
    const url = webhookUrl(params);
    if (!url) return conversation;
    const { actor } = work.ctx;
    const event = actor.kind === 'automation' ? `automation_event.${actor.rule.event_name ?? ''}` : 'macro.executed';
    const data = conversationWebhookJson(await pushView(work.tx, conversation), work.ctx.storage);
    await queueDelivery(work.tx, {
      accountId: work.ctx.account.id,
      receiver: { kind: 'automation_webhook', url },
      event,
      payload: { ...data, event },
    });
    return conversation;
  },
  async check(_db, { params }) {
    return webhookUrl(params) ? null : 'Invalid webhook URL';
  },
};

/** Actions that write messages, private notes, attachments, e-mails and webhook events. */
export const MESSAGE_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  send_message: textMessage(false),
  add_private_note: textMessage(true),
  send_attachment: sendAttachment,
  send_email_to_team: sendEmailToTeam,
  send_email_transcript: sendEmailTranscript,
  send_webhook_event: sendWebhookEvent,
};
