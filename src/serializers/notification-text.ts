/**
 * The words of a notification, as Chatwoot's Notification model writes them (push_message_title,
 * push_message_body, MessageFormatHelper#transform_user_mention_content, the English
 * notifications.* strings of config/locales/en.yml). Pure functions.
 */

/** `[@Jane Doe](mention://user/7/Jane%20Doe)` → `@Jane Doe` (RegexHelper::MENTION_REGEX). */
const MENTION_MARKUP = /\[(@[^\]\n]+)\]\(mention:\/\/(?:user|team)\/\d+\/[^)\n]*\)/g;

export function transformMentions(content: string): string {
  return content.replace(MENTION_MARKUP, '$1');
}

/**
 * ActiveSupport's String#truncate_words(count): the first `count` words with their own spacing
 * and "..." when more text follows them; the string unchanged otherwise.
 */
export function truncateWords(text: string, count: number): string {
  const words = /\S+/g;
  let end = -1;
  for (let n = 0; n < count; n++) {
    const word = words.exec(text);
    if (!word) return text;
    end = word.index + word[0].length;
  }
  return /^\s/.test(text.slice(end)) ? `${text.slice(0, end)}...` : text;
}

/** The notification titles of en.yml (participating messages share the assigned one). */
export function pushMessageTitle(type: string, displayId: number, inboxName: string): string {
  switch (type) {
    case 'conversation_creation':
      return `A conversation (#${displayId}) has been created in ${inboxName}`;
    case 'conversation_assignment':
      return `A conversation (#${displayId}) has been assigned to you`;
    case 'assigned_conversation_new_message':
    case 'participating_conversation_new_message':
      return `A new message is created in conversation (#${displayId})`;
    case 'conversation_mention':
      return `You have been mentioned in conversation (#${displayId})`;
    case 'sla_missed_first_response':
      return `SLA target first response missed for conversation (#${displayId})`;
    case 'sla_missed_next_response':
      return `SLA target next response missed for conversation (#${displayId})`;
    case 'sla_missed_resolution':
      return `SLA target resolution missed for conversation (#${displayId})`;
    default:
      return '';
  }
}

/** What push_message_body quotes: the sender's name and the message's first ten words. */
export interface QuotedMessage {
  senderName: string | null;
  content: string | null;
  hasAttachments: boolean;
}

/** Notification#message_body: "Jane: Hello there", "Jane: Attachment", or ": No content" when there is no message. */
export function pushMessageBody(quoted: QuotedMessage | undefined): string {
  const content = quoted?.content?.trim()
    ? transformMentions(truncateWords(quoted.content, 10))
    : quoted?.hasAttachments
      ? 'Attachment'
      : 'No content';
  return `${quoted?.senderName ?? ''}: ${content}`;
}

/** Which message push_message_body quotes for each notification type. */
export function quotedMessageKind(type: string): 'first' | 'secondary' | 'last_incoming' | 'none' {
  switch (type) {
    case 'conversation_creation':
    case 'sla_missed_first_response':
      return 'first';
    case 'assigned_conversation_new_message':
    case 'participating_conversation_new_message':
    case 'conversation_mention':
      return 'secondary';
    case 'conversation_assignment':
    case 'sla_missed_next_response':
    case 'sla_missed_resolution':
      return 'last_incoming';
    default:
      return 'none';
  }
}
