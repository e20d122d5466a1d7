// The real client judges: @figuro/chatwoot-sdk (generated from Chatwoot's spec) against Confab.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type * as Sdk from '@figuro/chatwoot-sdk';

// the SDK is CommonJS with `exports.default`; load it the way a Node CJS consumer does
const sdk = createRequire(import.meta.url)('@figuro/chatwoot-sdk') as typeof Sdk;
// TypeScript's NodeNext view of a CJS default export is the module object; the runtime value is the class
const ChatwootClient = sdk.default as unknown as new (options: {
  config: Sdk.ChatwootAPIConfig;
}) => { platform: unknown; profile: unknown };
const { ApiError } = sdk;
type ApiError = InstanceType<typeof Sdk.ApiError>;
import { useTestServer } from '../harness.js';
import { buildPlatformApp, STRONG_PASSWORD } from '../factories.js';

const server = useTestServer();

type Platform = {
  accounts: {
    create(a: unknown): Promise<any>;
    get(a: unknown): Promise<any>;
    update(a: unknown): Promise<any>;
    delete(a: unknown): Promise<any>;
  };
  accountUsers: { list(a: unknown): Promise<any>; create(a: unknown): Promise<any>; delete(a: unknown): Promise<any> };
  agentBots: {
    list(): Promise<any>;
    create(a: unknown): Promise<any>;
    get(a: unknown): Promise<any>;
    update(a: unknown): Promise<any>;
    delete(a: unknown): Promise<any>;
  };
  users: {
    create(a: unknown): Promise<any>;
    get(a: unknown): Promise<any>;
    update(a: unknown): Promise<any>;
    delete(a: unknown): Promise<any>;
    getSSOUrl(a: unknown): Promise<any>;
  };
};

const clientFor = (token: string) =>
  new ChatwootClient({ config: { basePath: server().url, with_credentials: false, credentials: 'omit', token } });

describe('@figuro/chatwoot-sdk against the Platform API', () => {
  it('runs a full provisioning flow', async () => {
    const app = await buildPlatformApp(server().db);
    const platform = clientFor(app.token).platform as unknown as Platform;

    const account = await platform.accounts.create({ data: { name: 'SDK Co' } });
    expect(account.name).toBe('SDK Co');
    const user = await platform.users.create({
      data: { name: 'SDK User', email: `sdk-${Date.now()}@example.com`, password: STRONG_PASSWORD },
    });
    expect(user.access_token).toBeTruthy();
    await platform.accountUsers.create({ accountId: account.id, data: { user_id: user.id, role: 'administrator' } });
    const members = await platform.accountUsers.list({ accountId: account.id });
    expect(members).toEqual([
      expect.objectContaining({ account_id: account.id, user_id: user.id, role: 'administrator' }),
    ]);
    const sso = await platform.users.getSSOUrl({ id: user.id });
    expect(sso.url).toContain('sso_auth_token=');
    const bot = await platform.agentBots.create({
      data: { name: 'SDK bot', outgoing_url: 'https://bot.example.com', account_id: account.id },
    });
    expect((await platform.agentBots.list()).map((b: { id: number }) => b.id)).toEqual([bot.id]);
    expect((await platform.agentBots.update({ id: bot.id, data: { name: 'Renamed bot' } })).name).toBe('Renamed bot');
    expect((await platform.users.update({ id: user.id, data: { name: 'Renamed user' } })).name).toBe('Renamed user');
    expect((await platform.accounts.update({ accountId: account.id, data: { name: 'Renamed Co' } })).name).toBe(
      'Renamed Co',
    );

    // the user's own token, read from the platform JSON, works on the Application API through the SDK
    const profile = await (clientFor(user.access_token).profile as unknown as { profile(): Promise<any> }).profile();
    expect(profile).toMatchObject({ id: user.id, role: 'administrator', account_id: account.id });

    await platform.accountUsers.delete({ accountId: account.id, data: { user_id: user.id } });
    expect(await platform.accountUsers.list({ accountId: account.id })).toEqual([]);
    await platform.agentBots.delete({ id: bot.id });
    await platform.users.delete({ id: user.id });
    await platform.accounts.delete({ accountId: account.id });
    await expect(platform.accounts.get({ accountId: account.id })).rejects.toMatchObject({ status: 404 });
  });

  it('surfaces 401 Non permissible resource through the SDK', async () => {
    const owner = await buildPlatformApp(server().db);
    const intruder = await buildPlatformApp(server().db);
    const account = await (clientFor(owner.token).platform as unknown as Platform).accounts.create({
      data: { name: 'Mine' },
    });
    const error = await (clientFor(intruder.token).platform as unknown as Platform).accounts
      .get({ accountId: account.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).body).toEqual({ error: 'Non permissible resource' });
  });
});
