// Mirrors app/views/api/v1/models/_team.json.jbuilder.
import { Type, type Static } from 'typebox';
import type { Team } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';

export const TeamSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String({ description: 'Always lowercase (Chatwoot downcases team names)' }),
    description: NullableString(),
    allow_auto_assign: Type.Boolean(),
    account_id: Type.Integer(),
    is_member: Type.Boolean({ description: 'Whether the current user is in the team' }),
  },
  { title: 'Team' },
);

export function teamJson(team: Team, isMember: boolean): Static<typeof TeamSchema> {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    allow_auto_assign: team.allow_auto_assign,
    account_id: team.account_id,
    is_member: isMember,
  };
}
