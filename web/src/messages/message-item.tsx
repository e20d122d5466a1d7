import { ACTIVITY, type Attachment, INCOMING, type Message } from '../api/types.js';
import { shortTime } from '../lib/time.js';
import { retryReply } from './store.js';

/** incoming, outgoing, private note or activity: each its own look. */
export function messageKind(message: Message): 'incoming' | 'outgoing' | 'note' | 'activity' {
  if (message.message_type === ACTIVITY) return 'activity';
  if (message.private) return 'note';
  return message.message_type === INCOMING ? 'incoming' : 'outgoing';
}

const LABELS = { incoming: 'Contact', outgoing: 'Reply', note: 'Private note', activity: 'Activity' };

/** One message. Content is text (Preact escapes it): markup in a message never runs. */
export function MessageItem({ message }: { message: Message }) {
  const kind = messageKind(message);
  if (kind === 'activity') {
    return (
      <li class="message activity" data-message-id={message.id}>
        <span class="content">{message.content}</span>
      </li>
    );
  }
  return (
    <li class={`message ${kind}`} data-message-id={message.id} data-status={message.status}>
      <span class="visually-hidden">{LABELS[kind]}: </span>
      {message.content && <p class="content">{message.content}</p>}
      {message.attachments?.map((attachment) => (
        <AttachmentView key={attachment.id} attachment={attachment} />
      ))}
      <span class="message-meta">
        {message.sender?.name && <span class="sender">{message.sender.name} · </span>}
        <time>{shortTime(message.created_at)}</time>
        {message.status === 'progress' && <span class="sending"> · Sending…</span>}
        {message.status === 'failed' && (
          <span class="failed">
            {' '}
            · Not sent{' '}
            <button type="button" onClick={() => retryReply(message)}>
              Retry
            </button>
          </span>
        )}
      </span>
    </li>
  );
}

function AttachmentView({ attachment }: { attachment: Attachment }) {
  if (attachment.file_type === 'image') {
    return (
      <a class="attachment" href={attachment.data_url} target="_blank" rel="noopener noreferrer">
        <img src={attachment.thumb_url || attachment.data_url} alt="Attachment" loading="lazy" />
      </a>
    );
  }
  const name = decodeURIComponent(attachment.data_url.split('/').pop()?.split('?')[0] ?? 'file');
  return (
    <a class="attachment file" href={attachment.data_url} target="_blank" rel="noopener noreferrer" download>
      📎 {name}
    </a>
  );
}
