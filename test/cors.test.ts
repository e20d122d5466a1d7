import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { buildAccountFixture, buildInbox, STRONG_PASSWORD } from './factories.js';
import { requestTo, useTestServer, type HttpResult, type TestServer } from './harness.js';

// Chatwoot's config/initializers/cors.rb (rack-cors): /public/api/* open to any origin and method;
// CW_API_ONLY_SERVER=true opens every route and exposes devise's session headers.

const ORIGIN = 'https://shop.example.org';
const ALL_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

const plain = useTestServer();
const apiOnly = useTestServer({ CW_API_ONLY_SERVER: 'true' });

function preflight(server: TestServer, path: string, method: string, requestHeaders?: string): Promise<HttpResult> {
  return requestTo(server.url)('OPTIONS', path, {
    headers: {
      origin: ORIGIN,
      'access-control-request-method': method,
      ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}),
    },
  });
}

async function contactsPath(server: TestServer) {
  const fx = await buildAccountFixture(server);
  const inbox = await buildInbox(fx);
  return { fx, inbox, path: `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts` };
}

function expectNoCors(res: HttpResult) {
  for (const name of [
    'access-control-allow-origin',
    'access-control-allow-methods',
    'access-control-allow-headers',
    'access-control-expose-headers',
  ]) {
    expect(res.headers.get(name), `${name} on ${res.status} ${res.text}`).toBeNull();
  }
}

describe('CORS on the Client API (/public/api/*)', () => {
  it('answers a preflight from any origin: 200, every method, the requested headers echoed', async () => {
    const { path } = await contactsPath(plain());
    const res = await preflight(plain(), path, 'POST', 'content-type,x-widget-version');
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe(ALL_METHODS);
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,x-widget-version');
    expect(res.headers.get('access-control-max-age')).toBe('7200');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers preflights for PATCH and DELETE and for paths that do not exist', async () => {
    const { path } = await contactsPath(plain());
    for (const [target, method] of [
      [`${path}/some-source-id`, 'PATCH'],
      [`${path}/some-source-id/conversations/1`, 'DELETE'],
      ['/public/api/v1/no/such/route', 'GET'],
    ] as const) {
      const res = await preflight(plain(), target, method, 'content-type');
      expect(res.status, `${method} ${target}: ${res.text}`).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
    }
  });

  it('allows the simple request itself, success and error alike, and exposes no session headers', async () => {
    const { path } = await contactsPath(plain());
    const created = await requestTo(plain().url)('POST', path, { headers: { origin: ORIGIN }, body: { name: 'Ann' } });
    expect(created.status, created.text).toBe(200);
    expect(created.body.name).toBe('Ann');
    expect(created.headers.get('access-control-allow-origin')).toBe('*');
    expect(created.headers.get('access-control-expose-headers')).toBeNull();

    const missing = await requestTo(plain().url)('GET', '/public/api/v1/inboxes/nope/contacts/nope', {
      headers: { origin: ORIGIN },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');

    const bad = await requestTo(plain().url)('POST', path, { headers: { origin: ORIGIN }, rawBody: '{"name":' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('treats an OPTIONS request without Origin or Access-Control-Request-Method as an unknown route', async () => {
    const { path, fx } = await contactsPath(plain());
    const before = await fx.asAdmin('GET', '/contacts');
    for (const headers of [{ origin: ORIGIN }, { 'access-control-request-method': 'POST' }] as Record<
      string,
      string
    >[]) {
      const res = await requestTo(plain().url)('OPTIONS', path, { headers });
      expect(res.status, res.text).toBe(404);
      expectNoCors(res);
    }
    const after = await fx.asAdmin('GET', '/contacts');
    expect(after.body.meta.count).toBe(before.body.meta.count);
  });
});

describe('CORS on other routes without CW_API_ONLY_SERVER', () => {
  it('refuses preflights on the Application and Platform APIs with a 404 and no CORS headers', async () => {
    const fx = await buildAccountFixture(plain());
    for (const path of [
      `/api/v1/accounts/${fx.account.id}/conversations`,
      '/api/v1/profile',
      '/auth/sign_in',
      `/platform/api/v1/accounts/${fx.account.id}`,
    ]) {
      const res = await preflight(plain(), path, 'POST', 'api_access_token,content-type');
      expect(res.status, `${path}: ${res.text}`).toBe(404);
      expect(res.body).toEqual({ status: 404, error: 'Not Found' }); // the unknown-route body
      expectNoCors(res);
    }
  });

  it('serves same-origin style requests with an Origin header but grants the other origin nothing', async () => {
    const fx = await buildAccountFixture(plain());
    const res = await requestTo(plain().url)('GET', `/api/v1/accounts/${fx.account.id}/conversations`, {
      token: fx.admin.access_token,
      headers: { origin: ORIGIN },
    });
    expect(res.status, res.text).toBe(200);
    expectNoCors(res);

    const signIn = await requestTo(plain().url)('POST', '/auth/sign_in', {
      headers: { origin: ORIGIN },
      body: { email: fx.admin.email, password: STRONG_PASSWORD },
    });
    expect(signIn.status, signIn.text).toBe(200);
    expectNoCors(signIn);
  });

  it('a cross-origin socket on /cable is welcomed (Chatwoot turns off request forgery protection)', async () => {
    const socket = new WebSocket(`${plain().url.replace(/^http/, 'ws')}/cable`, ['actioncable-v1-json'], {
      headers: { origin: ORIGIN },
    });
    try {
      const first = await new Promise<any>((resolve, reject) => {
        socket.once('message', (raw) => resolve(JSON.parse(raw.toString())));
        socket.once('error', reject);
        socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      });
      expect(first).toEqual({ type: 'welcome' });
    } finally {
      socket.close();
    }
  });
});

describe('CORS with CW_API_ONLY_SERVER=true', () => {
  it('answers preflights on every route, echoing the requested headers', async () => {
    const fx = await buildAccountFixture(apiOnly());
    for (const [path, method] of [
      [`/api/v1/accounts/${fx.account.id}/conversations`, 'GET'],
      [`/api/v1/accounts/${fx.account.id}/contacts/1`, 'DELETE'],
      ['/auth/sign_in', 'POST'],
      [`/platform/api/v1/accounts/${fx.account.id}`, 'PATCH'],
    ] as const) {
      const res = await preflight(apiOnly(), path, method, 'api_access_token,content-type');
      expect(res.status, `${path}: ${res.text}`).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-methods')).toBe(ALL_METHODS);
      expect(res.headers.get('access-control-allow-headers')).toBe('api_access_token,content-type');
    }
  });

  it('exposes access-token, client, uid and expiry, so a dashboard elsewhere can read its session', async () => {
    const fx = await buildAccountFixture(apiOnly());
    const signIn = await requestTo(apiOnly().url)('POST', '/auth/sign_in', {
      headers: { origin: ORIGIN },
      body: { email: fx.admin.email, password: STRONG_PASSWORD },
    });
    expect(signIn.status, signIn.text).toBe(200);
    expect(signIn.headers.get('access-control-allow-origin')).toBe('*');
    expect(signIn.headers.get('access-control-expose-headers')).toBe('access-token, client, uid, expiry');
    expect(signIn.headers.get('access-token')).toBeTruthy();
  });

  it('still authenticates: a cross-origin request with another account id gets 401 or 404 and no data', async () => {
    const fx = await buildAccountFixture(apiOnly());
    const other = await buildAccountFixture(apiOnly());
    const res = await requestTo(apiOnly().url)('GET', `/api/v1/accounts/${other.account.id}/conversations`, {
      token: fx.admin.access_token,
      headers: { origin: ORIGIN },
    });
    expect([401, 404], res.text).toContain(res.status);
    expect(res.body).not.toHaveProperty('data');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');

    const anonymous = await requestTo(apiOnly().url)('GET', `/api/v1/accounts/${fx.account.id}/conversations`, {
      headers: { origin: ORIGIN },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('keeps the Client API open as before', async () => {
    const { path } = await contactsPath(apiOnly());
    const res = await preflight(apiOnly(), path, 'POST', 'content-type');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
