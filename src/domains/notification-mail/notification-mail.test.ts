import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchPresence } from '../../core/realtime/presence.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { type AccountFixture, buildAccountFixture, buildInbox } from '../../../test/factories.js';
import { linkIn, sinkEnv, startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.js';

// Notification e-mails (Notification#process_notification_delivery, AgentNotifications::
// ConversationNotificationsMailer): a notification whose type the agent's e-mail flags take is
// mailed to them over SMTP, with Chatwoot's subject and a link to the conversation.

const FRONTEND = 'https://desk.example.com';
let sink: SmtpSink;
let server: TestServer;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ ...sinkEnv(sink), FRONTEND_URL: FRONTEND });
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

/**
 * A contact of the inbox with a conversation, through the Client API, assigned to the fixture's
 * agent, a member of the inbox (a notification goes only to who may open the conversation).
 */
async function assignedChat(fx: AccountFixture, inbox: { id: number; inbox_identifier: string }) {
  const member = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
  expect(member.status, member.text).toBe(200);
  const base = `/public/api/v1/inboxes/${inbox.inbox_identifier}`;
  const contact = await server.request('POST', `${base}/contacts`, { body: { name: 'Carla Contact' } });
  expect(contact.status, contact.text).toBe(200);
  const conversation = await server.request('POST', `${base}/contacts/${contact.body.source_id}/conversations`, {
    body: {},
  });
  expect(conversation.status, conversation.text).toBe(200);
  const id = conversation.body.id as number;
  const assigned = await fx.asAdmin('POST', `/conversations/${id}/assignments`, { assignee_id: fx.agent.id });
  expect(assigned.status, assigned.text).toBe(200);
  const say = async (content: string) => {
    const res = await server.request(
      'POST',
      `${base}/contacts/${contact.body.source_id}/conversations/${id}/messages`,
      {
        body: { content },
      },
    );
    expect(res.status, res.text).toBe(200);
  };
  return { id, say };
}

const agentName = async (fx: AccountFixture) =>
  (await fx.asAgent('GET', '/agents')).body.find((a: { id: number }) => a.id === fx.agent.id).available_name as string;

/** No notification mail is waiting to be sent: every one queued so far has been handled. */
const queueDrained = async () =>
  (
    await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
      where task_identifier = 'notification_mail'`.execute(server.db)
  ).rows[0]!.n === 0;

describe('notification e-mails', () => {
  it("mails the agent a conversation assigned to them (Chatwoot's default flag), with its link", async () => {
    const fx = await buildAccountFixture(server);
    const inbox = await buildInbox(fx);
    const chat = await assignedChat(fx, inbox);
    const mail = await sink.mailTo(fx.agent.email);
    expect(mail.subject).toBe(`${await agentName(fx)}, A new conversation [ID - ${chat.id}] has been assigned to you.`);
    expect(mail.text).toContain('has been assigned to you');
    const link = linkIn(mail, `/app/accounts/${fx.account.id}/conversations/${chat.id}`);
    expect(link.origin).toBe(FRONTEND);
    expect(mail.html).toContain(`href="${link.href}"`);
  });

  it("follows the agent's e-mail flags: a new message in their conversation, no assignment mail once that flag is off, nothing while they are online", async () => {
    const fx = await buildAccountFixture(server);
    const inbox = await buildInbox(fx);
    const flags = await fx.asAgent('PATCH', '/notification_settings', {
      notification_settings: { selected_email_flags: ['email_assigned_conversation_new_message'] },
    });
    expect(flags.status, flags.text).toBe(200);
    const chat = await assignedChat(fx, inbox);
    // the agent is not connected (offline): a new message is mailed, with its text
    await chat.say('Is my <order> on its way?');
    const mail = await sink.mailTo(fx.agent.email);
    expect(mail.subject).toBe(`${await agentName(fx)}, New message in your assigned conversation [ID - ${chat.id}].`);
    expect(mail.text).toContain('Is my <order> on its way?');
    expect(mail.html).toContain('Is my &lt;order&gt; on its way?');
    await expect.poll(queueDrained).toBe(true);
    // the assignment before it was not mailed: its flag is off
    expect(sink.mails.filter((m) => m.envelopeTo.includes(fx.agent.email)).map((m) => m.subject)).toEqual([
      mail.subject,
    ]);

    // online (seen on /cable a moment ago), the agent is not mailed a new message
    await touchPresence(server.db, fx.account.id, 'User', fx.agent.id);
    await chat.say('Hello? Anyone there?');
    await expect.poll(queueDrained).toBe(true);
    expect(sink.mails.filter((m) => m.envelopeTo.includes(fx.agent.email)).map((m) => m.subject)).toEqual([
      mail.subject,
    ]);
  });

  it('mails only the agent it is about: not the administrator who assigned the conversation', async () => {
    const fx = await buildAccountFixture(server);
    const inbox = await buildInbox(fx);
    await assignedChat(fx, inbox);
    await sink.mailTo(fx.agent.email);
    await expect.poll(queueDrained).toBe(true);
    expect(sink.mails.flatMap((m) => m.envelopeTo)).not.toContain(fx.admin.email);
  });
});
