// Mirrors app/views/api/v1/models/_csat_survey_response.json.jbuilder (the rows of
// GET /api/v1/accounts/:id/csat_survey_responses), embedding _contact and _agent.
import { Type, type Static } from 'typebox';
import type { CsatSurveyResponse, User } from '../core/db/schema.js';
import { NullableString } from '../core/http/schemas.js';
import { AgentSchema, agentJson, availableName, thumbnailFor, type AgentView } from './agent.js';
import { ContactSchema, contactJson, type ContactView } from './contact.js';
import { epochSeconds } from './time.js';

/**
 * The _agent partial of a user who is no longer a member of the account (Chatwoot keeps the
 * response; `current_account_user` is nil, so availability, auto_offline and role render null).
 */
const FormerAgentSchema = Type.Object(
  {
    id: Type.Integer(),
    account_id: Type.Integer(),
    availability_status: Type.Null(),
    auto_offline: Type.Null(),
    confirmed: Type.Boolean(),
    email: Type.String(),
    provider: Type.String(),
    available_name: Type.String(),
    custom_attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    name: Type.String(),
    role: Type.Null(),
    thumbnail: Type.String(),
  },
  { title: 'FormerAgent' },
);

export const CsatSurveyResponseSchema = Type.Object(
  {
    id: Type.Integer(),
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    feedback_message: NullableString(),
    account_id: Type.Integer(),
    message_id: Type.Integer(),
    contact: Type.Optional(ContactSchema),
    conversation_id: Type.Integer({ description: "the conversation's display id" }),
    assigned_agent: Type.Optional(Type.Union([AgentSchema, FormerAgentSchema])),
    created_at: Type.Integer({ description: 'epoch seconds' }),
  },
  { title: 'CsatSurveyResponse' },
);
export type CsatSurveyResponseJson = Static<typeof CsatSurveyResponseSchema>;

/** The assigned agent: a member's agent view, or the bare user row of a removed one. */
export type CsatAgent = { member: AgentView } | { former: User };

export interface CsatSurveyResponseView {
  response: CsatSurveyResponse;
  /** The conversation's display id (the partial's `conversation_id`). */
  displayId: number;
  contact?: ContactView;
  agent?: CsatAgent;
}

function formerAgentJson(user: User, accountId: number): Static<typeof FormerAgentSchema> {
  return {
    id: user.id,
    account_id: accountId,
    availability_status: null,
    auto_offline: null,
    confirmed: user.confirmed_at !== null,
    email: user.email,
    provider: user.provider,
    available_name: availableName(user),
    ...(Object.keys(user.custom_attributes).length ? { custom_attributes: user.custom_attributes } : {}),
    name: user.name,
    role: null,
    thumbnail: thumbnailFor(user),
  };
}

export function csatSurveyResponseJson({
  response,
  displayId,
  contact,
  agent,
}: CsatSurveyResponseView): CsatSurveyResponseJson {
  return {
    id: response.id,
    rating: response.rating,
    feedback_message: response.feedback_message,
    account_id: response.account_id,
    message_id: response.message_id,
    ...(contact ? { contact: contactJson(contact) } : {}),
    conversation_id: displayId,
    ...(agent
      ? {
          assigned_agent:
            'member' in agent ? agentJson(agent.member) : formerAgentJson(agent.former, response.account_id),
        }
      : {}),
    created_at: epochSeconds(response.created_at),
  };
}

/** metrics.json.jbuilder: `ratings_count` is `group(:rating).count`, a hash keyed by the rating. */
export const CsatMetricsSchema = Type.Object(
  {
    total_count: Type.Integer(),
    ratings_count: Type.Record(Type.String(), Type.Integer()),
    total_sent_messages_count: Type.Integer(),
  },
  { title: 'CsatMetrics' },
);
export type CsatMetricsJson = Static<typeof CsatMetricsSchema>;
