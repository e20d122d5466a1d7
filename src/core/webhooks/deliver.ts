import http from 'node:http';
import https from 'node:https';
import type { Config } from '../config.js';
import { assertSafeHost, guardedLookup, parseWebhookUrl, UnsafeUrlError } from './ssrf-guard.js';

export interface AttemptResult {
  /** 2xx */
  ok: boolean;
  /** Worth another try: timeouts, connection failures, 429 and 5xx. */
  retryable: boolean;
  code: number | null;
  error: string | null;
  latencyMs: number;
}

export type DeliverConfig = Pick<
  Config,
  'webhookAllowPrivate' | 'webhookTimeoutMs' | 'webhookMaxAttempts' | 'webhookBackoffMs'
>;

/**
 * Keep-alive connections per receiver (host and port): a backlog of deliveries to one receiver
 * reuses a few sockets instead of opening one per try. The number in flight per receiver is
 * bounded by the caller (the drainer's per-URL limit), not here.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 64, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 64, scheduling: 'lifo' }),
};

/** One POST, as Webhooks::Trigger does it (JSON body, Accept JSON), never following redirects. */
export async function postOnce(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  config: DeliverConfig,
): Promise<AttemptResult> {
  const started = performance.now();
  const first = await postOn(rawUrl, body, headers, config, started, agents);
  // a kept-alive socket the receiver closed while it sat idle fails at once: that was no try. The
  // second go is on a new connection: a receiver closes its idle sockets together (Node's after
  // 5 s), and the pool's next one was often as dead (a CI run left deliveries on "socket hang up")
  return first.staleSocket ? postOn(rawUrl, body, headers, config, started, undefined) : first;
}

function postOn(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  config: DeliverConfig,
  started: number,
  /** Keep-alive pools; none: a connection of its own, closed after the answer. */
  pools: typeof agents | undefined,
): Promise<AttemptResult & { staleSocket?: boolean }> {
  const done = (r: Omit<AttemptResult, 'latencyMs'>): AttemptResult => ({
    ...r,
    latencyMs: Math.round(performance.now() - started),
  });
  let url: URL;
  try {
    url = parseWebhookUrl(rawUrl);
    assertSafeHost(url, config.webhookAllowPrivate);
  } catch (error) {
    return Promise.resolve(done({ ok: false, retryable: false, code: null, error: (error as Error).message }));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        agent: pools ? pools[url.protocol as 'http:' | 'https:'] : false,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'User-Agent': 'Confab-Webhooks',
          'Content-Length': Buffer.byteLength(body),
          ...headers,
        },
        lookup: guardedLookup(config.webhookAllowPrivate),
        timeout: config.webhookTimeoutMs,
      },
      (response) => {
        const code = response.statusCode ?? 0;
        response.resume();
        response.on('end', () => {
          const ok = code >= 200 && code < 300;
          resolve(
            done({
              ok,
              retryable: code === 429 || code >= 500,
              code,
              error: ok ? null : `${code} ${response.statusMessage ?? ''}`.trim(),
            }),
          );
        });
        response.on('error', () => resolve(done({ ok: false, retryable: true, code, error: 'response aborted' })));
      },
    );
    // the whole try is bounded, not only idle time
    const deadline = setTimeout(() => request.destroy(new Error('Timed out')), config.webhookTimeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error('Timed out')));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      resolve({
        ...done({ ok: false, retryable: !(error instanceof UnsafeUrlError), code: null, error: error.message }),
        ...(stale ? { staleSocket: true } : {}),
      });
    });
    request.end(body);
  });
}

/** Delay before try `attempt + 1`: base × 3^(attempt − 1), ±20% jitter (8 tries with 60 s span ~18 h). */
export function backoffMs(attempt: number, baseMs: number): number {
  const delay = baseMs * 3 ** Math.max(0, attempt - 1);
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}
