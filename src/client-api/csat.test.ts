import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../test/factories.js';
import { publicApi } from '../../test/public-api.js';

const server = useTestServer();
const SURVEY_KEYS = [
  'id',
  'csat_survey_response',
  'display_type',
  'content',
  'inbox_avatar_url',
  'inbox_name',
  'locale',
  'conversation_id',
  'created_at',
];
const RESPONSE_KEYS = [
  'id',
  'account_id',
  'conversation_id',
  'message_id',
  'rating',
  'feedback_message',
  'contact_id',
  'assigned_agent_id',
  'created_at',
  'updated_at',
];

async function surveyed() {
  const fx = await buildAccountFixture(server());
  const inbox = await buildInbox(fx, {
    csat_survey_enabled: true,
    csat_config: { display_type: 'star', message: 'How did we do?' },
  });
  const api = publicApi(server());
  const contact = await api.contact(inbox.inbox_identifier, { name: 'Rae' });
  const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
  await fx.asAdmin('POST', `/conversations/${conversation.id}/assignments`, { assignee_id: fx.agent.id });
  const survey = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
    content: 'Please rate this conversation',
    content_type: 'input_csat',
  });
  expect(survey.status, survey.text).toBe(200);
  return { fx, inbox, api, contact, conversation, survey: survey.body };
}

describe('CSAT survey', () => {
  it('shows the survey by conversation uuid and records the rating', async () => {
    const { fx, api, contact, conversation, survey } = await surveyed();
    const path = `/csat_survey/${conversation.uuid}`;
    const shown = await api.request('GET', path);
    expect(shown.status, shown.text).toBe(200);
    expect(Object.keys(shown.body)).toEqual(SURVEY_KEYS);
    const conversationRow = await server()
      .db.selectFrom('conversations')
      .select('id')
      .where('uuid', '=', conversation.uuid)
      .executeTakeFirstOrThrow();
    expect(shown.body).toMatchObject({
      id: survey.id,
      csat_survey_response: null,
      display_type: 'star',
      content: 'How did we do?',
      inbox_avatar_url: '',
      locale: 'en',
      conversation_id: conversationRow.id,
    });
    expect(shown.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // the Flutter SDK's request body
    const rated = await api.request('PUT', path, {
      message: { submitted_values: { csat_survey_response: { rating: 4, feedback_message: 'quick help' } } },
    });
    expect(rated.status, rated.text).toBe(200);
    expect(Object.keys(rated.body.csat_survey_response)).toEqual(RESPONSE_KEYS);
    expect(rated.body.csat_survey_response).toMatchObject({
      rating: 4,
      feedback_message: 'quick help',
      message_id: survey.id,
      contact_id: contact.id,
      assigned_agent_id: fx.agent.id,
      conversation_id: conversationRow.id,
    });
    const rerated = await api.request('PATCH', path, {
      message: { submitted_values: { csat_survey_response: { rating: '5' } } },
    });
    expect(rerated.body.csat_survey_response).toMatchObject({
      id: rated.body.csat_survey_response.id,
      rating: 5,
      feedback_message: null,
    });
    const agentSide = (await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`)).body.payload.find(
      (m: { id: number }) => m.id === survey.id,
    );
    expect(agentSide.content_attributes.submitted_values).toEqual({ csat_survey_response: { rating: '5' } });
    const rows = await server()
      .db.selectFrom('csat_survey_responses')
      .select('rating')
      .where('message_id', '=', survey.id)
      .execute();
    expect(rows).toEqual([{ rating: 5 }]);
  });

  it('takes the rating through the public message update too, and locks after 14 days', async () => {
    const { inbox, api, contact, conversation, survey } = await surveyed();
    const message = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}/messages/${survey.id}`;
    const patched = await api.request('PATCH', message, {
      submitted_values: { csat_survey_response: { rating: 3, feedback_message: 'ok' } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.content_attributes.submitted_values.csat_survey_response).toEqual({
      rating: 3,
      feedback_message: 'ok',
    });
    expect((await api.request('GET', `/csat_survey/${conversation.uuid}`)).body.csat_survey_response.rating).toBe(3);

    expect(
      (
        await api.request('PUT', `/csat_survey/${conversation.uuid}`, {
          message: { submitted_values: { csat_survey_response: { rating: 9 } } },
        })
      ).body,
    ).toEqual({ message: 'Rating is not included in the list', attributes: ['rating'] });
    expect((await api.request('PUT', `/csat_survey/${conversation.uuid}`, {})).status).toBe(422);

    await server()
      .db.updateTable('messages')
      .set({ created_at: new Date(Date.now() - 15 * 86_400_000) })
      .where('id', '=', survey.id)
      .execute();
    const locked = { error: 'You cannot update the CSAT survey after 14 days' };
    const late = await api.request('PUT', `/csat_survey/${conversation.uuid}`, {
      message: { submitted_values: { csat_survey_response: { rating: 1 } } },
    });
    expect(late.status).toBe(422);
    expect(late.body).toEqual(locked);
    expect(
      (await api.request('PATCH', message, { submitted_values: { csat_survey_response: { rating: 1 } } })).body,
    ).toEqual(locked);
    expect((await api.request('GET', `/csat_survey/${conversation.uuid}`)).body.csat_survey_response.rating).toBe(3);
  });

  it('is 404 for an unknown or malformed uuid, and for a conversation without a survey', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier);
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    for (const id of [conversation.uuid, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await api.request('GET', `/csat_survey/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body).toEqual({ status: 404, error: 'Not Found' });
    }
  });

  it("sends the survey when the conversation is resolved, once, as Chatwoot's CsatSurveyService does", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx, {
      csat_survey_enabled: true,
      csat_config: { display_type: 'star', message: 'How did we do?' },
    });
    const plain = await buildInbox(fx);
    const api = publicApi(server());
    const contact = await api.contact(inbox.inbox_identifier, { name: 'Sam' });
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    await fx.asAdmin('POST', `/conversations/${conversation.id}/assignments`, { assignee_id: fx.agent.id });
    const messagesPath = `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}/messages`;
    const surveys = async () =>
      (await api.request('GET', messagesPath)).body.filter(
        (m: { content_type: string }) => m.content_type === 'input_csat',
      );

    await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
    const [sent, ...more] = await surveys();
    expect(more).toEqual([]);
    expect(sent).toMatchObject({
      content: 'How did we do?',
      message_type: 3,
      content_attributes: { display_type: 'star', assigned_agent_id: fx.agent.id },
    });
    expect((await api.request('GET', `/csat_survey/${conversation.uuid}`)).body).toMatchObject({
      id: sent.id,
      content: 'How did we do?',
      display_type: 'star',
    });

    // a new message reopens it; resolving again sends no second survey (csat_already_sent?)
    await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'one more thing' });
    await api.request(
      'POST',
      `/inboxes/${inbox.inbox_identifier}/contacts/${contact.source_id}/conversations/${conversation.id}/toggle_status`,
    );
    expect(await surveys()).toHaveLength(1);

    // no survey where the inbox has none, or where its label rule excludes the conversation
    const other = await api.contact(plain.inbox_identifier, { name: 'Kim' });
    const quiet = await api.conversation(plain.inbox_identifier, other.source_id);
    await fx.asAdmin('POST', `/conversations/${quiet.id}/toggle_status`, { status: 'resolved' });
    const quietMessages = (await fx.asAdmin('GET', `/conversations/${quiet.id}/messages`)).body.payload;
    expect(quietMessages.filter((m: { content_type: string }) => m.content_type === 'input_csat')).toEqual([]);

    const ruled = await buildInbox(fx, {
      csat_survey_enabled: true,
      csat_config: { survey_rules: { operator: 'does_not_contain', values: ['spam'] } },
    });
    const third = await api.contact(ruled.inbox_identifier, { name: 'Lee' });
    const [tagged, untagged] = [
      await api.conversation(ruled.inbox_identifier, third.source_id),
      await api.conversation(ruled.inbox_identifier, third.source_id),
    ];
    await fx.asAdmin('POST', '/labels', { title: 'spam' });
    await fx.asAdmin('POST', `/conversations/${tagged.id}/labels`, { labels: ['spam'] });
    for (const c of [tagged, untagged])
      await fx.asAdmin('POST', `/conversations/${c.id}/toggle_status`, { status: 'resolved' });
    const csatOf = async (id: number) =>
      (await fx.asAdmin('GET', `/conversations/${id}/messages`)).body.payload.filter(
        (m: { content_type: string }) => m.content_type === 'input_csat',
      );
    expect(await csatOf(tagged.id)).toEqual([]);
    expect(await csatOf(untagged.id)).toMatchObject([
      { content: 'Please rate the conversation', content_attributes: { display_type: 'emoji' } },
    ]);
  });
});
