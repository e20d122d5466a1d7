import { useRef, useState } from 'preact/hooks';
import { createContact } from '../api/contacts.js';
import { navigate } from '../lib/router.js';
import { useFocusFirst } from './focus.js';

/** Create a contact (name, email, phone), then open its page. */
export function NewContactForm({ accountId, onClose }: { accountId: number; onClose(): void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirst(form);
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const read = (key: string) => String(data.get(key) ?? '').trim();
    setBusy(true);
    setError('');
    try {
      const contact = await createContact(accountId, {
        name: read('name'),
        ...(read('email') ? { email: read('email') } : {}),
        ...(read('phone_number') ? { phone_number: read('phone_number') } : {}),
      });
      onClose();
      navigate(`/accounts/${accountId}/contacts/${contact.id}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="contact-form new-contact"
      aria-label="New contact"
      ref={form}
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <label>
        Name
        <input name="name" required />
      </label>
      <label>
        Email
        <input name="email" type="email" />
      </label>
      <label>
        Phone
        <input name="phone_number" type="tel" placeholder="+15551234567" />
      </label>
      {error && <p role="alert">{error}</p>}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          Create contact
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
