import { useEffect, useState } from 'preact/hooks';
import { type Contact, type ContactPage, type FilterCondition, filterContacts, listContacts } from '../api/contacts.js';
import { shortTime } from '../lib/time.js';
import { NewContactForm } from './new-contact.js';
import { FilterBuilder } from './filter-builder.js';
import { LabelFilter, SORTS } from './list-controls.js';
import './contacts.css';

const PAGE_SIZE = 15;

interface Query {
  q: string;
  sort: string;
  label?: string;
  conditions?: FilterCondition[];
  page: number;
}

/** The contacts list: search, sort, a label, a filter, pages of 15; each row opens the contact page. */
export function ContactsPage({ accountId }: { accountId: number }) {
  const [query, setQuery] = useState<Query>({ q: '', sort: SORTS[0]!.value, page: 1 });
  const [typed, setTyped] = useState('');
  const [result, setResult] = useState<ContactPage>();
  const [error, setError] = useState('');
  const [creating, setCreating] = useState(false);

  // the search follows typing after a short pause (one request, not one per key)
  useEffect(() => {
    const timer = setTimeout(
      () => setQuery((q) => (q.q === typed.trim() ? q : { ...q, q: typed.trim(), page: 1 })),
      250,
    );
    return () => clearTimeout(timer);
  }, [typed]);

  useEffect(() => {
    let current = true;
    setError('');
    const request = query.conditions
      ? filterContacts(accountId, query.conditions, query.page, query.sort)
      : listContacts(accountId, { page: query.page, sort: query.sort, q: query.q, label: query.label });
    request.then((page) => current && setResult(page)).catch((e) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [accountId, query]);

  const change = (next: Partial<Query>) => setQuery((q) => ({ ...q, page: 1, ...next }));
  const count = result?.meta.count ?? 0;
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));

  return (
    <main class="contacts-page" aria-label="Contacts">
      <header class="contacts-header">
        <h1>Contacts</h1>
        <input
          type="search"
          aria-label="Search contacts"
          placeholder="Search name, email, phone…"
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <select aria-label="Sort contacts" value={query.sort} onChange={(e) => change({ sort: e.currentTarget.value })}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <LabelFilter accountId={accountId} value={query.label} onChange={(label) => change({ label })} />
        <button type="button" class="primary" onClick={() => setCreating(true)}>
          New contact
        </button>
      </header>
      <FilterBuilder
        accountId={accountId}
        active={Boolean(query.conditions)}
        onApply={(conditions) => change({ conditions })}
      />
      {creating && <NewContactForm accountId={accountId} onClose={() => setCreating(false)} />}
      {error && <p role="alert">{error}</p>}
      <table class="contacts-table">
        <caption class="visually-hidden">Contacts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <th scope="col">Company</th>
            <th scope="col">City</th>
            <th scope="col">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {result?.payload.map((contact) => (
            <ContactRow key={contact.id} accountId={accountId} contact={contact} />
          ))}
        </tbody>
      </table>
      {result && result.payload.length === 0 && <p class="empty">No contacts found</p>}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={query.page <= 1} onClick={() => setQuery((q) => ({ ...q, page: q.page - 1 }))}>
          Previous
        </button>
        <span>
          Page {query.page} of {pages} · {count} contacts
        </span>
        <button
          type="button"
          disabled={query.page >= pages}
          onClick={() => setQuery((q) => ({ ...q, page: q.page + 1 }))}
        >
          Next
        </button>
      </nav>
    </main>
  );
}

function ContactRow({ accountId, contact }: { accountId: number; contact: Contact }) {
  const extra = contact.additional_attributes ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return (
    <tr data-contact-id={contact.id}>
      <td>
        <a href={`/app/accounts/${accountId}/contacts/${contact.id}`}>{contact.name || 'Unnamed'}</a>
      </td>
      <td>{contact.email}</td>
      <td>{contact.phone_number}</td>
      <td>{text(extra.company_name)}</td>
      <td>{text(extra.city)}</td>
      <td>{shortTime(contact.last_activity_at)}</td>
    </tr>
  );
}
