import { transactionally } from '../core/events/bus.js';
import type { Conversation, Message } from '../core/db/schema.js';
import { notFound } from '../core/errors.js';
import { publicCsatSurveyJson } from '../serializers/public-csat-survey.js';
import { applySubmittedValues, assertCsatOpen, permittedSubmittedValues } from './messages.js';
import type { PublicCtx } from './service.js';
import { MESSAGE_CONTENT_TYPE } from '../core/db/enums.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Public::Api::V1::CsatSurveyController: the conversation by its uuid (the link Chatwoot sends is
 * the only credential), then its CSAT survey message; either missing is Rails' 404.
 */
async function findSurvey(ctx: PublicCtx, uuid: string): Promise<{ conversation: Conversation; message: Message }> {
  const conversation = UUID.test(uuid)
    ? await ctx.db.selectFrom('conversations').selectAll().where('uuid', '=', uuid.toLowerCase()).executeTakeFirst()
    : undefined;
  if (!conversation) throw notFound();
  const message = await ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversation.id)
    .where('content_type', '=', MESSAGE_CONTENT_TYPE.input_csat)
    .where('private', '=', false)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!message) throw notFound();
  return { conversation, message };
}

async function render(ctx: PublicCtx, message: Message) {
  const [response, inbox, account] = await Promise.all([
    ctx.db.selectFrom('csat_survey_responses').selectAll().where('message_id', '=', message.id).executeTakeFirst(),
    ctx.db.selectFrom('inboxes').selectAll().where('id', '=', message.inbox_id).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('accounts').select('locale').where('id', '=', message.account_id).executeTakeFirstOrThrow(),
  ]);
  return publicCsatSurveyJson({ message, response, inbox, locale: account.locale });
}

/** GET /public/api/v1/csat_survey/:uuid. */
export async function showCsatSurvey(ctx: PublicCtx, uuid: string) {
  return render(ctx, (await findSurvey(ctx, uuid)).message);
}

/**
 * PUT /public/api/v1/csat_survey/:uuid with `{message: {submitted_values: {csat_survey_response:
 * {rating, feedback_message}}}}`; refused (422) once the survey is more than 14 days old.
 */
export async function updateCsatSurvey(ctx: PublicCtx, uuid: string, submittedValues: unknown) {
  const { conversation, message } = await findSurvey(ctx, uuid);
  assertCsatOpen(message);
  const updated = await transactionally(ctx, (tx, batch) =>
    applySubmittedValues(
      { tx, batch },
      {
        message,
        conversation,
        submitted: permittedSubmittedValues(submittedValues),
        performer: {
          type: 'Contact',
          id: conversation.contact_id,
        },
      },
    ),
  );
  return render(ctx, updated);
}
