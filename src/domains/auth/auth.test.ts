import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildPlatformApp, buildUser, STRONG_PASSWORD } from '../../../test/factories.js';

const server = useTestServer();

const sessionHeaders = (headers: Headers) => ({
  'access-token': headers.get('access-token')!,
  client: headers.get('client')!,
  uid: headers.get('uid')!,
});

describe('devise_token_auth at /auth', () => {
  it('signs in with email and password: user JSON in data and the session headers', async () => {
    const fx = await buildAccountFixture(server());
    const res = await server().request('POST', '/auth/sign_in', {
      body: { email: fx.admin.email.toUpperCase(), password: STRONG_PASSWORD },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data']);
    expect(res.body.data).toMatchObject({
      id: fx.admin.id,
      email: fx.admin.email,
      access_token: fx.admin.access_token,
      account_id: fx.account.id,
      role: 'administrator',
    });
    expect(res.headers.get('token-type')).toBe('Bearer');
    expect(res.headers.get('uid')).toBe(fx.admin.email);
    expect(res.headers.get('access-token')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(res.headers.get('client')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const expiry = Number(res.headers.get('expiry'));
    expect(expiry).toBeGreaterThan(Date.now() / 1000 + 50 * 24 * 3600);
    const bearer = JSON.parse(
      Buffer.from(res.headers.get('authorization')!.replace('Bearer ', ''), 'base64').toString(),
    );
    expect(bearer).toMatchObject({
      'access-token': res.headers.get('access-token'),
      client: res.headers.get('client'),
      uid: fx.admin.email,
    });
  });

  it('the session headers authenticate Application API requests, validate_token, and sign_out ends them', async () => {
    const fx = await buildAccountFixture(server());
    const signIn = await server().request('POST', '/auth/sign_in', {
      body: { email: fx.agent.email, password: STRONG_PASSWORD },
    });
    const headers = sessionHeaders(signIn.headers);
    const profile = await server().request('GET', '/api/v1/profile', { headers });
    expect(profile.status).toBe(200);
    expect(profile.body.id).toBe(fx.agent.id);
    const agents = await server().request('GET', `/api/v1/accounts/${fx.account.id}/agents`, { headers });
    expect(agents.status).toBe(200);
    const viaBearer = await server().request('GET', '/api/v1/profile', {
      headers: { authorization: signIn.headers.get('authorization')! },
    });
    expect(viaBearer.status).toBe(200);

    const validate = await server().request('GET', '/auth/validate_token', { headers });
    expect(validate.status).toBe(200);
    expect(validate.body.payload.success).toBe(true);
    expect(validate.body.payload.data.id).toBe(fx.agent.id);

    const out = await server().request('DELETE', '/auth/sign_out', { headers });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ success: true });
    expect((await server().request('GET', '/api/v1/profile', { headers })).body).toEqual({
      errors: ['You need to sign in or sign up before continuing.'],
    });
    const again = await server().request('DELETE', '/auth/sign_out', { headers });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ success: false, errors: ['User was not found or was not logged in.'] });
    const invalid = await server().request('GET', '/auth/validate_token', { headers });
    expect(invalid.status).toBe(401);
    expect(invalid.body).toEqual({ success: false, errors: ['Invalid login credentials'] });
  });

  it("refuses bad credentials with devise_token_auth's body", async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token);
    for (const body of [
      { email: user.email, password: 'Wrong-pass1' },
      { email: 'nobody@example.com', password: STRONG_PASSWORD },
      { email: user.email },
      {},
    ]) {
      const res = await server().request('POST', '/auth/sign_in', { body });
      expect(res.status, JSON.stringify(body)).toBe(401);
      expect(res.body).toEqual({ success: false, errors: ['Invalid login credentials. Please try again.'] });
      expect(res.headers.get('access-token')).toBeNull();
    }
  });

  it("a tampered access-token or another user's uid does not authenticate", async () => {
    const fx = await buildAccountFixture(server());
    const signIn = await server().request('POST', '/auth/sign_in', {
      body: { email: fx.agent.email, password: STRONG_PASSWORD },
    });
    const headers = sessionHeaders(signIn.headers);
    for (const bad of [
      { ...headers, 'access-token': `${headers['access-token']}x` },
      { ...headers, uid: fx.admin.email },
    ]) {
      const res = await server().request('GET', '/api/v1/profile', { headers: bad });
      expect(res.status).toBe(401);
    }
  });

  it('signs in once with the platform sso link token, then never again', async () => {
    const app = await buildPlatformApp(server().db);
    const user = await buildUser(server(), app.token);
    const link = await server().request('GET', `/platform/api/v1/users/${user.id}/login`, { token: app.token });
    const url = new URL(link.body.url);
    const body = { email: url.searchParams.get('email'), sso_auth_token: url.searchParams.get('sso_auth_token') };
    const first = await server().request('POST', '/auth/sign_in', { body });
    expect(first.status).toBe(200);
    expect(first.body.data.id).toBe(user.id);
    const second = await server().request('POST', '/auth/sign_in', { body });
    expect(second.status).toBe(401);
  });
});

describe('the account scope of /api/v1/accounts/:account_id', () => {
  // The token's owner, the account and the membership are read in one statement with a token,
  // in two with session headers: both answer alike.
  it('answers a member, and refuses an unknown account (404), a stranger (401) and a suspended account (401), by token and by session', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const signIn = await server().request('POST', '/auth/sign_in', {
      body: { email: fx.agent.email, password: STRONG_PASSWORD },
    });
    const callers = [{ token: fx.agent.access_token }, { headers: sessionHeaders(signIn.headers) }];
    for (const caller of callers) {
      const labels = (accountId: number | string) =>
        server().request('GET', `/api/v1/accounts/${accountId}/labels`, caller);
      const own = await labels(fx.account.id);
      expect(own.status, own.text).toBe(200);
      const unknown = await labels(999_999);
      expect([unknown.status, unknown.body]).toEqual([404, { error: 'Resource could not be found' }]);
      const malformed = await labels('abc');
      expect([malformed.status, malformed.body]).toEqual([404, { error: 'Resource could not be found' }]);
      const stranger = await labels(other.account.id);
      expect([stranger.status, stranger.body]).toEqual([
        401,
        { error: 'You are not authorized to access this account' },
      ]);
    }
    const suspend = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
      token: fx.platformToken,
      body: { status: 'suspended' },
    });
    expect(suspend.status).toBe(200);
    for (const caller of callers) {
      const res = await server().request('GET', `/api/v1/accounts/${fx.account.id}/labels`, caller);
      expect([res.status, res.body]).toEqual([401, { error: 'Account is suspended' }]);
    }
    // a bad token still fails first, whatever the account
    const bad = await server().request('GET', `/api/v1/accounts/${other.account.id}/labels`, { token: 'not-a-token' });
    expect([bad.status, bad.body]).toEqual([401, { error: 'Invalid Access Token' }]);
  });
});
