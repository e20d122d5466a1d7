import pino, { type Logger } from 'pino';
import type { FastifyRequest } from 'fastify';
import type { Config } from './config.js';

/** Log redaction: tokens and passwords never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.api_access_token',
  'req.headers["api-access-token"]',
  'req.headers["access-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * Request URLs as logged: a Client API identifier_hash (in GET query strings) proves a contact's
 * identity for good, so its value is censored like a token; so are the confirmation and reset
 * tokens of devise's links (GET /auth/confirmation?confirmation_token=…).
 */
export function loggableUrl(url: string): string {
  return url.replace(/([?&](?:identifier_hash|confirmation_token|reset_password_token)=)[^&#]*/gi, '$1[redacted]');
}

/** The process's logger: pino at LOG_LEVEL, secrets redacted from requests and their URLs. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Fastify's request serializer, with secrets in the query string censored
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: loggableUrl(req.url),
        version: req.headers?.['accept-version'],
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  });
}
