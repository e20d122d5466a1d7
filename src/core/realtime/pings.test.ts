import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestServer } from '../../../test/harness.js';
import { publicChat } from '../../../test/public-api.js';

const server = useTestServer();
const sockets: WebSocket[] = [];
afterAll(() => {
  for (const socket of sockets) socket.terminate();
});

/** A raw socket that notes when each ping arrives and counts the broadcasts it gets. */
async function pingRecorder(identifier?: Record<string, unknown>) {
  const socket = new WebSocket(`${server().url.replace('http', 'ws')}/cable`, ['actioncable-v1-json']);
  sockets.push(socket);
  const record = { pings: [] as number[], broadcasts: 0 };
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString());
    if (frame.type === 'ping') record.pings.push(performance.now());
    else if (frame.message?.event) record.broadcasts++;
  });
  await new Promise((resolve) => socket.once('open', resolve));
  if (identifier) socket.send(JSON.stringify({ command: 'subscribe', identifier: JSON.stringify(identifier) }));
  return record;
}

const gaps = (times: number[]) => times.slice(1).map((time, index) => (time - times[index]!) / 1000);

describe('ActionCable pings', () => {
  it('come every 3 s to an idle socket, and 2 to 3 s apart, written with its broadcasts, to a busy one', async () => {
    const { fx, person } = await publicChat(server());
    const { contact, conversation } = await person();
    const idle = await pingRecorder();
    const busy = await pingRecorder({ channel: 'RoomChannel', pubsub_token: contact.pubsub_token });
    // the agent types on and off every 300 ms: a broadcast to the contact each time
    const until = performance.now() + 8_000;
    for (let on = true; performance.now() < until; on = !on) {
      await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_typing_status`, {
        typing_status: on ? 'on' : 'off',
      });
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(busy.broadcasts).toBeGreaterThan(15);
    // ActionCable clients reconnect after 6 s without a ping; Chatwoot pings every 3 s
    for (const gap of gaps(idle.pings)) {
      expect(gap).toBeGreaterThan(2.5);
      expect(gap).toBeLessThan(3.6);
    }
    const busyGaps = gaps(busy.pings);
    expect(busyGaps.length).toBeGreaterThanOrEqual(2);
    for (const gap of busyGaps) {
      expect(gap).toBeGreaterThan(1.7);
      expect(gap).toBeLessThan(3.6);
    }
    // a ping due within a second went out with a broadcast instead of waiting for its own write
    expect(Math.min(...busyGaps)).toBeLessThan(2.6);
  }, 20_000);
});
