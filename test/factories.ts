import { randomBytes } from 'node:crypto';
import type { Db } from '../src/db/kysely.js';
import { createPlatformApp } from '../src/platform-apps/service.js';
import type { TestServer } from './harness.js';

const unique = () => randomBytes(4).toString('hex');

/** A platform app straight in the database, as the CLI makes one. */
export async function buildPlatformApp(db: Db, name = `App ${unique()}`) {
  const app = await createPlatformApp(db, name);
  return { id: app.id, name: app.name, token: app.access_token! };
}

export async function buildAccount(server: TestServer, token: string, body: Record<string, unknown> = {}) {
  const res = await server.request('POST', '/platform/api/v1/accounts', { token, body: { name: `Acme ${unique()}`, ...body } });
  if (res.status !== 200) throw new Error(`buildAccount: ${res.status} ${res.text}`);
  return res.body as { id: number; name: string };
}

export const STRONG_PASSWORD = 'Passw0rd!';

export async function buildUser(server: TestServer, token: string, body: Record<string, unknown> = {}) {
  const res = await server.request('POST', '/platform/api/v1/users', {
    token,
    body: { name: `Agent ${unique()}`, email: `agent-${unique()}@example.com`, password: STRONG_PASSWORD, ...body },
  });
  if (res.status !== 200) throw new Error(`buildUser: ${res.status} ${res.text}`);
  return res.body as { id: number; email: string; access_token: string; pubsub_token: string };
}

export async function buildAgentBot(server: TestServer, token: string, body: Record<string, unknown> = {}) {
  const res = await server.request('POST', '/platform/api/v1/agent_bots', {
    token,
    body: { name: `Bot ${unique()}`, outgoing_url: 'https://bots.example.com/hook', ...body },
  });
  if (res.status !== 200) throw new Error(`buildAgentBot: ${res.status} ${res.text}`);
  return res.body as { id: number; access_token: string };
}
