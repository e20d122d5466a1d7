import { expect, it } from 'vitest';
import { runCli, useTracingServerProcess } from './processes.js';

const traced = useTracingServerProcess();

it('never writes tokens or passwords to the log, even at trace level', async () => {
  const { server, databaseUrl } = traced();
  const app = JSON.parse(
    (await runCli(['platform-app', 'create', '--name', 'Logs', '--json'], { DATABASE_URL: databaseUrl })).stdout,
  );
  const password = 'Sup3r-secret-pw!';
  const res = await fetch(`${server.url}/platform/api/v1/users`, {
    method: 'POST',
    headers: { api_access_token: app.access_token, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Logged', email: 'logged@example.com', password }),
  });
  const user = await res.json();
  expect(res.status).toBe(200);
  await fetch(`${server.url}/api/v1/profile`, { headers: { 'api-access-token': user.access_token } });
  await fetch(`${server.url}/api/v1/profile`, { headers: { api_access_token: 'wrong-token-value' } });
  await new Promise((r) => setTimeout(r, 200));
  // the child's log lines come through a pipe, written after the answers (pino writes asynchronously)
  await expect.poll(() => server.output()).toContain('/platform/api/v1/users');
  const log = server.output();
  expect(log).toContain('/platform/api/v1/users'); // the requests were logged...
  for (const secret of [app.access_token, user.access_token, password, 'wrong-token-value']) {
    expect(log).not.toContain(secret); // ...without their secrets
  }
});
