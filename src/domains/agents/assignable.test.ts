import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox, buildUser, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();

/** Another user of the account, made through the Platform API. */
async function member(fx: AccountFixture, role: 'agent' | 'administrator', name: string) {
  const user = await buildUser(server(), fx.platformToken, { name });
  const res = await server().request('POST', `/platform/api/v1/accounts/${fx.account.id}/account_users`, {
    token: fx.platformToken,
    body: { user_id: user.id, role },
  });
  expect(res.status, res.text).toBe(200);
  return user;
}

async function addMembers(fx: AccountFixture, inboxId: number, userIds: number[]) {
  const res = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inboxId, user_ids: userIds });
  expect(res.status, res.text).toBe(200);
}

function assignable(fx: AccountFixture, token: string, inboxIds: Array<number | string> | undefined) {
  const qs = inboxIds === undefined ? '' : `?${inboxIds.map((id) => `inbox_ids[]=${id}`).join('&')}`;
  return server().request('GET', `/api/v1/accounts/${fx.account.id}/assignable_agents${qs}`, { token });
}

describe('GET /assignable_agents', () => {
  it('lists the members of every given inbox, then the administrators, in the agent shape', async () => {
    const fx = await buildAccountFixture(server());
    const both = await member(fx, 'agent', 'Both Inboxes');
    const onlyOne = await member(fx, 'agent', 'Only One');
    const boss = await member(fx, 'administrator', 'Aaron Boss');
    const first = await buildInbox(fx);
    const second = await buildInbox(fx);
    await addMembers(fx, first.id, [fx.agent.id, both.id, onlyOne.id, boss.id]);
    await addMembers(fx, second.id, [fx.agent.id, both.id]);

    const res = await assignable(fx, fx.agent.access_token, [first.id, second.id]);
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(['payload']);
    const ids = res.body.payload.map((a: { id: number }) => a.id);
    // members of both inboxes first, then the administrators not among them; each once
    expect(ids.slice(0, 2).sort()).toEqual([fx.agent.id, both.id].sort());
    expect(ids.slice(2).sort()).toEqual([fx.admin.id, boss.id].sort());
    expect(ids).not.toContain(onlyOne.id);
    const agent = res.body.payload.find((a: { id: number }) => a.id === both.id);
    expect(agent).toEqual({
      id: both.id,
      account_id: fx.account.id,
      availability_status: 'offline',
      auto_offline: true,
      confirmed: true,
      email: both.email,
      provider: 'email',
      available_name: 'Both Inboxes',
      name: 'Both Inboxes',
      role: 'agent',
      thumbnail: expect.any(String),
    });
    expect(res.body.payload.find((a: { id: number }) => a.id === boss.id).role).toBe('administrator');

    // one inbox: everyone in it, the administrator member listed once
    const one = await assignable(fx, fx.agent.access_token, [first.id, first.id]);
    expect(one.status, one.text).toBe(200);
    const oneIds = one.body.payload.map((a: { id: number }) => a.id);
    expect(oneIds.slice(0, 4).sort()).toEqual([fx.agent.id, both.id, onlyOne.id, boss.id].sort());
    expect(oneIds.slice(4)).toEqual([fx.admin.id]);
  });

  it('lets an administrator ask about inboxes they are not a member of; refuses such an agent with 401', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const other = await buildInbox(fx);
    const insider = await member(fx, 'agent', 'Insider');
    await addMembers(fx, inbox.id, [insider.id]);
    await addMembers(fx, other.id, [insider.id, fx.agent.id]);

    const admin = await assignable(fx, fx.admin.access_token, [inbox.id, other.id]);
    expect(admin.status, admin.text).toBe(200);
    expect(admin.body.payload.map((a: { id: number }) => a.id)).toEqual([insider.id, fx.admin.id]);

    // the agent is a member of one of the two inboxes only
    const agent = await assignable(fx, fx.agent.access_token, [inbox.id, other.id]);
    expect(agent.status).toBe(401);
    expect(agent.body).toEqual({ error: 'You are not authorized to do this action' });
  });

  it('answers 404 without inbox ids, for an unknown or unreadable id, and for another account’s inbox', async () => {
    const fx = await buildAccountFixture(server());
    const stranger = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const theirs = await buildInbox(stranger);
    await addMembers(fx, inbox.id, [fx.agent.id]);
    for (const ids of [undefined, [999_999_999], ['abc'], [''], [inbox.id, theirs.id], [theirs.id]]) {
      const res = await assignable(fx, fx.admin.access_token, ids);
      expect(res.status, `${JSON.stringify(ids)} ${res.text}`).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
    }
    // an id past what an id can be finds nothing, as Rails' find answers it (never a server error)
    const huge = await assignable(fx, fx.admin.access_token, ['99999999999999999999999']);
    expect(huge.status, huge.text).toBe(404);
    const tooMany = await assignable(
      fx,
      fx.admin.access_token,
      Array.from({ length: 1001 }, () => inbox.id),
    );
    expect(tooMany.status, tooMany.text).toBe(422);
  });

  it('refuses users of other accounts, bots and anonymous callers', async () => {
    const fx = await buildAccountFixture(server());
    const stranger = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const other = await assignable(fx, stranger.admin.access_token, [inbox.id]);
    expect(other.status).toBe(401);
    expect(other.body).toEqual({ error: 'You are not authorized to access this account' });
    expect(JSON.stringify(other.body)).not.toContain(fx.admin.email);
    const bot = await fx.asAdmin('POST', '/agent_bots', { name: 'Lister', outgoing_url: 'https://bots.example.com/l' });
    const asBot = await assignable(fx, bot.body.access_token, [inbox.id]);
    expect(asBot.status).toBe(401);
    const anonymous = await server().request(
      'GET',
      `/api/v1/accounts/${fx.account.id}/assignable_agents?inbox_ids[]=${inbox.id}`,
    );
    expect(anonymous.status).toBe(401);
  });
});
