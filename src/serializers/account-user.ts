// Platform API account_users render the raw AccountUser model (`render json: account_users`):
// every column in schema order, enums as names, timestamps ISO 8601.
import { Type, type Static } from 'typebox';
import type { AccountUser } from '../core/db/schema.js';
import { ACCOUNT_USER_ROLES, AVAILABILITIES, enumName } from '../core/db/enums.js';
import { isoTime } from './time.js';

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

export const AccountUserRowSchema = Type.Object(
  {
    id: Type.Integer(),
    account_id: Type.Integer(),
    user_id: Type.Integer(),
    role: Type.Enum(ACCOUNT_USER_ROLES),
    inviter_id: NullableInt,
    created_at: Type.String(),
    updated_at: Type.String(),
    active_at: Type.Union([Type.String(), Type.Null()]),
    availability: Type.Enum(AVAILABILITIES),
    auto_offline: Type.Boolean(),
    custom_role_id: Type.Null(),
    agent_capacity_policy_id: Type.Null(),
  },
  { title: 'AccountUserRow' },
);

export function accountUserRowJson(row: AccountUser): Static<typeof AccountUserRowSchema> {
  return {
    id: row.id,
    account_id: row.account_id,
    user_id: row.user_id,
    role: enumName(ACCOUNT_USER_ROLES, row.role),
    inviter_id: row.inviter_id,
    created_at: isoTime(row.created_at)!,
    updated_at: isoTime(row.updated_at)!,
    active_at: isoTime(row.active_at),
    availability: enumName(AVAILABILITIES, row.availability),
    auto_offline: row.auto_offline,
    // enterprise-only columns, always null here
    custom_role_id: null,
    agent_capacity_policy_id: null,
  };
}
