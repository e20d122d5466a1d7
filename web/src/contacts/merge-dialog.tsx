import { useEffect, useRef, useState } from 'preact/hooks';
import { useFocusOnShow } from '../lib/focus.js';
import { type Contact, listContacts, mergeContacts } from '../api/contacts.js';
import { dropContact, putContact } from './store.js';

/**
 * Merge another contact into this one (POST /actions/contact_merge, base = this contact): the other
 * contact's conversations, notes and missing details move here and it is deleted.
 */
export function MergeDialog({ accountId, base, onClose }: { accountId: number; base: Contact; onClose(): void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Contact[]>([]);
  const [chosen, setChosen] = useState<Contact>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useFocusOnShow(true, () => box.current?.querySelector<HTMLElement>('input'));

  useEffect(() => {
    const term = q.trim();
    if (!term) return setFound([]);
    let current = true;
    const timer = setTimeout(() => {
      listContacts(accountId, { page: 1, q: term })
        .then((page) => current && setFound(page.payload.filter((c) => c.id !== base.id)))
        .catch((e) => current && setError((e as Error).message));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [q, accountId, base.id]);

  const merge = async () => {
    if (!chosen) return;
    setBusy(true);
    setError('');
    try {
      putContact(await mergeContacts(accountId, base.id, chosen.id));
      dropContact(chosen.id);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  // Tab stays inside the dialog; Escape closes it
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') return onClose();
    if (event.key !== 'Tab' || !box.current) return;
    const focusable = [...box.current.querySelectorAll<HTMLElement>('input, button:not([disabled])')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };

  return (
    <div class="modal-backdrop">
      <div
        class="modal merge-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="merge-title"
        ref={box}
        onKeyDown={onKeyDown}
      >
        <h2 id="merge-title">Merge a contact into {base.name}</h2>
        <label>
          Contact to merge
          <input
            type="search"
            value={q}
            placeholder="Search by name, email, phone"
            onInput={(e) => setQ(e.currentTarget.value)}
          />
        </label>
        <ul class="merge-results" aria-label="Matching contacts">
          {found.map((contact) => (
            <li key={contact.id}>
              <button
                type="button"
                aria-pressed={chosen?.id === contact.id}
                data-contact-id={contact.id}
                onClick={() => setChosen(contact)}
              >
                {contact.name} {contact.email ? `· ${contact.email}` : ''}{' '}
                {contact.phone_number ? `· ${contact.phone_number}` : ''}
              </button>
            </li>
          ))}
        </ul>
        {chosen && (
          <p class="merge-warning">
            {chosen.name} will be merged into {base.name} and deleted; its conversations and notes move over.
          </p>
        )}
        {error && <p role="alert">{error}</p>}
        <div class="form-actions">
          <button type="button" class="primary" disabled={!chosen || busy} onClick={() => void merge()}>
            Merge
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
