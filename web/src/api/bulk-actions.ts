import { request } from './http.js';

/** What one bulk action on conversations changes (BulkActionsController: `fields` and `labels`). */
export interface BulkChange {
  fields?: { status?: string; assignee_id?: number | null; team_id?: number | null; snoozed_until?: number | null };
  labels?: { add?: string[]; remove?: string[] };
}

/** POST /bulk_actions type conversation, by display ids; the server applies it in a job and /cable tells. */
export const bulkUpdateConversations = (accountId: number, ids: number[], change: BulkChange) =>
  request('POST', `/api/v1/accounts/${accountId}/bulk_actions`, { type: 'Conversation', ids, ...change });
