// npm run bench:reports — seeds one account with CONVERSATIONS conversations (default 1,000,000),
// about MESSAGES messages (default 10,000,000, 2 to 18 a conversation) and their reporting events
// over the last 12 months (AGENTS agents, INBOXES inboxes, LABELS labels, TEAMS teams; defaults 200,
// 20, 50, 10) with generate_series SQL, then times over HTTP, as the administrator, the reports a
// dashboard opens: the 30-day account summary, the 12-month timeseries by day of each metric, the
// agents summary (30 days), the conversation-traffic heatmap (the CSV of the last 7 days, and the
// hourly conversations timeseries the dashboard's heatmap draws) and the CSAT metrics (30 days),
// printing p50/p99 of each against the goal (p99 <= 100 ms).
//
// Where: with DATABASE_URL set, a fresh database on that server (created here, dropped at the end;
// the role must be a superuser for the fast seeding path); otherwise an embedded PostgreSQL in a
// temp dir. Knobs: CONVERSATIONS, MESSAGES, AGENTS, INBOXES, LABELS, TEAMS, SAMPLES (timed requests
// a report, default 100), WARMUP (untimed first, default 10), REPORT_SECONDS (a report's sampling
// stops after that long, default 30), ONLY (a regular expression: the reports whose label matches),
// SEED_BATCH (conversations an INSERT, default 50,000). `CONVERSATIONS=20000 MESSAGES=200000 npm run bench:reports` is a quick run;
// KEEP_DATABASE=1 (with DATABASE_URL) leaves the seeded database in place, for EXPLAIN ANALYZE;
// HOLD=1 keeps the database and the server up after the timings until the bench is sent SIGTERM.
//
// What is seeded, a conversation at a time (all by SQL, with session_replication_role = replica so
// neither foreign-key checks nor per-row triggers run; the data is consistent by construction):
//   - created_at over the 365 days before now, busier on weekdays and in working hours (UTC);
//   - 85% assigned (to one of the agents, a few agents busier than the rest), 70% in a team;
//   - 82% resolved, 10% open, 5% pending, 3% snoozed; 2..18 messages alternating incoming/outgoing;
//   - reporting events as the listener writes them: conversation_opened at creation (and again for
//     the ~8% reopened), first_response at the first outgoing message, reply_time at each later
//     outgoing one that answers an incoming one, conversation_resolved for the resolved ones (values
//     in seconds, skewed: most replies in minutes, some in hours; value_in_business_hours smaller);
//   - 0 to 3 labels a conversation (some labels far more used than others) as taggings;
//   - a CSAT survey message (input_csat) on 30% of the resolved conversations, answered on 40% of
//     those, ratings leaning to 4 and 5.
// Contacts are seeded (one per two conversations) without contact_inboxes: no report reads those.
// No trigger sees the seeded rows, so the report rollups (migration 0100) are then recounted from
// them by report_rollups_backfill, as the migration does for an existing database ('rollups' step).
// The message search index (trigram GIN, 0025) is dropped for the load and rebuilt only with
// SEARCH_INDEX=1: reports never read it and building it over 10M messages takes minutes.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer, withClient } from './server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const knob = (name, fallback, min) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
  return value;
};
const CONVERSATIONS = knob('CONVERSATIONS', 1_000_000, 1);
const MESSAGES = knob('MESSAGES', CONVERSATIONS * 10, 0);
const AGENTS = knob('AGENTS', 200, 1);
const INBOXES = knob('INBOXES', 20, 1);
const LABELS = knob('LABELS', 50, 1);
const TEAMS = knob('TEAMS', 10, 1);
const SAMPLES = knob('SAMPLES', 100, 1);
const WARMUP = knob('WARMUP', 10, 0);
const BATCH = knob('SEED_BATCH', 50_000, 1);
// a report slower than the goal would take minutes for SAMPLES requests: it stops sampling after
// REPORT_SECONDS (default 30) and its p99 is then the slowest of the requests it made
const REPORT_SECONDS = knob('REPORT_SECONDS', 30, 1);
const GOAL_MS = 100;
// messages a conversation: 2 + (a skewed draw in 0..2*(mean-2)), so the mean is MESSAGES / CONVERSATIONS
const MEAN_MESSAGES = Math.max(2, MESSAGES / CONVERSATIONS);
/** Conversation `id`'s message count, a fixed function of its id (so messages and events agree). */
const messagesOf = (id, mean) =>
  `(2 + round(power(((${id}) * 2654435761 % 1000003)::float8 / 1000003, 1.3) * (${mean}::float8 - 2) * 2.3))::int`;

const { startEmbeddedPostgres } = await import(path.join(root, 'dist/core/db/embedded.js'));
const { openDatabase } = await import(path.join(root, 'dist/core/db/kysely.js'));
const { migrate } = await import(path.join(root, 'dist/core/db/migrate.js'));
const { createPlatformApp } = await import(path.join(root, 'dist/platform/apps/service.js'));

const seconds = (since) => Number(process.hrtime.bigint() - since) / 1e9;
const fmt = (n) => Math.round(n).toLocaleString('en');
const progress = (line) => process.stderr.write(`  … ${line}\n`);

// ---------------------------------------------------------------------------------------------
// The database: a fresh one on DATABASE_URL's server, or an embedded cluster in a temp dir.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-reports-'));
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
  where = `PostgreSQL at ${url.host} (DATABASE_URL), database ${name}`;
  teardownDatabase = process.env.KEEP_DATABASE
    ? async () => console.log(`  kept database ${name} on ${url.host} (KEEP_DATABASE)`)
    : () => withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
} else {
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0 });
  databaseUrl = embedded.url;
  where = 'embedded PostgreSQL';
  teardownDatabase = () => embedded.stop();
}
where += ` ${await withClient(databaseUrl, async (c) => (await c.query('show server_version')).rows[0].server_version)}`;

let server;
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
    LOG_LEVEL: 'info', // the "serving on" line is info; only a tail of the log is kept
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

  // The account and its administrator through the Platform API; the rest by SQL.
  const platform = (method, p, body) => api(method, `/platform/api/v1${p}`, platformApp.access_token, body);
  const account = await platform('POST', '/accounts', { name: 'Bench Reports' });
  const admin = await platform('POST', '/users', {
    name: 'Bench Admin',
    email: `bench-admin-${randomBytes(3).toString('hex')}@example.com`,
    password: 'Passw0rd!',
  });
  await platform('POST', `/accounts/${account.id}/account_users`, { user_id: admin.id, role: 'administrator' });

  const seed = {};
  const counts = {};
  const seedStarted = process.hrtime.bigint();
  let fastPath = true;
  let nowAt;
  await withClient(databaseUrl, async (c) => {
    const q = (text, params) => c.query(text, params);
    const one = async (text, params) => (await c.query(text, params)).rows[0];
    const step = async (name, work) => {
      const started = process.hrtime.bigint();
      const result = await work();
      seed[name] = (seed[name] ?? 0) + seconds(started);
      return result;
    };
    try {
      await q('set session_replication_role = replica');
    } catch {
      fastPath = false;
      await q('alter table conversations disable trigger conversations_counts');
    }
    await q(`set work_mem = '256MB'`);
    await q('set synchronous_commit = off');
    await q('select setseed(0.42)');
    const searchIndexes = (
      await q(
        `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def from pg_index
        where indrelid = 'messages'::regclass and pg_get_indexdef(indexrelid) like '%gin_trgm_ops%'`,
      )
    ).rows;
    for (const index of searchIndexes) await q(`drop index ${index.name}`);

    // the account's people and places
    await step('setup', async () => {
      const tag = randomBytes(3).toString('hex');
      await q(
        `insert into users (name, email, pubsub_token, confirmed_at)
        select 'Agent ' || n, 'agent' || n || '-' || $1 || '@bench.test', md5(random()::text || n), now()
        from generate_series(1, $2::int) n`,
        [tag, AGENTS],
      );
      await q(
        `insert into account_users (account_id, user_id, role)
        select $1, id, 0 from users where email like '%-' || $2 || '@bench.test'`,
        [account.id, tag],
      );
      await q(
        `insert into channel_api (account_id, identifier, hmac_token, secret)
        select $1, md5(random()::text), md5(random()::text), md5(random()::text) from generate_series(1, $2::int)`,
        [account.id, INBOXES],
      );
      await q(
        `insert into inboxes (account_id, channel_type, channel_id, name)
        select $1, 'Channel::Api', id, 'Inbox ' || id from channel_api where account_id = $1`,
        [account.id],
      );
      await q(`insert into teams (account_id, name) select $1, 'Team ' || n from generate_series(1, $2::int) n`, [
        account.id,
        TEAMS,
      ]);
      await q(`insert into labels (account_id, title) select $1, 'label-' || n from generate_series(1, $2::int) n`, [
        account.id,
        LABELS,
      ]);
    });
    const ids = async (text) => (await q(text, [account.id])).rows.map((r) => Number(r.id));
    const agentIds = await ids(
      `select user_id as id from account_users where account_id = $1 and role = 0 order by user_id`,
    );
    const inboxIds = await ids('select id from inboxes where account_id = $1 order by id');
    const teamIds = await ids('select id from teams where account_id = $1 order by id');
    const labelTitles = (await q('select title from labels where account_id = $1 order by id', [account.id])).rows.map(
      (r) => r.title,
    );
    await q(
      `insert into team_members (team_id, user_id)
      select ($1::bigint[])[1 + (k - 1) % $3::int], ($2::bigint[])[k] from generate_series(1, $4::int) k`,
      [teamIds, agentIds, teamIds.length, agentIds.length],
    );
    await q(
      `insert into inbox_members (inbox_id, user_id)
      select ($1::bigint[])[1 + (k + j) % $3::int], ($2::bigint[])[k]
      from generate_series(1, $4::int) k cross join generate_series(0, least(2, $3::int - 1)) j`,
      [inboxIds, agentIds, inboxIds.length, agentIds.length],
    );

    nowAt = (await one('select now() as now')).now;
    // conversations over the 365 days that end at the start of today (so none is in the future)
    const t0 = new Date(nowAt.getTime() - 366 * 86_400_000);
    const CONTACTS = Math.max(1, Math.ceil(CONVERSATIONS / 2));
    const { cbase } = await one('select coalesce(max(id), 0)::bigint as cbase from contacts');
    const { vbase } = await one('select coalesce(max(id), 0)::bigint as vbase from conversations');
    await step('contacts', async () => {
      for (let lo = 0; lo < CONTACTS; lo += BATCH) {
        const hi = Math.min(CONTACTS, lo + BATCH) - 1;
        await q(
          `insert into contacts (id, account_id, name, email, contact_type, last_activity_at, created_at, updated_at)
          select $1::bigint + k + 1, $2, 'Customer ' || k, 'customer' || k || '@example.com', 2, at, at, at
          from generate_series($3::int, $4::int) k, lateral (select $5::timestamptz + (k::float8 / $6) * interval '365 days' as at) t`,
          [cbase, account.id, lo, hi, t0, CONTACTS],
        );
      }
    });

    const texts = [
      'Hi, I cannot log in to my account since this morning.',
      'Thanks for reaching out! Could you tell me which email address you signed up with?',
      'My invoice for last month shows two charges for the same plan, can you refund one of them?',
      'Done, the duplicate charge is refunded; it takes 5 to 10 business days to show on your statement.',
      'Is there a way to export all our conversations to CSV?',
      'Yes: Settings → Reports → Download. Let me know if anything is missing from the export.',
    ];
    // a working day's shape: the hour of a conversation drawn so that 9:00-18:00 UTC holds ~65% of them
    let nextTenth = 1;
    for (let lo = 0; lo < CONVERSATIONS; lo += BATCH) {
      const hi = Math.min(CONVERSATIONS, lo + BATCH) - 1;
      const first = Number(vbase) + lo + 1;
      const last = Number(vbase) + hi + 1;
      // Conversation g: day by g (ids grow with time), the hour skewed to working hours, a weekend
      // day keeping 40% of its conversations (the others move to the Friday before); the assignee
      // skewed (agent r^1.5), 15% unassigned; 70% in a team; n messages in created_at..last_at.
      await step('conversations', () =>
        q(
          `insert into conversations (id, account_id, inbox_id, contact_id, display_id, status, priority, assignee_id, team_id,
            first_reply_created_at, waiting_since, last_activity_at, created_at, updated_at)
          select $1::bigint + g + 1, $2, ($3::bigint[])[1 + floor(ri * ri * $4::int)::int], $5::bigint + 1 + g % $6::int, g + 1,
            status, priority, assignee_id, team_id,
            case when n > 1 then created_at + (last_at - created_at) / (n - 1) end,
            case when status in (0, 2) then last_at end,
            last_at, created_at, last_at
          from (
            select g, ri, status, priority, assignee_id, team_id, n, created_at,
              least(created_at + dur, $7::timestamptz) as last_at
            from (
              select g, ri,
                case when rs < 0.10 then 0 when rs < 0.15 then 2 when rs < 0.18 then 3 else 1 end as status,
                case when rp >= 0.7 then least(3, floor((rp - 0.7) / 0.075))::int end as priority,
                case when ra >= 0.15 then ($8::bigint[])[1 + least($9::int - 1, floor(power((ra - 0.15) / 0.85, 1.5) * $9::int))::int] end as assignee_id,
                case when rt < 0.7 then ($10::bigint[])[1 + floor(rt / 0.7 * $11::int)::int] end as team_id,
                ${messagesOf('$1::bigint + g + 1', '$12')} as n,
                case when extract(isodow from day) >= 6 and rw < 0.6 then day - (extract(isodow from day)::int - 5) * interval '1 day' else day end
                  + (case when rh < 0.65 then 9 + rh / 0.65 * 9 when rh < 0.79 then 18 + (rh - 0.65) / 0.35 * 15
                    else (rh - 0.65) / 0.35 * 15 - 6 end) * interval '1 hour' as created_at,
                case when rs >= 0.18 then rd * rd * interval '3 days' else rd * interval '20 days' end as dur
              from (
                select g, random() as rs, random() as rp, random() as ra, random() as rt, random() as rw,
                  random() as rh, random() as rd, random() as ri,
                  date_trunc('day', $13::timestamptz + (g::float8 / $14::int) * interval '365 days') as day
                from generate_series($15::int, $16::int) g
              ) r
            ) s
          ) t`,
          [
            vbase,
            account.id,
            inboxIds,
            inboxIds.length,
            cbase,
            CONTACTS,
            nowAt,
            agentIds,
            agentIds.length,
            teamIds,
            teamIds.length,
            MEAN_MESSAGES,
            t0,
            CONVERSATIONS,
            lo,
            hi,
          ],
        ),
      );
      // the messages: incoming / outgoing alternating (the assignee, or another agent, answers);
      // a resolved conversation ends with its activity message
      await step('messages', () =>
        q(
          `insert into messages (account_id, inbox_id, conversation_id, message_type, content_type, content, status,
            sender_type, sender_id, created_at, updated_at)
          select c.account_id, c.inbox_id, c.id, m.mt, 0,
            case when m.mt = 2 then 'Conversation was marked resolved' else ($1::text[])[1 + (c.id + j) % ${texts.length}] end,
            case when m.mt = 1 then 1 else 0 end,
            case m.mt when 0 then 'Contact' when 1 then 'User' end,
            case m.mt when 0 then c.contact_id when 1 then coalesce(c.assignee_id, ($2::bigint[])[1 + c.id % $3::int]) end,
            c.created_at + (c.last_activity_at - c.created_at) * (j::float8 / greatest(n.n - 1, 1)),
            c.created_at + (c.last_activity_at - c.created_at) * (j::float8 / greatest(n.n - 1, 1))
          from conversations c
          cross join lateral (select ${messagesOf('c.id', '$6')} as n) n
          cross join generate_series(0, n.n - 1) j
          cross join lateral (select case when j = n.n - 1 and j > 1 and c.status = 1 then 2 when j % 2 = 0 then 0 else 1 end as mt) m
          where c.id between $4::bigint and $5::bigint
          order by 10, 3`,
          [texts, agentIds, agentIds.length, first, last, MEAN_MESSAGES],
        ),
      );
      // the reporting events, as the listener writes them from those messages and statuses
      await step('events', () =>
        q(
          `insert into reporting_events (name, value, value_in_business_hours, account_id, inbox_id, user_id, conversation_id,
            event_start_time, event_end_time, created_at, updated_at)
          select e.name, e.value, e.value * e.bh, c.account_id, c.inbox_id, e.user_id, c.id, e.start_at, e.end_at, e.end_at, e.end_at
          from conversations c
          cross join lateral (select ${messagesOf('c.id', '$4')} as n) n0
          cross join lateral (select n0.n, (c.last_activity_at - c.created_at) / greatest(n0.n - 1, 1) as gap) n
          cross join lateral (
            -- opened at creation
            select 'conversation_opened' as name, 0::float8 as value, 1::float8 as bh, null::bigint as user_id,
              c.created_at as start_at, c.created_at as end_at
            -- reopened: ~8% of the resolved ones, a day after their last message
            union all
            select 'conversation_opened', 0, 1, null, c.last_activity_at, c.last_activity_at + interval '1 day'
            where c.status = 1 and c.id % 13 = 0 and c.last_activity_at + interval '1 day' < $1::timestamptz
            -- the first reply (message 1), then one reply_time for each later outgoing message (3, 5, …)
            union all
            select case when j = 1 then 'first_response' else 'reply_time' end,
              extract(epoch from n.gap)::float8, 0.4 + 0.5 * ((c.id + j) % 7) / 6.0, c.assignee_id,
              c.created_at + n.gap * (j - 1), c.created_at + n.gap * j
            from generate_series(1, n.n - 1, 2) j
            where c.assignee_id is not null and not (j = n.n - 1 and j > 1 and c.status = 1)
            -- resolved
            union all
            select 'conversation_resolved', extract(epoch from c.last_activity_at - c.created_at)::float8,
              0.3 + 0.6 * (c.id % 5) / 4.0, c.assignee_id, c.created_at, c.last_activity_at
            where c.status = 1
          ) e
          where c.id between $2::bigint and $3::bigint
          order by 10`,
          [nowAt, first, last, MEAN_MESSAGES],
        ),
      );
      // labels: 0..3 a conversation, label k drawn as floor(LABELS * r^2) (a few labels on most)
      await step('taggings', () =>
        q(
          `insert into taggings (account_id, taggable_type, taggable_id, name, created_at)
          select distinct on (c.id, l.title) c.account_id, 'Conversation', c.id, l.title, c.created_at
          from conversations c
          cross join generate_series(1, (c.id * 7919 % 4)::int) j
          cross join lateral (select ($1::text[])[1 + floor(power(random() + 0 * j, 2) * $2::int)::int] as title) l
          where c.id between $3::bigint and $4::bigint
          on conflict do nothing`,
          [labelTitles, labelTitles.length, first, last],
        ),
      );
      // CSAT: a survey on 30% of the resolved conversations, sent when they were resolved, answered on 40%
      await step('csat', async () => {
        await q(
          `insert into messages (account_id, inbox_id, conversation_id, message_type, content_type, content, status,
            sender_type, sender_id, created_at, updated_at)
          select account_id, inbox_id, id, 3, 9, 'Please rate this conversation', 0, null, null, last_activity_at, last_activity_at
          from conversations
          where id between $1::bigint and $2::bigint and status = 1 and id % 10 < 3`,
          [first, last],
        );
        await q(
          `insert into csat_survey_responses (account_id, conversation_id, message_id, contact_id, assigned_agent_id, rating,
            feedback_message, created_at, updated_at)
          select m.account_id, m.conversation_id, m.id, c.contact_id, c.assignee_id, r.rating,
            case when r.rating <= 2 then 'Took too long' when m.id % 3 = 0 then 'Great help, thanks' end, at, at
          from messages m
          join conversations c on c.id = m.conversation_id
          cross join lateral (select case when x < 0.05 then 1 when x < 0.12 then 2 when x < 0.25 then 3 when x < 0.55 then 4 else 5 end as rating,
            m.created_at + (0.05 + x) * interval '6 hours' as at from (select random() as x) x) r
          where m.conversation_id between $1::bigint and $2::bigint and m.content_type = 9 and m.account_id = $3
            and random() < 0.4 and at < $4::timestamptz`,
          [first, last, account.id, nowAt],
        );
      });
      if ((hi + 1) * 10 >= nextTenth * CONVERSATIONS) {
        progress(`${fmt(hi + 1)} conversations (${seconds(seedStarted).toFixed(0)} s)`);
        while (nextTenth * CONVERSATIONS <= (hi + 1) * 10) nextTenth++;
      }
    }
    await step('finish', async () => {
      await q(
        `insert into conversation_display_ids (account_id, last_value)
        select $1, coalesce(max(display_id), 0) from conversations where account_id = $1
        on conflict (account_id) do update set last_value = excluded.last_value`,
        [account.id],
      );
      await q('delete from conversation_counts where account_id = $1', [account.id]);
      await q(
        `insert into conversation_counts (account_id, status, inbox_id, team_id, assignee_id, n)
        select account_id, status, inbox_id, coalesce(team_id, 0), coalesce(assignee_id, 0), count(*)
        from conversations where account_id = $1 group by 1, 2, 3, 4, 5`,
        [account.id],
      );
      for (const table of ['contacts', 'conversations']) {
        await q(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
      }
      if (fastPath) await q('set session_replication_role = origin');
      else await q('alter table conversations enable trigger conversations_counts');
      if (process.env.SEARCH_INDEX) {
        await q(`set maintenance_work_mem = '512MB'`);
        for (const index of searchIndexes) await q(index.def);
      }
    });
    // the rollups (migration 0100) recounted from the seeded rows, which no trigger saw
    await step('rollups', async () => {
      await q(`set maintenance_work_mem = '512MB'`);
      await q('select report_rollups_backfill($1)', [account.id]);
    });
    await step('vacuum', async () => {
      await q(`set maintenance_work_mem = '512MB'`);
      await q(
        'vacuum (analyze) contacts, conversations, messages, reporting_events, taggings, csat_survey_responses, conversation_counts, report_rollups, report_rollup_deltas',
      );
      await q('checkpoint').catch(() => undefined);
    });
    for (const [name, table] of [
      ['conversations', 'conversations'],
      ['messages', 'messages'],
      ['events', 'reporting_events'],
      ['taggings', 'taggings'],
      ['csat', 'csat_survey_responses'],
    ]) {
      counts[name] = Number(
        (await one(`select count(*)::int8 as n from ${table} where account_id = $1`, [account.id])).n,
      );
    }
    counts.byEvent = (
      await q(
        'select name, count(*)::int8 as n from reporting_events where account_id = $1 group by name order by name',
        [account.id],
      )
    ).rows;
    counts.size = (await one('select pg_database_size(current_database())::float8 as db')).db;
  });
  const seedSeconds = seconds(seedStarted);

  console.log(`Reports bench (${where}, ${os.cpus().length} CPUs)`);
  console.log(
    `  seeded ${fmt(counts.conversations)} conversations, ${fmt(counts.messages)} messages, ${fmt(counts.events)} reporting events, ${fmt(counts.taggings)} taggings, ${fmt(counts.csat)} CSAT responses` +
      ` (${AGENTS} agents, ${INBOXES} inboxes, ${LABELS} labels, ${TEAMS} teams) in ${seedSeconds.toFixed(1)} s` +
      `${fastPath ? '' : ' (foreign keys checked: the role may not set session_replication_role)'}`,
  );
  console.log(
    `    ${Object.entries(seed)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ')}; database ${(counts.size / 1024 ** 3).toFixed(2)} GB`,
  );
  console.log(`    events: ${counts.byEvent.map((r) => `${r.name} ${fmt(Number(r.n))}`).join(', ')}`);

  // -------------------------------------------------------------------------------------------
  // The reports over HTTP, sequential, after a warm-up.
  const nowS = Math.floor(nowAt.getTime() / 1000);
  const day = 86_400;
  const last30 = `since=${nowS - 30 * day}&until=${nowS}`;
  const last12m = `since=${nowS - 365 * day}&until=${nowS}`;
  const v1 = `/api/v1/accounts/${account.id}`;
  const v2 = `/api/v2/accounts/${account.id}`;
  const reports = [
    ['account summary, 30 days', `${v2}/reports/summary?type=account&${last30}`],
    ...[
      'conversations_count',
      'incoming_messages_count',
      'outgoing_messages_count',
      'avg_first_response_time',
      'avg_resolution_time',
      'reply_time',
      'resolutions_count',
      'bot_resolutions_count',
      'bot_handoffs_count',
    ].map((metric) => [
      `timeseries 12 months by day: ${metric}`,
      `${v2}/reports?metric=${metric}&type=account&group_by=day&${last12m}`,
    ]),
    ['agents summary, 30 days', `${v2}/summary_reports/agent?${last30}`],
    ['traffic heatmap CSV, 7 days', `${v2}/reports/conversation_traffic?days_before=7`],
    [
      'traffic heatmap, conversations by hour, 7 days',
      `${v2}/reports?metric=conversations_count&type=account&group_by=hour&since=${nowS - 7 * day}&until=${nowS}`,
    ],
    ['CSAT metrics, 30 days', `${v1}/csat_survey_responses/metrics?${last30}`],
  ];
  const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
  console.log(`HTTP latency in ms over ${SAMPLES} sequential requests each, after ${WARMUP} untimed`);
  console.log(`  ${'report'.padEnd(52)} ${'p50'.padStart(7)} ${'p99'.padStart(8)}   goal`);
  let missed = 0;
  for (const [label, url] of reports) {
    if (only && !only.test(label)) continue;
    const times = [];
    const stopAt = Date.now() + REPORT_SECONDS * 1000;
    for (let i = 0; i < WARMUP + SAMPLES && (i < 2 || Date.now() < stopAt); i++) {
      const started = process.hrtime.bigint();
      const res = await fetch(`${server.url}${url}`, { headers: { api_access_token: admin.access_token } });
      const text = await res.text();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status} ${text.slice(0, 500)}`);
      // warm-up requests are untimed, but a slow report keeps at least one timed one
      if (i >= WARMUP || Date.now() >= stopAt) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    const met = pick(0.99) <= GOAL_MS;
    if (!met) missed++;
    console.log(
      `  ${label.padEnd(52)} ${pick(0.5).toFixed(1).padStart(7)} ${pick(0.99).toFixed(1).padStart(8)}   <= ${GOAL_MS} ${(met ? 'met' : 'NOT met').padEnd(8)}${times.length < SAMPLES ? ` (${times.length} samples in ${REPORT_SECONDS} s)` : ''}`,
    );
  }
  console.log(missed === 0 ? '  every report met its goal' : `  ${missed} report(s) NOT met`);
  if (process.env.HOLD) {
    // HOLD=1: keep the seeded database and the server up (for EXPLAIN ANALYZE) until SIGINT / SIGTERM
    console.log(
      `  holding: database ${databaseUrl}, server ${server.url}, token ${admin.access_token}; SIGTERM ${process.pid} ends`,
    );
    await new Promise(() => undefined);
  }
} finally {
  if (server) {
    server.child.removeAllListeners('exit');
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
  await teardownDatabase().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
}
