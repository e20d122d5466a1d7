// Replays the requests real Client API integrations make, byte for byte where it matters, and
// checks every response field those clients read:
// - chatwoot/client-api-demo frontend.js: POST contacts and POST conversations with an XHR
//   `send()` (no body, no content type), reading `pubsub_token` and `source_id`, then `id`; POST
//   messages with `Content-Type: application/json;charset=UTF-8` and `{content}`. Agents' replies
//   reach it as message.created events, where it reads `message_type === 1`, `sender.name` and
//   `content`: the same fields are checked in the message list here.
// - chatwoot/chatwoot-flutter-sdk (ChatwootClientAuthService, ChatwootClientService and the
//   json_serializable entities ChatwootContact, ChatwootConversation, ChatwootMessage,
//   CsatSurveyFeedbackResponse): a ChatwootUser body with nulls, an empty-bodied POST, multipart
//   messages with echo_id, and the CSAT survey calls.
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../test/factories.js';
import { identifierHash } from './hmac.js';

const server = useTestServer();

async function call(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | FormData } = {},
) {
  const res = await fetch(new URL(`/public/api/v1/${path}`, server().url), { method, ...init });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

/** json_serializable's `as String` / `as num` casts: the field must exist with that JSON type. */
function expectTypes(value: Record<string, unknown>, types: Record<string, string>) {
  for (const [key, type] of Object.entries(types)) {
    const actual = value[key] === null ? 'null' : Array.isArray(value[key]) ? 'array' : typeof value[key];
    expect(type.split('|'), `${key} in ${JSON.stringify(value)}`).toContain(actual);
  }
}

describe('chatwoot/client-api-demo', () => {
  it('create contact → create conversation → send message → list messages', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = `inboxes/${inbox.inbox_identifier}`;

    // setUpContact(): xhttp.open("POST", ...contacts); xhttp.send();
    const contact = await call('POST', `${api}/contacts`);
    expect(contact.status, contact.text).toBe(200);
    expectTypes(contact.json, { pubsub_token: 'string', source_id: 'string' });
    const contactIdentifier: string = contact.json.source_id;

    // setUpConversation(): xhttp.open("POST", .../contacts/<id>/conversations, false); xhttp.send();
    const conversation = await call('POST', `${api}/contacts/${contactIdentifier}/conversations`);
    expect(conversation.status, conversation.text).toBe(200);
    expectTypes(conversation.json, { id: 'number' });
    const conversationId: number = conversation.json.id;

    // sendMessage(msg)
    const sent = await call('POST', `${api}/contacts/${contactIdentifier}/conversations/${conversationId}/messages`, {
      headers: { 'Content-Type': 'application/json;charset=UTF-8' },
      body: JSON.stringify({ content: 'Hi from the demo' }),
    });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.json).toMatchObject({ content: 'Hi from the demo', message_type: 0, conversation_id: conversationId });

    const agentConversation = await fx.asAdmin('GET', `/conversations/${conversationId}`);
    expect(agentConversation.body.messages[0].content).toBe('Hi from the demo');
    await fx.asAdmin('POST', `/conversations/${conversationId}/messages`, { content: 'Hello from support' });

    const list = await call('GET', `${api}/contacts/${contactIdentifier}/conversations/${conversationId}/messages`);
    expect(list.status).toBe(200);
    expect(list.json.map((m: { content: string }) => m.content)).toEqual(['Hi from the demo', 'Hello from support']);
    const reply = list.json[1];
    expectTypes(reply, { message_type: 'number', content: 'string', sender: 'object' });
    expect(reply.message_type).toBe(1);
    expectTypes(reply.sender, { name: 'string' });
  });
});

describe('chatwoot/chatwoot-flutter-sdk', () => {
  const contactTypes = { id: 'number', source_id: 'string', pubsub_token: 'string', name: 'string', email: 'string' };
  const messageTypes = {
    id: 'number',
    content: 'string|null',
    message_type: 'number',
    content_type: 'string',
    content_attributes: 'object',
    created_at: 'number',
    conversation_id: 'number',
  };

  it('initialises a user, chats, and answers the CSAT survey', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = `inboxes/${inbox.inbox_identifier}`;
    const json = { 'content-type': 'application/json' };

    // createNewContact(inboxIdentifier, ChatwootUser): toJson() keeps nulls
    const user = {
      identifier: 'app-user-1',
      identifier_hash: identifierHash(inbox.hmac_token, 'app-user-1'),
      name: 'Flutter User',
      email: 'flutter@example.com',
      avatar_url: null,
      custom_attributes: null,
    };
    const contact = await call('POST', `${api}/contacts`, { headers: json, body: JSON.stringify(user) });
    expect(contact.status, contact.text).toBe(200);
    expectTypes(contact.json, contactTypes);
    const source = contact.json.source_id;

    // createNewConversation(): dio.post with no data
    const conversation = await call('POST', `${api}/contacts/${source}/conversations`, { headers: json, body: '' });
    expect(conversation.status, conversation.text).toBe(200);
    expectTypes(conversation.json, {
      id: 'number',
      uuid: 'string',
      inbox_id: 'number',
      messages: 'array',
      contact: 'object',
    });
    expectTypes(conversation.json.contact, { id: 'number', name: 'string', email: 'string' });

    // getContact() and getConversations() on start-up
    const shown = await call('GET', `${api}/contacts/${source}`);
    expectTypes(shown.json, contactTypes);
    const conversations = await call('GET', `${api}/contacts/${source}/conversations`);
    expect(conversations.json.map((c: { id: number }) => c.id)).toEqual([conversation.json.id]);

    // createMessage(): FormData {echo_id, content} and attachments[]
    const form = new FormData();
    form.append('echo_id', 'flutter-echo-1');
    form.append('content', 'Hello from the app');
    form.append('attachments[]', new Blob([Buffer.from('%PDF-1.4')], { type: 'application/pdf' }), 'invoice.pdf');
    const base = `${api}/contacts/${source}/conversations/${conversation.json.id}/messages`;
    const sent = await call('POST', base, { body: form });
    expect(sent.status, sent.text).toBe(200);
    expectTypes(sent.json, { ...messageTypes, attachments: 'array', sender: 'object' });
    expectTypes(sent.json.sender, { id: 'number', name: 'string', thumbnail: 'string' });
    const retried = await call('POST', base, { body: form });
    expect(retried.json.id).toBe(sent.json.id);

    await fx.asAdmin('POST', `/conversations/${conversation.json.id}/messages`, {
      content: 'Choose',
      content_type: 'input_select',
      content_attributes: { items: [{ title: 'A', value: 'a' }] },
    });
    // getAllMessages()
    const messages = await call('GET', base);
    expect(messages.json).toHaveLength(2);
    for (const message of messages.json) expectTypes(message, messageTypes);
    expectTypes(messages.json[1].sender, { id: 'number', avatar_url: 'string', name: 'string', thumbnail: 'string' });

    // updateMessage(id, update)
    const update = await call('PATCH', `${base}/${messages.json[1].id}`, {
      headers: json,
      body: JSON.stringify({ submitted_values: [{ title: 'A', value: 'a' }] }),
    });
    expect(update.status, update.text).toBe(200);
    expectTypes(update.json, messageTypes);

    // getCsatFeedback / sendCsatFeedBack
    await fx.asAdmin('POST', `/conversations/${conversation.json.id}/messages`, {
      content: 'Rate us',
      content_type: 'input_csat',
    });
    const csat = await call('GET', `csat_survey/${conversation.json.uuid}`);
    expect(csat.status, csat.text).toBe(200);
    expectTypes(csat.json, {
      id: 'number',
      inbox_avatar_url: 'string',
      inbox_name: 'string',
      locale: 'string',
      created_at: 'string',
      csat_survey_response: 'null',
    });
    const feedback = await call('PUT', `csat_survey/${conversation.json.uuid}`, {
      headers: json,
      body: JSON.stringify({
        message: { submitted_values: { csat_survey_response: { rating: 5, feedback_message: 'great' } } },
      }),
    });
    expect(feedback.status, feedback.text).toBe(200);
    expectTypes(feedback.json.csat_survey_response, {
      id: 'number',
      account_id: 'number',
      conversation_id: 'number',
      message_id: 'number',
      rating: 'number',
      feedback_message: 'string',
      contact_id: 'number',
      assigned_agent_id: 'null',
      created_at: 'string',
      updated_at: 'string',
    });
  });
});
