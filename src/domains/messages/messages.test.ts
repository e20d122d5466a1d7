import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';

const server = useTestServer();

describe('messages', () => {
  it('keeps unread_count, waiting_since, first reply and reopening right as messages arrive', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    expect(c.waiting_since).toBeGreaterThan(0);
    expect(c.first_reply_created_at).toBe(0);

    const incoming = await fx.asAdmin('POST', `/conversations/${c.id}/messages`, {
      content: 'help',
      message_type: 'incoming',
    });
    expect(incoming.status, incoming.text).toBe(200);
    expect(Object.keys(incoming.body)).toEqual([
      'id',
      'content',
      'inbox_id',
      'conversation_id',
      'message_type',
      'content_type',
      'status',
      'content_attributes',
      'created_at',
      'private',
      'source_id',
      'sender',
    ]);
    expect(incoming.body).toMatchObject({ message_type: 0, sender: { type: 'contact', id: c.meta.sender.id } });
    let shown = (await fx.asAdmin('GET', `/conversations/${c.id}`)).body;
    expect(shown.unread_count).toBe(1);
    const waiting = shown.waiting_since;
    expect(waiting).toBeGreaterThan(0);

    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'note', private: true });
    shown = (await fx.asAdmin('GET', `/conversations/${c.id}`)).body;
    expect(shown.waiting_since).toBe(waiting);
    expect(shown.first_reply_created_at).toBe(0);

    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'on it' });
    shown = (await fx.asAdmin('GET', `/conversations/${c.id}`)).body;
    expect(shown.waiting_since).toBe(0);
    expect(shown.first_reply_created_at).toBeGreaterThan(0);
    expect(shown.messages[0].content).toBe('on it');

    expect((await fx.asAdmin('POST', `/conversations/${c.id}/update_last_seen`)).body.unread_count).toBe(0);
    expect((await fx.asAdmin('POST', `/conversations/${c.id}/unread`)).body.unread_count).toBe(1);

    await fx.asAdmin('POST', `/conversations/${c.id}/toggle_status`, { status: 'resolved' });
    await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'again', message_type: 'incoming' });
    shown = (await fx.asAdmin('GET', `/conversations/${c.id}`)).body;
    expect(shown.status).toBe('open');
    expect(shown.waiting_since).toBeGreaterThan(0);
    for (let i = 0; i < 12; i++)
      await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: `m${i}`, message_type: 'incoming' });
    // Chatwoot counts at most the last 10 unread incoming messages
    expect((await fx.asAdmin('GET', `/conversations/${c.id}`)).body.unread_count).toBe(10);
  });

  it('pages with before and after, ascending, with the index meta', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id, { message: { content: 'first' } });
    for (let i = 1; i <= 25; i++) await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: `m${i}` });
    await fx.asAdmin('POST', `/conversations/${c.id}/labels`, { labels: ['vip'] });
    const latest = await fx.asAdmin('GET', `/conversations/${c.id}/messages`);
    expect(latest.status, latest.text).toBe(200);
    expect(latest.body.payload).toHaveLength(20);
    expect(latest.body.payload.at(-1)).toMatchObject({
      message_type: 2,
      content: expect.stringMatching(/ added vip$/),
    });
    const ids = latest.body.payload.map((m: { id: number }) => m.id);
    expect([...ids].sort((a: number, b: number) => a - b)).toEqual(ids);
    expect(latest.body.meta).toMatchObject({
      labels: ['vip'],
      contact: { type: 'contact', id: c.meta.sender.id },
      agent_last_seen_at: null,
      assignee_last_seen_at: null,
    });
    expect(latest.body.meta.assignee).toBeUndefined();
    const before = await fx.asAdmin('GET', `/conversations/${c.id}/messages?before=${ids[0]}`);
    expect(before.body.payload.map((m: { content: string }) => m.content)).toEqual([
      'first',
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
    ]);
    const after = await fx.asAdmin('GET', `/conversations/${c.id}/messages?after=${ids.at(-3)}`);
    expect(after.body.payload.map((m: { id: number }) => m.id)).toEqual(ids.slice(-2));
    expect(latest.body.payload[0].echo_id).toBeUndefined();
  });

  it('returns the stored message for a retried echo_id or Idempotency-Key, and 100 posts land in order', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const first = await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'once', echo_id: 'tmp-1' });
    expect(first.body.echo_id).toBe('tmp-1');
    const again = await fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: 'once', echo_id: 'tmp-1' });
    expect(again.body.id).toBe(first.body.id);
    const url = `/api/v1/accounts/${fx.account.id}/conversations/${c.id}/messages`;
    const keyed = () =>
      server().request('POST', url, {
        token: fx.admin.access_token,
        body: { content: 'keyed' },
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      });
    const [k1, k2] = await Promise.all([keyed(), keyed()]);
    expect(k1.status).toBe(200);
    expect(k2.body.id).toBe(k1.body.id);
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fx.asAdmin('POST', `/conversations/${c.id}/messages`, { content: `b${i}`, echo_id: `b${i}` }),
      ),
    );
    expect(burst.every((r) => r.status === 200)).toBe(true);
    const stored = (
      await server()
        .db.selectFrom('messages')
        .select(['content'])
        .where('content', 'like', 'b%')
        .orderBy('id')
        .execute()
    ).map((m) => m.content);
    expect(stored).toHaveLength(100);
    expect(new Set(stored).size).toBe(100);
  });

  it("validates bad input with Chatwoot's errors", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const post = (body: unknown) => fx.asAdmin('POST', `/conversations/${c.id}/messages`, body);
    expect((await post({ content: 'x', message_type: 'sideways' })).body).toEqual({
      error: "'sideways' is not a valid message_type",
    });
    expect((await post({ content: 'x', content_type: 'hologram' })).body).toEqual({
      error: "'hologram' is not a valid content_type",
    });
    expect((await post({ content: 'pick', content_type: 'input_select', content_attributes: {} })).body).toEqual({
      error: 'Validation failed: Content attributes At least one item is required.',
    });
    expect(
      (
        await post({
          content: 'pick',
          content_type: 'input_select',
          content_attributes: { items: [{ title: 'a', value: 'a', x: 1 }] },
        })
      ).body,
    ).toEqual({ error: 'Validation failed: Content attributes contains invalid keys for items : [:x]' });
    expect((await post({ content: 'x'.repeat(150_001) })).body).toEqual({
      error: 'Validation failed: Content is too long (maximum is 150000 characters)',
    });
    const ok = await post({
      content: 'pick',
      content_type: 'input_select',
      content_attributes: { items: [{ title: 'A', value: 'a' }] },
    });
    expect(ok.body).toMatchObject({
      content_type: 'input_select',
      content_attributes: { items: [{ title: 'A', value: 'a' }] },
    });
    const patched = await fx.asAdmin('PATCH', `/conversations/${c.id}/messages/${ok.body.id}`, {
      submitted_values: [{ title: 'A', value: 'a' }],
    });
    expect(patched.body.content_attributes.submitted_values).toEqual([{ title: 'A', value: 'a' }]);
    const failed = await fx.asAdmin('PATCH', `/conversations/${c.id}/messages/${ok.body.id}`, {
      status: 'failed',
      external_error: 'bounced',
    });
    expect(failed.body).toMatchObject({ status: 'failed', content_attributes: { external_error: 'bounced' } });
    expect((await fx.asAdmin('PATCH', `/conversations/${c.id}/messages/999999`, { status: 'read' })).status).toBe(404);
    expect((await fx.asAdmin('GET', '/conversations/999/messages')).status).toBe(404);
    // nothing half-written: the refused posts left no rows
    expect((await fx.asAdmin('GET', `/conversations/${c.id}/messages`)).body.payload).toHaveLength(1);
  });

  it('stores multipart attachments, serves them by data_url, and soft-deletes', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const form = new FormData();
    form.append('content', 'see attached');
    form.append('private', 'false');
    form.append('attachments[]', new Blob([Buffer.from('PNGDATA')], { type: 'image/png' }), 'shot.png');
    form.append('attachments[]', new Blob([Buffer.from('%PDF')], { type: 'application/pdf' }), 'doc.pdf');
    const url = new URL(`/api/v1/accounts/${fx.account.id}/conversations/${c.id}/messages`, server().url);
    const res = await fetch(url, { method: 'POST', headers: { api_access_token: fx.admin.access_token }, body: form });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.attachments.map((a: { file_type: string }) => a.file_type)).toEqual(['image', 'file']);
    expect(body.attachments[0]).toMatchObject({
      message_id: body.id,
      account_id: fx.account.id,
      extension: 'png',
      file_size: 7,
      width: null,
      height: null,
    });
    const file = await fetch(body.attachments[0].data_url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(await file.text()).toBe('PNGDATA');
    expect(body.attachments[1].thumb_url).toBe('');

    const listed = await fx.asAdmin('GET', `/conversations/${c.id}/attachments`);
    expect(listed.body.meta).toEqual({ total_count: 2 });
    expect(listed.body.payload[0]).toMatchObject({ message_id: body.id, sender: { type: 'user' } });

    const deleted = await fx.asAdmin('DELETE', `/conversations/${c.id}/messages/${body.id}`);
    expect(deleted.body).toMatchObject({ content: 'This message was deleted', content_attributes: { deleted: true } });
    expect(deleted.body.attachments).toBeUndefined();
    expect((await fetch(body.attachments[0].data_url)).status).toBe(404);
  });

  it('lets an agent bot reply and hand a pending conversation over, and nothing else', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const bot = (
      await fx.asAdmin('POST', '/agent_bots', { name: 'Helper', outgoing_url: 'https://bot.example.com/hook' })
    ).body;
    await fx.asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.id });
    const c = await buildConversation(fx, inbox.id);
    expect(c.status).toBe('pending');
    const token = (await fx.asAdmin('GET', `/agent_bots/${bot.id}`)).body.access_token as string;
    const asBot = (method: string, path: string, body?: unknown) =>
      server().request(method, `/api/v1/accounts/${fx.account.id}${path}`, { token, body });
    const reply = await asBot('POST', `/conversations/${c.id}/messages`, { content: 'I am a bot' });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.sender).toEqual({ id: bot.id, name: 'Helper', avatar_url: '', type: 'agent_bot' });
    expect((await asBot('GET', `/conversations/${c.id}/messages`)).status).toBe(401);
    const handoff = await asBot('POST', `/conversations/${c.id}/toggle_status`, { status: 'open' });
    expect(handoff.body.payload).toMatchObject({ success: null, current_status: 'open' });
    const shown = (await fx.asAdmin('GET', `/conversations/${c.id}`)).body;
    expect(shown.status).toBe('open');
    expect(shown.first_reply_created_at).toBe(0);
  });
});
