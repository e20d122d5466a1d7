// Multipart avatars on every Chatwoot route that takes one, the DELETE …/avatar routes, and the
// bytes served back from the attachment store; bad files are 422 with nothing written.
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildAgentBot, buildInbox, buildPlatformApp } from '../../../test/factories.js';

const server = useTestServer();

/** A real 1×1 PNG and a real GIF: the bytes decide the type. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

interface Part {
  name: string;
  value: string | { data: Buffer; type: string; filename: string };
}

async function send(method: string, path: string, token: string, parts: Part[]) {
  const form = new FormData();
  for (const part of parts) {
    if (typeof part.value === 'string') form.append(part.name, part.value);
    else
      form.append(
        part.name,
        new Blob([new Uint8Array(part.value.data)], { type: part.value.type }),
        part.value.filename,
      );
  }
  const res = await fetch(new URL(path, server().url), { method, headers: { api_access_token: token }, body: form });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, text };
}

const png = (name = 'avatar') => ({ name, value: { data: PNG, type: 'image/png', filename: 'me.png' } });

async function served(url: string) {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

async function blobCount() {
  const row = await server()
    .db.selectFrom('blobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n);
}

describe('profile avatar', () => {
  it('sets the avatar from profile[avatar], serves its bytes, shows it as agent thumbnail, and deletes it', async () => {
    const fx = await buildAccountFixture(server());
    const res = await send('PUT', '/api/v1/profile', fx.agent.access_token, [
      { name: 'profile[name]', value: 'Pictured Agent' },
      png('profile[avatar]'),
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.name).toBe('Pictured Agent');
    const url = res.body.avatar_url as string;
    expect(url).toMatch(/^http:\/\/.+\/attachments\/[\w-]{43}\/me\.png$/);
    const file = await served(url);
    expect(file.status).toBe(200);
    expect(file.type).toBe('image/png');
    expect(file.bytes.equals(PNG)).toBe(true);

    const profile = await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token });
    expect(profile.body.avatar_url).toBe(url);
    const agents = await fx.asAdmin('GET', '/agents');
    expect(agents.body.find((a: { id: number }) => a.id === fx.agent.id)).toMatchObject({ thumbnail: url });

    // a second avatar replaces the first, whose bytes are gone
    const again = await send('PUT', '/api/v1/profile', fx.agent.access_token, [
      { name: 'profile[avatar]', value: { data: GIF, type: 'image/gif', filename: 'me.gif' } },
    ]);
    expect(again.status, again.text).toBe(200);
    expect((await served(again.body.avatar_url)).type).toBe('image/gif');
    expect((await served(url)).status).toBe(404);

    const removed = await server().request('DELETE', '/api/v1/profile/avatar', { token: fx.agent.access_token });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.avatar_url).toBe('');
    expect((await served(again.body.avatar_url)).status).toBe(404);
    const after = await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token });
    expect(after.body.avatar_url).toBe('');
  });

  it.each([
    [
      'text declared as png',
      { data: Buffer.from('hello, not an image'), type: 'image/png', filename: 'x.png' },
      'Avatar filetype not supported',
    ],
    ['a gif declared as png', { data: GIF, type: 'image/png', filename: 'x.png' }, 'Avatar filetype not supported'],
    [
      'an svg',
      {
        data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        type: 'image/svg+xml',
        filename: 'x.svg',
      },
      'Avatar filetype not supported',
    ],
    [
      'a pdf',
      { data: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), type: 'application/pdf', filename: 'x.pdf' },
      'Avatar filetype not supported',
    ],
    [
      'a png over 15 MB',
      { data: Buffer.concat([PNG, Buffer.alloc(15 * 1024 * 1024)]), type: 'image/png', filename: 'big.png' },
      'Avatar is too big',
    ],
  ])('refuses %s with 422 and writes nothing', async (_label, file, message) => {
    const fx = await buildAccountFixture(server());
    const before = await blobCount();
    const res = await send('PUT', '/api/v1/profile', fx.agent.access_token, [
      { name: 'profile[name]', value: 'Should Not Stick' },
      { name: 'profile[avatar]', value: file },
    ]);
    expect(res.status, res.text).toBe(422);
    expect(res.body).toEqual({ message, attributes: ['avatar'] });
    expect(await blobCount()).toBe(before);
    const profile = await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token });
    expect(profile.body.name).not.toBe('Should Not Stick');
    expect(profile.body.avatar_url).toBe('');
  });
});

describe('contact avatar', () => {
  it('creates and updates a contact with an avatar, and deletes it', async () => {
    const fx = await buildAccountFixture(server());
    const base = `/api/v1/accounts/${fx.account.id}/contacts`;
    const created = await send('POST', base, fx.agent.access_token, [
      { name: 'name', value: 'Ada' },
      { name: 'custom_attributes', value: '{"plan":"pro"}' },
      png(),
    ]);
    expect(created.status, created.text).toBe(200);
    const contact = created.body.payload.contact;
    expect(contact).toMatchObject({ name: 'Ada', custom_attributes: { plan: 'pro' } });
    expect(contact.thumbnail).toMatch(/\/attachments\/[\w-]{43}\/me\.png$/);
    expect((await served(contact.thumbnail)).bytes.equals(PNG)).toBe(true);

    const updated = await send('PUT', `${base}/${contact.id}`, fx.agent.access_token, [
      { name: 'avatar', value: { data: GIF, type: 'image/gif', filename: 'ada.gif' } },
    ]);
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.payload.thumbnail).toMatch(/ada\.gif$/);
    expect((await served(updated.body.payload.thumbnail)).bytes.equals(GIF)).toBe(true);
    expect((await served(contact.thumbnail)).status).toBe(404);
    const shown = await fx.asAgent('GET', `/contacts/${contact.id}`);
    expect(shown.body.payload.thumbnail).toBe(updated.body.payload.thumbnail);

    const removed = await fx.asAgent('DELETE', `/contacts/${contact.id}/avatar`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.payload).toMatchObject({ id: contact.id, thumbnail: '' });
    expect((await served(updated.body.payload.thumbnail)).status).toBe(404);
  });

  it('refuses a lying avatar on create: 422 and no contact', async () => {
    const fx = await buildAccountFixture(server());
    const res = await send('POST', `/api/v1/accounts/${fx.account.id}/contacts`, fx.agent.access_token, [
      { name: 'name', value: 'Liar' },
      { name: 'avatar', value: { data: Buffer.from('<html>hi</html>'), type: 'image/jpeg', filename: 'x.jpg' } },
    ]);
    expect(res.status, res.text).toBe(422);
    expect(res.body).toEqual({ message: 'Avatar filetype not supported', attributes: ['avatar'] });
    const search = await fx.asAgent('GET', '/contacts/search?q=Liar');
    expect(search.body.payload).toEqual([]);
  });

  it("refuses another account's contact: 404, avatar untouched", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const created = await send('POST', `/api/v1/accounts/${fx.account.id}/contacts`, fx.agent.access_token, [
      { name: 'name', value: 'Mine' },
      png(),
    ]);
    const contact = created.body.payload.contact;
    const before = await blobCount();
    // the other account's admin, through their own account path and through ours
    const viaOwn = await send(
      'PUT',
      `/api/v1/accounts/${other.account.id}/contacts/${contact.id}`,
      other.admin.access_token,
      [png()],
    );
    expect(viaOwn.status, viaOwn.text).toBe(404);
    expect(viaOwn.body).toEqual({ error: 'Resource could not be found' });
    const viaOurs = await send(
      'PUT',
      `/api/v1/accounts/${fx.account.id}/contacts/${contact.id}`,
      other.admin.access_token,
      [png()],
    );
    expect(viaOurs.status).toBe(401);
    const del = await other.asAdmin('DELETE', `/contacts/${contact.id}/avatar`);
    expect(del.status).toBe(404);
    expect(await blobCount()).toBe(before);
    const shown = await fx.asAgent('GET', `/contacts/${contact.id}`);
    expect(shown.body.payload.thumbnail).toBe(contact.thumbnail);
    expect((await served(contact.thumbnail)).status).toBe(200);
  });
});

describe('agent bot avatar (Application API)', () => {
  it('sets it on create and update for administrators; agents may not delete it; other accounts get 404', async () => {
    const fx = await buildAccountFixture(server());
    const created = await send('POST', `/api/v1/accounts/${fx.account.id}/agent_bots`, fx.admin.access_token, [
      { name: 'name', value: 'Pictured bot' },
      { name: 'bot_config', value: '{"a":1}' },
      png(),
    ]);
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ name: 'Pictured bot', bot_config: { a: 1 } });
    expect((await served(created.body.thumbnail)).bytes.equals(PNG)).toBe(true);

    const byAgent = await send(
      'PATCH',
      `/api/v1/accounts/${fx.account.id}/agent_bots/${created.body.id}`,
      fx.agent.access_token,
      [png()],
    );
    expect(byAgent.status).toBe(401);
    expect((await fx.asAgent('DELETE', `/agent_bots/${created.body.id}/avatar`)).status).toBe(401);
    const other = await buildAccountFixture(server());
    expect((await other.asAdmin('DELETE', `/agent_bots/${created.body.id}/avatar`)).status).toBe(404);
    expect((await served(created.body.thumbnail)).status).toBe(200);

    const removed = await fx.asAdmin('DELETE', `/agent_bots/${created.body.id}/avatar`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).toMatchObject({ id: created.body.id, thumbnail: '' });
    expect((await served(created.body.thumbnail)).status).toBe(404);
  });
});

describe('inbox avatar', () => {
  it('creates an inbox with an avatar, updates and deletes it (administrators only)', async () => {
    const fx = await buildAccountFixture(server());
    const created = await send('POST', `/api/v1/accounts/${fx.account.id}/inboxes`, fx.admin.access_token, [
      { name: 'name', value: 'Pictured inbox' },
      { name: 'channel', value: '{"type":"api"}' },
      png(),
    ]);
    expect(created.status, created.text).toBe(200);
    expect(created.body.name).toBe('Pictured inbox');
    expect((await served(created.body.avatar_url)).bytes.equals(PNG)).toBe(true);

    const inbox = await buildInbox(fx);
    const patched = await send(
      'PATCH',
      `/api/v1/accounts/${fx.account.id}/inboxes/${inbox.id}`,
      fx.admin.access_token,
      [{ name: 'avatar', value: { data: GIF, type: 'image/gif', filename: 'i.gif' } }],
    );
    expect(patched.status, patched.text).toBe(200);
    expect((await served(patched.body.avatar_url)).type).toBe('image/gif');

    expect((await fx.asAgent('DELETE', `/inboxes/${inbox.id}/avatar`)).status).toBe(401);
    const other = await buildAccountFixture(server());
    expect((await other.asAdmin('DELETE', `/inboxes/${inbox.id}/avatar`)).status).toBe(404);
    const removed = await fx.asAdmin('DELETE', `/inboxes/${inbox.id}/avatar`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.text).toBe('');
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body.avatar_url).toBe('');
    expect((await served(patched.body.avatar_url)).status).toBe(404);
  });
});

describe('agent bot avatar (Platform API)', () => {
  it("sets an avatar on the app's own bot; another app may neither set nor delete it", async () => {
    const fx = await buildAccountFixture(server());
    const bot = await buildAgentBot(server(), fx.platformToken, { account_id: fx.account.id });
    const patched = await send('PATCH', `/platform/api/v1/agent_bots/${bot.id}`, fx.platformToken, [
      { name: 'description', value: 'with a face' },
      png(),
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.description).toBe('with a face');
    const shown = await fx.asAdmin('GET', `/agent_bots/${bot.id}`);
    expect((await served(shown.body.thumbnail)).bytes.equals(PNG)).toBe(true);

    const stranger = await buildPlatformApp(server().db);
    const before = await blobCount();
    const denied = await send('PATCH', `/platform/api/v1/agent_bots/${bot.id}`, stranger.token, [png()]);
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ error: 'Non permissible resource' });
    const deniedDelete = await server().request('DELETE', `/platform/api/v1/agent_bots/${bot.id}/avatar`, {
      token: stranger.token,
    });
    expect(deniedDelete.status).toBe(401);
    expect(await blobCount()).toBe(before);
    expect((await served(shown.body.thumbnail)).status).toBe(200);

    const created = await send('POST', '/platform/api/v1/agent_bots', fx.platformToken, [
      { name: 'name', value: 'Born pictured' },
      png(),
    ]);
    expect(created.status, created.text).toBe(200);
    const row = await server()
      .db.selectFrom('agent_bots')
      .select(['avatar_url', 'avatar_blob_id'])
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.avatar_blob_id).not.toBeNull();
    expect((await served(row.avatar_url!)).bytes.equals(PNG)).toBe(true);

    const removed = await server().request('DELETE', `/platform/api/v1/agent_bots/${bot.id}/avatar`, {
      token: fx.platformToken,
    });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).toMatchObject({ id: bot.id });
    expect((await fx.asAdmin('GET', `/agent_bots/${bot.id}`)).body.thumbnail).toBe('');
    expect((await served(shown.body.thumbnail)).status).toBe(404);
  });
});
