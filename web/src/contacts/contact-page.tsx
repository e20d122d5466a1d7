import { useState } from 'preact/hooks';
import { ContactDetails } from './contact-details.js';
import { ContactLabels } from './contact-labels.js';
import { ContactNotes } from './contact-notes.js';
import { CustomAttributes } from './custom-attributes.js';
import { MergeDialog } from './merge-dialog.js';
import { PreviousConversations } from './previous-conversations.js';
import { useContact } from './store.js';
import './contacts.css';

/** One contact: details (editable), attributes, labels, conversations, notes, and merge. */
export function ContactPage({ accountId, id }: { accountId: number; id: number }) {
  const { contact, error } = useContact(accountId, id);
  const [merging, setMerging] = useState(false);
  const [merges, setMerges] = useState(0);
  return (
    <main class="contact-page" aria-label="Contact">
      <p>
        <a href={`/app/accounts/${accountId}/contacts`}>← All contacts</a>
      </p>
      {error && <p role="alert">{error}</p>}
      {contact && (
        <div class="contact-page-grid">
          <div>
            <ContactDetails key={contact.id} accountId={accountId} contact={contact} />
            <button type="button" class="merge-button" onClick={() => setMerging(true)}>
              Merge…
            </button>
            <CustomAttributes accountId={accountId} contact={contact} />
            <ContactLabels accountId={accountId} contactId={contact.id} />
          </div>
          <div>
            {/* a merge brings the other contact's conversations and notes: read them again */}
            <PreviousConversations key={`c${merges}`} accountId={accountId} contactId={contact.id} />
            <ContactNotes key={`n${merges}`} accountId={accountId} contactId={contact.id} />
          </div>
        </div>
      )}
      {merging && contact && (
        <MergeDialog
          accountId={accountId}
          base={contact}
          onClose={() => {
            setMerging(false);
            setMerges((n) => n + 1);
          }}
        />
      )}
    </main>
  );
}
