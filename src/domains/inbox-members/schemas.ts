import { Type, type Static } from 'typebox';

/** Ids may come as numbers or numeric strings (form posts); anything else is not a user. */
const UserIds = Type.Array(Type.Union([Type.Integer(), Type.String()]), { maxItems: 1000 });

export const InboxMembersBody = Type.Object({
  inbox_id: Type.Optional(Type.Unsafe<number | string | null>({ type: ['integer', 'string', 'null'] })),
  user_ids: Type.Optional(UserIds),
});
export type InboxMembersBody = Static<typeof InboxMembersBody>;
export const InboxIdParams = Type.Object({ inbox_id: Type.String() });
