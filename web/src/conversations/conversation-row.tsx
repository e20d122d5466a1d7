import type { Conversation } from '../api/types.js';
import { shortTime } from '../lib/time.js';

/** A list row: contact, last message, time, unread badge. Text is rendered as text, never as markup. */
export function ConversationRow({
  conversation,
  href,
  active,
}: {
  conversation: Conversation;
  href: string;
  active: boolean;
}) {
  const last = conversation.last_non_activity_message ?? conversation.messages?.[conversation.messages.length - 1];
  const preview = last
    ? `${last.private ? '(note) ' : ''}${last.content ?? (last.attachments?.length ? 'Attachment' : '')}`
    : '';
  const unread = active ? 0 : conversation.unread_count;
  return (
    <a
      class={`conversation-row${active ? ' active' : ''}${unread ? ' unread' : ''}`}
      href={href}
      data-conversation-id={conversation.id}
      aria-current={active ? 'page' : undefined}
    >
      <span class="row-top">
        <span class="contact-name">{conversation.meta?.sender?.name ?? 'Unknown'}</span>
        <span class="row-time">{shortTime(conversation.timestamp ?? conversation.last_activity_at)}</span>
      </span>
      <span class="row-bottom">
        <span class="preview">{preview}</span>
        {unread > 0 && (
          <span class="badge">
            {unread}
            <span class="visually-hidden"> unread</span>
          </span>
        )}
      </span>
      <span class="row-meta">
        #{conversation.id} · {conversation.status}
        {conversation.meta?.assignee ? ` · ${conversation.meta.assignee.name}` : ''}
      </span>
    </a>
  );
}
