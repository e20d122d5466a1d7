import { randomBytes } from 'node:crypto';
import type { Db } from '../src/core/db/kysely.js';
import { createPlatformApp } from '../src/platform/apps/service.js';
import type { HttpResult, TestServer } from './harness.js';

const unique = () => randomBytes(4).toString('hex');

/** What factories need of a server: its database and HTTP (an in-process test server or a `confab start` process). */
export type FixtureServer = Pick<TestServer, 'db' | 'request'>;

/** A platform app straight in the database, as the CLI makes one. */
export async function buildPlatformApp(db: Db, name = `App ${unique()}`) {
  const app = await createPlatformApp(db, name);
  return { id: app.id, name: app.name, token: app.access_token! };
}

export async function buildAccount(server: FixtureServer, token: string, body: Record<string, unknown> = {}) {
  const res = await server.request('POST', '/platform/api/v1/accounts', {
    token,
    body: { name: `Acme ${unique()}`, ...body },
  });
  if (res.status !== 200) throw new Error(`buildAccount: ${res.status} ${res.text}`);
  return res.body as { id: number; name: string };
}

export const STRONG_PASSWORD = 'Passw0rd!';

export async function buildUser(server: FixtureServer, token: string, body: Record<string, unknown> = {}) {
  const res = await server.request('POST', '/platform/api/v1/users', {
    token,
    body: { name: `Agent ${unique()}`, email: `agent-${unique()}@example.com`, password: STRONG_PASSWORD, ...body },
  });
  if (res.status !== 200) throw new Error(`buildUser: ${res.status} ${res.text}`);
  return res.body as { id: number; email: string; access_token: string; pubsub_token: string };
}

export async function buildAgentBot(server: FixtureServer, token: string, body: Record<string, unknown> = {}) {
  const res = await server.request('POST', '/platform/api/v1/agent_bots', {
    token,
    body: { name: `Bot ${unique()}`, outgoing_url: 'https://bots.example.com/hook', ...body },
  });
  if (res.status !== 200) throw new Error(`buildAgentBot: ${res.status} ${res.text}`);
  return res.body as { id: number; access_token: string };
}

export interface AccountFixture {
  platformToken: string;
  account: { id: number; name: string };
  admin: { id: number; email: string; access_token: string };
  agent: { id: number; email: string; access_token: string };
  /** GET/POST/... under /api/v1/accounts/:id as the administrator or the agent. */
  asAdmin(method: string, path: string, body?: unknown): Promise<HttpResult>;
  asAgent(method: string, path: string, body?: unknown): Promise<HttpResult>;
}

/** An account with one administrator and one agent, made through the Platform API. */
export async function buildAccountFixture(server: FixtureServer): Promise<AccountFixture> {
  const app = await buildPlatformApp(server.db);
  const account = await buildAccount(server, app.token);
  const admin = await buildUser(server, app.token);
  const agent = await buildUser(server, app.token);
  for (const [user, role] of [
    [admin, 'administrator'],
    [agent, 'agent'],
  ] as const) {
    const res = await server.request('POST', `/platform/api/v1/accounts/${account.id}/account_users`, {
      token: app.token,
      body: { user_id: user.id, role },
    });
    if (res.status !== 200) throw new Error(`buildAccountFixture: ${res.text}`);
  }
  const scoped = (token: string) => (method: string, path: string, body?: unknown) =>
    server.request(method, `/api/v1/accounts/${account.id}${path}`, { token, body });
  return {
    platformToken: app.token,
    account,
    admin,
    agent,
    asAdmin: scoped(admin.access_token),
    asAgent: scoped(agent.access_token),
  };
}

/** An API-channel inbox created by the fixture's administrator. */
export async function buildInbox(fx: AccountFixture, body: Record<string, unknown> = {}) {
  const res = await fx.asAdmin('POST', '/inboxes', { name: `Inbox ${unique()}`, channel: { type: 'api' }, ...body });
  if (res.status !== 200) throw new Error(`buildInbox: ${res.status} ${res.text}`);
  return res.body as { id: number; inbox_identifier: string; hmac_token: string };
}

/** A contact in the account and a conversation with it in the inbox, created by the administrator. */
export async function buildConversation(fx: AccountFixture, inboxId: number, body: Record<string, unknown> = {}) {
  const contact = await fx.asAdmin('POST', '/contacts', {
    name: `Contact ${unique()}`,
    email: `c${unique()}@example.com`,
  });
  if (contact.status !== 200) throw new Error(`buildConversation contact: ${contact.text}`);
  const res = await fx.asAdmin('POST', '/conversations', {
    inbox_id: inboxId,
    contact_id: contact.body.payload.contact.id,
    ...body,
  });
  if (res.status !== 200) throw new Error(`buildConversation: ${res.status} ${res.text}`);
  return res.body as {
    id: number;
    uuid: string;
    inbox_id: number;
    status: string;
    meta: { sender: { id: number; name: string } };
  } & Record<string, any>;
}

/** POST .../contacts/import with `csv` as the multipart `field` (import_file), as `token` (the administrator's). */
export async function uploadContactsCsv(
  server: Pick<TestServer, 'url'>,
  fx: AccountFixture,
  csv: string | undefined,
  { token = fx.admin.access_token, field = 'import_file' }: { token?: string; field?: string } = {},
): Promise<{ status: number; text: string }> {
  const form = new FormData();
  if (csv !== undefined) form.append(field, new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  const res = await fetch(`${server.url}/api/v1/accounts/${fx.account.id}/contacts/import`, {
    method: 'POST',
    headers: { api_access_token: token },
    body: form,
  });
  return { status: res.status, text: await res.text() };
}
