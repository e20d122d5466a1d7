import { useRef, useState } from 'preact/hooks';
import type { Contact } from '../api/contacts.js';
import { useStore } from '../lib/store.js';
import { presence } from '../presence/store.js';
import { AvailabilityDot } from '../presence/agents-online.js';
import { useFocusFirst } from './focus.js';
import { saveContact } from './store.js';

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** The details shown and edited: top-level fields and the usual additional attributes. */
const FIELDS = [
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'phone_number', label: 'Phone', type: 'tel' },
  { key: 'identifier', label: 'Identifier', type: 'text' },
  { key: 'company_name', label: 'Company', type: 'text', additional: true },
  { key: 'city', label: 'City', type: 'text', additional: true },
  { key: 'country', label: 'Country', type: 'text', additional: true },
  { key: 'description', label: 'Bio', type: 'text', additional: true },
] as const;

const fieldValue = (contact: Contact, field: (typeof FIELDS)[number]) =>
  'additional' in field ? text(contact.additional_attributes?.[field.key]) : text(contact[field.key]);

/** Name, email, phone, company, location…: shown, and edited in place with Edit. */
export function ContactDetails({ accountId, contact }: { accountId: number; contact: Contact }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirst(form, editing);
  const online = useStore(presence).contacts[contact.id] !== undefined || contact.availability_status === 'online';

  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const read = (key: string) => String(data.get(key) ?? '').trim();
    const name = read('name');
    if (!name) return setError('Name is required');
    const additional: Record<string, string> = {};
    for (const field of FIELDS) if ('additional' in field) additional[field.key] = read(field.key);
    setBusy(true);
    setError('');
    try {
      await saveContact(accountId, contact.id, {
        name,
        email: read('email') || null,
        phone_number: read('phone_number') || null,
        identifier: read('identifier') || null,
        additional_attributes: additional,
      });
      setEditing(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!editing) {
    return (
      <section class="contact-details" aria-label="Contact details">
        <h3 class="contact-title">
          <AvailabilityDot status={online ? 'online' : 'offline'} /> <span class="contact-name">{contact.name}</span>
        </h3>
        <dl>
          {FIELDS.slice(1).map((field) => {
            const value = fieldValue(contact, field);
            return value ? (
              <div key={field.key} data-field={field.key}>
                <dt>{field.label}</dt>
                <dd>{value}</dd>
              </div>
            ) : null;
          })}
        </dl>
        <button type="button" onClick={() => setEditing(true)}>
          Edit contact
        </button>
      </section>
    );
  }
  return (
    <form class="contact-form" aria-label="Edit contact" ref={form} onSubmit={submit}>
      {FIELDS.map((field) => (
        <label key={field.key}>
          {field.label}
          <input
            name={field.key}
            type={field.type as 'text'}
            defaultValue={fieldValue(contact, field)}
            required={field.key === 'name'}
          />
        </label>
      ))}
      {error && <p role="alert">{error}</p>}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
