// SIGTERM under load (issue 23, item 8): `confab start` on its embedded PostgreSQL stops taking
// connections, answers every request it had accepted — one of them still sending its body when the
// signal came —, tells /cable clients to reconnect, and stops its database before it exits 0.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCable, subscribeRoom } from './cable.js';
import { requestTo } from './harness.js';
import { postmasterPidOf, runCli, startServerProcess, waitFor, type ServerProcess } from './processes.js';

let dataDir: string;
const running: ServerProcess[] = [];

const postmasterPid = () => postmasterPidOf(dataDir);

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'confab-sigterm-'));
});

afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  const pid = await postmasterPid();
  if (pid) process.kill(pid, 'SIGQUIT');
  await fs.rm(dataDir, { recursive: true, force: true });
});

interface Outcome {
  content: string;
  status?: number;
  body?: any;
  error?: string;
  /** performance.now() when the answer (or the error) came. */
  at: number;
}

/** A POST on a connection of its own (no keep-alive): the server either takes it or refuses the connection. */
function post(url: string, token: string, body: unknown): Promise<Omit<Outcome, 'content'>> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', api_access_token: token, connection: 'close' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, body: safeJson(text), at: performance.now() }));
      res.on('error', (e) => resolve({ error: e.message, at: performance.now() }));
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message, at: performance.now() }));
    req.end(payload);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

describe('graceful shutdown', () => {
  it('answers every accepted request, tells /cable to reconnect, stops the database, exits 0', async () => {
    const made = await runCli(
      [
        'user',
        'create',
        '--email',
        'ops@example.com',
        '--name',
        'Ops',
        '--password',
        'Passw0rd!long',
        '--account-name',
        'Ops',
        '--json',
      ],
      { CONFAB_DATA_DIR: dataDir },
    );
    expect(made.code, made.stderr).toBe(0);
    const admin = JSON.parse(made.stdout) as { id: number; access_token: string; account: { id: number } };
    const server = await startServerProcess({ CONFAB_DATA_DIR: dataDir, CONFAB_SHUTDOWN_TIMEOUT_MS: '15000' });
    running.push(server);
    const api = requestTo(server.url);
    const base = `/api/v1/accounts/${admin.account.id}`;
    const as = { token: admin.access_token };
    const inbox = await api('POST', `${base}/inboxes`, { ...as, body: { name: 'Ops', channel: { type: 'api' } } });
    const contact = await api('POST', `${base}/contacts`, { ...as, body: { name: 'C', email: 'c@example.com' } });
    const conversation = await api('POST', `${base}/conversations`, {
      ...as,
      body: { inbox_id: inbox.body.id, contact_id: contact.body.payload.contact.id },
    });
    expect(conversation.status, conversation.text).toBe(200);
    const messagesUrl = `${server.url}${base}/conversations/${conversation.body.id}/messages`;
    const profile = await api('GET', '/api/v1/profile', as);

    const cable = await openCable(server.url);
    await subscribeRoom(cable, {
      pubsub_token: profile.body.pubsub_token,
      account_id: admin.account.id,
      user_id: admin.id,
    });

    // a request whose body is still arriving when SIGTERM comes: accepted, so it must be answered
    const slowPayload = JSON.stringify({ content: 'slow-body' });
    const slow = http.request(messagesUrl, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(slowPayload),
        api_access_token: admin.access_token,
      },
    });
    const slowAnswer = new Promise<Outcome>((resolve) => {
      slow.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({ content: 'slow-body', status: res.statusCode, body: safeJson(text), at: performance.now() }),
        );
      });
      slow.on('error', (e) => resolve({ content: 'slow-body', error: e.message, at: performance.now() }));
    });
    slow.write(slowPayload.slice(0, 5));

    // continuous load: each loop posts until the server stops taking connections
    const outcomes: Outcome[] = [];
    let sent = 0;
    let stop = false;
    const loop = async () => {
      while (!stop) {
        const content = `load-${sent++}`;
        const outcome = { content, ...(await post(messagesUrl, admin.access_token, { content })) };
        outcomes.push(outcome);
        if (outcome.error) return;
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    await waitFor(() => outcomes.length >= 30, 30_000, 'load to get going');

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    await waitFor(() => server.output().includes('shutting down'), 10_000, 'the server to start shutting down');
    slow.end(slowPayload.slice(5));
    const code = await server.exited;
    stop = true;
    await Promise.all(loops);
    const slowOutcome = await slowAnswer;

    expect(code, server.output()).toBe(0);
    expect(await postmasterPid()).toBeUndefined();
    // the request that was still sending its body was answered in full
    expect(slowOutcome.status, JSON.stringify(slowOutcome)).toBe(200);
    expect(slowOutcome.body).toMatchObject({ content: 'slow-body' });
    expect(slowOutcome.at).toBeGreaterThan(signalledAt);
    // every load request either got a full answer, or was refused before the server took it
    for (const o of outcomes) {
      if (o.error) expect(['ECONNREFUSED', 'ECONNRESET'], JSON.stringify(o)).toContain(o.error);
      else if (o.status === 200) expect(o.body, JSON.stringify(o)).toMatchObject({ content: o.content });
      else expect(o.status, JSON.stringify(o)).toBe(503);
    }
    // the /cable client was told to reconnect
    expect(cable.frames).toContainEqual({ type: 'disconnect', reason: 'server_restart', reconnect: true });
    cable.close();

    // and nothing was done without its answer: the stored messages are exactly the answered ones
    const again = await startServerProcess({ CONFAB_DATA_DIR: dataDir });
    running.push(again);
    const stored = new Set<string>();
    // newest first, 20 at a time, each page before the oldest of the last
    for (let before: number | undefined; ; ) {
      const page = await requestTo(again.url)('GET', `${base}/conversations/${conversation.body.id}/messages`, {
        ...as,
        query: before === undefined ? {} : { before },
      });
      expect(page.status, page.text).toBe(200);
      const list = page.body.payload as { id: number; content: string }[];
      if (list.length === 0) break;
      for (const m of list) stored.add(m.content);
      before = Math.min(...list.map((m) => m.id));
    }
    const answered = outcomes.filter((o) => o.status === 200).map((o) => o.content);
    const unanswered = outcomes.filter((o) => o.status !== 200).map((o) => o.content);
    expect(answered.length).toBeGreaterThanOrEqual(30);
    for (const content of answered) expect(stored, content).toContain(content);
    for (const content of unanswered) expect(stored, content).not.toContain(content);
    expect(stored).toContain('slow-body');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 180_000);

  it('stops gracefully when signalled as it starts serving, while its jobs and webhook thread still start', async () => {
    // the URL is logged at listen; the background work starts after it (server.ts)
    const server = await startServerProcess({ CONFAB_DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
    running.push(server);
    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);
    const log = server.output();
    // it waited for the background work to start, then stopped it: graphile-worker's runner
    // connected and stopped again, rather than the process dying mid-start
    expect(log.indexOf('Worker connected'), log).toBeGreaterThan(log.indexOf('Confab serving on'));
    expect(log.indexOf('Runner stopping'), log).toBeGreaterThan(log.indexOf('Worker connected'));
    expect(log).toContain('"msg":"stopped"');
    expect(await postmasterPid()).toBeUndefined();
  }, 60_000);
});
