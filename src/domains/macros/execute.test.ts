// POST /macros/:id/execute (MacrosExecutionJob, Macros::ExecutionService) and the message actions
// rules share (AutomationRules::ActionService): the messages they write, the mails in the SMTP
// sink, the webhook events at the receiver.
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { sinkEnv, type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { startReceiver } from '../../../test/webhook-receiver.js';
import { transactionally } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { createStorage } from '../../core/storage/storage.js';
import { performActions } from '../automation-actions/perform.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let sink: SmtpSink;
let server: TestServer;
const receiver = await startReceiver();

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({
    ...sinkEnv(sink, 50),
    FRONTEND_URL: 'https://desk.example.com',
    CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true',
  });
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
  await receiver.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await sleep(50);
  }
}
/** No macro run or mail left queued or running. */
const jobsDone = () =>
  eventually(
    async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
          where task_identifier in ('macros_execution', 'conversation_mail')`.execute(server.db)
      ).rows[0]!.n,
    (n) => n === 0,
  );

type Msg = {
  id: number;
  content: string | null;
  message_type: number;
  private: boolean;
  sender?: { id: number; type: string };
  content_attributes: Record<string, unknown>;
  attachments?: { data_url: string; file_type: string }[];
};
const messages = async (fx: AccountFixture, id: number) =>
  (await fx.asAdmin('GET', `/conversations/${id}/messages`)).body.payload as Msg[];

async function upload(fx: AccountFixture): Promise<number> {
  const form = new FormData();
  form.append('attachment', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'pixel.png');
  const res = await fetch(new URL(`/api/v1/accounts/${fx.account.id}/upload`, server.url), {
    method: 'POST',
    headers: { api_access_token: fx.admin.access_token },
    body: form,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { blob_id: number }).blob_id;
}

describe('executing a macro', () => {
  it('writes as the executing agent: message, note, attachment, transcript mails and a macro.executed webhook', async () => {
    const fx = await buildAccountFixture(server);
    const other = await buildAccountFixture(server);
    const inbox = await buildInbox(fx);
    const hidden = await buildInbox(fx);
    expect((await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] })).status).toBe(
      200,
    );
    const conversation = await buildConversation(fx, inbox.id);
    const secret = await buildConversation(fx, hidden.id);
    const theirs = await buildConversation(other, (await buildInbox(other)).id);
    const contactEmail = (await fx.asAdmin('GET', `/contacts/${conversation.meta.sender.id}`)).body.payload.email;
    const blobId = await upload(fx);
    const hookPath = `/macro-${fx.account.id}`;
    const macro = (
      await fx.asAdmin('POST', '/macros', {
        name: 'Answer and archive',
        visibility: 'global',
        actions: [
          { action_name: 'send_message', action_params: ['Thanks for writing!'] },
          { action_name: 'add_private_note', action_params: ['Answered by macro'] },
          { action_name: 'send_attachment', action_params: [blobId] },
          { action_name: 'send_email_transcript', action_params: ['archive@example.com, {{contact.email}}'] },
          { action_name: 'send_webhook_event', action_params: [`${receiver.url}${hookPath}`] },
        ],
      })
    ).body.payload;
    expect(macro.files).toEqual([
      expect.objectContaining({ blob_id: blobId, macro_id: macro.id, file_type: 'image/png', filename: 'pixel.png' }),
    ]);

    const res = await fx.asAgent('POST', `/macros/${macro.id}/execute`, {
      conversation_ids: [conversation.id, secret.id, theirs.id, 'abc'],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('');

    const written = await eventually(
      () => messages(fx, conversation.id),
      (all) => all.filter((m) => m.message_type === 1).length >= 3,
    );
    const [reply, note, file] = written.filter((m) => m.message_type === 1);
    expect(reply).toMatchObject({ content: 'Thanks for writing!', private: false, sender: { id: fx.agent.id } });
    expect(reply!.content_attributes).toEqual({});
    expect(note).toMatchObject({ content: 'Answered by macro', private: true, sender: { id: fx.agent.id } });
    expect(file).toMatchObject({ private: false, sender: { id: fx.agent.id } });
    expect(file!.attachments).toHaveLength(1);
    // FRONTEND_URL is the public base of file URLs; the bytes are served by this server
    const served = new URL(new URL(file!.attachments![0]!.data_url).pathname, server.url);
    const bytes = Buffer.from(await (await fetch(served)).arrayBuffer());
    expect(bytes.equals(PNG)).toBe(true);

    const archive = await sink.mailTo('archive@example.com');
    expect(archive.subject).toBe(`[#${conversation.id}] Conversation Transcript`);
    expect(archive.text).toContain('Thanks for writing!');
    expect(archive.text).not.toContain('Answered by macro');
    expect((await sink.mailTo(contactEmail)).subject).toBe(`[#${conversation.id}] Conversation Transcript`);

    const [hook] = (await receiver.waitFor((all) => all.some((r) => r.path === hookPath))).filter(
      (r) => r.path === hookPath,
    );
    expect(hook!.body).toMatchObject({ event: 'macro.executed', id: conversation.id, inbox_id: inbox.id });
    expect(hook!.headers['x-chatwoot-delivery']).toBeTruthy();

    await jobsDone();
    // the conversation the agent cannot see, and the other account's, are untouched
    expect(await messages(fx, secret.id)).toEqual([]);
    expect(await messages(other, theirs.id)).toEqual([]);
    expect(receiver.received.filter((r) => r.path === hookPath)).toHaveLength(1);
  });

  it('runs only for whoever may: a global macro for all, a personal one for its author; nothing for strangers', async () => {
    const fx = await buildAccountFixture(server);
    const other = await buildAccountFixture(server);
    const conversation = await buildConversation(fx, (await buildInbox(fx)).id);
    const personal = (
      await fx.asAdmin('POST', '/macros', {
        name: 'Mine',
        visibility: 'personal',
        actions: [{ action_name: 'send_message', action_params: ['from personal'] }],
      })
    ).body.payload;
    expect(
      (await fx.asAgent('POST', `/macros/${personal.id}/execute`, { conversation_ids: [conversation.id] })).status,
    ).toBe(404);
    const stranger = await server.request('POST', `/api/v1/accounts/${fx.account.id}/macros/${personal.id}/execute`, {
      token: other.admin.access_token,
      body: { conversation_ids: [conversation.id] },
    });
    expect(stranger.status).toBe(401);
    const anonymous = await server.request('POST', `/api/v1/accounts/${fx.account.id}/macros/${personal.id}/execute`, {
      body: { conversation_ids: [conversation.id] },
    });
    expect(anonymous.status).toBe(401);
    await jobsDone();
    expect(await messages(fx, conversation.id)).toEqual([]);

    expect(
      (await fx.asAdmin('POST', `/macros/${personal.id}/execute`, { conversation_ids: [conversation.id] })).status,
    ).toBe(200);
    const [sent] = await eventually(
      () => messages(fx, conversation.id),
      (all) => all.length > 0,
    );
    expect(sent).toMatchObject({ content: 'from personal', sender: { id: fx.admin.id } });
  });
});

describe('message actions run by an automation rule', () => {
  it('write with no sender and the rule id, mail the team, and send automation_event.<event>', async () => {
    const fx = await buildAccountFixture(server);
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const team = (await fx.asAdmin('POST', '/teams', { name: `Ops ${fx.account.id}` })).body;
    expect((await fx.asAdmin('POST', `/teams/${team.id}/team_members`, { user_ids: [fx.agent.id] })).status).toBe(200);
    const hookPath = `/rule-${fx.account.id}`;
    const [account, row] = await Promise.all([
      server.db.selectFrom('accounts').selectAll().where('id', '=', fx.account.id).executeTakeFirstOrThrow(),
      server.db
        .selectFrom('conversations')
        .selectAll()
        .where('account_id', '=', fx.account.id)
        .where('display_id', '=', conversation.id)
        .executeTakeFirstOrThrow(),
    ]);
    const ctx: AccountCtx = {
      db: server.db,
      config: server.config,
      bus: server.bus,
      storage: createStorage({ directory: path.join(server.config.dataDir, 'storage') }),
      account,
      actor: { kind: 'automation', rule: { id: 77, name: 'Welcome', event_name: 'conversation_created' } },
      accountUser: undefined,
    };
    await transactionally(ctx, (tx, batch) =>
      performActions(
        { ctx, tx, batch },
        {
          conversation: row,
          actions: [
            { action_name: 'send_message', action_params: ['Welcome from the rule'] },
            {
              action_name: 'send_email_to_team',
              action_params: [{ team_ids: [team.id], message: 'Look at this one' }],
            },
            { action_name: 'send_webhook_event', action_params: [`${receiver.url}${hookPath}`] },
          ],
        },
      ),
    );
    const [welcome] = await messages(fx, conversation.id);
    expect(welcome).toMatchObject({
      content: 'Welcome from the rule',
      message_type: 1,
      content_attributes: { automation_rule_id: 77 },
    });
    expect(welcome!.sender).toBeUndefined();

    const mail = await sink.mailTo(fx.agent.email);
    expect(mail.subject).toBe('This email has been sent via automation rule actions.');
    expect(mail.text).toContain('This is the mail from Automation System');
    expect(mail.text).toContain('Look at this one');
    expect(mail.text).toContain(
      `https://desk.example.com/app/accounts/${fx.account.id}/conversations/${conversation.id}`,
    );

    const [hook] = (await receiver.waitFor((all) => all.some((r) => r.path === hookPath))).filter(
      (r) => r.path === hookPath,
    );
    expect(hook!.body).toMatchObject({ event: 'automation_event.conversation_created', id: conversation.id });
  });
});
