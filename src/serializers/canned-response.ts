// Mirrors Chatwoot's `render json: @canned_response` (Api::V1::Accounts::CannedResponsesController):
// the record's as_json, so every column in db/schema.rb order, with ISO 8601 timestamps. Upstream
// has no jbuilder for it (app/views/api/v1/accounts/canned_responses/ exists only in forks).
import { Type, type Static } from 'typebox';
import type { CannedResponse } from '../core/db/schema.js';
import { isoTime } from './time.js';

export const CannedResponseSchema = Type.Object(
  {
    id: Type.Integer(),
    account_id: Type.Integer(),
    short_code: Type.String(),
    content: Type.String(),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { title: 'CannedResponse' },
);

export function cannedResponseJson(row: CannedResponse): Static<typeof CannedResponseSchema> {
  return {
    id: row.id,
    account_id: row.account_id,
    short_code: row.short_code,
    content: row.content,
    created_at: isoTime(row.created_at)!,
    updated_at: isoTime(row.updated_at)!,
  };
}
