// npm run bench:cable — one Confab node on the embedded PostgreSQL with AGENTS agent sockets
// (default 5,000, spread over INBOXES inboxes) and CONTACTS contact sockets (default 5,000, one
// conversation each). Prints the server's RSS per 1,000 idle sockets, then posts messages through
// the HTTP API at RATE/s for SECONDS and prints delivery latency p50/p99 from the API response to
// the socket receiving the message (contacts, and one sampled agent per inbox). The first
// WARMUP_SECONDS (default 2) of load run at the same rate and are reported apart: they measure a
// cold server (JIT, the pool's connections and their prepared statements), not its steady state.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { jsonRequester } from './http.mjs';
import { cpuSeconds, memoryKb, treeCpuSeconds } from './proc.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const AGENTS = Number(process.env.AGENTS ?? 5000);
const CONTACTS = Number(process.env.CONTACTS ?? 5000);
// 20 agents per inbox: each message reaches 20 agents and its contact (Chatwoot sends agents only
// their inboxes' events); INBOXES=50 makes it 100 agents a message
const INBOXES = Number(process.env.INBOXES ?? 250);
const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);

const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));
const { migrate } = await import(path.join(root, 'dist/core/db/migrate.js'));
const { createAccountWithAdministrator } = await import(path.join(root, 'dist/domains/accounts/service.js'));
const { sql } = await import('kysely');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-cable-'));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0 });
const database = await openDatabase({ databaseUrl: pg.url }, {});
await migrate(database.db);
const db = database.db;

// ---- seed: account, inboxes, agents (members of one inbox each), contacts with a conversation each
const { account, user: admin } = await createAccountWithAdministrator(db, {
  accountName: 'Bench',
  name: 'Bench Admin',
  email: `admin-${Date.now()}@bench.test`,
  password: 'Passw0rd!bench',
});
const token = admin.accessToken;
await sql`insert into channel_api (account_id, identifier, hmac_token, secret)
  select ${account.id}, md5(random()::text), md5(random()::text), md5(random()::text) from generate_series(1, ${INBOXES})`.execute(
  db,
);
await sql`insert into inboxes (account_id, channel_type, channel_id, name)
  select ${account.id}, 'Channel::Api', id, 'Inbox ' || id from channel_api where account_id = ${account.id}`.execute(
  db,
);
const inboxes = (await sql`select id from inboxes where account_id = ${account.id} order by id`.execute(db)).rows.map(
  (r) => Number(r.id),
);
await sql`insert into users (name, email, pubsub_token, confirmed_at)
  select 'Agent ' || n, 'agent' || n || '-' || ${randomBytes(4).toString('hex')} || '@bench.test', md5(random()::text || n), now()
  from generate_series(1, ${AGENTS}) n`.execute(db);
const agents = (
  await sql`select id, pubsub_token from users where email like 'agent%@bench.test' order by id`.execute(db)
).rows.map((r, i) => ({ id: Number(r.id), token: r.pubsub_token, inbox: inboxes[i % inboxes.length] }));
await sql`insert into account_users (account_id, user_id, role) select ${account.id}, id, 0 from users where email like 'agent%@bench.test'`.execute(
  db,
);
for (let i = 0; i < agents.length; i += 1000) {
  const chunk = agents.slice(i, i + 1000);
  await db
    .insertInto('inbox_members')
    .values(chunk.map((a) => ({ inbox_id: a.inbox, user_id: a.id })))
    .execute();
}
await sql`insert into contacts (account_id, name, email) select ${account.id}, 'Contact ' || n, 'c' || n || '@bench.test' from generate_series(1, ${CONTACTS}) n`.execute(
  db,
);
await sql`insert into contact_inboxes (contact_id, inbox_id, source_id, pubsub_token)
  select c.id, (${sql.raw(`array[${inboxes.join(',')}]`)})[1 + (row_number() over (order by c.id) - 1) % ${INBOXES}], md5(random()::text || c.id), md5(c.id::text || random()::text)
  from contacts c where c.account_id = ${account.id}`.execute(db);
await sql`insert into conversations (account_id, inbox_id, contact_id, contact_inbox_id)
  select ${account.id}, ci.inbox_id, ci.contact_id, ci.id from contact_inboxes ci join contacts c on c.id = ci.contact_id where c.account_id = ${account.id} order by ci.id`.execute(
  db,
);
// each conversation holds its contact's question, waiting for the agent's reply the load sends: a
// live inbox's tables hold messages, and the plans made after the `analyze` below know it
await sql`insert into messages (account_id, inbox_id, conversation_id, message_type, content, sender_type, sender_id)
  select account_id, inbox_id, id, 0, 'question ' || display_id, 'Contact', contact_id from conversations where account_id = ${account.id}`.execute(
  db,
);
await sql`update conversations set waiting_since = now(), last_activity_at = now() where account_id = ${account.id}`.execute(
  db,
);
const contacts = (
  await sql`select ci.pubsub_token, cv.display_id, cv.inbox_id from conversations cv join contact_inboxes ci on ci.id = cv.contact_inbox_id
  where cv.account_id = ${account.id} order by cv.id`.execute(db)
).rows.map((r) => ({ token: r.pubsub_token, displayId: Number(r.display_id), inbox: Number(r.inbox_id) }));

// a live installation's tables have statistics (autovacuum analyzes them as they grow); without
// them, plans made right after the bulk seed above assume the tables are still nearly empty
await sql`analyze`.execute(db);

// ---- the server
// NODE_ARGS (e.g. --cpu-prof) go to the server's node, as in startConfab (http.mjs)
const server = spawn(
  process.execPath,
  [...(process.env.NODE_ARGS?.split(' ').filter(Boolean) ?? []), path.join(root, 'dist/cli.js'), 'start'],
  {
    env: {
      ...process.env,
      DATABASE_URL: pg.url,
      PORT: '0',
      LOG_LEVEL: 'info',
      CONFAB_DATA_DIR: path.join(dir, 'confab'),
      REDIS_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
const url = await new Promise((resolve, reject) => {
  let out = '';
  const onData = (chunk) => {
    if (out === null) return;
    out += chunk;
    const match = /Confab serving on (http:\/\/[^"\s]+)/.exec(out);
    if (match) {
      out = null;
      resolve(match[1]);
    }
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
});
const wsUrl = `${url.replace('http', 'ws')}/cable`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
await sleep(1000);
const rssBefore = memoryKb(server.pid).rss;

// ---- sockets
const pending = new Map(); // message content -> { answered: time the API answered, warm: whether it is a warm-up message }
const early = new Map(); // message content -> kinds of the sockets that got it before the API answered
const latencies = { contact: [], agent: [] };
const warmupLatencies = { contact: [], agent: [] };
// The load generator shares the CPUs with the server it measures, so its sockets do as little as
// they can: no UTF-8 validation of the server's frames, and a socket that is not sampled stops
// reading its frames as text once it is confirmed.
function openSocket(identifier, kind, sampled) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, ['actioncable-v1-json'], { skipUTF8Validation: true });
    let confirmed = false;
    socket.on('message', (raw) => {
      if (confirmed && !sampled) return;
      const text = raw.toString();
      if (!confirmed) {
        if (text.includes('"confirm_subscription"')) {
          confirmed = true;
          resolve(socket);
        } else if (text.includes('"reject_subscription"')) reject(new Error('rejected'));
        return;
      }
      if (!text.includes('message.created')) return;
      const content = /"content":"(bench [^"]+)"/.exec(text)?.[1];
      if (!content) return;
      const sent = pending.get(content);
      // delivered before the API's answer reached us: a latency of 0 by this measure
      if (sent === undefined) early.set(content, [...(early.get(content) ?? []), kind]);
      else (sent.warm ? warmupLatencies : latencies)[kind].push(Math.max(0, performance.now() - sent.answered));
    });
    socket.on('open', () =>
      socket.send(JSON.stringify({ command: 'subscribe', identifier: JSON.stringify(identifier) })),
    );
    socket.on('error', reject);
  });
}
const started = Date.now();
const sockets = [];
const sampledInbox = new Set();
for (let i = 0; i < agents.length; i += 200) {
  sockets.push(
    ...(await Promise.all(
      agents.slice(i, i + 200).map((a) => {
        const sampled = !sampledInbox.has(a.inbox);
        sampledInbox.add(a.inbox);
        return openSocket(
          { channel: 'RoomChannel', pubsub_token: a.token, account_id: account.id, user_id: a.id },
          'agent',
          sampled,
        );
      }),
    )),
  );
}
for (let i = 0; i < contacts.length; i += 200) {
  sockets.push(
    ...(await Promise.all(
      contacts
        .slice(i, i + 200)
        .map((c) => openSocket({ channel: 'RoomChannel', pubsub_token: c.token }, 'contact', true)),
    )),
  );
}
const connectSeconds = (Date.now() - started) / 1000;
// idle long enough for V8 to collect what connecting left behind; the server's CPU over the last
// part of it is what the idle sockets cost a second (their pings), whatever the load
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 20);
const IDLE_SAMPLE_SECONDS = Math.min(10, IDLE_SECONDS / 2);
await sleep((IDLE_SECONDS - IDLE_SAMPLE_SECONDS) * 1000);
const idleCpuStart = treeCpuSeconds(server.pid);
const idleStart = performance.now();
await sleep(IDLE_SAMPLE_SECONDS * 1000);
const idleCpuPerSecond = (treeCpuSeconds(server.pid) - idleCpuStart) / ((performance.now() - idleStart) / 1000);
const rssIdle = memoryKb(server.pid).rss;

// ---- load: RATE messages a second through the API, each in the next contact's conversation, over
// kept-alive connections (node:http: fetch costs the load generator several times the CPU)
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const request = jsonRequester(agent);
const warmupTotal = RATE * WARMUP_SECONDS;
const total = warmupTotal + RATE * SECONDS;
const apiTimes = [];
const warmupApiTimes = [];
let sent = 0;
// CPU per steady message: the server's, and PostgreSQL's (this process's other children). On a
// small machine p99 swings with every run; CPU per message moves only when the work does.
const cpuNow = () => {
  const server_ = treeCpuSeconds(server.pid);
  return { server: server_, postgres: treeCpuSeconds(process.pid) - cpuSeconds(process.pid) - server_ };
};
let cpuSteadyStart = cpuNow();
let steadyStart = performance.now();
const t0 = performance.now();
const posts = [];
while (sent < total) {
  const due = t0 + (sent * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  const target = contacts[sent % contacts.length];
  const content = `bench ${sent}`;
  const warm = sent < warmupTotal;
  if (sent === warmupTotal) {
    cpuSteadyStart = cpuNow();
    steadyStart = performance.now();
  }
  const begun = performance.now();
  posts.push(
    request(
      'POST',
      `${url}/api/v1/accounts/${account.id}/conversations/${target.displayId}/messages`,
      { content },
      { api_access_token: token },
    ).then((res) => {
      if (res.status !== 200) throw new Error(`POST answered ${res.status}`);
      const answered = performance.now();
      pending.set(content, { answered, warm });
      (warm ? warmupApiTimes : apiTimes).push(answered - begun);
      for (const kind of early.get(content) ?? []) (warm ? warmupLatencies : latencies)[kind].push(0);
      early.delete(content);
    }),
  );
  sent++;
}
await Promise.all(posts);
await sleep(2000);
const cpuSteadyEnd = cpuNow();
const steadySeconds = (performance.now() - steadyStart) / 1000;
const achieved = total / ((performance.now() - t0 - 2000) / 1000);

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};
const f = (n) => n.toFixed(1).padStart(8);
console.log(
  `sockets: ${agents.length} agents + ${contacts.length} contacts (${INBOXES} inboxes), connected in ${connectSeconds.toFixed(1)} s`,
);
console.log(
  `server RSS: ${(rssBefore / 1024).toFixed(0)} MB before sockets, ${(rssIdle / 1024).toFixed(0)} MB with them idle: ${((rssIdle - rssBefore) / 1024 / (sockets.length / 1000)).toFixed(1)} MB per 1,000 idle sockets`,
);
console.log(
  `load: ${total} messages at ${RATE}/s requested (${achieved.toFixed(0)}/s achieved); each to ${Math.round(AGENTS / INBOXES)} agents + 1 contact`,
);
const table = (title, api, delivered) => {
  console.log(`${title.padEnd(25)}p50 ms   p99 ms   samples`);
  console.log(`API POST message       ${f(pct(api, 50))} ${f(pct(api, 99))}   ${api.length}`);
  console.log(
    `delivery to contact    ${f(pct(delivered.contact, 50))} ${f(pct(delivered.contact, 99))}   ${delivered.contact.length}`,
  );
  console.log(
    `delivery to agent      ${f(pct(delivered.agent, 50))} ${f(pct(delivered.agent, 99))}   ${delivered.agent.length}`,
  );
};
const perMessage = (key) => (((cpuSteadyEnd[key] - cpuSteadyStart[key]) * 1000) / (RATE * SECONDS)).toFixed(2);
console.log(
  `CPU per message after the warm-up: server ${perMessage('server')} ms, PostgreSQL ${perMessage('postgres')} ms`,
);
// The line above divides all the server's CPU over the window by the messages, the idle sockets'
// pings included (~0.1 core for 10,000): a run the box's other load stretches (achieved < requested)
// counts more seconds of pings per message. Without them, the figure depends on the messages only.
const messageCpu = (cpuSteadyEnd.server - cpuSteadyStart.server - idleCpuPerSecond * steadySeconds) / (RATE * SECONDS);
console.log(
  `server CPU idle: ${(idleCpuPerSecond * 1000).toFixed(0)} ms/s; per message without it: ${(messageCpu * 1000).toFixed(2)} ms (window ${steadySeconds.toFixed(1)} s)`,
);
if (warmupTotal) table(`first ${WARMUP_SECONDS} s (cold server)`, warmupApiTimes, warmupLatencies);
table(`next ${SECONDS} s`, apiTimes, latencies);

for (const socket of sockets) socket.terminate();
agent.destroy();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
await database.close();
await pg.stop();
fs.rmSync(dir, { recursive: true, force: true });
