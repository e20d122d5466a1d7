// Mirrors app/views/public/api/v1/inboxes/show.json.jbuilder (GET /public/api/v1/inboxes/:id):
// the channel's identifier and whether identity validation is enforced, then the
// app/views/public/api/v1/models/_inbox.json.jbuilder partial (name, timezone, weekly schedule,
// working_hours_enabled, csat_survey_enabled, greeting_enabled).
import { Type, type Static } from 'typebox';
import type { ChannelApi, Inbox, WorkingHours } from '../core/db/schema.js';
import { WorkingHoursSchema, workingHoursJson } from './inbox.js';

export const PublicInboxSchema = Type.Object(
  {
    identifier: Type.String(),
    identity_validation_enabled: Type.Boolean({ description: 'hmac_mandatory: contacts must send identifier_hash' }),
    name: Type.String(),
    timezone: Type.String(),
    working_hours: Type.Array(WorkingHoursSchema),
    working_hours_enabled: Type.Boolean(),
    csat_survey_enabled: Type.Boolean(),
    greeting_enabled: Type.Boolean(),
  },
  { title: 'PublicInbox' },
);

export function publicInboxJson(
  inbox: Inbox,
  channel: Pick<ChannelApi, 'identifier' | 'hmac_mandatory'>,
  hours: WorkingHours[],
): Static<typeof PublicInboxSchema> {
  return {
    identifier: channel.identifier,
    identity_validation_enabled: channel.hmac_mandatory,
    name: inbox.name,
    timezone: inbox.timezone,
    working_hours: [...hours].sort((a, b) => a.day_of_week - b.day_of_week).map(workingHoursJson),
    working_hours_enabled: inbox.working_hours_enabled,
    csat_survey_enabled: inbox.csat_survey_enabled,
    greeting_enabled: inbox.greeting_enabled,
  };
}
