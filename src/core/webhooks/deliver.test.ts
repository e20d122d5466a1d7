import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOnce } from './deliver.js';

const config = { webhookAllowPrivate: true, webhookTimeoutMs: 5000, webhookMaxAttempts: 3, webhookBackoffMs: 1000 };

/**
 * A receiver that answers each connection's first request and, as one that closed the connection
 * while it sat idle in the sender's pool, drops the connection at any later request on it.
 */
let server: net.Server;
let url: string;
let answered = 0;
let dropped = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = net.createServer((socket) => {
    let requests = 0;
    sockets.add(socket);
    socket.on('data', (chunk) => {
      if (!chunk.includes('\r\n\r\n')) return; // the whole request (headers and a short body) comes at once here
      if (++requests > 1) {
        dropped++;
        socket.destroy();
        return;
      }
      answered++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('postOnce', () => {
  it('tries again on a new connection when the kept-alive one was closed, even when the pool holds more such', async () => {
    // two connections left idle in the pool
    const warm = await Promise.all([postOnce(url, '{}', {}, config), postOnce(url, '{}', {}, config)]);
    expect(warm.map((r) => r.code)).toEqual([200, 200]);
    expect(answered).toBe(2);

    const result = await postOnce(url, '{"event":"message_created"}', {}, config);
    expect(result).toMatchObject({ ok: true, code: 200, error: null });
    // one kept-alive connection found closed, then a new one: the other idle one was not tried
    expect(dropped).toBe(1);
    expect(answered).toBe(3);
  });
});
