// `npm start` / `npx confab` on the embedded PostgreSQL, as a user runs them: separate processes
// sharing one data directory, Ctrl-C, and crashes of either process.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/core/db/embedded.js';
import { autogroupNice } from '../src/core/sched/lower-priority.js';
import { alive, postmasterPidOf, runCli, startServerProcess, waitFor, type ServerProcess } from './processes.js';

let dataDir: string;
const env = () => ({ CONFAB_DATA_DIR: dataDir });
const running: ServerProcess[] = [];

const postmasterPid = () => postmasterPidOf(dataDir);

async function start(): Promise<ServerProcess> {
  const server = await startServerProcess(env());
  running.push(server);
  return server;
}

async function createApp(name: string): Promise<{ id: number; access_token: string }> {
  const res = await runCli(['platform-app', 'create', '--name', name, '--json'], env());
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

const api = async (server: ServerProcess, token: string) =>
  fetch(`${server.url}/platform/api/v1/agent_bots`, { headers: { api_access_token: token } });

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-life-'));
});

afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  const pid = await postmasterPid();
  if (pid) process.kill(pid, 'SIGQUIT');
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('embedded PostgreSQL lifecycle', () => {
  it('the CLI initialises and starts the database when no server runs, then stops it', async () => {
    const app = await createApp('Before server');
    expect(app.access_token).toBeTruthy();
    expect(await postmasterPid()).toBeUndefined();
    const files = await fs.readdir(dataDir);
    expect(files).toEqual(expect.arrayContaining(['pg', 'credentials.json']));
    const mode = (await fs.stat(path.join(dataDir, 'credentials.json'))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('the server serves the same data; the CLI attaches to its database while it runs; Ctrl-C stops both', async () => {
    const server = await start();
    const status = await (await fetch(`${server.url}/api`)).json();
    expect(status).toMatchObject({ queue_services: 'ok', data_services: 'ok' });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    const pid = await postmasterPid();
    expect(pid).toBeDefined();
    const app = await createApp('While serving');
    expect(await postmasterPid()).toBe(pid); // the CLI did not stop the server's database
    expect((await api(server, app.access_token)).status).toBe(200);

    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    await waitFor(() => !alive(pid!), 10_000, 'postmaster to stop');
    await expect(fs.stat(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
  });

  it('after the server is killed (kill -9), the next start adopts the orphaned database and Ctrl-C stops it', async () => {
    const first = await start();
    const app = await createApp('Survives crash');
    const pid = await postmasterPid();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(pid!)).toBe(true); // orphaned, still holding the data directory

    const second = await start();
    expect(await postmasterPid()).toBe(pid);
    expect((await api(second, app.access_token)).status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    await waitFor(() => !alive(pid!), 10_000, 'adopted postmaster to stop');
  });

  it('when the database is killed (kill -9), the server exits non-zero and the next start recovers', async () => {
    const first = await start();
    const app = await createApp('Survives db crash');
    const pid = await postmasterPid();
    process.kill(pid!, 'SIGKILL');
    expect(await first.exited).not.toBe(0);

    const second = await start();
    expect((await api(second, app.access_token)).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // two servers' whole lives, a CLI and a crash recovery: under the full suite's load on 2 cores
    // one server's start alone took 4-5 s
  }, 60_000);

  it("runs the background drains' statements in backends that yield the CPU to those answering requests", async () => {
    const server = await start();
    const app = await createApp('Priorities');
    expect((await api(server, app.access_token)).status).toBe(200);
    // attached as the CLI attaches to a running server's database (not owned: left running)
    const attached = await startEmbeddedPostgres({ dataDir, port: 0 });
    const client = new pg.Client({ connectionString: attached.url });
    await client.connect();
    try {
      // a process's nice value: the 19th field of /proc/<pid>/stat, the 17th after its name's ")"
      const niceOf = async (pid: number) =>
        Number((await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')[16]);
      const backends = async (name: string) =>
        (
          await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [name])
        ).rows.map((r) => r.pid);
      // the automation drainer and the rollup folder poll at once after the start
      await waitFor(async () => (await backends('confab background')).length > 0, 10_000, 'a background connection');
      const postmaster = await niceOf((await postmasterPid())!);
      const serving = await backends('confab');
      expect(serving.length).toBeGreaterThan(0);
      for (const pid of serving) expect(await niceOf(pid)).toBe(postmaster);
      await waitFor(
        async () => {
          const nices = await Promise.all((await backends('confab background')).map(niceOf));
          return nices.every((nice) => nice === Math.min(19, postmaster + 10));
        },
        5_000,
        'the background backends to run at a lower priority',
      );
      // where the kernel groups processes by session (autogroup), each backend leads a session of
      // its own, and its session's nice value is the one weighed against the others'
      if (autogroupNice(serving[0]!) !== undefined) {
        for (const pid of serving) expect(autogroupNice(pid)).toBe(0);
        for (const pid of await backends('confab background'))
          expect(autogroupNice(pid)).toBe(Math.min(19, postmaster + 10));
      }
      // lowered before the pool hands the connection out: no query is sent while that one runs,
      // which pg warns of on the server's stderr
      expect(server.output()).not.toContain('DeprecationWarning');
    } finally {
      await client.end();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('runs the cluster with the settings of a write-heavy embedded database', async () => {
    const own = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-settings-'));
    const cluster = await startEmbeddedPostgres({ dataDir: own, port: 0 });
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const setting = async (name: string) =>
        (await client.query<{ setting: string }>('select current_setting($1) as setting', [name])).rows[0]!.setting;
      expect(await setting('wal_init_zero')).toBe('off');
      expect(await setting('max_wal_size')).toBe('4GB');
      expect(await setting('checkpoint_timeout')).toBe('30min');
      expect(await setting('shared_buffers')).toBe('128MB');
    } finally {
      await client.end();
      await cluster.stop();
      await fs.rm(own, { recursive: true, force: true });
    }
  });
});
