// An agent's reply notifies the conversation's assignee: its notification.created is rendered from
// what the reply's transaction read (the conversation's push view — the webhooks listener's when a
// webhook is subscribed, else read by the notifications listener — and the reply's own view), while
// notification.updated reads everything back from the database. Both must describe it alike.
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { openCable, subscribeRoom, type CableClient } from '../../../test/cable.js';
import { startReceiver } from '../../../test/webhook-receiver.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true' });
const receiver = await startReceiver();
const sockets: CableClient[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
  return receiver.close();
});

type Data = Record<string, any>;

/** What marking it read changes: read_at, the counts, and the performer the PATCH names. */
function comparable({ notification, unread_count: _u, count: _c, performer: _p, ...rest }: Data) {
  const { read_at: _r, ...kept } = notification;
  return { ...rest, notification: kept };
}

describe('notification.created for a reply to an assigned conversation', () => {
  for (const withWebhook of [true, false])
    it(`is the notification read back from the database (${withWebhook ? 'a webhook subscribed' : 'no webhook'})`, async () => {
      const fx = await buildAccountFixture(server());
      const inbox = await buildInbox(fx);
      const member = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
      expect(member.status, member.text).toBe(200);
      const conversation = await buildConversation(fx, inbox.id, { assignee_id: fx.agent.id });
      await fx.asAdmin('POST', `/conversations/${conversation.id}/labels`, { labels: ['billing'] });
      if (withWebhook) {
        const hook = await fx.asAdmin('POST', '/webhooks', {
          webhook: { url: `${receiver.url}/${fx.account.id}/hook`, subscriptions: ['message_created'] },
        });
        expect(hook.status, hook.text).toBe(200);
      }
      const profile = (await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token })).body;
      const cable = await openCable(server().url);
      sockets.push(cable);
      const identifier = await subscribeRoom(cable, {
        pubsub_token: profile.pubsub_token,
        account_id: fx.account.id,
        user_id: profile.id,
      });
      const next = (event: string) =>
        cable
          .next((f) => f.identifier === identifier && f.message?.event === event, 5000, event)
          .then((f) => f.message.data as Data);

      const reply = await fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
        content: 'Here is the answer',
        echo_id: 'echo-1',
      });
      expect(reply.status, reply.text).toBe(200);
      const created = await next('notification.created');
      expect(created.notification).toMatchObject({
        notification_type: 'assigned_conversation_new_message',
        secondary_actor: { id: reply.body.id },
        user: { id: fx.agent.id },
        primary_actor: { id: conversation.id, labels: ['billing'] },
      });
      expect(created.notification.secondary_actor).not.toHaveProperty('echo_id');

      const read = await fx.asAgent('PATCH', `/notifications/${created.notification.id}`);
      expect(read.status, read.text).toBe(200);
      const updated = await next('notification.updated');
      expect(comparable(created)).toEqual(comparable(updated));
    });
});
