import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * CORS as Chatwoot's config/initializers/cors.rb sets up rack-cors: `origins '*'` with
 * `resource '/public/api/*', headers: :any, methods: :any` (the Client API, called from sites on other
 * origins), and with CW_API_ONLY_SERVER=true `resource '*', …, expose: [access-token, client, uid,
 * expiry]` (a dashboard on another origin reading devise's session headers). Everything else answers
 * without CORS headers, and a preflight there is an unknown route (404). rack-cors' wildcard origin
 * never allows credentials, so neither do we; /cable checks no Origin (Chatwoot turns ActionCable's
 * request forgery protection off).
 */

/** rack-cors' `methods: :any`. */
const ANY_METHOD = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** The devise_token_auth headers a cross-origin dashboard must read after sign-in. */
export const EXPOSED_SESSION_HEADERS = ['access-token', 'client', 'uid', 'expiry'];

const closed: FastifyCorsOptions = { origin: false };
const open: FastifyCorsOptions = {
  origin: '*',
  methods: ANY_METHOD,
  // allowedHeaders left unset: the preflight echoes Access-Control-Request-Headers (`headers: :any`)
  maxAge: 7200, // rack-cors' default
  optionsSuccessStatus: 200, // rack-cors answers a preflight 200 with an empty body
  credentials: false,
};
const openExposingSession: FastifyCorsOptions = { ...open, exposedHeaders: EXPOSED_SESSION_HEADERS };

/** `/public/api/*` in rack-cors' pattern language: `/public/api` itself or anything below it. */
function isPublicApi(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return path === '/public/api' || path.startsWith('/public/api/');
}

/** An OPTIONS request is a preflight only with an Origin and the method it asks for. */
function isBarePreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && (!request.headers.origin || !request.headers['access-control-request-method']);
}

/** Registers CORS on the root app, before any route's own hooks (auth, rate limits) can refuse a preflight. */
export async function registerCors(app: FastifyInstance, options: { apiOnlyServer: boolean }): Promise<void> {
  await app.register(cors, {
    hideOptionsRoute: true,
    delegator: (request, callback) => {
      // rack-cors passes an OPTIONS request that is no preflight on to the app, which has no such route
      if (isBarePreflight(request)) return callback(null, closed);
      if (options.apiOnlyServer) return callback(null, openExposingSession);
      callback(null, isPublicApi(request.url) ? open : closed);
    },
  });
}
