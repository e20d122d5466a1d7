import { Type, type Static } from 'typebox';
import { NullableIdOrText, NullableShortText, ShortText } from '../../core/http/schemas.js';

/** Most actions one macro holds (Chatwoot sets no bound; the dashboard adds them one by one). */
export const MAX_ACTIONS = 100;
/** Most params one action holds. */
export const MAX_ACTION_PARAMS = 100;
/** Most conversations one execute names (the dashboard sends a selection). */
export const MAX_EXECUTE_IDS = 5000;

const Action = Type.Object({
  action_name: ShortText({ description: "Chatwoot's action name, e.g. send_message, add_label" }),
  action_params: Type.Optional(
    Type.Union([Type.Array(Type.Unknown(), { maxItems: MAX_ACTION_PARAMS }), Type.Null()], {
      description: 'The action’s params, e.g. ["Welcome!"], [team_id], [blob_id]',
    }),
  ),
});

/** MacrosController#permitted_params: name, visibility and actions, at the top level. */
export const MacroBody = Type.Object({
  name: Type.Optional(NullableShortText()),
  visibility: Type.Optional(NullableShortText({ description: 'personal or global (agents: always personal)' })),
  actions: Type.Optional(Type.Union([Type.Array(Action, { maxItems: MAX_ACTIONS }), Type.Null()])),
});
export type MacroBody = Static<typeof MacroBody>;

/** POST /macros/:id/execute. */
export const ExecuteBody = Type.Object({
  conversation_ids: Type.Optional(
    Type.Union([Type.Array(NullableIdOrText(), { maxItems: MAX_EXECUTE_IDS }), Type.Null()], {
      description: 'Conversation display ids',
    }),
  ),
});
export type ExecuteBody = Static<typeof ExecuteBody>;
