import { request } from './http.js';

/** POST …/toggle_typing_status: the agent's typing indicator (`is_private` for a note: contacts never see it). */
export const toggleTyping = (accountId: number, conversationId: number, on: boolean, isPrivate: boolean) =>
  request('POST', `/api/v1/accounts/${accountId}/conversations/${conversationId}/toggle_typing_status`, {
    typing_status: on ? 'on' : 'off',
    is_private: isPrivate,
  });
