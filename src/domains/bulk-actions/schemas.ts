import { Type, type Static } from 'typebox';
import { NullableEpochSeconds, NullableIdOrText, NullableShortText, ShortText } from '../../core/http/schemas.js';

/** Most records one bulk action names (Chatwoot sets no bound; the dashboard sends a page or a selection). */
export const BULK_MAX_IDS = 5000;

const LabelNames = Type.Array(ShortText(), { maxItems: 1000 });

/**
 * POST /bulk_actions (BulkActionsController#create): conversations by display id with `fields`
 * and `labels`, or contacts by id with `action_name: delete` or `labels.add`.
 */
export const BulkActionBody = Type.Object({
  type: Type.Optional(ShortText({ description: 'Conversation or Contact' })),
  ids: Type.Optional(
    Type.Array(NullableIdOrText(), {
      maxItems: BULK_MAX_IDS,
      description: 'Conversation display ids, or contact ids',
    }),
  ),
  fields: Type.Optional(
    Type.Object({
      status: Type.Optional(NullableShortText({ description: 'open, resolved, pending or snoozed' })),
      assignee_id: Type.Optional(NullableIdOrText({ description: 'an agent of the account; null unassigns' })),
      team_id: Type.Optional(NullableIdOrText({ description: 'a team of the account; 0 or null removes the team' })),
      snoozed_until: Type.Optional(NullableEpochSeconds({ description: 'unix seconds, with status snoozed' })),
    }),
  ),
  snoozed_until: Type.Optional(NullableEpochSeconds({ description: 'unix seconds, with status snoozed' })),
  labels: Type.Optional(
    Type.Object({ add: Type.Optional(LabelNames), remove: Type.Optional(LabelNames) }, { additionalProperties: false }),
  ),
  action_name: Type.Optional(NullableShortText({ description: 'Contact: delete' })),
});
export type BulkActionBody = Static<typeof BulkActionBody>;
