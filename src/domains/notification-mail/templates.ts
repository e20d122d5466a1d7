import type { Mail } from '../../core/mail/mailer.js';
import { escapeHtml, mailPage } from '../../core/mail/html.js';

/*
 * AgentNotifications::ConversationNotificationsMailer: the mail of each notification type, its
 * subject as Chatwoot words it, a short body with the link to the conversation. Pure: the caller
 * loads the rows.
 */

/** The notification types mailed (types 1-5, as migration 0160's trigger queues them). */
export const MAILED_NOTIFICATION_TYPES = [
  'conversation_creation',
  'conversation_assignment',
  'assigned_conversation_new_message',
  'conversation_mention',
  'participating_conversation_new_message',
] as const;

export type MailedNotificationType = (typeof MAILED_NOTIFICATION_TYPES)[number];

export interface NotificationMailInput {
  type: MailedNotificationType;
  to: string;
  agentName: string;
  displayId: number;
  inboxName: string;
  /** The message of a mention or a new message, as text. */
  message: string | undefined;
  actionUrl: string;
}

function subjectOf(input: NotificationMailInput): string {
  const id = `[ID - ${input.displayId}]`;
  switch (input.type) {
    case 'conversation_creation':
      return `${input.agentName}, A new conversation ${id} has been created in ${input.inboxName}.`;
    case 'conversation_assignment':
      return `${input.agentName}, A new conversation ${id} has been assigned to you.`;
    case 'conversation_mention':
      return `${input.agentName}, You have been mentioned in conversation ${id}`;
    case 'assigned_conversation_new_message':
      return `${input.agentName}, New message in your assigned conversation ${id}.`;
    case 'participating_conversation_new_message':
      return `${input.agentName}, New message in your participating conversation ${id}.`;
  }
}

function leadOf(input: NotificationMailInput): string {
  switch (input.type) {
    case 'conversation_creation':
      return `A new conversation (#${input.displayId}) has been created in ${input.inboxName}.`;
    case 'conversation_assignment':
      return `Time to save the world. A new conversation (#${input.displayId}) has been assigned to you.`;
    case 'conversation_mention':
      return `You have been mentioned in conversation #${input.displayId}:`;
    default:
      return `There is a new message in conversation #${input.displayId}:`;
  }
}

export function notificationMail(input: NotificationMailInput): Mail {
  const lead = leadOf(input);
  const text = [
    `Hi ${input.agentName},`,
    lead,
    ...(input.message ? [input.message] : []),
    `Click here to get cracking: ${input.actionUrl}`,
  ].join('\n\n');
  const html = [
    `<p>Hi ${escapeHtml(input.agentName)},</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    ...(input.message ? [`<blockquote>${escapeHtml(input.message)}</blockquote>`] : []),
    `<p>Click <a href="${escapeHtml(input.actionUrl)}">here</a> to get cracking.</p>`,
  ].join('\n');
  return {
    to: input.to,
    subject: subjectOf(input),
    text: `${text}\n`,
    html: mailPage(html),
  };
}
