// npm run bench:startup — cold start (initdb) and warm start to the first 200 from GET /api,
// and idle memory of the server plus its embedded PostgreSQL, next to a bare Fastify "hello".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFigure } from './figures.mjs';
import { memoryKb, mb, processTree, sumMemory } from './proc.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function launch(args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const url = new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /(?:Confab serving on|listening on) (http:\/\/[^"\s]+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 2);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code}: ${output}`));
    });
  });
  return { child, url, exited: new Promise((r) => child.on('exit', r)) };
}

async function timeToFirst200(args, env, pathName) {
  const started = process.hrtime.bigint();
  const proc = launch(args, env);
  const base = await proc.url;
  for (;;) {
    const res = await fetch(base + pathName).catch(() => undefined);
    if (res?.status === 200) break;
    await sleep(5);
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, proc };
}

async function stop(proc) {
  proc.child.kill('SIGINT');
  await proc.exited;
}

function postmasterPid(dataDir) {
  try {
    return Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-'));
fs.chmodSync(dataDir, 0o755);
const env = { PORT: '0', LOG_LEVEL: 'info', CONFAB_DATA_DIR: dataDir, DATABASE_URL: '' };
const confab = ['bin/confab.js', 'start']; // what `npx confab start` runs
const RUNS = 5;

try {
  const cold = await timeToFirst200(confab, env, '/api');
  await stop(cold.proc);
  const hello = `import Fastify from 'fastify';
const app = Fastify(); app.get('/', async () => ({ hello: 'world' }));
const address = await app.listen({ port: 0, host: '127.0.0.1' }); console.log('listening on ' + address);`;
  // warm starts and bare Fastify's alternate, 5 of each, and each figure is its median: one bare
  // start alone swung from 270 to 510 ms on a busy machine, and the ratio with it
  const warmRuns = [];
  const bareRuns = [];
  let warm;
  let bare;
  for (let i = 0; i < RUNS; i++) {
    warm = await timeToFirst200(confab, env, '/api');
    warmRuns.push(warm.ms);
    if (i < RUNS - 1) await stop(warm.proc);
    bare = await timeToFirst200(['--input-type=module', '-e', hello], {}, '/');
    bareRuns.push(bare.ms);
    if (i < RUNS - 1) await stop(bare.proc);
  }
  await sleep(3000); // let both settle to idle
  const node = memoryKb(warm.proc.child.pid);
  const pgPid = postmasterPid(dataDir);
  const pg = sumMemory(processTree(pgPid));
  await stop(warm.proc);
  const bareMem = memoryKb(bare.proc.child.pid);
  await stop(bare.proc);

  const median = (runs) => [...runs].sort((a, b) => a - b)[runs.length >> 1];
  const warmMs = median(warmRuns);
  const bareMs = median(bareRuns);
  const list = (runs) => runs.map((m) => m.toFixed(0)).join(', ');
  console.log('Confab startup and idle memory (embedded PostgreSQL)');
  console.log(`  cold start to first 200 (initdb included): ${cold.ms.toFixed(0)} ms`);
  console.log(`  warm start to first 200 (median of ${RUNS}):     ${warmMs.toFixed(0)} ms  [${list(warmRuns)}]`);
  console.log(`  idle server process:    RSS ${mb(node.rss)}, PSS ${mb(node.pss)}`);
  console.log(`  idle embedded postgres: RSS ${mb(pg.rss)} (sum over processes), PSS ${mb(pg.pss)}`);
  console.log(`  idle total:             PSS ${mb(node.pss + pg.pss)}  (RSS sum ${mb(node.rss + pg.rss)})`);
  console.log('Bare Fastify "hello" (same machine, same run)');
  console.log(`  start to first 200 (median of ${RUNS}): ${bareMs.toFixed(0)} ms  [${list(bareRuns)}]`);
  console.log(`  idle process:           RSS ${mb(bareMem.rss)}, PSS ${mb(bareMem.pss)}`);
  recordFigure('startup.warm', warmMs);
  recordFigure('startup.warm_vs_bare', warmMs / bareMs);
  recordFigure('startup.cold', cold.ms);
} finally {
  const pid = postmasterPid(dataDir);
  if (pid)
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      /* stopped */
    }
  await sleep(500);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
