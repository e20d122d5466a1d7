import { conversations } from '../conversations/store.js';
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
  const contactId = conversation?.meta?.sender?.id;
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
