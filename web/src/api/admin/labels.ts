import { request } from '../http.js';

/** `_label.json.jbuilder`. */
export interface Label {
  id: number;
  title: string;
  description: string | null;
  color: string;
  show_on_sidebar: boolean;
}

export type LabelInput = Partial<Omit<Label, 'id'>>;

const path = (accountId: number) => `/api/v1/accounts/${accountId}/labels`;

export const listAllLabels = (accountId: number) =>
  request<{ payload: Label[] }>('GET', path(accountId)).then((b) => b.payload);
export const createLabel = (accountId: number, label: LabelInput) => request<Label>('POST', path(accountId), label);
export const deleteLabel = (accountId: number, id: number) => request<unknown>('DELETE', `${path(accountId)}/${id}`);
export const updateLabel = (accountId: number, id: number, label: LabelInput) =>
  request<Label>('PATCH', `${path(accountId)}/${id}`, label);
