import http from 'node:http';
import https from 'node:https';
import { assertSafeHost, guardedLookup, parseWebhookUrl, UnsafeUrlError } from '../webhooks/ssrf-guard.js';

/** Why a remote file could not be fetched; `invalidUrl` when the address itself is refused. */
export class RemoteFileError extends Error {
  constructor(
    message: string,
    readonly invalidUrl = false,
  ) {
    super(message);
  }
}

export interface RemoteFile {
  data: Buffer;
  filename: string;
  /** The type the server declared (the bytes decide for avatars). */
  declaredType: string;
}

export interface FetchOptions {
  maxBytes: number;
  timeoutMs: number;
  /** CONFAB_WEBHOOK_ALLOW_PRIVATE: private addresses allowed (development installs only). */
  allowPrivate: boolean;
}

/** File.basename(uri.path), as Chatwoot names a fetched file. */
function lastSegment(url: URL): string {
  const raw = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(raw) || 'file';
  } catch {
    return raw || 'file';
  }
}

/**
 * Downloads a file a client named by URL (Chatwoot's `external_url` uploads and `avatar_url`
 * avatars), with the webhook guard: http(s) only, no private or loopback address — checked on the
 * address actually connected to — no redirects followed, at most `maxBytes`, bounded in time.
 */
export function fetchRemoteFile(rawUrl: string, options: FetchOptions): Promise<RemoteFile> {
  let url: URL;
  try {
    url = parseWebhookUrl(rawUrl);
    assertSafeHost(url, options.allowPrivate);
  } catch (error) {
    return Promise.reject(new RemoteFileError((error as Error).message, true));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        headers: { 'User-Agent': 'Confab', Accept: '*/*' },
        lookup: guardedLookup(options.allowPrivate),
        timeout: options.timeoutMs,
      },
      (response) => {
        const code = response.statusCode ?? 0;
        if (code < 200 || code >= 300) {
          response.resume();
          return reject(new RemoteFileError(`${code} ${response.statusMessage ?? ''}`.trim()));
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          response.destroy();
          return reject(new RemoteFileError('file is too large'));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            response.destroy();
            reject(new RemoteFileError('file is too large'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            data: Buffer.concat(chunks),
            filename: lastSegment(url),
            declaredType: String(response.headers['content-type'] ?? ''),
          }),
        );
        response.on('error', (error) => reject(new RemoteFileError(error.message)));
      },
    );
    const deadline = setTimeout(() => request.destroy(new RemoteFileError('timed out')), options.timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new RemoteFileError('timed out')));
    request.on('error', (error) =>
      reject(
        error instanceof RemoteFileError ? error : new RemoteFileError(error.message, error instanceof UnsafeUrlError),
      ),
    );
    request.end();
  });
}
