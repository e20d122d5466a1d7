import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildPlatformApp, buildUser, STRONG_PASSWORD } from '../../../test/factories.js';
import { linkIn, startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.js';

const FRONTEND = 'https://desk.example.com';
const NEW_PASSWORD = 'N3w-Passw0rd!';
const RESET_ANSWER = {
  message:
    'Request for password reset is successful. A email with instructions will be sent to your email if it exists.',
};
const INVALID_TOKEN = { message: 'Invalid token', redirect_url: '/' };

let sink: SmtpSink;
let server: TestServer;

beforeAll(async () => {
  sink = await startSmtpSink({ username: 'mailer', password: 'smtp-secret' });
  server = await startTestServer({
    SMTP_ADDRESS: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    SMTP_USERNAME: 'mailer',
    SMTP_PASSWORD: 'smtp-secret',
    SMTP_AUTHENTICATION: 'login',
    SMTP_ENABLE_STARTTLS_AUTO: 'true',
    SMTP_DOMAIN: 'desk.example.com',
    MAILER_SENDER_EMAIL: 'Desk <desk@example.com>',
    FRONTEND_URL: FRONTEND,
    CONFAB_JOB_POLL_MS: '100',
  });
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

const signIn = (email: string, password: string) =>
  server.request('POST', '/auth/sign_in', { body: { email, password } });
const sha256 = (value: string) => createHash('sha256').update(value).digest();

async function passwordUser() {
  const app = await buildPlatformApp(server.db);
  return buildUser(server, app.token);
}

describe('agent invitations', () => {
  it('POST /agents mails the new agent a set-password link; the link sets the password, confirms and signs in, once', async () => {
    const fx = await buildAccountFixture(server);
    const email = `invited-${Date.now()}@example.com`;
    const created = await fx.asAdmin('POST', '/agents', { name: 'Ines Invited', email });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ email, confirmed: false, name: 'Ines Invited' });

    const mail = await sink.mailTo(email);
    const admin = await server.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', fx.admin.id)
      .executeTakeFirstOrThrow();
    expect(mail.envelopeFrom).toBe('desk@example.com');
    expect(mail.headers.get('from')).toBe('Desk <desk@example.com>');
    expect(mail.headers.get('to')).toBe(email);
    expect(mail.subject).toBe('Confirmation Instructions');
    expect(mail.text).toContain('Welcome, Ines Invited!');
    expect(mail.text).toContain(`${admin.name}, with ${fx.account.name}, has invited you to try out Confab!`);
    expect(mail.text).toContain('You can confirm your account email through the link below:');
    expect(mail.html).toContain('Confirm my account</a>');
    expect(sink.logins.at(-1)).toEqual({ username: 'mailer', password: 'smtp-secret', method: 'LOGIN' });
    const link = linkIn(mail, '/app/auth/password/edit');
    expect(link.origin).toBe(FRONTEND);
    const token = link.searchParams.get('reset_password_token')!;
    expect(token).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32}$/);
    // only the digest is stored
    const stored = await server.db
      .selectFrom('user_auth_tokens')
      .select(['token_digest', 'purpose'])
      .where('user_id', '=', created.body.id)
      .execute();
    expect(stored).toEqual([{ token_digest: sha256(token), purpose: 'reset_password' }]);

    // not confirmed, no password: the invitation is the way in
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(401);

    const reset = await server.request('PUT', '/auth/password', {
      body: { reset_password_token: token, password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD },
    });
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body.data).toMatchObject({ id: created.body.id, email, account_id: fx.account.id, role: 'agent' });
    expect(reset.headers.get('access-token')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(reset.headers.get('uid')).toBe(email);
    const session = {
      'access-token': reset.headers.get('access-token')!,
      client: reset.headers.get('client')!,
      uid: reset.headers.get('uid')!,
    };
    expect((await server.request('GET', '/auth/validate_token', { headers: session })).status).toBe(200);

    const signedIn = await signIn(email, NEW_PASSWORD);
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.body.data.id).toBe(created.body.id);
    const agents = await fx.asAdmin('GET', '/agents');
    expect(agents.body.find((a: { id: number }) => a.id === created.body.id).confirmed).toBe(true);

    const again = await server.request('PUT', '/auth/password', {
      body: { reset_password_token: token, password: 'An0ther-pass!', password_confirmation: 'An0ther-pass!' },
    });
    expect([again.status, again.body]).toEqual([422, INVALID_TOKEN]);
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);
  });

  it('bulk_create invites each new address; an agent or another account may not invite, and nothing is mailed then', async () => {
    const fx = await buildAccountFixture(server);
    const other = await buildAccountFixture(server);
    const email = `bulk-${Date.now()}@example.com`;
    const refused = await fx.asAgent('POST', '/agents', { name: 'Nope', email: `nope-${email}` });
    expect(refused.status).toBe(401);
    const stranger = await server.request('POST', `/api/v1/accounts/${fx.account.id}/agents`, {
      token: other.admin.access_token,
      body: { name: 'Nope', email: `nope-${email}` },
    });
    expect([stranger.status, stranger.body]).toEqual([401, { error: 'You are not authorized to access this account' }]);
    const stored = await server.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', `nope-${email}`)
      .executeTakeFirst();
    expect(stored).toBeUndefined();
    const bulk = await fx.asAdmin('POST', '/agents/bulk_create', { emails: [email] });
    expect(bulk.status, bulk.text).toBe(200);
    const mail = await sink.mailTo(email);
    expect(mail.subject).toBe('Confirmation Instructions');
    expect(linkIn(mail, '/app/auth/password/edit').searchParams.get('reset_password_token')).toBeTruthy();
    expect(sink.mails.some((m) => m.envelopeTo.includes(`nope-${email}`))).toBe(false);
  });
});

describe('password reset (devise_token_auth /auth/password)', () => {
  it('answers a known and an unknown address alike, and mails only the known one', async () => {
    const user = await passwordUser();
    const unknown = `nobody-${Date.now()}@example.com`;
    const known = await server.request('POST', '/auth/password', { body: { email: user.email.toUpperCase() } });
    const stranger = await server.request('POST', '/auth/password', { body: { email: unknown } });
    const empty = await server.request('POST', '/auth/password', { body: {} });
    for (const res of [known, stranger, empty]) expect([res.status, res.body]).toEqual([200, RESET_ANSWER]);
    const mail = await sink.mailTo(user.email);
    expect(mail.subject).toBe('Reset password instructions');
    expect(mail.text).toContain(`Hello! ${user.email}!`);
    expect(mail.text).toContain("Your password won't change until you access the link above and create a new one.");
    expect(linkIn(mail, '/app/auth/password/edit').origin).toBe(FRONTEND);
    expect(sink.mails.some((m) => m.envelopeTo.includes(unknown))).toBe(false);
  });

  it('resets with the mailed token: bad passwords spend nothing, other sessions end, the token works once', async () => {
    const user = await passwordUser();
    const before = await signIn(user.email, STRONG_PASSWORD);
    const oldSession = {
      'access-token': before.headers.get('access-token')!,
      client: before.headers.get('client')!,
      uid: before.headers.get('uid')!,
    };
    await server.request('POST', '/auth/password', { body: { email: user.email } });
    const token = linkIn(await sink.mailTo(user.email), '/app/auth/password/edit').searchParams.get(
      'reset_password_token',
    )!;

    const mismatch = await server.request('PUT', '/auth/password', {
      body: { reset_password_token: token, password: NEW_PASSWORD, password_confirmation: 'Other-pass1!' },
    });
    expect([mismatch.status, mismatch.body]).toEqual([
      422,
      { message: "Password confirmation doesn't match Password", attributes: ['password_confirmation'] },
    ]);
    const weak = await server.request('PUT', '/auth/password', {
      body: { reset_password_token: token, password: 'weak', password_confirmation: 'weak' },
    });
    expect(weak.status).toBe(422);
    expect(weak.body.attributes).toEqual(['password']);
    const blank = await server.request('PUT', '/auth/password', { body: { reset_password_token: token } });
    expect([blank.status, blank.body]).toEqual([422, { message: "Password can't be blank", attributes: ['password'] }]);
    expect((await signIn(user.email, STRONG_PASSWORD)).status).toBe(200);

    const ok = await server.request('PATCH', '/auth/password', {
      body: { reset_password_token: token, password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.data).toMatchObject({ id: user.id, email: user.email });
    expect((await server.request('GET', '/auth/validate_token', { headers: oldSession })).status).toBe(401);
    expect((await signIn(user.email, STRONG_PASSWORD)).status).toBe(401);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);

    const reuse = await server.request('PUT', '/auth/password', {
      body: { reset_password_token: token, password: STRONG_PASSWORD, password_confirmation: STRONG_PASSWORD },
    });
    expect([reuse.status, reuse.body]).toEqual([422, INVALID_TOKEN]);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses unknown, replaced and expired tokens with the devise_token_auth body, and oversized input with a 4xx', async () => {
    const user = await passwordUser();
    const put = (token: unknown) =>
      server.request('PUT', '/auth/password', {
        body: { reset_password_token: token, password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD },
      });
    for (const token of ['', 'not-a-token', undefined]) expect((await put(token)).body).toEqual(INVALID_TOKEN);

    await server.request('POST', '/auth/password', { body: { email: user.email } });
    const first = linkIn(await sink.mailTo(user.email), 'edit').searchParams.get('reset_password_token')!;
    await server.request('POST', '/auth/password', { body: { email: user.email } });
    const second = linkIn(await sink.mailTo(user.email), 'edit').searchParams.get('reset_password_token')!;
    expect(second).not.toBe(first);
    expect([(await put(first)).status, (await put(first)).body]).toEqual([422, INVALID_TOKEN]);

    await server.db
      .updateTable('user_auth_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .execute();
    const expired = await put(second);
    expect([expired.status, expired.body]).toEqual([422, INVALID_TOKEN]);
    expect((await signIn(user.email, STRONG_PASSWORD)).status).toBe(200);

    const huge = 'x'.repeat(100_000);
    for (const res of [
      await server.request('POST', '/auth/password', { body: { email: huge } }),
      await put(huge),
      await server.request('POST', '/auth/password', { body: { email: { nested: 'a@b.c' } } }),
    ]) {
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status, res.text).toBeLessThan(500);
    }
  });

  it('a mail the SMTP server turns away is sent again by the job, and its link works', async () => {
    const user = await passwordUser();
    sink.refuseNext(user.email, 1);
    await server.request('POST', '/auth/password', { body: { email: user.email } });
    const mail = await sink.mailTo(user.email, 20_000);
    expect(sink.refused.filter((address) => address === user.email)).toHaveLength(1);
    const token = linkIn(mail, '/app/auth/password/edit').searchParams.get('reset_password_token')!;
    const ok = await server.request('PUT', '/auth/password', {
      body: { reset_password_token: token, password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD },
    });
    expect(ok.status, ok.text).toBe(200);
  }, 30_000);
});

describe('confirmation (devise_token_auth /auth/confirmation)', () => {
  async function unconfirmedUser() {
    const user = await passwordUser();
    await server.db.updateTable('users').set({ confirmed_at: null }).where('id', '=', user.id).execute();
    return user;
  }
  async function resend(user: { email: string; access_token: string }) {
    const res = await server.request('POST', '/api/v1/profile/resend_confirmation', { token: user.access_token });
    expect([res.status, res.text]).toEqual([200, '']);
    const mail = await sink.mailTo(user.email);
    expect(mail.subject).toBe('Confirmation Instructions');
    expect(mail.text).toContain('You can confirm your account email through the link below:');
    return linkIn(mail, '/app/auth/confirmation').searchParams.get('confirmation_token')!;
  }

  it('resend_confirmation mails a confirmation link; POST confirms and signs in once, then "Already confirmed"', async () => {
    const user = await unconfirmedUser();
    const refused = await signIn(user.email, STRONG_PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0]).toContain('A confirmation email was sent to your account');
    const token = await resend(user);

    const bogus = await server.request('POST', '/auth/confirmation', { body: { confirmation_token: 'bogus' } });
    expect([bogus.status, bogus.body]).toEqual([422, INVALID_TOKEN]);
    const missing = await server.request('POST', '/auth/confirmation', { body: { email: user.email } });
    expect([missing.status, missing.body]).toEqual([422, INVALID_TOKEN]);

    const confirmed = await server.request('POST', '/auth/confirmation', { body: { confirmation_token: token } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.data).toMatchObject({ id: user.id, email: user.email });
    expect(confirmed.headers.get('access-token')).toBeTruthy();
    expect((await signIn(user.email, STRONG_PASSWORD)).status).toBe(200);

    const again = await server.request('POST', '/auth/confirmation', { body: { confirmation_token: token } });
    expect([again.status, again.body]).toEqual([422, { message: 'Already confirmed', redirect_url: '/' }]);
  });

  it('GET with the link confirms and redirects to the dashboard; bad tokens and foreign redirects do not', async () => {
    const user = await unconfirmedUser();
    const token = await resend(user);
    const get = (query: Record<string, string>) =>
      fetch(`${server.url}/auth/confirmation?${new URLSearchParams(query)}`, { redirect: 'manual' });

    const foreign = await get({ confirmation_token: 'bogus', redirect_url: 'https://evil.example.net/x' });
    expect(foreign.status).toBe(404);
    const failed = await get({ confirmation_token: 'bogus', redirect_url: `${FRONTEND}/app/login` });
    expect([failed.status, failed.headers.get('location')]).toEqual([
      302,
      `${FRONTEND}/app/login?account_confirmation_success=false`,
    ]);
    const ok = await get({ confirmation_token: token, redirect_url: 'https://evil.example.net/x' });
    expect([ok.status, ok.headers.get('location')]).toEqual([
      302,
      `${FRONTEND}/app/login?account_confirmation_success=true`,
    ]);
    expect((await signIn(user.email, STRONG_PASSWORD)).status).toBe(200);
  });

  it('an expired confirmation token fails; resend needs a user token and mails nobody already confirmed', async () => {
    const user = await unconfirmedUser();
    const token = await resend(user);
    await server.db
      .updateTable('user_auth_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .execute();
    const expired = await server.request('POST', '/auth/confirmation', { body: { confirmation_token: token } });
    expect([expired.status, expired.body]).toEqual([422, { message: 'Failure', redirect_url: '/' }]);
    expect((await signIn(user.email, STRONG_PASSWORD)).status).toBe(401);

    const anonymous = await server.request('POST', '/api/v1/profile/resend_confirmation');
    expect(anonymous.status).toBe(401);
    const confirmedUser = await passwordUser();
    const res = await server.request('POST', '/api/v1/profile/resend_confirmation', {
      token: confirmedUser.access_token,
    });
    expect(res.status).toBe(200);
    // a mail queued for someone else after it arrives; none for the confirmed user before it
    const witness = await passwordUser();
    await server.request('POST', '/auth/password', { body: { email: witness.email } });
    await sink.mailTo(witness.email);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.mails.some((m) => m.envelopeTo.includes(confirmedUser.email))).toBe(false);
  });
});
