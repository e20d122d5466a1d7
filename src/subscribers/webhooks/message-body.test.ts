// message_created for an agent's message reuses what the request loaded (its row, sender and
// attachments, and the message as the conversation's last chat message); message_updated for the
// same message reads everything from the database. Both must describe the message alike.
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { WEBHOOK_RENDER } from '../../tasks/webhook-render.js';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { startReceiver } from '../../../test/webhook-receiver.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
afterAll(() => receiver.close());

type Body = Record<string, any>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A body without what a PATCH of the message moves: its event name and the last message's updated_at. */
function comparable(body: Body) {
  const { event: _event, ...rest } = body;
  const conversation = {
    ...rest.conversation,
    messages: rest.conversation.messages.map(({ updated_at: _u, ...m }: Body) => m),
  };
  return { ...rest, conversation };
}

describe('message_created for an agent message', () => {
  it('is the body message_updated builds from the database, for a reply and for a private note', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    expect((await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] })).status).toBe(
      200,
    );
    const conversation = await buildConversation(fx, inbox.id, { assignee_id: fx.agent.id });
    await fx.asAdmin('POST', `/conversations/${conversation.id}/labels`, { labels: ['billing'] });
    const path = `/${fx.account.id}/hook`;
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: `${receiver.url}${path}`, subscriptions: ['message_created', 'message_updated'] },
    });
    expect(hook.status, hook.text).toBe(200);
    // each message is updated before the next is posted: the next one moves the conversation's
    // last_activity_at, which both bodies carry (a second boundary between them failed this once)
    const postAndUpdate = async (body: Record<string, unknown>) => {
      const res = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, body);
      expect(res.status, res.text).toBe(200);
      const message = res.body as { id: number };
      const updated = await fx.asAdmin('PATCH', `/conversations/${conversation.id}/messages/${message.id}`, {
        status: 'sent',
      });
      expect(updated.status, updated.text).toBe(200);
      return message;
    };
    const reply = await postAndUpdate({ content: 'Here is the answer', echo_id: 'echo-1' });
    const note = await postAndUpdate({ content: 'Checked with billing', private: true });
    const got = () => receiver.received.filter((r) => r.path === path).map((r) => r.body as Body);
    await receiver.waitFor(() => got().length >= 4);
    const bodies = got();
    for (const message of [reply, note]) {
      const of = (event: string) => bodies.find((b) => b.event === event && b.id === message.id)!;
      const [created, updated] = [of('message_created'), of('message_updated')];
      expect(created, JSON.stringify(bodies)).toBeDefined();
      expect(comparable(created), `message ${message.id}`).toEqual(comparable(updated));
      // the conversation's last chat message is the reply (never the note), without the request's echo_id
      expect(created.conversation.messages.map((m: Body) => m.id)).toEqual([reply.id]);
      expect(created.conversation.messages[0]).not.toHaveProperty('echo_id');
      expect(created.conversation.labels).toEqual(['billing']);
      expect(created.conversation.meta.assignee.id).toBe(fx.agent.id);
      expect(created.sender).toMatchObject({ id: fx.admin.id, type: 'user' });
    }
  });
});

describe('a message_created delivery queued without its body (migration 0158)', () => {
  it('is rendered from the database by the webhook_render job when its node never set the body', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const path = `/${fx.account.id}/stranded`;
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: `${receiver.url}${path}`, subscriptions: ['message_created'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const res = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
      content: 'Stored, then lost',
    });
    expect(res.status, res.text).toBe(200);
    const got = () => receiver.received.filter((r) => r.path === path).map((r) => r.body as Body);
    await receiver.waitFor(() => got().length >= 1);
    // what a node that died between its commit and the body leaves: the same delivery, no body,
    // queued a while ago (the drainers skip it until then)
    const db = server().db;
    const {
      rows: [stranded],
    } = await sql<{ id: string }>`select (message_created_webhooks(${fx.account.id}::bigint, ${inbox.id}::bigint,
        ${res.body.id}::bigint))[1]::text as id`.execute(db);
    await sql`update webhook_deliveries set created_at = now() - interval '1 minute' where id = ${stranded!.id}::uuid`.execute(
      db,
    );
    await sleep(300);
    expect(got()).toHaveLength(1);
    await sql`select graphile_worker.add_job(${WEBHOOK_RENDER}, '{}'::json)`.execute(db);
    await receiver.waitFor(() => got().length >= 2);
    const [live, rendered] = got();
    // the same body: the one the request rendered after commit, the other read from the database
    expect(rendered).toEqual(live);
    const row = await db
      .selectFrom('webhook_deliveries')
      .select(['status', 'payload'])
      .where('id', '=', stranded!.id)
      .executeTakeFirstOrThrow();
    expect(row.payload).toEqual(live);
  });
});
