import { Type, type Static } from 'typebox';
import { IdOrText, NullableIdOrText } from '../../core/http/schemas.js';

/** Ids may come as numbers or numeric strings (form posts); anything else is not a user. */
const UserIds = Type.Array(IdOrText(), { maxItems: 1000 });

export const InboxMembersBody = Type.Object({
  inbox_id: Type.Optional(NullableIdOrText()),
  user_ids: Type.Optional(UserIds),
});
export type InboxMembersBody = Static<typeof InboxMembersBody>;
export const InboxIdParams = Type.Object({ inbox_id: Type.String() });
