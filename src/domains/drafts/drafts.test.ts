import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from '../../../test/factories.js';

const server = useTestServer();

const draftRows = async (conversationDisplayId: number, accountId: number) =>
  server()
    .db.selectFrom('draft_messages')
    .innerJoin('conversations', 'conversations.id', 'draft_messages.conversation_id')
    .select(['draft_messages.user_id', 'draft_messages.message'])
    .where('conversations.display_id', '=', conversationDisplayId)
    .where('draft_messages.account_id', '=', accountId)
    .execute();

describe('conversation draft messages', () => {
  it('saves, shows and discards the caller’s draft with Chatwoot’s bodies', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const c = await buildConversation(fx, inbox.id);
    const path = `/conversations/${c.id}/draft_messages`;

    const none = await fx.asAgent('GET', path);
    expect(none.status, none.text).toBe(200);
    expect(none.body).toEqual({ has_draft: false });

    const save = await fx.asAgent('PATCH', path, { draft_message: { message: 'Half a reply…' } });
    expect(save.status, save.text).toBe(200);
    expect(save.text).toBe('');
    const shown = await fx.asAgent('GET', path);
    expect(shown.body).toEqual({ has_draft: true, message: 'Half a reply…' });

    // PUT routes to update too, and a later save replaces the draft
    const put = await fx.asAgent('PUT', path, { draft_message: { message: 'Whole reply' } });
    expect(put.status, put.text).toBe(200);
    expect((await fx.asAgent('GET', path)).body).toEqual({ has_draft: true, message: 'Whole reply' });

    const del = await fx.asAgent('DELETE', path);
    expect(del.status, del.text).toBe(200);
    expect(del.text).toBe('');
    expect((await fx.asAgent('GET', path)).body).toEqual({ has_draft: false });
    expect(await draftRows(c.id, fx.account.id)).toEqual([]);
    // discarding again is still 200
    expect((await fx.asAgent('DELETE', path)).status).toBe(200);
  });

  it("stores '' when no message is given, and takes a flat body as wrap_parameters does", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const path = `/conversations/${c.id}/draft_messages`;

    expect((await fx.asAdmin('PATCH', path, {})).status).toBe(200);
    expect((await fx.asAdmin('GET', path)).body).toEqual({ has_draft: true, message: '' });
    expect((await fx.asAdmin('PATCH', path, { draft_message: { message: null } })).status).toBe(200);
    expect((await fx.asAdmin('GET', path)).body).toEqual({ has_draft: true, message: '' });
    expect((await fx.asAdmin('PATCH', path, { message: 'flat' })).status).toBe(200);
    expect((await fx.asAdmin('GET', path)).body).toEqual({ has_draft: true, message: 'flat' });
  });

  it('keeps each user’s draft to that user', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    const c = await buildConversation(fx, inbox.id);
    const path = `/conversations/${c.id}/draft_messages`;

    await fx.asAdmin('PATCH', path, { draft_message: { message: 'admin draft' } });
    expect((await fx.asAgent('GET', path)).body).toEqual({ has_draft: false });
    await fx.asAgent('PATCH', path, { draft_message: { message: 'agent draft' } });
    expect((await fx.asAdmin('GET', path)).body).toEqual({ has_draft: true, message: 'admin draft' });
    expect((await fx.asAgent('GET', path)).body).toEqual({ has_draft: true, message: 'agent draft' });
    // the agent's discard leaves the administrator's draft alone
    await fx.asAgent('DELETE', path);
    expect((await fx.asAdmin('GET', path)).body).toEqual({ has_draft: true, message: 'admin draft' });

    // another conversation has drafts of its own
    const other = await buildConversation(fx, inbox.id);
    expect((await fx.asAdmin('GET', `/conversations/${other.id}/draft_messages`)).body).toEqual({ has_draft: false });
  });

  it('refuses bad input with 422 and writes nothing', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const path = `/conversations/${c.id}/draft_messages`;

    const long = await fx.asAdmin('PATCH', path, { draft_message: { message: 'x'.repeat(150_001) } });
    expect(long.status, long.text).toBe(422);
    expect(long.body).toEqual({
      message: 'Draft message is too long (maximum is 150000 characters)',
      attributes: ['draft_message'],
    });
    const shape = await fx.asAdmin('PATCH', path, { draft_message: 'not an object' });
    expect(shape.status, shape.text).toBe(422);
    expect(shape.body).toMatchObject({ attributes: ['draft_message'] });
    const object = await fx.asAdmin('PATCH', path, { draft_message: { message: { nested: true } } });
    expect(object.status, object.text).toBe(422);
    expect(await draftRows(c.id, fx.account.id)).toEqual([]);

    // exactly the bound is taken
    const bound = await fx.asAdmin('PATCH', path, { draft_message: { message: 'y'.repeat(150_000) } });
    expect(bound.status, bound.text).toBe(200);
    expect((await fx.asAdmin('GET', path)).body.message).toHaveLength(150_000);
  });

  it('answers 404 for an unknown conversation and 401 for one the agent cannot see, writing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const path = `/conversations/${c.id}/draft_messages`;

    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const body = method === 'GET' ? undefined : { draft_message: { message: 'x' } };
      const unknown = await fx.asAgent(method, '/conversations/999999/draft_messages', body);
      expect(unknown.status, `${method} ${unknown.text}`).toBe(404);
      expect(unknown.body).toEqual({ error: 'Resource could not be found' });
      const hidden = await fx.asAgent(method, path, body);
      expect(hidden.status, `${method} ${hidden.text}`).toBe(401);
      expect(hidden.body).toEqual({ error: 'You are not authorized to do this action' });
    }
    expect(await draftRows(c.id, fx.account.id)).toEqual([]);

    const anonymous = await server().request('GET', `/api/v1/accounts/${fx.account.id}${path}`);
    expect(anonymous.status).toBe(401);
  });

  it('refuses users of another account and never shows one account’s drafts in another', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const path = `/conversations/${c.id}/draft_messages`;
    await fx.asAdmin('PATCH', path, { draft_message: { message: 'secret' } });

    const stranger = await server().request('GET', `/api/v1/accounts/${fx.account.id}${path}`, {
      token: other.admin.access_token,
    });
    expect(stranger.status).toBe(401);
    expect(stranger.body).toEqual({ error: 'You are not authorized to access this account' });
    const write = await server().request('PATCH', `/api/v1/accounts/${fx.account.id}${path}`, {
      token: other.admin.access_token,
      body: { draft_message: { message: 'overwrite' } },
    });
    expect(write.status).toBe(401);
    expect((await fx.asAdmin('GET', path)).body).toEqual({ has_draft: true, message: 'secret' });

    // the same user in a second account: the same display id there is another conversation
    const otherInbox = await buildInbox(other);
    const twin = await buildConversation(other, otherInbox.id);
    expect(twin.id).toBe(c.id);
    const joined = await server().request('POST', `/platform/api/v1/accounts/${other.account.id}/account_users`, {
      token: other.platformToken,
      body: { user_id: fx.admin.id, role: 'administrator' },
    });
    expect(joined.status, joined.text).toBe(200);
    const there = await server().request('GET', `/api/v1/accounts/${other.account.id}${path}`, {
      token: fx.admin.access_token,
    });
    expect(there.status, there.text).toBe(200);
    expect(there.body).toEqual({ has_draft: false });
  });

  it('is refused to agent bots, as Chatwoot keeps drafts off its bot endpoints', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const c = await buildConversation(fx, inbox.id);
    const bot = await fx.asAdmin('POST', '/agent_bots', { name: 'Drafty', outgoing_url: 'https://bots.example.com/x' });
    expect(bot.status, bot.text).toBe(200);
    const res = await server().request(
      'GET',
      `/api/v1/accounts/${fx.account.id}/conversations/${c.id}/draft_messages`,
      {
        token: bot.body.access_token,
      },
    );
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Access to this endpoint is not authorized for bots' });
  });
});
