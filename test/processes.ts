import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase } from './harness.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
// the shipped entry point (`npx confab`), built by the global setup
const CLI = ['bin/confab.js'];

/** The environment a child gets: ours without DATABASE_URL/PORT unless the test sets them. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.DATABASE_URL;
  delete base.PORT;
  delete base.CONFAB_DATA_DIR;
  delete base.REDIS_URL;
  return { ...base, ...env };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `confab ...` to completion (in `cwd`: this checkout unless a test runs a copy elsewhere). */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], {
      cwd,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  output(): string;
}

/** Starts `confab start` on a random port and waits until it serves. */
export function startServerProcess(env: Record<string, string | undefined> = {}, cwd = ROOT): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...CLI, 'start'], {
    cwd,
    env: childEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // a server that never said it serves must not outlive the test
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Confab serving on (http:\/\/[^"\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, child, exited, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${output}`));
    });
  });
}

/**
 * The pid of the postmaster running in a data directory (its `pg/postmaster.pid`), if it still is a
 * postgres process: the file outlives a killed postmaster, and with Linux's default pid_max of
 * 32,768 a suite that forks thousands of backends reuses pids, so a stale file may name a
 * process of another test (a restore CLI was killed by such a SIGQUIT once).
 */
export async function postmasterPidOf(dataDir: string): Promise<number | undefined> {
  const text = await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  if (!pid || !alive(pid)) return undefined;
  const comm = await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => 'postgres');
  return comm.trim() === 'postgres' ? pid : undefined;
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** beforeAll/afterAll pair: a `confab start` process logging at trace level on its own fresh database. */
export function useTracingServerProcess(): () => { server: ServerProcess; databaseUrl: string } {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: ServerProcess;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: database.url, LOG_LEVEL: 'trace' });
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await database.drop();
  });
  return () => ({ server, databaseUrl: database.url });
}
