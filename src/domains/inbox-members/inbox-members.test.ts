import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../../test/factories.js';

const server = useTestServer();
const ids = (body: { payload: Array<{ id: number }> }) => body.payload.map((a) => a.id).sort((a, b) => a - b);

describe('inbox members', () => {
  it('adds (POST), replaces (PATCH), lists and removes (DELETE) members', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const add = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    expect(add.status, add.text).toBe(200);
    expect(ids(add.body)).toEqual([fx.agent.id]);
    expect(Object.keys(add.body.payload[0])).toContain('availability_status');
    const more = await fx.asAdmin('POST', '/inbox_members', {
      inbox_id: String(inbox.id),
      user_ids: [String(fx.admin.id)],
    });
    expect(ids(more.body)).toEqual([fx.admin.id, fx.agent.id].sort((a, b) => a - b));
    const replace = await fx.asAdmin('PATCH', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.admin.id] });
    expect(ids(replace.body)).toEqual([fx.admin.id]);
    const show = await fx.asAdmin('GET', `/inbox_members/${inbox.id}`);
    expect(ids(show.body)).toEqual([fx.admin.id]);
    const del = await fx.asAdmin('DELETE', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.admin.id, 999999] });
    expect(del.status).toBe(200);
    expect((await fx.asAdmin('GET', `/inbox_members/${inbox.id}`)).body).toEqual({ payload: [] });
  });

  it("removes members from the path's inbox on DELETE /inbox_members/:inbox_id, whatever inbox_id the body names", async () => {
    const fx = await buildAccountFixture(server());
    const [named, other] = [await buildInbox(fx), await buildInbox(fx)];
    for (const inbox of [named, other])
      await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.admin.id, fx.agent.id] });
    const del = await fx.asAdmin('DELETE', `/inbox_members/${named.id}`, {
      inbox_id: other.id,
      user_ids: [fx.agent.id],
    });
    expect(del.status, del.text).toBe(200);
    expect(ids((await fx.asAdmin('GET', `/inbox_members/${named.id}`)).body)).toEqual([fx.admin.id]);
    expect(ids((await fx.asAdmin('GET', `/inbox_members/${other.id}`)).body)).toEqual(
      [fx.admin.id, fx.agent.id].sort((a, b) => a - b),
    );
    // without inbox_id in the body (as generated SDKs send it)
    expect((await fx.asAdmin('DELETE', `/inbox_members/${other.id}`, { user_ids: [fx.admin.id] })).status).toBe(200);
    expect(ids((await fx.asAdmin('GET', `/inbox_members/${other.id}`)).body)).toEqual([fx.agent.id]);
    const theirs = await buildInbox(await buildAccountFixture(server()));
    expect(
      (await fx.asAdmin('DELETE', `/inbox_members/${theirs.id}`, { inbox_id: named.id, user_ids: [fx.admin.id] }))
        .status,
    ).toBe(404);
    expect(ids((await fx.asAdmin('GET', `/inbox_members/${named.id}`)).body)).toEqual([fx.admin.id]);
  });

  it('lets member agents read the list but not change it', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    expect((await fx.asAgent('GET', `/inbox_members/${inbox.id}`)).status).toBe(401);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    expect((await fx.asAgent('GET', `/inbox_members/${inbox.id}`)).status).toBe(200);
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      const res = await fx.asAgent(method, '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.admin.id] });
      expect(res.status, method).toBe(401);
      expect(res.body).toEqual({ error: 'You are not authorized to do this action' });
    }
  });

  it('refuses users outside the account (422) and inboxes outside it (404), changing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    for (const userIds of [[other.agent.id], ['invalid'], [fx.admin.id, 999999]]) {
      for (const method of ['POST', 'PATCH']) {
        const res = await fx.asAdmin(method, '/inbox_members', { inbox_id: inbox.id, user_ids: userIds });
        expect(res.status, `${method} ${userIds}`).toBe(422);
        expect(res.body).toEqual({ message: 'User must exist', attributes: ['user'] });
      }
    }
    expect(ids((await fx.asAdmin('GET', `/inbox_members/${inbox.id}`)).body)).toEqual([fx.agent.id]);
    const theirs = await buildInbox(other);
    for (const [method, path] of [
      ['GET', `/inbox_members/${theirs.id}`],
      ['POST', '/inbox_members'],
      ['PATCH', '/inbox_members'],
      ['DELETE', '/inbox_members'],
    ]) {
      const res = await fx.asAdmin(
        method!,
        path!,
        method === 'GET' ? undefined : { inbox_id: theirs.id, user_ids: [fx.agent.id] },
      );
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await fx.asAdmin('POST', '/inbox_members', { inbox_id: null, user_ids: [fx.agent.id] })).status).toBe(404);
  });
});
