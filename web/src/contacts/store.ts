import { useEffect, useState } from 'preact/hooks';
import { type Contact, type ContactChanges, getContact, updateContact } from '../api/contacts.js';
import { createStore, useStore } from '../lib/store.js';

/** Contacts seen by the panel and the contact page, kept fresh by contact.updated over /cable. */
export const contacts = createStore<Record<number, Contact>>({});

export const putContact = (contact: Contact) => contacts.set((all) => ({ ...all, [contact.id]: contact }));

export function dropContact(id: number) {
  contacts.set((all) => {
    const { [id]: _gone, ...rest } = all;
    return rest;
  });
}

/** contact.updated / contact.deleted from /cable: only contacts already on screen are touched. */
export function applyContactEvent(event: string, data: Partial<Contact> & { id?: number }) {
  if (!data.id || !contacts.get()[data.id]) return;
  if (event === 'contact.deleted') dropContact(data.id);
  else contacts.set((all) => ({ ...all, [data.id!]: { ...all[data.id!]!, ...data } }));
}

/** A contact by id: loaded once, then from the store. */
export function useContact(accountId: number, id: number | undefined) {
  const contact = useStore(contacts)[id ?? 0];
  const [error, setError] = useState('');
  useEffect(() => {
    if (!id) return;
    setError('');
    getContact(accountId, id)
      .then(putContact)
      .catch((e) => setError((e as Error).message));
  }, [accountId, id]);
  return { contact, error };
}

/** PATCH /contacts/:id; the answer replaces the stored contact. */
export async function saveContact(accountId: number, id: number, changes: ContactChanges) {
  const updated = await updateContact(accountId, id, changes);
  putContact(updated);
  return updated;
}
