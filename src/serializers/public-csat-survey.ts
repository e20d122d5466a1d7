// Mirrors app/views/public/api/v1/models/_csat_survey.json.jbuilder (GET and PUT
// /public/api/v1/csat_survey/:conversation_uuid): id is the survey message's id, conversation_id
// the conversation's database id (resource.conversation_id), created_at the message's time as
// Rails renders it, and csat_survey_response the answer row as its as_json (null until rated).
import { Type, type Static } from 'typebox';
import type { CsatSurveyResponse, Inbox, Message } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';
import { isoTime } from './time.js';

export const CsatSurveyResponseRecordSchema = Type.Object(
  {
    id: Type.Integer(),
    account_id: Type.Integer(),
    conversation_id: Type.Integer(),
    message_id: Type.Integer(),
    rating: Type.Integer(),
    feedback_message: NullableString(),
    contact_id: Type.Integer(),
    assigned_agent_id: NullableInteger(),
    created_at: Type.String({ description: 'ISO 8601' }),
    updated_at: Type.String({ description: 'ISO 8601' }),
  },
  { title: 'CsatSurveyResponseRecord' },
);

export const PublicCsatSurveySchema = Type.Object(
  {
    id: Type.Integer({ description: "The survey message's id" }),
    csat_survey_response: Type.Union([CsatSurveyResponseRecordSchema, Type.Null()]),
    display_type: Type.String({ description: "The inbox's csat_config display_type, emoji by default" }),
    content: NullableString({ description: "The inbox's csat_config message" }),
    inbox_avatar_url: Type.String(),
    inbox_name: Type.String(),
    locale: Type.String({ description: "The account's locale" }),
    conversation_id: Type.Integer(),
    created_at: Type.String({ description: 'ISO 8601' }),
  },
  { title: 'PublicCsatSurvey' },
);

export function csatSurveyResponseRecordJson(row: CsatSurveyResponse): Static<typeof CsatSurveyResponseRecordSchema> {
  return {
    id: row.id,
    account_id: row.account_id,
    conversation_id: row.conversation_id,
    message_id: row.message_id,
    rating: row.rating,
    feedback_message: row.feedback_message,
    contact_id: row.contact_id,
    assigned_agent_id: row.assigned_agent_id,
    created_at: isoTime(row.created_at)!,
    updated_at: isoTime(row.updated_at)!,
  };
}

export interface PublicCsatSurveyView {
  message: Message;
  response: CsatSurveyResponse | undefined;
  inbox: Inbox;
  locale: string;
}

export function publicCsatSurveyJson({
  message,
  response,
  inbox,
  locale,
}: PublicCsatSurveyView): Static<typeof PublicCsatSurveySchema> {
  const config = inbox.csat_config;
  return {
    id: message.id,
    csat_survey_response: response ? csatSurveyResponseRecordJson(response) : null,
    display_type: typeof config.display_type === 'string' && config.display_type ? config.display_type : 'emoji',
    content: typeof config.message === 'string' ? config.message : null,
    inbox_avatar_url: inbox.avatar_url ?? '',
    inbox_name: inbox.name,
    locale,
    conversation_id: message.conversation_id,
    created_at: isoTime(message.created_at)!,
  };
}
