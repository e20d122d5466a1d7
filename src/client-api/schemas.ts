import { Type, type Static } from 'typebox';
import { LIMITS, NullableScalar, NullableShortText, NullableUrl, ShortText } from '../core/http/schemas.js';

/** Rails permits scalars: a number where a string is expected is taken as its text. */
const Scalar = (description?: string, maxLength: number = LIMITS.short) =>
  NullableScalar({ maxLength, ...(description ? { description } : {}) });
/** A hash; null too, which the Flutter SDK sends for attributes it does not have. */
const Attributes = Type.Unsafe<Record<string, unknown> | null>({
  type: ['object', 'null'],
  propertyNames: { maxLength: LIMITS.short },
});

export const InboxParams = Type.Object({
  inbox_identifier: Type.String({
    description: "The API channel's identifier (inbox_identifier in the Application API)",
  }),
});
export const ContactParams = Type.Object({
  ...InboxParams.properties,
  contact_identifier: Type.String({ description: 'The source_id returned when the contact was created' }),
});
export const ConversationParams = Type.Object({
  ...ContactParams.properties,
  id: Type.String({ description: "The conversation's display id" }),
});
export const MessagesParams = Type.Object({
  ...ContactParams.properties,
  conversation_id: Type.String({ description: "The conversation's display id" }),
});
export const MessageParams = Type.Object({
  ...MessagesParams.properties,
  id: Type.String({ description: 'The message id' }),
});
export const CsatParams = Type.Object({ id: Type.String({ description: "The conversation's uuid" }) });

/** Identity validation: HMAC-SHA256 of `identifier` keyed with the inbox's hmac_token, in hex. */
export const HmacParams = Type.Object({
  identifier: Type.Optional(Scalar("Your system's id for the contact")),
  identifier_hash: Type.Optional(
    NullableShortText({
      description: 'hex HMAC-SHA256(hmac_token, identifier); required when the inbox has hmac_mandatory',
    }),
  ),
});
export type HmacParams = Static<typeof HmacParams>;

export const ContactBody = Type.Object({
  ...HmacParams.properties,
  name: Type.Optional(Scalar()),
  email: Type.Optional(Scalar()),
  phone_number: Type.Optional(Scalar('E.164, e.g. +15551234567')),
  avatar_url: Type.Optional(NullableUrl({ description: 'An http(s) image URL' })),
  custom_attributes: Type.Optional(Attributes),
  source_id: Type.Optional(
    Scalar('Create (or find) the contact inbox with this contact identifier instead of a random UUID'),
  ),
});
export type ContactBody = Static<typeof ContactBody>;

export const ConversationBody = Type.Object({ custom_attributes: Type.Optional(Attributes) });
export const TypingBody = Type.Object({
  typing_status: Type.Optional(NullableShortText({ description: 'on, off or recording' })),
});

export const MessageListQuery = Type.Object({
  before: Type.Optional(ShortText({ description: 'Only messages with a smaller id' })),
});
export const MessageCreateBody = Type.Object({
  content: Type.Optional(Scalar(undefined, LIMITS.long)),
  // the service keeps the first MAX_RETRY_KEY characters (the unique index's bound)
  echo_id: Type.Optional(
    Scalar("The client's temporary id; a retried POST with it returns the stored message", LIMITS.text),
  ),
  attachments: Type.Optional(Type.Array(Type.Unknown(), { description: 'multipart attachments[] files' })),
});
export type MessageCreateBody = Static<typeof MessageCreateBody>;

export const MessageUpdateBody = Type.Object({
  submitted_values: Type.Optional(
    Type.Unknown({ description: '[{name, title, value}] or {csat_survey_response: {rating, feedback_message}}' }),
  ),
});
export const CsatUpdateBody = Type.Object({
  message: Type.Object({ submitted_values: Type.Optional(Type.Unknown()) }),
});

/** Rails' exceptions app for a RecordNotFound. */
export const NotFoundBody = Type.Object(
  { status: Type.Literal(404), error: Type.String() },
  { title: 'RailsNotFound' },
);
export const ErrorBody = Type.Object({ error: Type.String() }, { title: 'Error' });
export const InvalidBody = Type.Object(
  { message: Type.String(), attributes: Type.Array(Type.String()) },
  { title: 'RecordInvalid' },
);
