import { useEffect, useState } from 'preact/hooks';
import { listLabels } from '../api/account-data.js';
import { contactLabels, setContactLabels } from '../api/contacts.js';
import { useAccountList } from '../lib/account-list.js';

/** The contact's labels: remove one, or add one of the account's labels. */
export function ContactLabels({ accountId, contactId }: { accountId: number; contactId: number }) {
  const [labels, setLabels] = useState<string[]>([]);
  const available = useAccountList('labels', accountId, listLabels);
  const [error, setError] = useState('');
  useEffect(() => {
    let current = true;
    contactLabels(accountId, contactId)
      .then((found) => current && setLabels(found))
      .catch((e) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [accountId, contactId]);

  const change = async (next: string[]) => {
    setError('');
    try {
      setLabels(await setContactLabels(accountId, contactId, next));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const addable = available.filter((label) => !labels.includes(label.title));
  return (
    <section class="contact-labels" aria-label="Contact labels">
      <h3>Labels</h3>
      <ul class="chips">
        {labels.map((label) => (
          <li key={label} class="chip" data-label={label}>
            {label}
            <button
              type="button"
              aria-label={`Remove label ${label}`}
              onClick={() => void change(labels.filter((l) => l !== label))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {addable.length > 0 && (
        <select
          aria-label="Add a label to the contact"
          value=""
          onChange={(e) => {
            const title = e.currentTarget.value;
            if (title) void change([...labels, title]);
          }}
        >
          <option value="">Add label…</option>
          {addable.map((label) => (
            <option key={label.id} value={label.title}>
              {label.title}
            </option>
          ))}
        </select>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
