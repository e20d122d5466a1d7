// npm run bench:conversations — seeds one account with CONVERSATIONS conversations (default
// 1,000,000) of MESSAGES_PER_CONVERSATION messages each (default 10, so 10,000,000 messages) with
// generate_series SQL, then serves the account and times, over HTTP, the conversation list page 1
// (each assignee_type; status=all; as an agent), page 100, the meta counts, the label filters, the
// message list, message create and message search (a rare word, GET /search/messages), printing
// p50/p99 of each against the issue's targets (list and counts p99 <= 30 ms, the message list
// counted as a list; message create p99 <= 15 ms; message search p99 <= 100 ms). A p99 of
// 200 samples is the second-slowest request: other work on the machine's cores shows up in it.
//
// Where: with DATABASE_URL set, a fresh database on that server (created here, dropped at the end;
// the role must be a superuser for the fast seeding path, see below); otherwise an embedded
// PostgreSQL in a temp dir, as bench:contacts.
// Scale and sampling: CONVERSATIONS, MESSAGES_PER_CONVERSATION, SAMPLES (timed requests per
// endpoint, default 200), WARMUP (untimed requests first, default 20), SEED_BATCH (conversations per
// INSERT, default 50,000). `CONVERSATIONS=20000 npm run bench:conversations` is a quick run;
// KEEP_DATABASE=1 (with DATABASE_URL) leaves the seeded database in place, for EXPLAIN ANALYZE.
//
// The account, its administrator, agents, inboxes and labels are made through the Platform and
// Application APIs; the bulk (contacts, contact inboxes, conversations, messages, taggings) is
// inserted by SQL in large batches, as bulk loads are: with session_replication_role = replica, so
// neither the foreign-key checks nor the per-row triggers run (the data is consistent by
// construction; display ids are supplied, conversation_display_ids and conversation_counts are
// rebuilt afterwards). A role that may not set it falls back to disabling only the counters trigger.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mb } from './proc.mjs';

import { startServer, withClient } from './server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 1_000_000);
const MESSAGES = Number(process.env.MESSAGES_PER_CONVERSATION ?? 10);
const SAMPLES = Number(process.env.SAMPLES ?? 200);
const WARMUP = Number(process.env.WARMUP ?? 20);
const BATCH = Number(process.env.SEED_BATCH ?? 50_000);
const AGENTS = 20; // assignees, the bench administrator included
const INBOXES = 5;
const LABEL = 'billing'; // on ~5% of the conversations ('vip' on ~2%)
const TARGETS = { list: 30, create: 15, search: 100 };
// in the messages of ~40 conversations spread over the year (about 10 of them in the three months
// message search looks at): a rare word among millions of messages
const RARE_WORD = 'quokkaberry';
const RARE_EVERY = Math.floor(CONVERSATIONS / 40) + 1; // not a multiple of the 5 inboxes

for (const [name, value, min] of [
  ['CONVERSATIONS', CONVERSATIONS, 1],
  ['MESSAGES_PER_CONVERSATION', MESSAGES, 0],
  ['SAMPLES', SAMPLES, 1],
  ['WARMUP', WARMUP, 0],
  ['SEED_BATCH', BATCH, 1],
]) {
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
}

const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));
const { migrate } = await import(path.join(root, 'dist/core/db/migrate.js'));
const { createPlatformApp } = await import(path.join(root, 'dist/platform/apps/service.js'));

const seconds = (since) => Number(process.hrtime.bigint() - since) / 1e9;
const fmt = (n) => n.toLocaleString('en');
const progress = (line) => process.stderr.write(`  … ${line}\n`);

/** Deterministic PRNG (mulberry32), so two runs time the same conversations. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// The database: a fresh one on DATABASE_URL's server, or an embedded cluster in a temp dir.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-conversations-'));
fs.chmodSync(dir, 0o755);
let databaseUrl;
let where;
let teardownDatabase;
if (process.env.DATABASE_URL) {
  const adminUrl = process.env.DATABASE_URL;
  const name = `confab_bench_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  const version = await withClient(
    databaseUrl,
    async (c) => (await c.query('show server_version')).rows[0].server_version,
  );
  where = `PostgreSQL ${version} at ${url.host} (DATABASE_URL), database ${name}`;
  teardownDatabase = process.env.KEEP_DATABASE
    ? async () => console.log(`  kept database ${name} on ${url.host} (KEEP_DATABASE)`)
    : () => withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
} else {
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0 });
  databaseUrl = embedded.url;
  const version = await withClient(
    databaseUrl,
    async (c) => (await c.query('show server_version')).rows[0].server_version,
  );
  where = `embedded PostgreSQL ${version}`;
  teardownDatabase = () => embedded.stop();
}

let server;
// Ctrl-C mid-seed: still stop the server and drop the database (gigabytes at full scale)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    server?.child.kill('SIGTERM');
    await teardownDatabase().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}
try {
  const database = await openDatabase({ databaseUrl, dataDir: dir, embeddedPgPort: 0 });
  await migrate(database.db);
  const platformApp = await createPlatformApp(database.db, 'Confab bench');
  await database.close();

  server = await startServer(root, {
    DATABASE_URL: databaseUrl,
    CONFAB_DATA_DIR: path.join(dir, 'server'),
    PORT: '0',
    LOG_LEVEL: 'info',
  });

  async function api(method, pathName, token, body) {
    const res = await fetch(`${server.url}${pathName}`, {
      method,
      headers: { api_access_token: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${pathName}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // The account through the APIs: administrator + agents (Platform API), inboxes, inbox members
  // and labels (Application API, as the administrator).
  const setupStarted = process.hrtime.bigint();
  const platform = (method, p, body) => api(method, `/platform/api/v1${p}`, platformApp.access_token, body);
  const account = await platform('POST', '/accounts', { name: 'Bench Conversations' });
  const users = [];
  for (let i = 0; i < AGENTS; i++) {
    const user = await platform('POST', '/users', {
      name: i === 0 ? 'Bench Admin' : `Bench Agent ${i}`,
      email: `bench-${i}-${randomBytes(3).toString('hex')}@example.com`,
      password: 'Passw0rd!',
    });
    await platform('POST', `/accounts/${account.id}/account_users`, {
      user_id: user.id,
      role: i === 0 ? 'administrator' : 'agent',
    });
    users.push(user);
  }
  const [admin, agent] = users;
  const app = (method, p, body, token = admin.access_token) =>
    api(method, `/api/v1/accounts/${account.id}${p}`, token, body);
  const inboxes = [];
  for (let i = 0; i < INBOXES; i++)
    inboxes.push(await app('POST', '/inboxes', { name: `Bench inbox ${i + 1}`, channel: { type: 'api' } }));
  // the measured agent sees two of the five inboxes; the other agents all of them
  for (const [i, inbox] of inboxes.entries()) {
    await app('POST', '/inbox_members', {
      inbox_id: inbox.id,
      user_ids: users
        .slice(1)
        .filter((u) => u !== agent || i < 2)
        .map((u) => u.id),
    });
  }
  for (const title of [LABEL, 'vip', 'bug']) await app('POST', '/labels', { title });
  const setupSeconds = seconds(setupStarted);

  // -------------------------------------------------------------------------------------------
  // The bulk, by SQL. Conversation g (0-based) has display id g+1; contact k = g % CONTACTS (two
  // conversations a contact, in the contact's one inbox); created_at grows with g over the last
  // year, as ids grow with time in a real database; messages are inserted in created_at order.
  const CONTACTS = Math.max(1, Math.ceil(CONVERSATIONS / 2));
  const seed = { contacts: 0, conversations: 0, messages: 0, finish: 0, searchIndex: 0, vacuum: 0, checkpoint: 0 };
  let fastPath = true;
  let messageRows = 0;
  let taggingRows = 0;
  const seedStarted = process.hrtime.bigint();
  await withClient(databaseUrl, async (c) => {
    try {
      await c.query('set session_replication_role = replica');
    } catch {
      fastPath = false;
      await c.query('alter table conversations disable trigger conversations_counts');
    }
    await c.query(`set work_mem = '256MB'`);
    // the message search index (0025) is built after the load, as bulk loads do, not row by row
    const searchIndexes = (
      await c.query(
        `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def from pg_index
        where indrelid = 'messages'::regclass and pg_get_indexdef(indexrelid) like '%gin_trgm_ops%'`,
      )
    ).rows;
    for (const index of searchIndexes) await c.query(`drop index ${index.name}`);
    await c.query('set synchronous_commit = off');
    await c.query('select setseed(0.42)');
    const one = async (text, params) => (await c.query(text, params)).rows[0];
    const { now } = await one('select now() as now');
    const t0 = new Date(now.getTime() - 365 * 86_400_000);
    const { cbase } = await one('select coalesce(max(id), 0)::bigint as cbase from contacts');
    const { cibase } = await one('select coalesce(max(id), 0)::bigint as cibase from contact_inboxes');
    const { vbase } = await one('select coalesce(max(id), 0)::bigint as vbase from conversations');
    const { dbase } = await one(
      'select coalesce(max(last_value), 0)::bigint as dbase from conversation_display_ids where account_id = $1',
      [account.id],
    );
    const inboxIds = inboxes.map((i) => i.id);
    const userIds = users.map((u) => u.id);

    let started = process.hrtime.bigint();
    for (let lo = 0; lo < CONTACTS; lo += BATCH) {
      const hi = Math.min(CONTACTS, lo + BATCH) - 1;
      await c.query(
        `insert into contacts (id, account_id, name, email, phone_number, contact_type, last_activity_at, created_at, updated_at)
        select $1::bigint + k + 1, $2, 'Customer ' || k, 'customer' || k || '@example' || (k % 97) || '.com', '+1' || (5550000000 + k),
          2, at + interval '180 days', at, at
        from generate_series($3::int, $4::int) k, lateral (select $5::timestamptz + (k::float8 / $6) * interval '365 days' as at) t`,
        [cbase, account.id, lo, hi, t0, CONVERSATIONS],
      );
      await c.query(
        `insert into contact_inboxes (id, contact_id, inbox_id, source_id, pubsub_token, created_at, updated_at)
        select $1::bigint + k + 1, $2::bigint + k + 1, ($3::bigint[])[1 + k % ${INBOXES}], gen_random_uuid()::text, md5('confab-bench' || k || random()),
          $6::timestamptz + (k::float8 / $7) * interval '365 days', $6::timestamptz + (k::float8 / $7) * interval '365 days'
        from generate_series($4::int, $5::int) k`,
        [cibase, cbase, inboxIds, lo, hi, t0, CONVERSATIONS],
      );
    }
    seed.contacts = seconds(started);

    const texts = [
      'Hi, I cannot log in to my account since this morning.',
      'Thanks for reaching out! Could you tell me which email address you signed up with?',
      'Sure, it is the one on this chat. The reset link never arrives.',
      'I have resent it and checked the logs: it was delivered a minute ago, please look in the spam folder too.',
      'My invoice for last month shows two charges for the same plan, can you refund one of them?',
      'Done, the duplicate charge is refunded; it takes 5 to 10 business days to show on your statement.',
      'Is there a way to export all our conversations to CSV?',
      'Yes: Settings → Reports → Download. Let me know if anything is missing from the export.',
    ];
    let nextTenth = 1;
    started = process.hrtime.bigint();
    let messagesSeconds = 0;
    for (let lo = 0; lo < CONVERSATIONS; lo += BATCH) {
      const hi = Math.min(CONVERSATIONS, lo + BATCH) - 1;
      // status: 10% open, 5% pending, 3% snoozed, 82% resolved; 20% unassigned, the rest spread
      // over the 20 agents; 30% with a priority; open/pending/snoozed ones active up to 20 days,
      // resolved ones within 3 days (mostly hours); unread incoming messages after the agent's last look.
      await c.query(
        `insert into conversations (id, account_id, inbox_id, contact_id, contact_inbox_id, display_id, status, priority, assignee_id,
          snoozed_until, agent_last_seen_at, assignee_last_seen_at, contact_last_seen_at, first_reply_created_at, waiting_since,
          last_activity_at, created_at, updated_at)
        select $1::bigint + g + 1, $2, ($3::bigint[])[1 + k % ${INBOXES}], $4::bigint + k + 1, $5::bigint + k + 1, $6::bigint + g + 1,
          status, priority, assignee_id,
          case when status = 3 then $7::timestamptz + (1 + g % 100) * interval '1 hour' end,
          case when status = 1 then last_at else created_at + (last_at - created_at) * 0.5 end,
          case when assignee_id is not null then case when status = 1 then last_at else created_at + (last_at - created_at) * 0.5 end end,
          last_at,
          case when $8::int > 1 then created_at + (last_at - created_at) / ($8::int - 1) end,
          case when status in (0, 2) and $8::int % 2 = 1 then last_at end,
          last_at, created_at, last_at
        from (
          select g, k, status, priority, assignee_id, created_at, least(created_at + dur, $7::timestamptz) as last_at
          from (
            select g, g % $9::int as k,
              case when rs < 0.10 then 0 when rs < 0.15 then 2 when rs < 0.18 then 3 else 1 end as status,
              case when rp >= 0.7 then least(3, floor((rp - 0.7) / 0.075))::int end as priority,
              case when ra >= 0.2 then ($10::bigint[])[1 + least(${AGENTS - 1}, floor((ra - 0.2) / 0.8 * ${AGENTS}))::int] end as assignee_id,
              $11::timestamptz + ((g + rc) / $12::float8) * interval '365 days' as created_at,
              case when rs >= 0.18 then rd * rd * interval '3 days' else rd * interval '20 days' end as dur
            from (select g, random() as rs, random() as rp, random() as ra, random() as rc, random() as rd from generate_series($13::int, $14::int) g) r
          ) s
        ) t`,
        [
          vbase,
          account.id,
          inboxIds,
          cbase,
          cibase,
          dbase,
          now,
          MESSAGES,
          CONTACTS,
          userIds,
          t0,
          CONVERSATIONS,
          lo,
          hi,
        ],
      );
      if (MESSAGES > 0) {
        const messagesStarted = process.hrtime.bigint();
        // alternating incoming (the contact) / outgoing (the assignee, or some agent); ~1 in 7
        // conversations has a private note; a resolved conversation ends with its activity message
        const res = await c.query(
          `insert into messages (account_id, inbox_id, conversation_id, message_type, content_type, content, private, status,
            sender_type, sender_id, created_at, updated_at)
          select account_id, inbox_id, conversation_id, message_type, 0, content, private, status, sender_type, sender_id, at, at
          from (
            select c.account_id, c.inbox_id, c.id as conversation_id, m.mt as message_type,
              case when m.mt = 2 then 'Conversation was marked resolved by ' || coalesce(u.name, 'Bench Admin')
                   when m.mt = 1 and j = 3 and c.id % 7 = 0 then 'Private note: customer is on the legacy plan, check with billing before refunding.'
                   when j = 0 and c.id % ${RARE_EVERY} = 0 then 'The courier left parcel ${RARE_WORD} with a neighbour, can you check?'
                   else ($1::text[])[1 + (c.id + j) % ${texts.length}] end as content,
              (m.mt = 1 and j = 3 and c.id % 7 = 0) as private,
              case when m.mt = 1 then 1 else 0 end as status,
              case m.mt when 0 then 'Contact' when 1 then 'User' end as sender_type,
              case m.mt when 0 then c.contact_id when 1 then coalesce(c.assignee_id, ($2::bigint[])[1 + c.id % ${AGENTS}]) end as sender_id,
              c.created_at + (c.last_activity_at - c.created_at) * (j::float8 / greatest($3::int - 1, 1)) as at
            from conversations c
            cross join generate_series(0, $3::int - 1) j
            cross join lateral (select case when j = $3::int - 1 and j > 0 and c.status = 1 then 2 when j % 2 = 0 then 0 else 1 end as mt) m
            left join users u on u.id = c.assignee_id
            where c.id between $4::bigint and $5::bigint
          ) x
          order by at, conversation_id`,
          [texts, userIds, MESSAGES, Number(vbase) + lo + 1, Number(vbase) + hi + 1],
        );
        messageRows += res.rowCount;
        messagesSeconds += seconds(messagesStarted);
      }
      if ((hi + 1) * 10 >= nextTenth * CONVERSATIONS) {
        progress(`${fmt(hi + 1)} conversations, ${fmt(messageRows)} messages (${seconds(seedStarted).toFixed(0)} s)`);
        while (nextTenth * CONVERSATIONS <= (hi + 1) * 10) nextTenth++;
      }
    }
    seed.messages = messagesSeconds;
    seed.conversations = seconds(started) - messagesSeconds;

    started = process.hrtime.bigint();
    for (const [name, share] of [
      [LABEL, 0.05],
      ['vip', 0.02],
    ]) {
      const res = await c.query(
        `insert into taggings (account_id, taggable_type, taggable_id, name, created_at)
        select account_id, 'Conversation', id, $2, created_at from conversations where account_id = $1 and id > $4::bigint and random() < $3::float8`,
        [account.id, name, share, vbase],
      );
      taggingRows += res.rowCount;
    }
    // what the triggers would have kept: the display id counter and the list counters
    await c.query(
      `insert into conversation_display_ids (account_id, last_value)
      select $1, coalesce(max(display_id), 0) from conversations where account_id = $1
      on conflict (account_id) do update set last_value = excluded.last_value`,
      [account.id],
    );
    await c.query('delete from conversation_counts where account_id = $1', [account.id]);
    await c.query(
      `insert into conversation_counts (account_id, status, inbox_id, team_id, assignee_id, n)
      select account_id, status, inbox_id, coalesce(team_id, 0), coalesce(assignee_id, 0), count(*)
      from conversations where account_id = $1 group by 1, 2, 3, 4, 5`,
      [account.id],
    );
    for (const table of ['contacts', 'contact_inboxes', 'conversations']) {
      await c.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
    }
    if (fastPath) await c.query('set session_replication_role = origin');
    else await c.query('alter table conversations enable trigger conversations_counts');
    seed.finish = seconds(started);

    started = process.hrtime.bigint();
    await c.query(`set maintenance_work_mem = '512MB'`);
    for (const index of searchIndexes) await c.query(index.def);
    seed.searchIndex = seconds(started);

    // VACUUM ANALYZE rather than a bare ANALYZE: statistics for the planner, and the visibility map
    // and hint bits a steady-state database has (and no autovacuum of the fresh rows mid-measurement);
    // then a CHECKPOINT, so that writing out gigabytes of freshly loaded pages does not land in the timings
    started = process.hrtime.bigint();
    await c.query(`set maintenance_work_mem = '512MB'`);
    await c.query(
      'vacuum (analyze) contacts, contact_inboxes, conversations, messages, taggings, conversation_counts, conversation_display_ids',
    );
    seed.vacuum = seconds(started);
    started = process.hrtime.bigint();
    await c.query('checkpoint').catch(() => undefined); // superuser or pg_checkpoint only; the timings are noisier without
    seed.checkpoint = seconds(started);
  });
  const seedSeconds = seconds(seedStarted);

  const facts = await withClient(databaseUrl, async (c) => {
    const statuses = (
      await c.query(
        `select status, count(*)::int as n, count(*) filter (where assignee_id is null)::int as unassigned,
      count(*) filter (where assignee_id = $2)::int as mine from conversations where account_id = $1 group by status order by status`,
        [account.id, admin.id],
      )
    ).rows;
    const size = (
      await c.query(
        "select pg_database_size(current_database())::float8 as db, pg_total_relation_size('messages')::float8 as messages, pg_total_relation_size('conversations')::float8 as conversations",
      )
    ).rows[0];
    return { statuses, size };
  });
  const byStatus = Object.fromEntries(facts.statuses.map((r) => [r.status, r]));
  const total = facts.statuses.reduce((a, r) => a + r.n, 0);
  const unassigned = facts.statuses.reduce((a, r) => a + r.unassigned, 0);
  const gb = (bytes) => `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  console.log(`Conversations seed (${where})`);
  console.log(`  account, ${AGENTS} users and ${INBOXES} inboxes through the APIs: ${setupSeconds.toFixed(1)} s`);
  console.log(
    `  ${fmt(total)} conversations, ${fmt(messageRows)} messages, ${fmt(CONTACTS)} contacts, ${fmt(taggingRows)} taggings in ${seedSeconds.toFixed(1)} s` +
      `${fastPath ? '' : ' (foreign keys checked: the role may not set session_replication_role)'}`,
  );
  console.log(
    `    contacts + contact inboxes ${seed.contacts.toFixed(1)} s, conversations ${seed.conversations.toFixed(1)} s, messages ${seed.messages.toFixed(1)} s` +
      ` (${fmt(Math.round(messageRows / Math.max(seed.messages, 1e-9)))} rows/s), taggings + counters ${seed.finish.toFixed(1)} s, message search index ${seed.searchIndex.toFixed(1)} s, VACUUM ANALYZE ${seed.vacuum.toFixed(1)} s, CHECKPOINT ${seed.checkpoint.toFixed(1)} s`,
  );
  const statusNames = ['open', 'resolved', 'pending', 'snoozed'];
  console.log(
    `  status: ${[0, 1, 2, 3].map((s) => `${statusNames[s]} ${fmt(byStatus[s]?.n ?? 0)}`).join(', ')}; unassigned ${((100 * unassigned) / total).toFixed(1)}%;` +
      ` open assigned to the bench admin ${fmt(byStatus[0]?.mine ?? 0)}`,
  );
  console.log(
    `  database ${gb(facts.size.db)} (messages ${gb(facts.size.messages)}, conversations ${gb(facts.size.conversations)}, indexes included)`,
  );

  // -------------------------------------------------------------------------------------------
  // HTTP latencies: sequential requests against the running server, after a warm-up.
  const rows = [];
  async function measure(label, target, make) {
    const times = [];
    let last;
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const { url, init } = make(i);
      const started = process.hrtime.bigint();
      const res = await fetch(`${server.url}${url}`, init);
      const text = await res.text();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status} ${text.slice(0, 500)}`);
      if (i >= WARMUP) times.push(ms);
      last = text;
    }
    times.sort((a, b) => a - b);
    const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    const body = JSON.parse(last);
    const payload = body.data?.payload ?? body.payload?.messages ?? body.payload;
    const count = Array.isArray(payload) ? String(payload.length) : body.meta ? `all ${fmt(body.meta.all_count)}` : '1';
    const row = { label, p50: pick(0.5), p99: pick(0.99), target, count };
    rows.push(row);
    const verdict = target === undefined ? '' : row.p99 <= target ? `<= ${target} ok` : `<= ${target} MISSED`;
    console.log(
      `  ${label.padEnd(52)} ${row.p50.toFixed(1).padStart(7)} ${row.p99.toFixed(1).padStart(8)}   ${verdict.padEnd(13)} ${count}`,
    );
  }
  const base = `/api/v1/accounts/${account.id}`;
  const as = (token) => ({ api_access_token: token });
  const get =
    (p, token = admin.access_token) =>
    () => ({ url: `${base}${p}`, init: { headers: as(token) } });
  const post = (p, body, token = admin.access_token) => ({
    url: `${base}${p}`,
    init: { method: 'POST', headers: { ...as(token), 'content-type': 'application/json' }, body: JSON.stringify(body) },
  });
  const random = prng(20240601);
  const someDisplayId = () => 1 + Math.floor(random() * CONVERSATIONS);

  console.log(
    `HTTP latency in ms over ${SAMPLES} sequential requests each, after ${WARMUP} untimed (as the administrator unless noted)`,
  );
  console.log(`  ${'endpoint'.padEnd(52)} ${'p50'.padStart(7)} ${'p99'.padStart(8)}   ${'p99 target'.padEnd(13)} rows`);
  for (const type of ['me', 'unassigned', 'assigned', 'all']) {
    await measure(
      `list page 1, open, assignee_type=${type}`,
      TARGETS.list,
      get(`/conversations?assignee_type=${type}`),
    );
  }
  await measure(
    'list page 100, open, assignee_type=all',
    TARGETS.list,
    get('/conversations?assignee_type=all&page=100'),
  );
  await measure(
    'list page 1, status=all, assignee_type=all',
    TARGETS.list,
    get('/conversations?status=all&assignee_type=all'),
  );
  await measure(
    'list page 1, open, as an agent (2 of 5 inboxes)',
    TARGETS.list,
    get('/conversations?assignee_type=all', agent.access_token),
  );
  await measure('meta counts, open', TARGETS.list, get('/conversations/meta'));
  await measure('meta counts, status=all', TARGETS.list, get('/conversations/meta?status=all'));
  await measure(
    `list filtered by label, open (labels[]=${LABEL})`,
    TARGETS.list,
    get(`/conversations?labels[]=${LABEL}`),
  );
  await measure(`filter by label, all statuses (POST /filter)`, TARGETS.list, () =>
    post('/conversations/filter', {
      payload: [{ attribute_key: 'labels', filter_operator: 'equal_to', values: [LABEL] }],
    }),
  );
  await measure('message list (latest 20), random conversation', TARGETS.list, () =>
    get(`/conversations/${someDisplayId()}/messages`)(),
  );
  let sent = 0;
  await measure('message create (outgoing), random conversation', TARGETS.create, () =>
    post(`/conversations/${someDisplayId()}/messages`, { content: `Bench reply ${++sent}`, message_type: 'outgoing' }),
  );

  await measure(`message search, rare word (q=${RARE_WORD})`, TARGETS.search, get(`/search/messages?q=${RARE_WORD}`));
  await measure(
    'message search, rare word, as an agent (2 of 5 inboxes)',
    TARGETS.search,
    get(`/search/messages?q=${RARE_WORD}`, agent.access_token),
  );

  const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  console.log(`  server process: peak RSS ${mb(kb('VmHWM'))}, RSS now ${mb(kb('VmRSS'))}`);
  const missed = rows.filter((r) => r.target !== undefined && r.p99 > r.target);
  console.log(
    missed.length
      ? `  above target: ${missed.map((r) => r.label).join('; ')}`
      : '  every endpoint within its p99 target',
  );
} finally {
  if (server) {
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  await teardownDatabase();
  fs.rmSync(dir, { recursive: true, force: true });
}
