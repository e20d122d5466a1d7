import type { Conversation } from '../api/types.js';
import { shortTime } from '../lib/time.js';

/** A list row: contact, last message, time, unread badge. Text is rendered as text, never as markup. */
export function ConversationRow({
  conversation,
  href,
  active,
  selected,
  onSelect,
}: {
  conversation: Conversation;
  href: string;
  active: boolean;
  selected: boolean;
  onSelect(on: boolean): void;
}) {
  const last = conversation.last_non_activity_message ?? conversation.messages?.[conversation.messages.length - 1];
  const preview = last
    ? `${last.private ? '(note) ' : ''}${last.content ?? (last.attachments?.length ? 'Attachment' : '')}`
    : '';
  const unread = active ? 0 : conversation.unread_count;
  const name = conversation.meta?.sender?.name ?? 'Unknown';
  return (
    <div class="row-wrap">
      <input
        type="checkbox"
        aria-label={`Select conversation #${conversation.id} with ${name}`}
        data-select={conversation.id}
        checked={selected}
        onChange={(e) => onSelect(e.currentTarget.checked)}
      />
      <a
        class={`conversation-row${active ? ' active' : ''}${unread ? ' unread' : ''}`}
        href={href}
        data-conversation-id={conversation.id}
        aria-current={active ? 'page' : undefined}
      >
        <span class="row-top">
          <span class="contact-name">{name}</span>
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
          {conversation.meta?.team ? ` · ${conversation.meta.team.name}` : ''}
          {conversation.priority && <span class="priority"> {conversation.priority}</span>}
        </span>
      </a>
    </div>
  );
}
