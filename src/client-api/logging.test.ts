import { expect, it } from 'vitest';
import { runCli, useTracingServerProcess } from '../../test/processes.js';
import { identifierHash } from './hmac.js';

const traced = useTracingServerProcess();

it('never writes the hmac_token or an identifier_hash to the log', async () => {
  const { server, databaseUrl } = traced();
  const user = JSON.parse(
    (
      await runCli(
        [
          'user',
          'create',
          '--email',
          'logs@example.com',
          '--name',
          'Logs',
          '--password',
          'Passw0rd!',
          '--account-name',
          'Logs',
          '--json',
        ],
        { DATABASE_URL: databaseUrl },
      )
    ).stdout,
  );
  const inboxRes = await fetch(`${server.url}/api/v1/accounts/${user.account.id}/inboxes`, {
    method: 'POST',
    headers: { api_access_token: user.access_token, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Web', channel: { type: 'api', hmac_mandatory: true } }),
  });
  const inbox = await inboxRes.json();
  expect(inboxRes.status).toBe(200);
  const hash = identifierHash(inbox.hmac_token, 'logged-user');
  const base = `${server.url}/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`;
  const created = await fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: 'logged-user', identifier_hash: hash }),
  });
  const contact = await created.json();
  expect(created.status).toBe(200);
  expect((await fetch(`${base}/${contact.source_id}?identifier=logged-user&identifier_hash=${hash}`)).status).toBe(200);
  expect(
    (await fetch(`${base}/${contact.source_id}?identifier=logged-user&identifier_hash=${'0'.repeat(64)}`)).status,
  ).toBe(401);
  await new Promise((r) => setTimeout(r, 200));
  // the child's log lines come through a pipe, written after the answers (pino writes asynchronously)
  await expect.poll(() => server.output()).toContain('identifier_hash=[redacted]');
  const log = server.output();
  expect(log).toContain('identifier_hash=[redacted]');
  for (const secret of [inbox.hmac_token, hash, '0'.repeat(64)]) expect(log).not.toContain(secret);
});
