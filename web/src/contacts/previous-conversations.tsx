import { useEffect, useState } from 'preact/hooks';
import { contactConversations } from '../api/contacts.js';
import type { Conversation } from '../api/types.js';
import { shortTime } from '../lib/time.js';

/** The contact's conversations (those the agent may see), linking to each; the open one is left out. */
export function PreviousConversations({
  accountId,
  contactId,
  exceptId,
}: {
  accountId: number;
  contactId: number;
  exceptId?: number;
}) {
  const [items, setItems] = useState<Conversation[]>();
  useEffect(() => {
    let current = true;
    contactConversations(accountId, contactId)
      .then((found) => current && setItems(found))
      .catch(() => current && setItems([]));
    return () => {
      current = false;
    };
  }, [accountId, contactId, exceptId]);
  const shown = (items ?? []).filter((c) => c.id !== exceptId);
  return (
    <section class="previous-conversations" aria-label="Previous conversations">
      <h3>{exceptId ? 'Previous conversations' : 'Conversations'}</h3>
      {items && shown.length === 0 && <p class="muted">None</p>}
      <ul>
        {shown.map((c) => {
          const last = c.last_non_activity_message ?? c.messages?.[c.messages.length - 1];
          return (
            <li key={c.id}>
              <a href={`/app/accounts/${accountId}/conversations/${c.id}`} data-conversation-id={c.id}>
                #{c.id} · {c.status} · {shortTime(c.timestamp ?? c.last_activity_at)}
              </a>
              {last?.content && <p class="muted preview">{last.content}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
