// Mirrors app/views/api/v1/models/_note.json.jbuilder: epoch timestamps, the author as an agent.
import { Type, type Static } from 'typebox';
import type { Note } from '../core/db/schema.js';
import { AgentSchema, agentJson, type AgentView } from './agent.js';
import { epochSeconds } from './time.js';

export const NoteSchema = Type.Object(
  {
    id: Type.Integer(),
    content: Type.String(),
    account_id: Type.Integer(),
    contact_id: Type.Integer(),
    user: Type.Optional(AgentSchema),
    created_at: Type.Integer(),
    updated_at: Type.Integer(),
  },
  { title: 'Note' },
);

export function noteJson(note: Note, author: AgentView | undefined): Static<typeof NoteSchema> {
  return {
    id: note.id,
    content: note.content,
    account_id: note.account_id,
    contact_id: note.contact_id,
    ...(author ? { user: agentJson(author) } : {}),
    created_at: epochSeconds(note.created_at),
    updated_at: epochSeconds(note.updated_at),
  };
}
