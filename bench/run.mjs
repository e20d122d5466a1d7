// npm run bench — runs every benchmark in this folder and prints its figures.
// bench:conversations runs here at CONVERSATIONS=100000 unless CONVERSATIONS is set: a tenth of its
// own default, so that it takes under a minute instead of ~5 and the whole run stays around 4 minutes
// (on a 2-CPU machine); `npm run bench:conversations` alone seeds the full 1,000,000.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [
  { file: 'startup.mjs' },
  { file: 'contacts.mjs' },
  { file: 'conversations.mjs', env: { CONVERSATIONS: process.env.CONVERSATIONS ?? '100000' } },
  { file: 'client.mjs' },
  // a fifth of the sockets keeps the whole run short; `npm run bench:cable` opens 10,000
  {
    file: 'cable.mjs',
    env: { AGENTS: process.env.AGENTS ?? '1000', CONTACTS: process.env.CONTACTS_SOCKETS ?? '1000', INBOXES: '50' },
  },
  // a 300-delivery backlog instead of 1,000; `npm run bench:webhooks` drains 1,000
  { file: 'webhooks.mjs', env: { BACKLOG: process.env.BACKLOG ?? '300', QUIET_SECONDS: '3' } },
];
for (const bench of benches) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(bench.file, import.meta.url))], {
    stdio: 'inherit',
    env: { ...process.env, ...bench.env },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
