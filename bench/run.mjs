// npm run bench — runs every benchmark in this folder and prints its figures, then one table of
// the figures issue 23 set goals for (bench/figures.mjs): each, its goal, and whether it is met.
// bench:conversations runs here at CONVERSATIONS=100000 unless CONVERSATIONS is set: a tenth of its
// own default, so that it takes under a minute instead of ~5 and the whole run stays around 4 minutes
// (on a 2-CPU machine); `npm run bench:conversations` alone seeds the full 1,000,000.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figuresTable } from './figures.mjs';

const benches = [
  // first, on a machine no other bench has loaded yet
  { file: 'machine.mjs' },
  { file: 'startup.mjs' },
  { file: 'contacts.mjs' },
  { file: 'conversations.mjs', env: { CONVERSATIONS: process.env.CONVERSATIONS ?? '100000' } },
  { file: 'client.mjs' },
  // a fifth of the sockets keeps the whole run short; `npm run bench:cable` opens 10,000
  {
    file: 'cable.mjs',
    env: { AGENTS: process.env.AGENTS ?? '1000', CONTACTS: process.env.CONTACTS_SOCKETS ?? '1000', INBOXES: '50' },
  },
  // 3 s of API load with and without a backlog instead of 5, three rounds of each (the p99s over
  // ~1,700 and ~3,500 requests: two rounds' ratio moved 1.15-1.56x between runs); the backlog
  // drained under that load lasts as long (bench:webhooks' LOADED_BACKLOG)
  { file: 'webhooks.mjs', env: { QUIET_SECONDS: '3', ROUNDS: process.env.ROUNDS ?? '3' } },
  { file: 'message.mjs' },
];
const figures = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-figures-')), 'figures.jsonl');
const failed = [];
for (const bench of benches) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(bench.file, import.meta.url))], {
    stdio: 'inherit',
    env: { ...process.env, ...bench.env, BENCH_FIGURES: figures },
  });
  // one bench failing leaves the others' figures to report
  if (result.status !== 0) failed.push(`${bench.file} (exit ${result.status ?? result.signal})`);
}
console.log(`\nIssue 23: the figures and their goals (${os.cpus().length} CPUs)`);
console.log(figuresTable(figures));
fs.rmSync(path.dirname(figures), { recursive: true, force: true });
if (failed.length) {
  console.log(`Failed: ${failed.join(', ')}`);
  process.exit(1);
}
