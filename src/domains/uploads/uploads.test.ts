// POST /upload (a file, or one fetched from external_url through the SSRF guard) and the
// dashboard's ActiveStorage direct uploads with their one-time PUT target.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildAgentBot, buildConversation, buildInbox } from '../../../test/factories.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A file server on loopback: reachable only when private addresses are allowed. */
let files: http.Server;
let filesUrl: string;
beforeAll(async () => {
  files = http.createServer((req, res) => {
    if (req.url === '/pics/logo.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())));

function uploadForm(server: () => { url: string }, accountId: number, token: string, form: FormData) {
  return fetch(new URL(`/api/v1/accounts/${accountId}/upload`, server().url), {
    method: 'POST',
    headers: { api_access_token: token },
    body: form,
  });
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('base64');

describe('uploads (private addresses refused)', () => {
  const server = useTestServer();

  it('stores a multipart attachment and serves the same bytes at file_url', async () => {
    const fx = await buildAccountFixture(server());
    const form = new FormData();
    const text = Buffer.from('quarterly numbers\n');
    form.append('attachment', new Blob([new Uint8Array(text)], { type: 'text/plain' }), 'notes.txt');
    const res = await uploadForm(server, fx.account.id, fx.agent.access_token, form);
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(Object.keys(body)).toEqual(['file_url', 'blob_key', 'blob_id']);
    expect(body.file_url).toBe(`${server().url}/attachments/${body.blob_key}/notes.txt`);
    expect(body.blob_id).toEqual(expect.any(Number));
    const file = await fetch(body.file_url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(text)).toBe(true);
    // not an image: downloaded, never rendered as a page of this origin
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);

    const image = new FormData();
    image.append('attachment', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'dot.png');
    const imageBody = (await (await uploadForm(server, fx.account.id, fx.agent.access_token, image)).json()) as any;
    const served = await fetch(imageBody.file_url);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-disposition')).toMatch(/^inline;/);
  });

  it('answers 422 without a file or URL, and for a private or non-http URL, storing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const count = async () =>
      Number(
        (
          await server()
            .db.selectFrom('blobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('account_id', '=', fx.account.id)
            .executeTakeFirst()
        )?.n,
      );
    const none = await fx.asAgent('POST', '/upload', {});
    expect(none.status, none.text).toBe(422);
    expect(none.body).toEqual({ error: 'No file or URL provided' });
    for (const url of [
      `${filesUrl}/pics/logo.png`,
      'http://localhost:9/x.png',
      'ftp://example.com/x.png',
      'not a url',
    ]) {
      const res = await fx.asAgent('POST', '/upload', { external_url: url });
      expect(res.status, `${url}: ${res.text}`).toBe(422);
      expect(res.body).toEqual({ error: 'Invalid URL provided' });
    }
    const tooLong = await fx.asAgent('POST', '/upload', { external_url: `https://example.com/${'a'.repeat(3000)}` });
    expect(tooLong.status).toBe(422);
    expect(await count()).toBe(0);
  });

  it('refuses callers from other accounts and bot tokens', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const form = () => {
      const f = new FormData();
      f.append('attachment', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'dot.png');
      return f;
    };
    const stranger = await uploadForm(server, fx.account.id, other.admin.access_token, form());
    expect(stranger.status).toBe(401);
    const bot = await buildAgentBot(server(), fx.platformToken, { account_id: fx.account.id });
    const asBot = await uploadForm(server, fx.account.id, bot.access_token, form());
    expect(asBot.status).toBe(401);
    const stored = await server().db.selectFrom('blobs').select('id').where('account_id', '=', fx.account.id).execute();
    expect(stored).toEqual([]);
  });

  it('creates a direct upload for a conversation and takes its bytes once, checked against type, size and MD5', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const data = Buffer.from('direct upload bytes');
    const created = await fx.asAgent('POST', `/conversations/${conversation.id}/direct_uploads`, {
      blob: { filename: 'report.txt', byte_size: data.length, checksum: md5(data), content_type: 'text/plain' },
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({
      filename: 'report.txt',
      content_type: 'text/plain',
      byte_size: data.length,
      checksum: md5(data),
      metadata: {},
      service_name: 'local',
      signed_id: created.body.key,
      direct_upload: { headers: { 'Content-Type': 'text/plain' } },
    });
    const target = created.body.direct_upload.url as string;
    expect(target).toMatch(/\/rails\/active_storage\/disk\/[\w-]{43}\/report\.txt$/);
    const fileUrl = `${server().url}/attachments/${created.body.key}/report.txt`;
    expect((await fetch(fileUrl)).status).toBe(404);

    const wrong = Buffer.from('direct upload BYTES');
    const bad = await fetch(target, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: new Uint8Array(wrong),
    });
    expect(bad.status).toBe(422);
    expect((await fetch(fileUrl)).status).toBe(404);
    const badType = await fetch(target, {
      method: 'PUT',
      headers: { 'content-type': 'text/html' },
      body: new Uint8Array(data),
    });
    expect(badType.status).toBe(422);

    const put = await fetch(target, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: new Uint8Array(data),
    });
    expect(put.status, await put.text()).toBe(204);
    const file = await fetch(fileUrl);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(data)).toBe(true);
    const again = await fetch(target, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: new Uint8Array(data),
    });
    expect(again.status).toBe(404);
  });

  it('never shows an avatar_url as given, and does not fetch one from a private address', async () => {
    const fx = await buildAccountFixture(server());
    const url = `${filesUrl}/pics/logo.png`;
    const created = await fx.asAgent('POST', '/contacts', { name: 'Inward', avatar_url: url });
    expect(created.status, created.text).toBe(200);
    expect(created.body.payload.contact.thumbnail).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const shown = await fx.asAgent('GET', `/contacts/${created.body.payload.contact.id}`);
    expect(shown.body.payload.thumbnail).toBe('');
    const row = await server()
      .db.selectFrom('contacts')
      .select('avatar_blob_id')
      .where('id', '=', created.body.payload.contact.id)
      .executeTakeFirstOrThrow();
    expect(row.avatar_blob_id).toBeNull();
  });

  it("refuses a direct upload for another account's conversation or an unknown one", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const blob = { filename: 'x.txt', byte_size: 1, checksum: md5(Buffer.from('x')), content_type: 'text/plain' };
    const foreign = await other.asAdmin('POST', `/conversations/${conversation.id}/direct_uploads`, { blob });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: 'Resource could not be found' });
    const unknown = await fx.asAdmin('POST', '/conversations/999999/direct_uploads', { blob });
    expect(unknown.status).toBe(404);
    const oversize = await fx.asAdmin('POST', `/conversations/${conversation.id}/direct_uploads`, {
      blob: { ...blob, byte_size: 41 * 1024 * 1024 },
    });
    expect(oversize.status).toBe(422);
  });
});

/** Polls until `read` gives a value `done` accepts (a job runs in the background). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('uploads from external_url (private addresses allowed, as in development)', () => {
  const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true' });

  it('fetches the file and serves the same bytes', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAgent('POST', '/upload', { external_url: `${filesUrl}/pics/logo.png` });
    expect(res.status, res.text).toBe(200);
    expect(res.body.file_url).toMatch(/\/attachments\/[\w-]{43}\/logo\.png$/);
    const file = await fetch(res.body.file_url);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);

    const missing = await fx.asAgent('POST', '/upload', { external_url: `${filesUrl}/pics/none.png` });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ error: 'Failed to fetch file from URL: 404 Not Found' });
  });

  it('fetches avatar_url in a job for contacts and agent bots, and attaches the image', async () => {
    const fx = await buildAccountFixture(server());
    const url = `${filesUrl}/pics/logo.png`;
    const created = await fx.asAgent('POST', '/contacts', { name: 'Fetched', avatar_url: url });
    expect(created.status, created.text).toBe(200);
    const id = created.body.payload.contact.id;
    const thumbnail = await eventually(
      async () => (await fx.asAgent('GET', `/contacts/${id}`)).body.payload.thumbnail as string,
      (value) => value !== '',
    );
    expect(thumbnail).toMatch(/\/attachments\/[\w-]{43}\/logo\.png$/);
    expect(Buffer.from(await (await fetch(thumbnail)).arrayBuffer()).equals(PNG)).toBe(true);

    const bot = (await fx.asAdmin('POST', '/agent_bots', { name: 'Fetched bot' })).body;
    const patched = await fx.asAdmin('PATCH', `/agent_bots/${bot.id}`, { avatar_url: url });
    expect(patched.status, patched.text).toBe(200);
    const botThumb = await eventually(
      async () => (await fx.asAdmin('GET', `/agent_bots/${bot.id}`)).body.thumbnail as string,
      (value) => value !== '',
    );
    expect(Buffer.from(await (await fetch(botThumb)).arrayBuffer()).equals(PNG)).toBe(true);
  });
});
