import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from './harness.js';
import { runCli, startServerProcess, waitFor, type ServerProcess } from './processes.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ServerProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  // info, the default level; SMTP_ADDRESS empty: no SMTP, whatever the environment says
  server = await startServerProcess({
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    SMTP_ADDRESS: '',
    FRONTEND_URL: 'https://desk.example.com',
  });
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await database?.drop();
});

interface LoggedMail {
  from: string;
  to: string;
  subject: string;
  body: string;
}

const MAIL_LINE = 'mail written to the log: SMTP is not configured (SMTP_ADDRESS)';
const logLines = () =>
  server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string; mail?: LoggedMail });

async function loggedMailTo(email: string, subject: string) {
  let found: LoggedMail | undefined;
  await waitFor(() => {
    found = logLines().find((l) => l.msg === MAIL_LINE && l.mail?.to === email && l.mail.subject === subject)?.mail;
    return found !== undefined;
  }, 10_000);
  return found!;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : text };
}

it('without SMTP, mails go to the log at info level, and their tokens appear on that line only', async () => {
  const app = JSON.parse(
    (await runCli(['platform-app', 'create', '--name', 'Mail log', '--json'], { DATABASE_URL: database.url })).stdout,
  );
  const email = 'logged-mail@example.com';
  const user = await call(
    'POST',
    '/platform/api/v1/users',
    { name: 'Logged Mail', email, password: 'Passw0rd!' },
    { api_access_token: app.access_token },
  );
  expect(user.status, user.text).toBe(200);

  expect((await call('POST', '/auth/password', { email })).status).toBe(200);
  const reset = await loggedMailTo(email, 'Reset password instructions');
  expect(reset.body).toContain(`Hello! ${email}!`);
  const resetToken = /reset_password_token=([1-9A-Za-z]+)/.exec(reset.body)![1]!;
  expect(reset.body).toContain(`https://desk.example.com/app/auth/password/edit?reset_password_token=${resetToken}`);
  const put = await call('PUT', '/auth/password', {
    reset_password_token: resetToken,
    password: 'N3w-Passw0rd!',
    password_confirmation: 'N3w-Passw0rd!',
  });
  expect(put.status, put.text).toBe(200);

  // an unconfirmed user asks again for the confirmation mail, then follows its link
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('update users set confirmed_at = null where id = $1', [user.body.id]);
  await client.end();
  const resend = await call('POST', '/api/v1/profile/resend_confirmation', undefined, {
    api_access_token: user.body.access_token,
  });
  expect(resend.status).toBe(200);
  const confirmation = await loggedMailTo(email, 'Confirmation Instructions');
  const confirmationToken = /confirmation_token=([1-9A-Za-z]+)/.exec(confirmation.body)![1]!;
  const follow = await call('GET', `/auth/confirmation?confirmation_token=${confirmationToken}`);
  expect(follow.status).toBe(302);

  await new Promise((resolve) => setTimeout(resolve, 300));
  // the followed link's request line, written to the pipe after its answer (pino writes asynchronously)
  await expect.poll(() => server.output()).toContain('/auth/confirmation?confirmation_token=[redacted]');
  const lines = server.output().split('\n');
  for (const token of [resetToken, confirmationToken]) {
    const holding = lines.filter((line) => line.includes(token));
    expect(holding.length).toBe(1);
    const line = JSON.parse(holding[0]!);
    expect([line.level, line.msg]).toEqual([30, MAIL_LINE]);
  }
  // the followed link was logged as a request, its token censored
  expect(server.output()).toContain('/auth/confirmation?confirmation_token=[redacted]');
  expect(server.output()).not.toContain('N3w-Passw0rd!');
});
