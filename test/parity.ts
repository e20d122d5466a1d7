import { sql } from 'kysely';
import { openCable, type CableClient } from './cable.js';
import type { HttpResult, TestServer } from './harness.js';
import { startReceiver } from './webhook-receiver.js';

/**
 * The message-storing parity test's machinery (src/messages/parity.test.ts): a scenario runs on a
 * server in conversations of their own account each, and what it left — rows, answers, /cable
 * frames, webhook deliveries — is read back in a form without ids, tokens and clock readings,
 * so that two runs that did the same compare equal.
 */

export type Setup = 'open' | 'pending' | 'resolved' | 'snoozed' | 'muted';
export interface Step {
  as: 'contact' | 'agent' | 'bot';
  body: Record<string, unknown>;
}
export interface Scenario {
  name: string;
  status: Setup;
  bot?: boolean;
  /** An account webhook: subscribed to message_created and the updates a message causes, or (`messages`) to message_created only. */
  webhook?: boolean | 'messages';
  /**
   * The conversation is assigned to another agent and a third one participates: both are notified
   * of every public message (their rows compared, the assignee's /cable frames too).
   */
  assignee?: boolean;
  /** More inbox settings at creation (a greeting, working hours). */
  inbox?: Record<string, unknown>;
  /** An active message_created automation rule (no actions): the listener has work, no fast path. */
  automation?: boolean;
  /** The account's `sla` feature on; `applied`: and the conversation has a policy. */
  sla?: 'feature' | 'applied';
  steps: Step[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ID_BLOCK = 1_000_000;

/** One server under test: its admin (a member of every account made here), one socket for agents and one for contacts. */
export interface Rig {
  server: TestServer;
  admin: { id: number; access_token: string; pubsub_token: string };
  platformToken: string;
  agents: CableClient;
  visitors: CableClient;
  receiver: Awaited<ReturnType<typeof startReceiver>>;
  tables: string[];
  accounts: number;
  /** Agents other than the admin, by name, made when a scenario first needs them. */
  agentUsers: Record<string, { id: number; pubsub_token: string }>;
}

/**
 * Sets every id sequence of the database to a block of its own (messages from 3,000,000, …), so
 * that a number tells which table's id it is; both rigs number their tables alike.
 */
export async function startRig(server: TestServer, platformToken: string): Promise<Rig> {
  const { rows } = await sql<{
    name: string;
  }>`select sequencename as name from pg_sequences where schemaname = 'public' order by sequencename`.execute(
    server.db,
  );
  for (const [index, { name }] of rows.entries())
    await sql`select setval(${name}::regclass, ${(index + 1) * ID_BLOCK})`.execute(server.db);
  const user = await server.request('POST', '/platform/api/v1/users', {
    token: platformToken,
    body: { name: 'Ada Admin', email: 'ada@parity.test', password: 'Passw0rd!' },
  });
  if (user.status !== 200) throw new Error(user.text);
  return {
    server,
    platformToken,
    admin: user.body,
    agents: await openCable(server.url),
    visitors: await openCable(server.url),
    receiver: await startReceiver(),
    tables: rows.map((r) => r.name.replace(/_id_seq$/, '')),
    accounts: 0,
    agentUsers: {},
  };
}

export function closeRig(rig: Rig) {
  rig.agents.close();
  rig.visitors.close();
  return rig.receiver.close();
}

/** A conversation of its own account, set up as the scenario says, with its sockets subscribed. */
async function prepare(rig: Rig, scenario: Scenario) {
  const { server, admin } = rig;
  const tag = `a${++rig.accounts}`;
  const account = (
    await server.request('POST', '/platform/api/v1/accounts', { token: rig.platformToken, body: { name: 'Parity' } })
  ).body;
  await server.request('POST', `/platform/api/v1/accounts/${account.id}/account_users`, {
    token: rig.platformToken,
    body: { user_id: admin.id, role: 'administrator' },
  });
  const asAdmin = (method: string, path: string, body?: unknown) =>
    server.request(method, `/api/v1/accounts/${account.id}${path}`, { token: admin.access_token, body });
  if (scenario.sla)
    await server.request('PATCH', `/platform/api/v1/accounts/${account.id}`, {
      token: rig.platformToken,
      body: { features: { sla: true } },
    });
  const inbox = (
    await asAdmin('POST', '/inboxes', { name: 'Parity inbox', channel: { type: 'api' }, ...scenario.inbox })
  ).body;
  let botToken: string | undefined;
  if (scenario.bot) {
    const bot = (
      await asAdmin('POST', '/agent_bots', { name: 'Parity bot', outgoing_url: `${rig.receiver.url}/${tag}/bot` })
    ).body;
    await asAdmin('POST', `/inboxes/${inbox.id}/set_agent_bot`, { agent_bot: bot.id });
    botToken = bot.access_token;
  }
  if (scenario.automation)
    await asAdmin('POST', '/automation_rules', {
      name: 'Parity rule',
      event_name: 'message_created',
      conditions: [],
      actions: [],
    });
  if (scenario.webhook)
    await asAdmin('POST', '/webhooks', {
      webhook: {
        url: `${rig.receiver.url}/${tag}/hook`,
        subscriptions:
          scenario.webhook === 'messages'
            ? ['message_created']
            : [
                'conversation_status_changed',
                'conversation_updated',
                'contact_updated',
                'message_created',
                'message_updated',
              ],
      },
    });
  const publicPath = `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`;
  const contact = (await server.request('POST', publicPath, { body: { name: 'Pat Contact' } })).body;
  const conversation = (await server.request('POST', `${publicPath}/${contact.source_id}/conversations`, { body: {} }))
    .body;
  if (scenario.sla === 'applied') {
    const policy = (
      await asAdmin('POST', '/sla_policies', {
        sla_policy: { name: 'Parity SLA', first_response_time_threshold: 3600, next_response_time_threshold: 3600 },
      })
    ).body.payload;
    await asAdmin('PATCH', `/conversations/${conversation.id}`, { sla_policy_id: policy.id });
  }
  let assigneeRoom: string | undefined;
  if (scenario.assignee) {
    // the same two users in every account of the rig: their emails and avatars read alike in every run
    const agent = async (name: string) => {
      const user =
        rig.agentUsers[name] ??
        (
          await server.request('POST', '/platform/api/v1/users', {
            token: rig.platformToken,
            body: { name, email: `${name.toLowerCase()}@parity.test`, password: 'Passw0rd!' },
          })
        ).body;
      rig.agentUsers[name] = user;
      await server.request('POST', `/platform/api/v1/accounts/${account.id}/account_users`, {
        token: rig.platformToken,
        body: { user_id: user.id, role: 'agent' },
      });
      return user;
    };
    const [assignee, participant] = [await agent('Bea'), await agent('Cy')];
    await asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [assignee.id, participant.id] });
    await asAdmin('POST', `/conversations/${conversation.id}/assignments`, { assignee_id: assignee.id });
    await asAdmin('POST', `/conversations/${conversation.id}/participants`, { user_ids: [participant.id] });
    // the push data's labels come from the statement on a fast path (its aliases once shadowed the conversation's)
    await asAdmin('POST', `/conversations/${conversation.id}/labels`, { labels: ['billing'] });
    assigneeRoom = rig.agents.subscribe({
      channel: 'RoomChannel',
      pubsub_token: assignee.pubsub_token,
      account_id: account.id,
      user_id: assignee.id,
    });
    await rig.agents.next((f) => f.identifier === assigneeRoom && f.type === 'confirm_subscription');
  }
  const toggle = (body: unknown) => asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, body);
  if (scenario.status === 'pending') await toggle({ status: 'pending' });
  if (scenario.status === 'resolved') await toggle({ status: 'resolved' });
  if (scenario.status === 'snoozed')
    await toggle({ status: 'snoozed', snoozed_until: Math.floor(Date.now() / 1000) + 3600 });
  if (scenario.status === 'muted') await asAdmin('POST', `/conversations/${conversation.id}/mute`);
  const agentRoom = rig.agents.subscribe({
    channel: 'RoomChannel',
    pubsub_token: admin.pubsub_token,
    account_id: account.id,
    user_id: admin.id,
  });
  const visitorRoom = rig.visitors.subscribe({ channel: 'RoomChannel', pubsub_token: contact.pubsub_token });
  await rig.agents.next((f) => f.identifier === agentRoom && f.type === 'confirm_subscription');
  await rig.visitors.next((f) => f.identifier === visitorRoom && f.type === 'confirm_subscription');
  const send = (step: Step): Promise<HttpResult> => {
    if (step.as === 'contact')
      return server.request('POST', `${publicPath}/${contact.source_id}/conversations/${conversation.id}/messages`, {
        body: step.body,
      });
    const token = step.as === 'bot' ? botToken! : admin.access_token;
    return server.request('POST', `/api/v1/accounts/${account.id}/conversations/${conversation.id}/messages`, {
      token,
      body: step.body,
    });
  };
  return {
    tag,
    account,
    conversation,
    asAdmin,
    agentRoom,
    assigneeRoom,
    visitorRoom,
    send,
    marks: { agents: 0, assignee: 0, visitors: 0, received: 0 },
  };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

const broadcasts = (socket: CableClient, room: string) =>
  socket.events(room).filter((m) => m.event !== 'presence.update');

/** Waits until no delivery is pending and neither socket nor the receiver has heard anything for a while. */
async function settle(rig: Rig) {
  const heard = () =>
    rig.agents.frames.length +
    rig.visitors.frames.length -
    [...rig.agents.frames, ...rig.visitors.frames].filter((f) => f.type === 'ping').length +
    rig.receiver.received.length;
  const pending = async () =>
    (
      await sql<{ event: string; attempts: number; last_error: string | null }>`
        select event, attempts, last_error from webhook_deliveries where status = 'pending'`.execute(rig.server.db)
    ).rows;
  let last = heard();
  let quietSince = Date.now();
  for (
    const started = Date.now();
    (Date.now() - quietSince < 500 || (await pending()).length > 0) && Date.now() - started < 20_000;
  ) {
    await sleep(50);
    if (heard() !== last) [last, quietSince] = [heard(), Date.now()];
  }
  // comparing outcomes with deliveries still to come would report a difference that is only late
  const left = await pending();
  if (left.length > 0)
    throw new Error(`webhook deliveries still pending after 20 s: ${JSON.stringify(left.slice(0, 5))}`);
}

/**
 * Runs the scenario's steps in `count` conversations at once (each its own account): step by step,
 * the conversations' requests together, so that contacts' messages share statements. Answers
 * each conversation's outcome.
 */
export async function runScenario(rig: Rig, scenario: Scenario, count: number): Promise<unknown[]> {
  const runs: Prepared[] = [];
  for (let i = 0; i < count; i++) runs.push(await prepare(rig, scenario));
  await settle(rig);
  for (const run of runs) {
    run.marks = {
      agents: broadcasts(rig.agents, run.agentRoom).length,
      assignee: run.assigneeRoom ? broadcasts(rig.agents, run.assigneeRoom).length : 0,
      visitors: broadcasts(rig.visitors, run.visitorRoom).length,
      received: rig.receiver.received.length,
    };
  }
  const answers: HttpResult[][] = runs.map(() => []);
  for (const step of scenario.steps) {
    const results = await Promise.all(runs.map((run) => run.send(step)));
    for (const [i, result] of results.entries()) answers[i]!.push(result);
    // the broadcasts read their rows after commit: read before the next step changes them (under
    // load the next message could otherwise land first, and a conversation.updated frame show it)
    await rig.server.bus.settled();
  }
  await settle(rig);
  const outcomes = [];
  for (const [i, run] of runs.entries()) {
    outcomes.push(await outcomeOf(rig, run, answers[i]!));
    rig.agents.send({ command: 'unsubscribe', identifier: run.agentRoom });
    rig.visitors.send({ command: 'unsubscribe', identifier: run.visitorRoom });
    if (run.assigneeRoom) rig.agents.send({ command: 'unsubscribe', identifier: run.assigneeRoom });
  }
  return outcomes;
}

async function outcomeOf(rig: Rig, run: Prepared, answers: HttpResult[]) {
  // the rows through to_jsonb: times to the microsecond, so that a clock reading of the server's
  // (JavaScript's, whole milliseconds) never passes for a message's time by falling in its millisecond
  type Row = Record<string, unknown>;
  const {
    rows: [stored],
  } = await sql<{
    conversation: Row;
    contact: Row;
    messages: Row[];
    reporting_events: Row[] | null;
    notifications: Row[] | null;
  }>`select to_jsonb(c) as conversation,
      (select jsonb_agg(to_jsonb(n) order by n.id) from notifications n where n.primary_actor_id = c.id) as notifications,
      (select to_jsonb(ct) from contacts ct where ct.id = c.contact_id) as contact,
      (select jsonb_agg(to_jsonb(m) order by m.id) from messages m where m.conversation_id = c.id) as messages,
      -- a value is seconds between times of the run: whether it spans its own start and end is what
      -- compares; and whether the business-hours value is what the inbox's hours make of that span:
      -- none without working hours, all of it with them (the scenarios' working hours are open all
      -- day), give or take the second two roundings may differ by
      (select jsonb_agg(to_jsonb(r) - 'value' - 'value_in_business_hours' - 'created_at' - 'updated_at'
          || jsonb_build_object('value_spans', r.value = reporting_seconds(r.event_start_time, r.event_end_time) or r.value = 0,
            'business_value_right', abs(r.value_in_business_hours - case when (select i.working_hours_enabled
              from inboxes i where i.id = r.inbox_id) then r.value else 0 end) <= 1)
          order by r.id)
        from reporting_events r where r.conversation_id = c.id) as reporting_events
    from conversations c where c.account_id = ${run.account.id} and c.display_id = ${run.conversation.id}`.execute(
    rig.server.db,
  );
  const messages = stored!.messages ?? [];
  // a time a message was stored at reads as that message; any other as a time
  const times = messages.map((m) => m.created_at);
  const when = (value: unknown) =>
    typeof value === 'string' && times.includes(value) ? `@message ${times.indexOf(value)}` : value;
  const dated = (row: Row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, when(v)]));
  // a reply_time starts at waiting_since cut to the millisecond (migration 0081, both paths): a
  // start of whole milliseconds reads as the message in that millisecond, whether or not the
  // message's own microseconds happen to be zero (a path writing the microseconds reads apart)
  const millis = messages.map((m) => new Date(m.created_at as string).getTime());
  const wholeMillis = (v: string) => ISO_TIME.test(v) && (/\.(\d+)/.exec(v)?.[1]?.length ?? 0) <= 3;
  const reportingDated = (row: Row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => {
        const at =
          k === 'event_start_time' && typeof v === 'string' && wholeMillis(v)
            ? millis.indexOf(new Date(v).getTime())
            : -1;
        return [k, at >= 0 ? `@message ${at}, to the millisecond` : when(v)];
      }),
    );
  const deliveries = rig.receiver.received
    .slice(run.marks.received)
    .filter((r) => r.path.startsWith(`/${run.tag}/`))
    .map((r) => ({ to: r.path.split('/')[2], body: r.body }));
  const outcome = normalise(
    {
      answers: answers.map((a) => ({ status: a.status, body: a.body })),
      rows: {
        conversation: dated(stored!.conversation),
        contact: dated(stored!.contact),
        messages: messages.map(dated),
        reporting_events: (stored!.reporting_events ?? []).map(reportingDated),
        notifications: stored!.notifications ?? [],
      },
      view: (await run.asAdmin('GET', `/conversations/${run.conversation.id}`)).body,
      agents: broadcasts(rig.agents, run.agentRoom)
        .slice(run.marks.agents)
        .filter((m) => m.data?.account_id === run.account.id)
        .map(({ event, data }) => ({ event, data })),
      assignee: run.assigneeRoom
        ? broadcasts(rig.agents, run.assigneeRoom)
            .slice(run.marks.assignee)
            .filter((m) => m.data?.account_id === run.account.id)
            .map(({ event, data }) => ({ event, data }))
        : [],
      contact: broadcasts(rig.visitors, run.visitorRoom)
        .slice(run.marks.visitors)
        .map(({ event, data }) => ({ event, data })),
      deliveries,
    },
    rig.tables,
  ) as { deliveries: unknown[] };
  // deliveries go out concurrently: compared as a set
  const outcomeFrames = outcome as unknown as { agents: Frame[]; assignee: Frame[]; contact: Frame[] };
  return {
    ...outcome,
    agents: byEvent(outcomeFrames.agents),
    assignee: byEvent(outcomeFrames.assignee),
    contact: byEvent(outcomeFrames.contact),
    deliveries: outcome.deliveries
      .map((d) => JSON.stringify(d))
      .sort()
      .map((text) => JSON.parse(text)),
  };
}

type Frame = { event: string; data: unknown };

/**
 * A socket's frames in order within each event name, the names apart: events of different names
 * are separate broadcasts with no order between them (Chatwoot queues a job each), and across
 * nodes (Redis fan-out) they arrive in whichever order their listeners finished loading; one
 * name's frames (message.created after message.created) keep their order.
 */
function byEvent(frames: Frame[]): Frame[] {
  return frames
    .map((frame, index) => ({ frame, index }))
    .sort((a, b) => a.frame.event.localeCompare(b.frame.event) || a.index - b.index)
    .map(({ frame }) => frame);
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^[A-Za-z0-9]{24}$/;

/**
 * Ids become `<table> <rank>` (the rank among that table's ids in the outcome: runs that stored
 * the same rows in the same order read alike), clock readings `time`, uuids and tokens their kind.
 */
function normalise(outcome: unknown, tables: string[]): unknown {
  const ids = new Map<number, number[]>();
  const isId = (v: unknown): v is number =>
    typeof v === 'number' && Number.isInteger(v) && v >= ID_BLOCK && v < (tables.length + 1) * ID_BLOCK;
  const collect = (v: unknown): void => {
    if (isId(v)) {
      const block = Math.floor(v / ID_BLOCK);
      ids.set(
        block,
        [...new Set([...(ids.get(block) ?? []), v])].sort((a, b) => a - b),
      );
    } else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(outcome);
  const map = (v: unknown): unknown => {
    if (isId(v)) return `${tables[Math.floor(v / ID_BLOCK) - 1]} ${ids.get(Math.floor(v / ID_BLOCK))!.indexOf(v)}`;
    if (typeof v === 'number') return v >= 1e9 ? 'time' : v;
    if (typeof v === 'string') return ISO_TIME.test(v) ? 'time' : UUID.test(v) ? 'uuid' : TOKEN.test(v) ? 'token' : v;
    if (Array.isArray(v)) return v.map(map);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, map(x)]));
    return v;
  };
  return map(outcome);
}
