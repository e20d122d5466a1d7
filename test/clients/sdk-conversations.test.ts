// @figuro/chatwoot-sdk (generated from Chatwoot's spec) driving conversations, messages, labels,
// assignments, canned responses and custom filters.
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../harness.js';
import { sdkClient } from './sdk.js';
import { buildAccountFixture, buildInbox } from '../factories.js';

const server = useTestServer();
const clientFor = (token: string) => sdkClient(server(), token);

describe('@figuro/chatwoot-sdk against conversations and messages', () => {
  it('runs a conversation from creation to resolution', async () => {
    const fx = await buildAccountFixture(server());
    const client = clientFor(fx.admin.access_token);
    const accountId = fx.account.id;
    const inbox = await buildInbox(fx);
    const contact = (
      await client.contacts!.create!({
        accountId,
        data: { inbox_id: inbox.id, name: 'SDK Contact', email: 'sdk-contact@example.com' },
      })
    ).payload.contact;

    const created = await client.conversations!.create!({
      accountId,
      data: { inbox_id: String(inbox.id), contact_id: String(contact.id), status: 'open' },
    });
    expect(created).toMatchObject({ id: 1, account_id: accountId, inbox_id: inbox.id });
    expect((await client.conversations!.get!({ accountId, conversationId: created.id })).meta.sender.id).toBe(
      contact.id,
    );
    const list = await client.conversations!.list!({ accountId, assigneeType: 'all', status: 'open' });
    expect(list.data.meta.all_count).toBe(1);
    expect(list.data.payload[0].id).toBe(created.id);
    expect((await client.conversations!.getMeta!({ accountId })).meta.all_count).toBe(1);
    const filtered = await client.conversations!.filter!({
      accountId,
      payload: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'] }],
    });
    expect(filtered.payload.map((c: { id: number }) => c.id)).toEqual([created.id]);

    const sent = await client.messages!.create!({
      accountId,
      conversationId: created.id,
      data: { content: 'Hello from the SDK', message_type: 'outgoing', private: false },
    });
    expect(sent).toMatchObject({ content: 'Hello from the SDK', message_type: 1 });
    const messages = await client.messages!.list!({ accountId, conversationId: created.id });
    expect(messages.payload.map((m: { content: string }) => m.content)).toEqual(['Hello from the SDK']);
    await client.messages!.delete!({ accountId, conversationId: created.id, messageId: sent.id });

    const assignee = await client.conversationAssignment!.assign!({
      accountId,
      conversationId: created.id,
      data: { assignee_id: fx.agent.id },
    });
    expect(assignee.id).toBe(fx.agent.id);
    expect(
      (await client.conversationLabels!.add!({ accountId, conversationId: created.id, data: { labels: ['sdk'] } }))
        .payload,
    ).toEqual(['sdk']);
    expect((await client.conversationLabels!.list!({ accountId, conversationId: created.id })).payload).toEqual([
      'sdk',
    ]);
    const toggled = await client.conversations!.toggleStatus!({
      accountId,
      conversationId: created.id,
      data: { status: 'resolved' },
    });
    expect(toggled.payload).toMatchObject({ success: true, current_status: 'resolved', conversation_id: created.id });
  });

  it('manages canned responses and custom filters', async () => {
    const fx = await buildAccountFixture(server());
    const client = clientFor(fx.admin.access_token);
    const accountId = fx.account.id;
    const canned = await client.cannedResponses!.create!({
      accountId,
      data: { short_code: 'hi', content: 'Hello there' },
    });
    expect((await client.cannedResponses!.list!({ accountId })).map((c: { id: number }) => c.id)).toEqual([canned.id]);
    expect(
      (await client.cannedResponses!.update!({ accountId, id: canned.id, data: { content: 'Hi!' } })).content,
    ).toBe('Hi!');
    await client.cannedResponses!.delete!({ accountId, id: canned.id });

    const filter = await client.customFilters!.create!({
      accountId,
      data: { name: 'Open', type: 'conversation', query: { payload: [] } },
    });
    expect((await client.customFilters!.list!({ accountId })).map((f: { id: number }) => f.id)).toEqual([filter.id]);
    expect((await client.customFilters!.get!({ accountId, customFilterId: filter.id })).name).toBe('Open');
    expect(
      (await client.customFilters!.update!({ accountId, customFilterId: filter.id, data: { name: 'Still open' } }))
        .name,
    ).toBe('Still open');
    await client.customFilters!.delete!({ accountId, customFilterId: filter.id });
  });
});
