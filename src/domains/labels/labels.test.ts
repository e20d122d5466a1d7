import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture } from '../../../test/factories.js';

const server = useTestServer();

describe('labels', () => {
  it('creates (title lowercased), lists by title, updates and deletes', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', '/labels', { title: 'Billing_Issue', description: 'Money', color: '#ff0000' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      id: expect.any(Number),
      title: 'billing_issue',
      description: 'Money',
      color: '#ff0000',
      show_on_sidebar: true,
    });
    await fx.asAdmin('POST', '/labels', { label: { title: 'a-vip' } });
    expect((await fx.asAgent('GET', '/labels')).body.payload.map((l: { title: string }) => l.title)).toEqual([
      'a-vip',
      'billing_issue',
    ]);
    const patch = await fx.asAdmin('PATCH', `/labels/${res.body.id}`, { show_on_sidebar: false, color: '#00ff00' });
    expect(patch.body).toMatchObject({ show_on_sidebar: false, color: '#00ff00' });
    expect((await fx.asAdmin('DELETE', `/labels/${res.body.id}`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/labels/${res.body.id}`)).status).toBe(404);
  });

  it('renaming or deleting a label carries over to tagged contacts', async () => {
    const fx = await buildAccountFixture(server());
    const label = (await fx.asAdmin('POST', '/labels', { title: 'old' })).body;
    const contact = (await fx.asAgent('POST', '/contacts', { email: 'tag@example.com' })).body.payload.contact;
    await fx.asAgent('POST', `/contacts/${contact.id}/labels`, { labels: ['old'] });
    await fx.asAdmin('PATCH', `/labels/${label.id}`, { title: 'new' });
    expect((await fx.asAgent('GET', `/contacts/${contact.id}/labels`)).body.payload).toEqual(['new']);
    await fx.asAdmin('DELETE', `/labels/${label.id}`);
    expect((await fx.asAgent('GET', `/contacts/${contact.id}/labels`)).body.payload).toEqual([]);
  });

  it('refuses bad titles (422) and agents (401)', async () => {
    const fx = await buildAccountFixture(server());
    await fx.asAdmin('POST', '/labels', { title: 'taken' });
    for (const [title, message] of [
      ['', 'Title must not be blank'],
      ['a', 'Title is invalid'],
      ['has space', 'Title is invalid'],
      ['_lead', 'Title is invalid'],
      ['TAKEN', 'Title has already been taken'],
    ]) {
      const res = await fx.asAdmin('POST', '/labels', { title });
      expect(res.status, title).toBe(422);
      expect(res.body).toEqual({ message, attributes: ['title'] });
    }
    expect((await fx.asAdmin('POST', '/labels', { title: '学中文_12' })).status).toBe(200);
    expect((await fx.asAgent('POST', '/labels', { title: 'mine' })).status).toBe(401);
    const other = await buildAccountFixture(server());
    const theirs = (await other.asAdmin('POST', '/labels', { title: 'theirs' })).body;
    expect((await fx.asAdmin('PATCH', `/labels/${theirs.id}`, { title: 'x1' })).status).toBe(404);
  });
});
