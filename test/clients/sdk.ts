// @figuro/chatwoot-sdk (generated from Chatwoot's spec), pointed at a test server.
import { createRequire } from 'node:module';
import type * as Sdk from '@figuro/chatwoot-sdk';
import type { TestServer } from '../harness.js';

const sdk = createRequire(import.meta.url)('@figuro/chatwoot-sdk') as typeof Sdk;
/** The SDK's error class, for `toBeInstanceOf`. */
export const { ApiError } = sdk;
export type Api = Record<string, Record<string, (args?: unknown) => Promise<any>>>;
const ChatwootClient = sdk.default as unknown as new (options: { config: Sdk.ChatwootAPIConfig }) => Api;

export function sdkClient(server: TestServer, token: string): Api {
  return new ChatwootClient({ config: { basePath: server.url, with_credentials: false, credentials: 'omit', token } });
}
