import { request } from './http.js';

export interface MacroSummary {
  id: number;
  name: string;
  visibility: string;
}

const base = (accountId: number) => `/api/v1/accounts/${accountId}/macros`;

/** GET /macros: the account's global macros and the user's personal ones. */
export const listMacros = (accountId: number) =>
  request<{ payload: MacroSummary[] }>('GET', base(accountId)).then((b) => b.payload);

/** POST /macros/:id/execute on conversations (display ids); the server runs its actions in a job. */
export const executeMacro = (accountId: number, macroId: number, conversationIds: number[]) =>
  request('POST', `${base(accountId)}/${macroId}/execute`, { conversation_ids: conversationIds });
