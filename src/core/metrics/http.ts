import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http/types.js';
import { invalidAccessToken } from '../errors.js';
import type { Metrics } from './metrics.js';

/** onResponse hook: each request's duration under its route pattern (404s under "unmatched"). */
export function observeRequests(metrics: Metrics) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.httpRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  };
}

/** `Authorization: Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * GET /metrics on the public port, behind CONFAB_METRICS_TOKEN (a Bearer token): without it
 * the answer is Chatwoot's 401 body and nothing about the node. Not registered at all when no
 * token is configured (a 404, like any unknown path).
 */
export function metricsRoute(app: App, metrics: Metrics, token: string): void {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) throw invalidAccessToken();
    return reply.type(metrics.contentType).send(await metrics.render());
  });
}

/**
 * CONFAB_METRICS_PORT: /metrics on a port of its own (for a scraper on a private network), bound
 * to CONFAB_METRICS_HOST. It asks for the token too when one is configured.
 */
export async function startMetricsServer(
  metrics: Metrics,
  options: { host: string; port: number; token: string | undefined },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"status":404,"error":"Not Found"}');
      return;
    }
    if (options.token !== undefined && !bearerMatches(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid Access Token"}');
      return;
    }
    metrics.render().then(
      (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
