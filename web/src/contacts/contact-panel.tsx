import { conversations } from '../conversations/store.js';
import { useRef } from 'preact/hooks';
import { useStore } from '../lib/store.js';
import { ContactDetails } from './contact-details.js';
import { ContactLabels } from './contact-labels.js';
import { ContactNotes } from './contact-notes.js';
import { ConversationInfo } from './conversation-info.js';
import { CustomAttributes } from './custom-attributes.js';
import { PreviousConversations } from './previous-conversations.js';
import { useContact } from './store.js';
import './contacts.css';

/** Beside the open conversation: its contact (details, attributes, labels, notes, history) and where it came from. */
export function ContactPanel({ accountId, conversationId }: { accountId: number; conversationId: number }) {
  const conversation = useStore(conversations).byId[conversationId];
  // the last contact this conversation named: a conversation replaced in the store by a live event
  // without its sender must not unmount the details (an open edit form and its error went with them)
  const known = useRef<{ conversationId: number; contactId: number } | undefined>(undefined);
  const senderId = conversation?.meta?.sender?.id;
  if (senderId !== undefined) known.current = { conversationId, contactId: senderId };
  const contactId =
    senderId ?? (known.current?.conversationId === conversationId ? known.current.contactId : undefined);
  const { contact, error } = useContact(accountId, contactId);
  return (
    <aside class="contact-panel" aria-label="Contact">
      {error && <p role="alert">{error}</p>}
      {contact && (
        <>
          <ContactDetails key={contact.id} accountId={accountId} contact={contact} />
          <p>
            <a href={`/app/accounts/${accountId}/contacts/${contact.id}`}>Open contact page</a>
          </p>
          {conversation && <ConversationInfo accountId={accountId} conversation={conversation} />}
          <CustomAttributes accountId={accountId} contact={contact} />
          <ContactLabels accountId={accountId} contactId={contact.id} />
          <PreviousConversations accountId={accountId} contactId={contact.id} exceptId={conversationId} />
          <ContactNotes accountId={accountId} contactId={contact.id} />
        </>
      )}
    </aside>
  );
}
