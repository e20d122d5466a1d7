import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  buildAccountFixture,
  buildAgentBot,
  buildConversation,
  buildInbox,
  buildUser,
  type AccountFixture,
} from '../factories.js';
import type { TestServer } from '../harness.js';
import { publicApi } from '../public-api.js';

/**
 * One account with one of every resource, built through the API, so that fuzzed requests can name
 * real objects in their paths and bodies and reach the code behind the lookups. Resources that a
 * fuzzed DELETE may remove have a spare ("victim") used only by the DELETE operations, so the
 * primary objects survive for the operations that come later.
 */
export interface World {
  fx: AccountFixture;
  platformToken: string;
  /** Path id by the collection segment before it, e.g. `teams` -> a team's id. */
  ids: Record<string, string>;
  /** The spare of each collection that a fuzzed DELETE (or a destructive action) may consume. */
  victims: Record<string, string>;
  /** Client API path values. */
  publicIds: {
    inbox_identifier: string;
    contact_identifier: string;
    conversation: string;
    message: string;
    csat: string;
  };
  /** Ids of the primary objects (not the spares), for integer and id-like fields of bodies. */
  knownIds: number[];
}

const must = (what: string, res: { status: number; text: string; body: any }) => {
  if (res.status !== 200) throw new Error(`world ${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body;
};

export async function buildWorld(server: TestServer): Promise<World> {
  const fx = await buildAccountFixture(server);
  const admin = fx.asAdmin;
  const inbox = await buildInbox(fx);
  const spareInbox = await buildInbox(fx);
  must(
    'inbox members',
    await admin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.admin.id, fx.agent.id] }),
  );
  const conversation = await buildConversation(fx, inbox.id);
  const spareConversation = await buildConversation(fx, inbox.id);
  const contactId: number = conversation.meta.sender.id;
  const spareContact = must('contact', await admin('POST', '/contacts', { name: 'Spare' })).payload.contact;
  const convPath = `/conversations/${conversation.id}/messages`;
  const message = must('message', await admin('POST', convPath, { content: 'hello' }));
  const spareMessage = must('message', await admin('POST', convPath, { content: 'spare' }));
  // a notification for the administrator: the agent mentions them in a private note
  must(
    'mention',
    await fx.asAgent('POST', convPath, {
      private: true,
      content: `[@Admin](mention://user/${fx.admin.id}/Admin) look`,
    }),
  );
  const pair = async (what: string, path: string, body: (n: number) => unknown, unwrap = (b: any) => b) => {
    const made = [
      unwrap(must(what, await admin('POST', path, body(1)))),
      unwrap(must(what, await admin('POST', path, body(2)))),
    ];
    if (!made.every((m) => typeof m?.id === 'number'))
      throw new Error(`world ${what}: no id in ${JSON.stringify(made).slice(0, 200)}`);
    return made;
  };
  const teams = await pair('team', '/teams', (n) => ({ name: `team ${n}` }));
  const labels = await pair('label', '/labels', (n) => ({ title: `label${n}` }));
  const canned = await pair('canned', '/canned_responses', (n) => ({ short_code: `code${n}`, content: 'text' }));
  const attributes = await pair('attribute', '/custom_attribute_definitions', (n) => ({
    attribute_display_name: `Plan ${n}`,
    attribute_key: `plan_${n}`,
    attribute_display_type: 'number',
    attribute_model: 'contact_attribute',
  }));
  const filters = await pair('filter', '/custom_filters', (n) => ({
    name: `f${n}`,
    filter_type: 'conversation',
    query: { payload: [] },
  }));
  const webhooks = await pair(
    'webhook',
    '/webhooks',
    (n) => ({ url: `https://hooks.example.com/${n}`, subscriptions: ['conversation_created'] }),
    (b) => b.payload.webhook,
  );
  const bots = await pair('bot', '/agent_bots', (n) => ({
    name: `bot ${n}`,
    outgoing_url: 'https://bots.example.com/hook',
  }));
  const notes = await pair('note', `/contacts/${contactId}/notes`, (n) => ({ content: `note ${n}` }));
  const spareAgent = await buildUser(server, fx.platformToken);
  must(
    'spare agent',
    await server.request('POST', `/platform/api/v1/accounts/${fx.account.id}/account_users`, {
      token: fx.platformToken,
      body: { user_id: spareAgent.id, role: 'agent' },
    }),
  );
  const platformBot = await buildAgentBot(server, fx.platformToken);
  const sparePlatformBot = await buildAgentBot(server, fx.platformToken);
  const spareAccount = must(
    'account',
    await server.request('POST', '/platform/api/v1/accounts', { token: fx.platformToken, body: { name: 'Spare' } }),
  );
  const spareUser = await buildUser(server, fx.platformToken);
  const notification = must('notifications', await admin('GET', '/notifications')).data.payload[0];
  if (!notification) throw new Error('world: the mention made no notification');
  // a finished delivery to redeliver (a real delivery would wait on the network)
  const delivery = await server.db
    .insertInto('webhook_deliveries')
    .values({
      id: randomUUID(),
      account_id: fx.account.id,
      kind: 'account_webhook',
      webhook_id: webhooks[0].id,
      url: 'https://hooks.example.com/1',
      event: 'conversation_created',
      payload: sql`'{}'::jsonb`,
      status: 'failed',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();

  const api = publicApi(server);
  const person = await api.contact(inbox.inbox_identifier, { name: 'Visitor' });
  const chat = await api.conversation(inbox.inbox_identifier, person.source_id);
  const said = await api.message(inbox.inbox_identifier, person.source_id, chat.id, { content: 'hi' });

  const ids: Record<string, string> = {
    accounts: String(fx.account.id),
    users: String(fx.admin.id),
    agents: String(fx.agent.id),
    agent_bots: String(bots[0].id),
    inboxes: String(inbox.id),
    inbox_members: String(inbox.id),
    teams: String(teams[0].id),
    contacts: String(contactId),
    notes: String(notes[0].id),
    labels: String(labels[0].id),
    custom_attribute_definitions: String(attributes[0].id),
    conversations: String(conversation.id),
    messages: String(message.id),
    canned_responses: String(canned[0].id),
    custom_filters: String(filters[0].id),
    webhooks: String(webhooks[0].id),
    deliveries: String(delivery.id),
    notifications: String(notification.id),
    'platform:agent_bots': String(platformBot.id),
  };
  const victims: Record<string, string> = {
    accounts: String(spareAccount.id),
    users: String(spareUser.id),
    agents: String(spareAgent.id),
    agent_bots: String(bots[1].id),
    inboxes: String(spareInbox.id),
    teams: String(teams[1].id),
    contacts: String(spareContact.id),
    notes: String(notes[1].id),
    labels: String(labels[1].id),
    custom_attribute_definitions: String(attributes[1].id),
    conversations: String(spareConversation.id),
    messages: String(spareMessage.id),
    canned_responses: String(canned[1].id),
    custom_filters: String(filters[1].id),
    webhooks: String(webhooks[1].id),
    'platform:agent_bots': String(sparePlatformBot.id),
  };
  const knownIds = [...new Set(Object.values(ids).map(Number).filter(Number.isSafeInteger))];
  return {
    fx,
    platformToken: fx.platformToken,
    ids,
    victims,
    knownIds,
    publicIds: {
      inbox_identifier: inbox.inbox_identifier,
      contact_identifier: person.source_id,
      conversation: String(chat.id),
      message: String(said.id),
      csat: String(chat.uuid),
    },
  };
}
