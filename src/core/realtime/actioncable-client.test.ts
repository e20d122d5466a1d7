// The official @rails/actioncable consumer (what Chatwoot's dashboard and widget use) against /cable.
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';

// the consumer is written for browsers: a WebSocket, and document/visibility hooks it only touches
// (taken away after the file: test files share a worker's globals, vitest.config.ts)
const browser = globalThis as Record<string, unknown>;
const stubbed = ['document', 'addEventListener', 'removeEventListener'].filter((name) => browser[name] === undefined);
browser.document ??= { visibilityState: 'visible' };
browser.addEventListener ??= () => undefined;
browser.removeEventListener ??= () => undefined;
const ActionCable = await import('@rails/actioncable');
ActionCable.adapters.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

const server = useTestServer();
const consumers: Array<{ disconnect(): void }> = [];
afterAll(() => {
  for (const c of consumers) c.disconnect();
  for (const name of stubbed) delete browser[name];
});

describe('@rails/actioncable consumer', () => {
  it('subscribes to RoomChannel, receives events and performs update_presence', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const profile = (await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token })).body;
    const consumer = ActionCable.createConsumer(`${server().url.replace('http', 'ws')}/cable`);
    consumers.push(consumer);
    const received: Array<{ event: string; data: any }> = [];
    let subscription: { perform(action: string): void } | undefined;
    const connected = new Promise<void>((resolve) => {
      subscription = consumer.subscriptions.create(
        { channel: 'RoomChannel', pubsub_token: profile.pubsub_token, account_id: fx.account.id, user_id: profile.id },
        { connected: () => resolve(), received: (message: { event: string; data: any }) => received.push(message) },
      );
    });
    await connected;
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'through the official client' });
    for (let i = 0; i < 50 && !received.some((m) => m.event === 'message.created'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(received.find((m) => m.event === 'message.created')?.data).toMatchObject({
      content: 'through the official client',
      conversation_id: c.id,
    });
    expect(received.some((m) => m.event === 'presence.update')).toBe(true);

    // a large broadcast goes as fragments of one WebSocket message: the consumer sees one message
    const long = `${'long words '.repeat(3000)}end`;
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: long });
    for (let i = 0; i < 50 && !received.some((m) => m.data?.content === long); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(received.filter((m) => m.event === 'message.created' && m.data.content === long)).toHaveLength(1);

    const before = received.filter((m) => m.event === 'presence.update').length;
    subscription!.perform('update_presence');
    for (let i = 0; i < 50 && received.filter((m) => m.event === 'presence.update').length === before; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(received.filter((m) => m.event === 'presence.update').at(-1)?.data).toMatchObject({
      users: { [profile.id]: 'online' },
    });
    expect(
      (await fx.asAdmin('GET', '/agents')).body.find((a: { id: number }) => a.id === profile.id).availability_status,
    ).toBe('online');
  });
});
