import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PACKAGE_ROOT } from '../paths.js';

/**
 * The agent inbox (`web/`, built by `npm run build` into `dist/web`), served at /app as Chatwoot
 * serves its dashboard: hashed assets cached for good, `index.html` for every other /app path (the
 * client's routes), never cached, so a new build is picked up at the next load.
 */

/** `dist/web` of the installation. */
export const WEB_BUILD_DIR = path.join(PACKAGE_ROOT, 'dist', 'web');

/**
 * No inline script or style, nothing from elsewhere but images (avatars and attachments may live on
 * another host); the page talks only to its own origin (HTTP and /cable).
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https: http:",
  "media-src 'self' blob: https: http:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const setSecurityHeaders = (reply: FastifyReply) =>
  reply
    .header('content-security-policy', WEB_APP_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin');

/**
 * What the page needs to know of the installation before its first request, as Chatwoot's
 * dashboard reads window.chatwootConfig: a meta tag (an inline script would need the CSP to allow one).
 */
const SIGNUP_META = '<meta name="confab-signup" content="enabled" />';

/**
 * Registers /app when the web app was built; without a build /app stays a 404. `signup`: the
 * installation takes sign-ups (ENABLE_ACCOUNT_SIGNUP), so the sign-in page offers one.
 */
export async function webAppRoutes(app: FastifyInstance, options: { signup?: boolean; buildDir?: string } = {}) {
  // read once: a build replaces the whole folder, and a server serves the build it started with
  const buildDir = options.buildDir ?? WEB_BUILD_DIR;
  let index: Buffer;
  try {
    index = fs.readFileSync(path.join(buildDir, 'index.html'));
  } catch {
    return; // not built (or being rebuilt this instant)
  }
  if (options.signup) index = Buffer.from(index.toString('utf8').replace('</head>', `${SIGNUP_META}</head>`));

  await app.register(fastifyStatic, {
    root: path.join(buildDir, 'assets'),
    prefix: '/app/assets/',
    decorateReply: false,
    index: false,
    // file names carry their content's hash
    immutable: true,
    maxAge: '365d',
    setHeaders: (reply) => reply.header('x-content-type-options', 'nosniff'),
  });

  const sendIndex = async (_request: unknown, reply: FastifyReply) =>
    setSecurityHeaders(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  app.get('/app', { schema: { hide: true } }, sendIndex);
  app.get('/app/*', { schema: { hide: true } }, sendIndex);
}
