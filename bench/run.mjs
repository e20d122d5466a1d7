// npm run bench — runs every benchmark in this folder and prints its figures.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = ['startup.mjs', 'contacts.mjs', 'client.mjs'];
for (const bench of benches) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(bench, import.meta.url))], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
