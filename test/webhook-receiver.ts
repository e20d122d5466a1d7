import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  path: string;
  raw: string;
  body: any;
  at: number;
  /** The client's port: one per connection, so kept-alive connections show as repeats. */
  port: number;
}

/**
 * A local webhook receiver on 127.0.0.1: records every POST; `respond` picks the status of each
 * (200 by default), or 'hang' to never answer; `delayMs` makes every answer that much slower.
 */
export async function startReceiver(options: { delayMs?: number } = {}) {
  const received: Received[] = [];
  let respond: (r: Received, n: number) => number | 'hang' = () => 200;
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const entry: Received = {
        headers: req.headers,
        path: req.url ?? '/',
        raw,
        body: raw ? JSON.parse(raw) : null,
        at: Date.now(),
        port: req.socket.remotePort ?? 0,
      };
      received.push(entry);
      const status = respond(entry, received.length);
      if (status === 'hang') hanging.push(res);
      else if (options.delayMs)
        setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end('{}'), options.delayMs);
      else res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    respondWith(fn: typeof respond) {
      respond = fn;
    },
    /** Answers 200 to every delivery held by 'hang' so far. */
    release() {
      for (const res of hanging.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    },
    /** Waits until `predicate` holds for the recorded deliveries. */
    async waitFor(predicate: (all: Received[]) => boolean, timeoutMs = 8000): Promise<Received[]> {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until)
          throw new Error(`receiver: condition not met; got ${JSON.stringify(received.map((r) => r.body?.event))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** How a receiver written for Chatwoot verifies a delivery: sha256=HMAC(secret, "<timestamp>.<raw body>"). */
export function chatwootSignatureValid(r: Received, secret: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(`${r.headers['x-chatwoot-timestamp']}.${r.raw}`).digest('hex')}`;
  return r.headers['x-chatwoot-signature'] === expected;
}

/** Standard Webhooks verification with the secret's bytes as the key. */
export function standardSignatureValid(r: Received, secret: string): boolean {
  const signed = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.raw}`;
  return (
    r.headers['webhook-signature'] === `v1,${createHmac('sha256', Buffer.from(secret)).update(signed).digest('base64')}`
  );
}
