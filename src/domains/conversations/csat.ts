import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import type { EventBatch } from '../../core/events/bus.js';
import { labelsOf } from '../labels/taggings.js';
import { storeMessage } from './store-message.js';
import { MESSAGE_CONTENT_TYPE, MESSAGE_TYPE } from '../../core/db/enums.js';

/** config/locales/en.yml conversations.templates.csat_input_message_body */
const DEFAULT_QUESTION = 'Please rate the conversation';

interface CsatConfig {
  message?: unknown;
  display_type?: unknown;
  survey_rules?: { operator?: unknown; values?: unknown };
}

/** CsatSurveyService#csat_allowed_by_survey_rules?: labels the conversation must (not) carry. */
function allowedByRules(config: CsatConfig, labels: string[]): boolean {
  const values = Array.isArray(config.survey_rules?.values) ? config.survey_rules.values.map(String) : [];
  if (values.length === 0) return true;
  const operator = config.survey_rules?.operator ?? 'contains';
  if (operator === 'contains') return values.some((label) => labels.includes(label));
  if (operator === 'does_not_contain') return values.every((label) => !labels.includes(label));
  return true;
}

/**
 * CsatSurveyService on a resolved conversation: when its inbox has csat_survey_enabled, no CSAT
 * survey was sent in it yet and the inbox's survey rules allow it, the survey goes out as
 * MessageTemplates::Template::CsatSurvey writes it — a template message with content_type
 * input_csat, the inbox's question (or Chatwoot's default), its display_type (emoji by default)
 * and the agent the answer will credit (the assignee, else the last agent who replied). An API
 * inbox can always reply, so there is no messaging window to miss. Runs in the resolving
 * transaction: the contact's survey exists exactly when the resolution does.
 */
export async function sendCsatSurvey(tx: Db, batch: EventBatch, conversation: Conversation): Promise<void> {
  const inbox = await tx
    .selectFrom('inboxes')
    .select(['csat_survey_enabled', 'csat_config'])
    .where('id', '=', conversation.inbox_id)
    .where('account_id', '=', conversation.account_id)
    .executeTakeFirst();
  if (!inbox?.csat_survey_enabled) return;
  const sent = await tx
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversation.id)
    .where('content_type', '=', MESSAGE_CONTENT_TYPE.input_csat)
    .limit(1)
    .executeTakeFirst();
  if (sent) return;
  const config = (inbox.csat_config ?? {}) as CsatConfig;
  if (!allowedByRules(config, await labelsOf(tx, 'Conversation', conversation.id))) return;
  const lastReply =
    conversation.assignee_id ??
    (
      await tx
        .selectFrom('messages')
        .select('sender_id')
        .where('conversation_id', '=', conversation.id)
        .where('message_type', '=', MESSAGE_TYPE.outgoing)
        .where('sender_type', '=', 'User')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.sender_id ??
    null;
  const question =
    typeof config.message === 'string' && config.message.trim() !== '' ? config.message : DEFAULT_QUESTION;
  await storeMessage(
    { tx, batch },
    {
      conversationId: conversation.id,
      message: {
        messageType: MESSAGE_TYPE.template,
        contentType: MESSAGE_CONTENT_TYPE.input_csat,
        content: question,
        private: false,
        contentAttributes: {
          display_type: typeof config.display_type === 'string' ? config.display_type : 'emoji',
          assigned_agent_id: lastReply,
        },
        additionalAttributes: {},
        sourceId: null,
        sender: null,
        echoId: null,
        idempotencyKey: null,
        files: [],
      },
    },
  );
}
