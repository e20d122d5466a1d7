import type { Task } from 'graphile-worker';
import type { Db } from '../core/db/kysely.js';
import type { Mailer } from '../core/mail/mailer.js';
import type { AttachmentUrls } from '../core/storage/storage.js';
import { prepareConversationMail } from '../domains/conversation-mail/prepare.js';
import type { ConversationMailJob } from '../domains/conversation-mail/queue.js';

export { CONVERSATION_MAIL } from '../domains/conversation-mail/queue.js';

const KINDS = ['team_automation', 'transcript', 'automation_rule_disabled'];

/**
 * The `conversation_mail` task: renders an automation team notification or a conversation
 * transcript and sends it. A failed send throws, and graphile-worker tries again later.
 */
export function conversationMailTask(deps: {
  db: Db;
  mailer: Mailer;
  urls: AttachmentUrls;
  frontendBase: () => string;
}): Task {
  return async (payload) => {
    const job = (payload ?? {}) as ConversationMailJob;
    if (!KINDS.includes(job.kind) || !Number.isSafeInteger(job.account_id)) return;
    const mail = await prepareConversationMail(deps.db, { frontendBase: deps.frontendBase(), urls: deps.urls }, job);
    if (mail) await deps.mailer.send(mail);
  };
}
