import type { ActionFile } from './automation-rules.js';
import { request } from './http.js';

export interface MacroSummary {
  id: number;
  name: string;
  visibility: string;
}

/** A macro (`_macro.json.jbuilder`): actions run in order on a conversation. */
export interface Macro extends MacroSummary {
  visibility: 'personal' | 'global';
  actions: Array<{ action_name: string; action_params?: unknown[] }>;
  /** Present when a send_attachment action names a file. */
  files?: ActionFile[];
}

export type MacroFields = Omit<Macro, 'id' | 'files'>;

const base = (accountId: number) => `/api/v1/accounts/${accountId}/macros`;

/** GET /macros: the account's global macros and the user's personal ones. */
export const listMacros = (accountId: number) =>
  request<{ payload: Macro[] }>('GET', base(accountId)).then((b) => b.payload);

export const createMacro = (accountId: number, macro: MacroFields) =>
  request<{ payload: Macro }>('POST', base(accountId), macro).then((b) => b.payload);

export const updateMacro = (accountId: number, id: number, macro: MacroFields) =>
  request<{ payload: Macro }>('PATCH', `${base(accountId)}/${id}`, macro).then((b) => b.payload);

export const deleteMacro = (accountId: number, id: number) => request('DELETE', `${base(accountId)}/${id}`);

/** POST /macros/:id/execute on conversations (display ids); the server runs its actions in a job. */
export const executeMacro = (accountId: number, macroId: number, conversationIds: number[]) =>
  request('POST', `${base(accountId)}/${macroId}/execute`, { conversation_ids: conversationIds });
