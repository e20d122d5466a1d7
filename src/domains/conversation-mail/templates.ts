import type { Mail } from '../../core/mail/mailer.js';
import { escapeHtml, mailPage } from '../../core/mail/html.js';

/*
 * Chatwoot's mails about a conversation, as text and HTML: the automation notification to a team
 * (app/views/mailers/team_notifications/automation_notification_mailer/conversation_creation.liquid)
 * and the conversation transcript (ConversationReplyMailer#conversation_transcript, subject from
 * config/locales/en.yml conversations.reply.transcript_subject). Pure: the caller loads the rows.
 */

/** The subject Chatwoot gives an automation mail when the action names none. */
export const AUTOMATION_MAIL_SUBJECT = 'This email has been sent via automation rule actions.';

/** The automation rule's message to every member of a team, with a link to the conversation. */
export function teamAutomationMail(input: { to: string[]; message: string; actionUrl: string }): Mail {
  const text = [
    'This is the mail from Automation System',
    input.message,
    `Click here to get cracking: ${input.actionUrl}`,
  ].join('\n\n');
  const html = [
    '<p>This is the mail from Automation System</p>',
    `<p>${escapeHtml(input.message)}</p>`,
    `<p>Click <a href="${escapeHtml(input.actionUrl)}">here</a> to get cracking.</p>`,
  ].join('\n');
  return { to: input.to.join(', '), subject: AUTOMATION_MAIL_SUBJECT, text: `${text}\n`, html: mailPage(html) };
}

/** AccountNotificationMailer#automation_rule_disabled's subject (mailers locale). */
export const RULE_DISABLED_SUBJECT = 'Automation rule disabled due to validation errors.';

/** To the administrators: the rule that was deactivated, and where to fix it. */
export function ruleDisabledMail(input: { to: string[]; ruleName: string; actionUrl: string }): Mail {
  const text = [
    `The automation rule "${input.ruleName}" has been disabled because its conditions are no longer valid.`,
    `Review and update it here: ${input.actionUrl}`,
  ].join('\n\n');
  const html = [
    `<p>The automation rule <strong>${escapeHtml(input.ruleName)}</strong> has been disabled because its conditions are no longer valid.</p>`,
    `<p>Review and update it <a href="${escapeHtml(input.actionUrl)}">here</a>.</p>`,
  ].join('\n');
  return { to: input.to.join(', '), subject: RULE_DISABLED_SUBJECT, text: `${text}\n`, html: mailPage(html) };
}

/** One message of a transcript: who wrote it, when, what, and links to its files. */
export interface TranscriptLine {
  sender: string;
  at: Date;
  content: string | null;
  files: { filename: string; url: string }[];
}

/** The transcript: the conversation's public incoming and outgoing messages, oldest first. */
export function transcriptMail(input: { to: string; displayId: number; lines: TranscriptLine[] }): Mail {
  const subject = `[#${input.displayId}] Conversation Transcript`;
  const text = input.lines
    .map((line) =>
      [
        `${line.sender} (${line.at.toISOString()}):`,
        ...(line.content ? [line.content] : []),
        ...line.files.map((file) => `${file.filename}: ${file.url}`),
      ].join('\n'),
    )
    .join('\n\n');
  const html = input.lines
    .map(
      (line) =>
        `<div><p><strong>${escapeHtml(line.sender)}</strong> <small>${escapeHtml(line.at.toISOString())}</small></p>` +
        (line.content ? `<p>${escapeHtml(line.content).replace(/\n/g, '<br>')}</p>` : '') +
        line.files.map((f) => `<p><a href="${escapeHtml(f.url)}">${escapeHtml(f.filename)}</a></p>`).join('') +
        '</div>',
    )
    .join('\n');
  return { to: input.to, subject, text: `${text}\n`, html: mailPage(html) };
}
