import { request } from './http.js';
import type { Conversation } from './types.js';

// The contacts resource of the Application API (Chatwoot's dashboard/api/contacts.js and notes.js).

export interface Contact {
  id: number;
  name: string;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  thumbnail?: string;
  blocked?: boolean;
  availability_status?: 'online' | 'offline';
  additional_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  last_activity_at?: number;
  created_at?: number;
}

export interface ContactPage {
  meta: { count: number; current_page: number | string };
  payload: Contact[];
}

export interface ContactNote {
  id: number;
  content: string;
  contact_id: number;
  created_at: number;
  user?: { id: number; name: string };
}

/** One condition of Chatwoot's filter payload (POST /contacts/filter). */
export interface FilterCondition {
  attribute_key: string;
  filter_operator: string;
  values: string[];
  query_operator?: 'and' | 'or';
}

/** The fields an agent edits; custom and additional attributes merge on the server. */
export type ContactChanges = Partial<
  Pick<Contact, 'name' | 'email' | 'phone_number' | 'identifier' | 'additional_attributes' | 'custom_attributes'>
>;

const base = (accountId: number) => `/api/v1/accounts/${accountId}/contacts`;

/** GET /contacts (15 a page), or /contacts/search when there is a query. */
export function listContacts(accountId: number, options: { page: number; sort?: string; q?: string; label?: string }) {
  const params = new URLSearchParams({ page: String(options.page) });
  if (options.sort) params.set('sort', options.sort);
  if (options.label) params.append('labels[]', options.label);
  if (options.q) params.set('q', options.q);
  const path = options.q ? `${base(accountId)}/search` : base(accountId);
  return request<ContactPage>('GET', `${path}?${params}`);
}

/** POST /contacts/filter with Chatwoot's payload. */
export function filterContacts(accountId: number, conditions: FilterCondition[], page: number, sort?: string) {
  const params = new URLSearchParams({ page: String(page) });
  if (sort) params.set('sort', sort);
  return request<ContactPage>('POST', `${base(accountId)}/filter?${params}`, { payload: conditions });
}

export const getContact = (accountId: number, id: number) =>
  request<{ payload: Contact }>('GET', `${base(accountId)}/${id}`).then((b) => b.payload);

export const updateContact = (accountId: number, id: number, changes: ContactChanges) =>
  request<{ payload: Contact }>('PATCH', `${base(accountId)}/${id}`, changes).then((b) => b.payload);

export const createContact = (accountId: number, fields: ContactChanges) =>
  request<{ payload: { contact: Contact } }>('POST', base(accountId), fields).then((b) => b.payload.contact);

/** POST /actions/contact_merge: the mergee's conversations, notes and details move to the base contact. */
export const mergeContacts = (accountId: number, baseContactId: number, mergeeContactId: number) =>
  request<Contact>('POST', `/api/v1/accounts/${accountId}/actions/contact_merge`, {
    base_contact_id: baseContactId,
    mergee_contact_id: mergeeContactId,
  });

export const contactConversations = (accountId: number, id: number) =>
  request<{ payload: Conversation[] }>('GET', `${base(accountId)}/${id}/conversations`).then((b) => b.payload);

export const contactLabels = (accountId: number, id: number) =>
  request<{ payload: string[] }>('GET', `${base(accountId)}/${id}/labels`).then((b) => b.payload);

export const setContactLabels = (accountId: number, id: number, labels: string[]) =>
  request<{ payload: string[] }>('POST', `${base(accountId)}/${id}/labels`, { labels }).then((b) => b.payload);

export const listNotes = (accountId: number, contactId: number) =>
  request<ContactNote[]>('GET', `${base(accountId)}/${contactId}/notes`);

export const addNote = (accountId: number, contactId: number, content: string) =>
  request<ContactNote>('POST', `${base(accountId)}/${contactId}/notes`, { content });

export const editNote = (accountId: number, contactId: number, id: number, content: string) =>
  request<ContactNote>('PATCH', `${base(accountId)}/${contactId}/notes/${id}`, { content });

export const deleteNote = (accountId: number, contactId: number, id: number) =>
  request('DELETE', `${base(accountId)}/${contactId}/notes/${id}`);
