import type { Db } from '../../core/db/kysely.js';
import { addJob } from '../../core/jobs/runner.js';

/** The graphile-worker task that renders and sends mails about a conversation (tasks/conversation-mail.ts). */
export const CONVERSATION_MAIL = 'conversation_mail';

/**
 * What the task receives: ids and the text the action named, never a rendered mail, so the mail
 * shows the conversation as it is when it leaves (as Chatwoot's deliver_later does).
 */
export type ConversationMailJob =
  | {
      /** TeamNotifications::AutomationNotificationMailer#conversation_creation: to the team's members. */
      kind: 'team_automation';
      account_id: number;
      conversation_id: number;
      team_id: number;
      message: string;
    }
  | {
      /** ConversationReplyMailer#conversation_transcript: to one address. */
      kind: 'transcript';
      account_id: number;
      conversation_id: number;
      to: string;
    }
  | {
      /**
       * AdministratorNotifications::AccountNotificationMailer#automation_rule_disabled: to the
       * account's administrators, when Reauthorizable deactivated a rule (about a rule, not a
       * conversation; it shares this queue as the other automation mail does).
       */
      kind: 'automation_rule_disabled';
      account_id: number;
      rule_id: number;
    };

/** graphile-worker backs off exp(attempt) seconds: eight tries span about three hours. */
const MAX_ATTEMPTS = 8;

/** Queues a conversation mail in the caller's transaction: it exists exactly when the change commits. */
export async function queueConversationMail(db: Db, job: ConversationMailJob): Promise<void> {
  await addJob(db, CONVERSATION_MAIL, job as unknown as Record<string, unknown>, { maxAttempts: MAX_ATTEMPTS });
}
