import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, STRONG_PASSWORD } from '../../../test/factories.js';

// Chatwoot's Rack::Attack throttles (config/initializers/rack_attack.rb); the proxy is trusted so
// each request can come from its own client address through X-Forwarded-For
const server = useTestServer({
  CONFAB_AUTH_RATE_LIMITS: 'true',
  CONFAB_TRUSTED_PROXIES: '127.0.0.1',
  ENABLE_ACCOUNT_SIGNUP: 'true',
});
let lastIp = 0;
const freshIp = () => `10.9.${Math.floor(++lastIp / 250)}.${(lastIp % 250) + 1}`;
const post = (path: string, body: unknown, ip: string) =>
  server().request('POST', path, { body, headers: { 'x-forwarded-for': ip } });

function expectRefused(res: { status: number; body: any; headers: Headers }, periodSeconds: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body).toEqual({ error: 'Retry later' });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(periodSeconds - 30);
  expect(retryAfter).toBeLessThanOrEqual(periodSeconds);
}

describe('authentication throttles', () => {
  it('sign-in: five tries an IP in five minutes, then 429 even with the right password; other IPs go on', async () => {
    const fx = await buildAccountFixture(server());
    const ip = freshIp();
    for (let i = 0; i < 5; i++)
      expect((await post('/auth/sign_in', { email: fx.admin.email, password: 'wrong' }, ip)).status).toBe(401);
    expectRefused(await post('/auth/sign_in', { email: fx.admin.email, password: STRONG_PASSWORD }, ip), 300);
    expect((await post('/auth/sign_in', { email: fx.admin.email, password: STRONG_PASSWORD }, freshIp())).status).toBe(
      200,
    );
  });

  it('sign-in: ten tries an address in fifteen minutes from any IPs, the address compared as Chatwoot does', async () => {
    const fx = await buildAccountFixture(server());
    const spelled = ` ${fx.agent.email.toUpperCase()} `;
    for (let i = 0; i < 10; i++) {
      const res = await post(
        '/auth/sign_in',
        { email: i % 2 ? spelled : fx.agent.email, password: 'wrong' },
        freshIp(),
      );
      expect(res.status).toBe(401);
    }
    expectRefused(await post('/auth/sign_in', { email: fx.agent.email, password: STRONG_PASSWORD }, freshIp()), 900);
    // another address is not held back
    expect((await post('/auth/sign_in', { email: fx.admin.email, password: STRONG_PASSWORD }, freshIp())).status).toBe(
      200,
    );
  });

  it('password reset: five an IP in thirty minutes and five an address in an hour', async () => {
    const fx = await buildAccountFixture(server());
    const ip = freshIp();
    for (let i = 0; i < 5; i++)
      expect((await post('/auth/password', { email: `nobody${i}@example.com` }, ip)).status).toBe(200);
    expectRefused(await post('/auth/password', { email: fx.admin.email }, ip), 1800);
    // the refused request above counted for the address too: Rack::Attack counts every request
    for (let i = 0; i < 4; i++)
      expect((await post('/auth/password', { email: fx.admin.email }, freshIp())).status).toBe(200);
    expectRefused(await post('/auth/password', { email: fx.admin.email }, freshIp()), 3600);
  });

  it('sign-up: five accounts an IP in thirty minutes', async () => {
    const ip = freshIp();
    const signUp = (i: number) =>
      post(
        '/api/v1/accounts',
        {
          account_name: `Throttled ${i}`,
          user_full_name: 'Ada Lovelace',
          email: `signup-${Date.now()}-${i}@example.com`,
          password: STRONG_PASSWORD,
        },
        ip,
      );
    for (let i = 0; i < 5; i++) expect((await signUp(i)).status).toBe(200);
    expectRefused(await signUp(5), 1800);
  });

  it('resend confirmation: five an IP in thirty minutes', async () => {
    const fx = await buildAccountFixture(server());
    const ip = freshIp();
    const resend = () =>
      server().request('POST', '/api/v1/profile/resend_confirmation', {
        token: fx.agent.access_token,
        headers: { 'x-forwarded-for': ip },
      });
    for (let i = 0; i < 5; i++) expect((await resend()).status).toBe(200);
    expectRefused(await resend(), 1800);
  });
});
