// Mirrors app/views/api/v1/models/_macro.json.jbuilder: created_by / updated_by (the agent
// partial) only when the user still exists, and files (Macro#file_base_data) only when any.
import { Type, type Static } from 'typebox';
import type { Blob, Macro } from '../core/db/schema.js';
import { MACRO_VISIBILITIES, enumName } from '../core/db/enums.js';
import { AgentSchema, agentJson, type AgentView } from './agent.js';

const MacroFileSchema = Type.Object({
  id: Type.Integer(),
  macro_id: Type.Integer(),
  file_type: Type.String(),
  account_id: Type.Integer(),
  file_url: Type.String(),
  blob_id: Type.Integer(),
  filename: Type.String(),
});

const ActionSchema = Type.Object(
  { action_name: Type.String(), action_params: Type.Optional(Type.Array(Type.Unknown())) },
  { additionalProperties: true },
);

export const MacroSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    visibility: Type.Enum(MACRO_VISIBILITIES),
    created_by: Type.Optional(AgentSchema),
    updated_by: Type.Optional(AgentSchema),
    account_id: Type.Integer(),
    actions: Type.Array(ActionSchema),
    files: Type.Optional(Type.Array(MacroFileSchema)),
  },
  { title: 'Macro' },
);
export type MacroJson = Static<typeof MacroSchema>;

/** A macro with what its partial shows: its authors as members of the account, and its files. */
export interface MacroView {
  macro: Macro;
  createdBy?: AgentView;
  updatedBy?: AgentView;
  /** The blobs its send_attachment actions send. */
  files: Blob[];
}

export function macroJson(view: MacroView, fileUrl: (blob: Blob) => string): MacroJson {
  const { macro } = view;
  return {
    id: macro.id,
    name: macro.name,
    visibility: enumName(MACRO_VISIBILITIES, macro.visibility),
    ...(view.createdBy ? { created_by: agentJson(view.createdBy) } : {}),
    ...(view.updatedBy ? { updated_by: agentJson(view.updatedBy) } : {}),
    account_id: macro.account_id,
    actions: macro.actions as MacroJson['actions'],
    ...(view.files.length
      ? {
          files: view.files.map((blob) => ({
            // ActiveStorage's attachment id; a macro's files are its blobs here
            id: blob.id,
            macro_id: macro.id,
            file_type: blob.content_type,
            account_id: macro.account_id,
            file_url: fileUrl(blob),
            blob_id: blob.id,
            filename: blob.filename,
          })),
        }
      : {}),
  };
}
