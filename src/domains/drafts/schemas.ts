import { Type, type Static } from 'typebox';
import { LIMITS, NullableString } from '../../core/http/schemas.js';

/** A draft's text: bounded like a message's content (Chatwoot's Message validates 150,000 characters). */
const DraftText = () =>
  NullableString({ maxLength: LIMITS.long, description: "The draft's text; absent or null saves ''" });

/**
 * Chatwoot reads `params.dig(:draft_message, :message) || ''`; a flat `{ "message": … }` reaches it
 * through wrap_parameters, which wraps only when `draft_message` itself is absent.
 */
export const DraftBody = Type.Object({
  draft_message: Type.Optional(Type.Object({ message: Type.Optional(DraftText()) })),
  message: Type.Optional(DraftText()),
});
export type DraftBody = Static<typeof DraftBody>;

export const draftTextOf = (body: DraftBody): string =>
  (body.draft_message !== undefined ? body.draft_message.message : body.message) ?? '';

export const DraftParams = Type.Object({
  conversation_id: Type.String({ description: "The conversation's display id" }),
});

/** DraftMessagesController#show: `{has_draft: false}`, or `{has_draft: true, message}`. */
export const DraftSchema = Type.Object(
  { has_draft: Type.Boolean(), message: Type.Optional(Type.String()) },
  { title: 'DraftMessage' },
);
export type DraftJson = Static<typeof DraftSchema>;
