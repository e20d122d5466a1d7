// POST /api/v1/accounts (Api::V1::AccountsController#create, AccountBuilder): gated by
// ENABLE_ACCOUNT_SIGNUP / CW_API_ONLY_SERVER, 403 { message } for the builder's refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, useTestServer } from '../../../test/harness.js';
import { linkIn, sinkEnv, startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.js';
import { buildAccountFixture, STRONG_PASSWORD } from '../../../test/factories.js';

let n = 0;
const unique = () => `${Date.now().toString(36)}${n++}`;
const signup = (overrides: Record<string, unknown> = {}) => ({
  account_name: 'Acme Support',
  user_full_name: 'Ada Lovelace',
  email: `ada-${unique()}@example.com`,
  password: STRONG_PASSWORD,
  ...overrides,
});

describe('sign-up turned off (the default)', () => {
  const server = useTestServer();
  it('answers 404 and creates nothing', async () => {
    const body = signup();
    const res = await server().request('POST', '/api/v1/accounts', { body });
    expect(res.status).toBe(404);
    const user = await server().db.selectFrom('users').select('id').where('email', '=', body.email).executeTakeFirst();
    expect(user).toBeUndefined();
  });
});

describe('API-only sign-up (CW_API_ONLY_SERVER=true)', () => {
  const server = useTestServer({ CW_API_ONLY_SERVER: 'true' });

  it('creates the account and its administrator, with session headers and the user JSON', async () => {
    const body = signup({ locale: 'fr' });
    const res = await server().request('POST', '/api/v1/accounts', { body });
    expect(res.status, res.text).toBe(200);
    for (const header of ['access-token', 'client', 'uid', 'expiry', 'token-type'])
      expect(res.headers.get(header), header).toBeTruthy();
    expect(res.headers.get('uid')).toBe(body.email);
    const data = res.body.data;
    expect(Object.keys(data)).toEqual([
      'id',
      'provider',
      'uid',
      'name',
      'display_name',
      'email',
      'account_id',
      'created_at',
      'pubsub_token',
      'role',
      'inviter_id',
      'confirmed',
      'avatar_url',
      'access_token',
      'accounts',
    ]);
    expect(data).toMatchObject({
      provider: 'email',
      uid: body.email,
      name: 'Ada Lovelace',
      email: body.email,
      role: 'administrator',
      confirmed: true,
    });
    expect(data.accounts).toEqual([
      { id: data.account_id, name: 'Acme Support', active_at: null, role: 'administrator', locale: 'fr' },
    ]);
    // the session and the access token both work
    const headers = Object.fromEntries(
      ['access-token', 'client', 'uid', 'expiry', 'token-type'].map((h) => [h, res.headers.get(h)!]),
    );
    const validated = await server().request('GET', '/auth/validate_token', { headers });
    expect(validated.status).toBe(200);
    const account = await server().request('GET', `/api/v1/accounts/${data.account_id}`, { token: data.access_token });
    expect(account.status).toBe(200);
    expect(account.body.name).toBe('Acme Support');
    const agents = await server().request('GET', `/api/v1/accounts/${data.account_id}/agents`, {
      token: data.access_token,
    });
    expect(agents.body.map((a: { email: string; role: string }) => [a.email, a.role])).toEqual([
      [body.email, 'administrator'],
    ]);
  });

  it("refuses bad input with Chatwoot's bodies and writes nothing", async () => {
    const taken = signup();
    expect((await server().request('POST', '/api/v1/accounts', { body: taken })).status).toBe(200);
    const accountsBefore = await server().db.selectFrom('accounts').select('id').execute();
    const cases: [Record<string, unknown>, number, unknown][] = [
      [
        { account_name: '', user_full_name: '' },
        403,
        { message: 'Invalid, please check the signup paramters and try again' },
      ],
      [{ email: 'not-an-email' }, 403, { message: 'You have entered an invalid email' }],
      [
        { email: taken.email.toUpperCase() },
        403,
        { message: `You have already signed up for an account with ${taken.email.toUpperCase()}` },
      ],
      [{ password: 'short' }, 422, expect.objectContaining({ message: expect.stringMatching(/^Password /) })],
      [{ account_name: 'x'.repeat(256) }, 422, expect.anything()],
    ];
    for (const [overrides, status, expected] of cases) {
      const res = await server().request('POST', '/api/v1/accounts', { body: signup(overrides) });
      expect(res.status, `${JSON.stringify(overrides)} → ${res.text}`).toBe(status);
      expect(res.body).toEqual(expected);
      expect(res.headers.get('access-token')).toBeNull();
    }
    expect(await server().db.selectFrom('accounts').select('id').execute()).toHaveLength(accountsBefore.length);
  });

  it('adds an account to a signed-in user, who administers it', async () => {
    const fx = await buildAccountFixture(server());
    const res = await server().request('POST', '/api/v1/accounts', {
      token: fx.agent.access_token,
      body: { account_name: 'Second Shop' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.id).toBe(fx.agent.id);
    const mine = res.body.data.accounts.find((a: { id: number }) => a.id === res.body.data.account_id);
    expect(mine).toMatchObject({ name: 'Second Shop', role: 'administrator' });
    expect(res.body.data.accounts.map((a: { id: number }) => a.id)).toContain(fx.account.id);
  });
});

describe('web sign-up (ENABLE_ACCOUNT_SIGNUP=true)', () => {
  let sink: SmtpSink;
  let server: TestServer;
  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startTestServer({
      ENABLE_ACCOUNT_SIGNUP: 'true',
      ...sinkEnv(sink),
      FRONTEND_URL: 'https://desk.example.com',
    });
  });
  afterAll(async () => {
    await server?.close();
    await sink?.close();
  });

  it('answers only the email; the user signs in once the confirmation mail is followed', async () => {
    const body = signup();
    const res = await server.request('POST', '/api/v1/accounts', { body });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ email: body.email });
    expect(res.headers.get('access-token')).toBeNull();
    const signIn = () =>
      server.request('POST', '/auth/sign_in', { body: { email: body.email, password: body.password } });
    // unconfirmed: an address nobody has shown they read cannot sign in
    expect((await signIn()).status).toBe(401);

    const mail = await sink.mailTo(body.email);
    const token = linkIn(mail, '/app/auth/confirmation').searchParams.get('confirmation_token')!;
    const confirmed = await server.request('POST', '/auth/confirmation', { body: { confirmation_token: token } });
    expect(confirmed.status, confirmed.text).toBe(200);
    const after = await signIn();
    expect(after.status, after.text).toBe(200);
    expect(after.body.data.accounts[0]).toMatchObject({ name: 'Acme Support', role: 'administrator' });
  });
});
