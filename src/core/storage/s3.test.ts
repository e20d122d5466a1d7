import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';
import { authorization, sha256Hex } from './sigv4.js';

const SECRET = 'fake-secret-key';

/** A bucket that keeps objects in memory and refuses requests whose SigV4 signature does not verify. */
function fakeS3() {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const auth = String(req.headers.authorization ?? '');
      const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
      const headers = Object.fromEntries(signed.map((h) => [h, String(req.headers[h] ?? '')]));
      const expected = authorization({
        method: req.method!,
        url: new URL(req.url!, `http://${req.headers.host}`),
        headers,
        payloadHash: sha256Hex(body),
        accessKeyId: 'AKID',
        secretAccessKey: SECRET,
        region: 'eu-central-1',
        amzDate: String(req.headers['x-amz-date']),
      });
      requests.push(`${req.method} ${req.url}`);
      if (auth !== expected || req.headers['x-amz-content-sha256'] !== sha256Hex(body)) {
        res.writeHead(403).end('SignatureDoesNotMatch');
        return;
      }
      const key = req.url!;
      if (req.method === 'PUT') objects.set(key, { body, type: String(req.headers['content-type']) });
      if (req.method === 'DELETE') objects.delete(key);
      if (req.method === 'GET') {
        const object = objects.get(key);
        if (!object) return void res.writeHead(404).end();
        return void res.writeHead(200, { 'content-type': object.type }).end(object.body);
      }
      res.writeHead(200).end();
    });
  });
  return { server, objects, requests };
}

describe('S3-compatible attachment storage', () => {
  const bucket = fakeS3();
  let app: TestServer;
  beforeAll(async () => {
    await new Promise<void>((resolve) => bucket.server.listen(0, '127.0.0.1', resolve));
    const port = (bucket.server.address() as AddressInfo).port;
    app = await startTestServer({
      CONFAB_S3_BUCKET: 'confab',
      CONFAB_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      CONFAB_S3_REGION: 'eu-central-1',
      CONFAB_S3_ACCESS_KEY_ID: 'AKID',
      CONFAB_S3_SECRET_ACCESS_KEY: SECRET,
      CONFAB_S3_PREFIX: 'attachments/',
    });
  });
  afterAll(async () => {
    await app?.close();
    bucket.server.close();
  });

  it('puts uploads in the bucket with signed requests, serves them back and deletes them with the message', async () => {
    const fx = await buildAccountFixture(app);
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const form = new FormData();
    form.append('content', 'file');
    form.append('attachments[]', new Blob([Buffer.from('hello bucket')], { type: 'text/plain' }), 'note.txt');
    const res = await fetch(new URL(`/api/v1/accounts/${fx.account.id}/conversations/${c.id}/messages`, app.url), {
      method: 'POST',
      headers: { api_access_token: fx.admin.access_token },
      body: form,
    });
    const message = (await res.json()) as any;
    expect(res.status, JSON.stringify(message)).toBe(200);
    expect(bucket.objects.size).toBe(1);
    const [key] = [...bucket.objects.keys()];
    expect(key).toMatch(/^\/confab\/attachments\/[A-Za-z0-9_-]{43}$/);
    const file = await fetch(message.attachments[0].data_url);
    expect(await file.text()).toBe('hello bucket');
    expect(file.headers.get('content-type')).toBe('text/plain');
    await fetch(new URL(`/api/v1/accounts/${fx.account.id}/conversations/${c.id}/messages/${message.id}`, app.url), {
      method: 'DELETE',
      headers: { api_access_token: fx.admin.access_token },
    });
    expect(bucket.objects.size).toBe(0);
    expect(bucket.requests.map((r) => r.split(' ')[0])).toEqual(['PUT', 'GET', 'DELETE']);
  });
});
