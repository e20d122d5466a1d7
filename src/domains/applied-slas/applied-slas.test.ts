// SLA misses checked on time (Sla::EvaluateAppliedSlaService at each applied SLA's due time, the
// clock injected through the sla_check job's payload), their sla_events, notifications, webhooks,
// and the applied_slas report: index, metrics, download (enterprise AppliedSlasController).
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation } from '../../../test/factories.js';
import { eventually, seconds, slaKit } from '../../../test/sla-kit.js';
import { startReceiver } from '../../../test/webhook-receiver.js';
import { transactionally } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { createStorage } from '../../core/storage/storage.js';

const server = useTestServer({ CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true', CONFAB_JOB_POLL_MS: '50' });
const receiver = await startReceiver();
afterAll(() => receiver.close());
const { appliedOf, scheduledCheck, checkAt, events, noCheckRunning, statusOf, setup, withSla } = slaKit(server);

describe('SLA misses on time', () => {
  it('misses first response and resolution at their due times, notifies, announces, and ends missed on resolve', async () => {
    const { fx, inbox, policy } = await setup({ first_response_time_threshold: 3600, resolution_time_threshold: 7200 });
    const hook = await fx.asAdmin('POST', '/webhooks', {
      webhook: { url: `${receiver.url}/sla-${fx.account.id}`, subscriptions: ['conversation_updated'] },
    });
    expect(hook.status, hook.text).toBe(200);
    const conversation = await withSla(fx, inbox.id, policy.id);
    const applied = await appliedOf(fx, conversation.id);

    // the check waits for the first due time: created_at + first response threshold
    const due = await eventually(
      () => scheduledCheck(applied.id),
      (at) => at !== undefined && at.getTime() > Date.now(),
    );
    expect(due!.getTime()).toBe(seconds(applied.created_at, 3600).getTime());

    // a second early: nothing missed, the check stays at its due time
    await checkAt(applied.id, seconds(applied.created_at, 3599));
    expect(await events(applied.id)).toEqual([]);
    expect((await scheduledCheck(applied.id))!.getTime()).toBe(seconds(applied.created_at, 3600).getTime());

    await checkAt(applied.id, seconds(applied.created_at, 3600));
    expect(await events(applied.id)).toEqual([{ event_type: 0, meta: {} }]);
    expect(await statusOf(applied.id)).toBe(3);
    // next: the resolution target
    expect((await scheduledCheck(applied.id))!.getTime()).toBe(seconds(applied.created_at, 7200).getTime());

    const admins = await fx.asAdmin('GET', '/notifications');
    expect(admins.status, admins.text).toBe(200);
    expect(admins.body.data.payload.map((n: { notification_type: string }) => n.notification_type)).toContain(
      'sla_missed_first_response',
    );
    const agents = await fx.asAgent('GET', '/notifications');
    expect(agents.body.data.payload[0]).toMatchObject({
      notification_type: 'sla_missed_first_response',
      primary_actor_id: expect.any(Number),
    });
    expect(agents.body.data.payload[0].push_message_title).toBe(
      `SLA target first response missed for conversation (#${conversation.id})`,
    );
    // the secondary actor is the policy missed (SlaPolicy#push_event_data)
    expect(agents.body.data.payload[0].secondary_actor).toEqual({
      id: policy.id,
      name: 'Gold',
      frt: 3600,
      nrt: null,
      rt: 7200,
    });
    const record = await fx.asAgent('POST', `/notifications/${agents.body.data.payload[0].id}/snooze`, {
      snoozed_until: Math.floor(Date.now() / 1000) + 3600,
    });
    expect(record.status, record.text).toBe(200);
    expect(record.body).toMatchObject({ secondary_actor_type: 'SlaPolicy', secondary_actor_id: policy.id });
    await receiver.waitFor((all) =>
      all.some((r) => r.path === `/sla-${fx.account.id}` && r.body.event === 'conversation_updated'),
    );

    // the same miss again records nothing more
    await checkAt(applied.id, seconds(applied.created_at, 3700));
    expect(await events(applied.id)).toHaveLength(1);

    await checkAt(applied.id, seconds(applied.created_at, 7200));
    expect((await events(applied.id)).map((e) => e.event_type)).toEqual([0, 2]);
    const agentsAfter = await fx.asAgent('GET', '/notifications');
    // Chatwoot keeps the newest notification per conversation and user
    expect(agentsAfter.body.data.payload.map((n: { notification_type: string }) => n.notification_type)).toEqual([
      'sla_missed_resolution',
    ]);

    const shown = await fx.asAdmin('GET', `/conversations/${conversation.id}`);
    expect(shown.body.applied_sla.sla_status).toBe('active_with_misses');
    expect(shown.body.sla_events.map((e: { event_type: string }) => e.event_type)).toEqual(['frt', 'rt']);
    expect(Object.keys(shown.body.sla_events[0])).toEqual(['id', 'event_type', 'meta', 'updated_at', 'created_at']);

    expect(
      (await fx.asAdmin('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' })).status,
    ).toBe(200);
    await eventually(
      () => statusOf(applied.id),
      (s) => s === 2,
    );
    expect(await scheduledCheck(applied.id)).toBeUndefined();
  });

  it('misses next response per waiting message, and a first reply in time counts as hit on resolve', async () => {
    const { fx, inbox, policy } = await setup({
      first_response_time_threshold: 3600,
      next_response_time_threshold: 600,
    });
    const conversation = await withSla(fx, inbox.id, policy.id);
    const applied = await appliedOf(fx, conversation.id);
    const post = (body: Record<string, unknown>) =>
      fx.asAdmin('POST', `/conversations/${conversation.id}/messages`, body);
    expect((await post({ content: 'Hi, I need help', message_type: 'incoming' })).status).toBe(200);
    expect((await post({ content: 'On it' })).status).toBe(200);
    const incoming = await post({ content: 'Still there?', message_type: 'incoming' });
    expect(incoming.status, incoming.text).toBe(200);
    const waiting = (
      await sql<{
        w: Date;
      }>`select waiting_since as w from conversations where id = ${applied.conversation_id}`.execute(server().db)
    ).rows[0]!.w;
    expect(waiting).not.toBeNull();
    // the message moved the check to waiting_since + next response threshold
    await eventually(
      () => scheduledCheck(applied.id),
      (at) => at?.getTime() === seconds(waiting, 600).getTime(),
    );
    await checkAt(applied.id, seconds(waiting, 600));
    const missed = await events(applied.id);
    expect(missed).toEqual([{ event_type: 1, meta: { message_id: expect.any(Number) } }]);
    expect(await statusOf(applied.id)).toBe(3);
    const notes = await fx.asAdmin('GET', '/notifications');
    expect(notes.body.data.payload[0].notification_type).toBe('sla_missed_next_response');

    // a resolved conversation with a first reply in time and no miss is a hit
    const ok = await withSla(fx, inbox.id, policy.id);
    const okApplied = await appliedOf(fx, ok.id);
    expect((await fx.asAdmin('POST', `/conversations/${ok.id}/messages`, { content: 'Hello!' })).status).toBe(200);
    expect((await fx.asAdmin('POST', `/conversations/${ok.id}/toggle_status`, { status: 'resolved' })).status).toBe(
      200,
    );
    await eventually(
      () => statusOf(okApplied.id),
      (s) => s === 1,
    );
    expect(await events(okApplied.id)).toEqual([]);
  });

  it('keeps a check asked for while another runs, rather than letting the running one push it back', async () => {
    const { fx, inbox, policy } = await setup({ first_response_time_threshold: 3600 });
    const conversation = await withSla(fx, inbox.id, policy.id);
    const applied = await appliedOf(fx, conversation.id);
    await noCheckRunning(applied.id);
    const key = `sla_check:${applied.id}`;
    const db = server().db;
    // the test holds the applied SLA's row: the next check takes its job, then waits for the row
    const holder = new pg.Client({ connectionString: server().databaseUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from applied_slas where id = $1 for update', [applied.id]);
      await sql`select graphile_worker.add_job('sla_check', json_build_object('applied_sla_id', ${applied.id}::bigint),
        job_key => ${key}, job_key_mode => 'replace')`.execute(db);
      await eventually(
        async () =>
          (
            await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
            where key = ${key} and locked_at is not null`.execute(db)
          ).rows[0]!.n,
        (n) => n === 1,
      );
      // while it runs, a check at the first response's due time is asked for, to run in a moment
      const payload = JSON.stringify({ applied_sla_id: applied.id, now: seconds(applied.created_at, 3600) });
      await sql`select graphile_worker.add_job('sla_check', ${payload}::json, run_at => now() + interval '2 seconds',
        job_key => ${key}, job_key_mode => 'replace')`.execute(db);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    // the running check finds nothing missed yet; the one asked for still runs, and finds the miss
    const missed = await eventually(
      () => events(applied.id),
      (e) => e.length > 0,
    );
    expect(missed).toEqual([{ event_type: 0, meta: {} }]);
  });
});

describe('applied SLAs report', () => {
  it('lists missed applied SLAs, counts metrics and downloads the CSV, with filters', async () => {
    const { fx, inbox, policy } = await setup({ first_response_time_threshold: 60 });
    const missed = await withSla(fx, inbox.id, policy.id);
    const hit = await withSla(fx, inbox.id, policy.id);
    const missedApplied = await appliedOf(fx, missed.id);
    await checkAt(missedApplied.id, seconds(missedApplied.created_at, 61));
    expect(await statusOf(missedApplied.id)).toBe(3);
    expect(
      (await fx.asAdmin('POST', `/conversations/${missed.id}/labels`, { labels: ['vip', 'billing'] })).status,
    ).toBe(200);
    expect((await fx.asAdmin('POST', `/conversations/${hit.id}/messages`, { content: 'Quick' })).status).toBe(200);

    const index = await fx.asAdmin('GET', '/applied_slas');
    expect(index.status, index.text).toBe(200);
    expect(index.body.meta).toEqual({ count: 1, current_page: 1 });
    expect(index.body.payload).toHaveLength(1);
    expect(index.body.payload[0].conversation).toMatchObject({
      id: missed.id,
      contact: { name: missed.meta.sender.name },
      labels: 'vip, billing',
      assignee: { id: fx.agent.id },
    });
    expect(index.body.payload[0].applied_sla.sla_status).toBe('active_with_misses');
    expect(index.body.payload[0].sla_events.map((e: { event_type: string }) => e.event_type)).toEqual(['frt']);

    const metrics = await fx.asAdmin('GET', '/applied_slas/metrics');
    expect(metrics.body).toEqual({ total_applied_slas: 2, number_of_sla_misses: 1, hit_rate: '50.0%' });
    const byLabel = await fx.asAdmin('GET', '/applied_slas/metrics?label_list=vip');
    expect(byLabel.body).toEqual({ total_applied_slas: 1, number_of_sla_misses: 1, hit_rate: '0.0%' });
    const otherInbox = await fx.asAdmin('GET', `/applied_slas/metrics?inbox_id=${inbox.id + 100000}`);
    expect(otherInbox.body).toEqual({ total_applied_slas: 0, number_of_sla_misses: 0, hit_rate: '100%' });
    const past = await fx.asAdmin('GET', '/applied_slas/metrics?since=0&until=86400');
    expect(past.body.total_applied_slas).toBe(0);

    const csv = await fx.asAdmin('GET', '/applied_slas/download');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('attachment; filename=breached_conversation.csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'Conversation ID,SLA Policy,Assignee,Team,Inbox,Labels,Link to the Conversation,Breached Events',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${missed.id},Gold,`));
    expect(lines[1]).toContain(`/app/accounts/${fx.account.id}/conversations/${missed.id},frt`);
  });

  it('refuses agents, accounts without the sla feature, and requests without a token', async () => {
    const { fx } = await setup({});
    expect((await fx.asAgent('GET', '/applied_slas')).status).toBe(401);
    expect((await fx.asAgent('GET', '/applied_slas/metrics')).status).toBe(401);
    expect((await fx.asAgent('GET', '/applied_slas/download')).status).toBe(401);
    const off = await buildAccountFixture(server());
    const res = await off.asAdmin('GET', '/applied_slas/metrics');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'You are not authorized to do this action' });
    expect((await server().request('GET', `/api/v1/accounts/${fx.account.id}/applied_slas`)).status).toBe(401);
  });

  it('add_sla accepts the account’s policy and refuses another account’s when a rule or macro is saved', async () => {
    const { fx, policy } = await setup({ first_response_time_threshold: 60 });
    const other = await buildAccountFixture(server());
    const theirs = (await other.asAdmin('POST', '/sla_policies', { sla_policy: { name: 'Theirs' } })).body.payload;
    const { ACTION_HANDLERS } = await import('../automation-actions/registry.js');
    const handler = ACTION_HANDLERS.add_sla!;
    expect(await handler.check!(server().db, { accountId: fx.account.id, params: [policy.id] })).toBeNull();
    expect(await handler.check!(server().db, { accountId: fx.account.id, params: [theirs.id] })).not.toBeNull();
  });

  it('add_sla run by a rule applies the policy with "Automation System" in its activity message', async () => {
    const { fx, inbox, policy } = await setup({ first_response_time_threshold: 60 });
    const conversation = await buildConversation(fx, inbox.id);
    const blocked = await buildConversation(fx, inbox.id);
    expect((await fx.asAdmin('POST', `/conversations/${blocked.id}/mute`)).status).toBe(200);
    const rowOf = (displayId: number) =>
      server()
        .db.selectFrom('conversations')
        .selectAll()
        .where('account_id', '=', fx.account.id)
        .where('display_id', '=', displayId)
        .executeTakeFirstOrThrow();
    const [account, row, blockedRow] = await Promise.all([
      server().db.selectFrom('accounts').selectAll().where('id', '=', fx.account.id).executeTakeFirstOrThrow(),
      rowOf(conversation.id),
      rowOf(blocked.id),
    ]);
    const ctx: AccountCtx = {
      db: server().db,
      config: server().config,
      bus: server().bus,
      storage: createStorage({ directory: path.join(server().config.dataDir, 'storage') }),
      account,
      actor: { kind: 'automation', rule: { id: 5, name: 'Gold for all', event_name: 'conversation_created' } },
      accountUser: undefined,
    };
    const { performActions } = await import('../automation-actions/perform.js');
    for (const target of [row, blockedRow])
      await transactionally(ctx, (tx, batch) =>
        performActions(
          { ctx, tx, batch },
          { conversation: target, actions: [{ action_name: 'add_sla', action_params: [policy.id] }] },
        ),
      );
    // a blocked contact's conversation gets none (Conversation#sla_applicable?), and no error
    expect((await fx.asAdmin('GET', `/conversations/${blocked.id}`)).body.sla_policy_id).toBeNull();
    const shown = await fx.asAdmin('GET', `/conversations/${conversation.id}`);
    expect(shown.body.sla_policy_id).toBe(policy.id);
    expect(shown.body.applied_sla.sla_status).toBe('active');
    const messages = await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`);
    const activity = messages.body.payload.filter((m: { message_type: number }) => m.message_type === 2);
    expect(activity.map((m: { content: string; sender?: unknown }) => [m.content, m.sender])).toEqual([
      ['Automation System added SLA policy Gold', undefined],
    ]);
  });
});
