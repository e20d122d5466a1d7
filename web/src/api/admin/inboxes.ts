import { request } from '../http.js';

/** An API-channel inbox as an administrator sees it (`_inbox.json.jbuilder`). */
export interface InboxDetail {
  id: number;
  name: string;
  channel_type: string;
  inbox_identifier: string;
  webhook_url: string | null;
  hmac_mandatory: boolean;
  hmac_token?: string;
  secret?: string;
  enable_auto_assignment: boolean;
  greeting_enabled: boolean;
  greeting_message: string | null;
}

export interface InboxInput {
  name?: string;
  enable_auto_assignment?: boolean;
  greeting_enabled?: boolean;
  greeting_message?: string | null;
  channel?: { type?: 'api'; webhook_url?: string | null; hmac_mandatory?: boolean };
}

export interface Member {
  id: number;
  name: string;
  email: string;
  role?: string;
}

const base = (accountId: number) => `/api/v1/accounts/${accountId}`;

export const listInboxDetails = (accountId: number) =>
  request<{ payload: InboxDetail[] }>('GET', `${base(accountId)}/inboxes`).then((b) => b.payload);

export const getInbox = (accountId: number, id: number) =>
  request<InboxDetail>('GET', `${base(accountId)}/inboxes/${id}`);

/** POST /inboxes with `channel: { type: 'api' }`: the Client API's inbox. */
export const createApiInbox = (accountId: number, input: InboxInput) =>
  request<InboxDetail>('POST', `${base(accountId)}/inboxes`, {
    ...input,
    channel: { ...input.channel, type: 'api' },
  });

export const updateInbox = (accountId: number, id: number, input: InboxInput) =>
  request<InboxDetail>('PATCH', `${base(accountId)}/inboxes/${id}`, input);

export const deleteInbox = (accountId: number, id: number) =>
  request<unknown>('DELETE', `${base(accountId)}/inboxes/${id}`);

/** GET /inbox_members/:inbox_id. */
export const listInboxMembers = (accountId: number, inboxId: number) =>
  request<{ payload: Member[] }>('GET', `${base(accountId)}/inbox_members/${inboxId}`).then((b) => b.payload);

/** PATCH /inbox_members: the inbox's members become exactly these users. */
export const setInboxMembers = (accountId: number, inboxId: number, userIds: number[]) =>
  request<{ payload: Member[] }>('PATCH', `${base(accountId)}/inbox_members`, {
    inbox_id: inboxId,
    user_ids: userIds,
  }).then((b) => b.payload);
