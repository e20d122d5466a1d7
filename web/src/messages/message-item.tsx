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
        <DeliveryStatus message={message} kind={kind} />
      </span>
    </li>
  );
}

const DELIVERY: Record<string, string> = { sent: 'Sent', delivered: 'Delivered', read: 'Read' };

/**
 * Where a reply is: sending, sent, delivered, read; or not sent (never reached the server) or
 * failed (the channel could not deliver it, with its reason), each with Retry.
 */
function DeliveryStatus({ message, kind }: { message: Message; kind: string }) {
  if (message.status === 'progress') return <span class="sending"> · Sending…</span>;
  if (message.status === 'failed') {
    const reason = message.id > 0 ? message.content_attributes?.external_error : undefined;
    return (
      <span class="failed" role="status">
        {' '}
        · {message.id < 0 ? 'Not sent' : `Failed${reason ? `: ${reason}` : ''}`}{' '}
        <button type="button" onClick={() => void retryReply(message)}>
          Retry
        </button>
      </span>
    );
  }
  const label = kind === 'outgoing' && message.status ? DELIVERY[message.status] : undefined;
  return label ? <span class={`delivery delivery-${message.status}`}> · {label}</span> : null;
}

function AttachmentView({ attachment }: { attachment: Attachment }) {
  if (attachment.file_type === 'image') {
    return (
      <a class="attachment" href={attachment.data_url} target="_blank" rel="noopener noreferrer">
        <img src={attachment.thumb_url || attachment.data_url} alt="Attachment" loading="lazy" />
      </a>
    );
  }
  // a reply's file still on its way has a blob: address, with no name in it
  const name = attachment.data_url.startsWith('blob:')
    ? 'file'
    : decodeURIComponent(attachment.data_url.split('/').pop()?.split('?')[0] ?? 'file');
  return (
    <a class="attachment file" href={attachment.data_url} target="_blank" rel="noopener noreferrer" download>
      📎 {name}
    </a>
  );
}
