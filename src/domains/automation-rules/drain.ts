import { sql } from 'kysely';
import { prepared, anyPlan, ANY_PLAN } from '../../core/db/prepared.js';
import type { Db } from '../../core/db/kysely.js';
import type { AutomationRule } from '../../core/db/schema.js';
import { isTransientConflict, transactionally } from '../../core/events/bus.js';
import { addJob } from '../../core/jobs/runner.js';
import { decideGroup, type Outcome } from './decide.js';
import { AUTOMATION_RULES, markRuleTransaction } from './listener.js';
import { activeRules } from './queries.js';
import { eventKey, jobOf, type QueuedEvent } from './queued-event.js';
import { authorizationErrors, customKeysOf, invalidRules } from './reauthorize.js';
import { automationAttributes, type Deps, pendingOf, ruleCtxOf, runRulesIn } from './run.js';

/**
 * Decides up to `limit` queued automation events in one transaction (Chatwoot's
 * AutomationRuleListener, in batches): the events are claimed (skip locked, so several nodes drain
 * side by side); each account's active rules are read and compiled once; the conditions of every
 * rule, and whether each matching rule's actions would change anything, are read for every event
 * in one statement per event name. What that settles — misses and matched rules whose actions
 * change nothing, a row per outcome — is recorded, and those events deleted, in the same transaction,
 * so a crash redoes the batch or nothing. The batch takes no lock on a conversation: a message
 * into it is never held up by the rules of the messages before.
 *
 * An event with a rule that changes something stays queued, and so do the later events of its
 * conversation: its id is returned, for runActingEvent to run all its rules in a transaction of
 * its own, holding the conversation; the next batch reads the later ones on the state it left.
 */
export async function decideAutomationEvents(deps: Deps, limit: number): Promise<DecidedBatch> {
  return transactionally(deps, async (tx) => {
    // what a batch writes is its own to redo: a commit lost to a crash leaves its events queued, and
    // the batch publishes nothing, so it need not wait for its WAL to reach the disk
    await prepared(sql`select set_config('synchronous_commit', 'off', true)`).execute(tx);
    const { rows: events } = await prepared(sql<QueuedEvent>`select * from automation_events order by id
      limit ${limit} for update skip locked`).execute(tx);
    if (events.length === 0) return { claimed: 0, acting: [] };
    const invalid: { rule: AutomationRule; errors: number }[] = [];
    const byAccount = new Map<number, QueuedEvent[]>();
    for (const e of events) byAccount.set(e.account_id, [...(byAccount.get(e.account_id) ?? []), e]);
    const settled: Settled[] = [];
    const done: number[] = [];
    const acting: number[] = [];
    const held = new Set<number>();
    for (const [accountId, list] of byAccount) {
      const names = [...new Set(list.map((e) => e.event_name))];
      const rules = await activeRules(tx, accountId, names);
      if (rules.length === 0) {
        // the rules went away (or the account did): nothing to run
        done.push(...list.map((e) => e.id));
        continue;
      }
      const customs = await automationAttributes(tx, accountId);
      const decided = new Map<number, Outcome>();
      for (const name of names) {
        const ofEvent = rules.filter((r) => r.event_name === name);
        const group = list.filter((e) => e.event_name === name);
        if (ofEvent.length === 0) done.push(...group.map((e) => e.id));
        else for (const [id, value] of await decideGroup(tx, ofEvent, customs, group)) decided.set(id, value);
      }
      for (const event of list) {
        const outcome = decided.get(event.id);
        if (!outcome || held.has(event.conversation_id)) continue;
        if (outcome.kind === 'act') {
          held.add(event.conversation_id);
          acting.push(event.id);
          continue;
        }
        done.push(event.id);
        if (outcome.kind === 'job')
          await addJob(tx, AUTOMATION_RULES, jobOf(event) as unknown as Record<string, unknown>);
        else settled.push({ event, outcome });
      }
      // Reauthorizable: a rule whose conditions no longer validate counts an error per event it was
      // evaluated for here (the events held for the next batch count there; the job counts its own)
      const evaluated = new Set([...settled.map((s) => s.event.id), ...acting]);
      for (const rule of invalidRules(rules, customKeysOf(customs)))
        invalid.push({
          rule,
          errors: list.filter((e) => e.event_name === rule.event_name && evaluated.has(e.id)).length,
        });
    }
    await recordSettled(tx, settled);
    for (const { rule, errors } of invalid) if (errors > 0) await authorizationErrors(tx, rule, errors);
    if (done.length) await prepared(sql`delete from automation_events where id = any(${done}::bigint[])`).execute(tx);
    return { claimed: events.length, acting };
  });
}

/** What a batch decided: how many events it claimed, and those to act on. */
interface DecidedBatch {
  claimed: number;
  acting: number[];
}

/**
 * Runs every rule of one queued event in a rule transaction of its own, holding the conversation,
 * each rule after the previous one's actions (run.ts `runRulesIn`), and deletes the event with
 * them: whoever deletes it first runs it, so it runs once however many nodes were told to.
 */
export async function runActingEvent(deps: Deps, id: number): Promise<void> {
  await transactionally(deps, async (tx, batch) => {
    markRuleTransaction(tx);
    const { rows } = await anyPlan(
      sql<QueuedEvent>`delete from automation_events where id = ${id} returning *`,
    ).execute(tx);
    const event = rows[0];
    if (!event) return;
    const [account, rules] = await Promise.all([
      tx.selectFrom('accounts').modifyFront(ANY_PLAN).selectAll().where('id', '=', event.account_id).executeTakeFirst(),
      activeRules(tx, event.account_id, [event.event_name]),
    ]);
    if (!account || rules.length === 0) return;
    const customs = await automationAttributes(tx, event.account_id);
    // the batch that decided this event counted its invalid rules
    const job = jobOf(event);
    const pending = rules.map((rule) => pendingOf(rule, job, customs));
    // the conversation is gone: the per-event job records that for every rule
    if (!(await runRulesIn({ tx, batch }, ruleCtxOf(deps, account), job, pending)))
      await addJob(tx, AUTOMATION_RULES, job as unknown as Record<string, unknown>);
  });
}

/** An event settled without acting. */
type Settled = { event: QueuedEvent; outcome: Extract<Outcome, { kind: 'done' }> };

/**
 * Records what a batch settled: a row per outcome for its missed and unchanged rules — the events
 * of an account and event name whose same rules missed and matched without changing anything share
 * one, their ids in arrays (one statement of constant text, sent prepared; each event's run id is
 * drawn from the runs' sequence) — and a run per rule whose conditions could not be compiled.
 * Each carries its event's id, by which the runs list.
 */
async function recordSettled(tx: Db, settled: Settled[]): Promise<void> {
  const groups = new Map<string, Settled[]>();
  for (const entry of settled) {
    const { event, outcome } = entry;
    if (!outcome.missed.length && !outcome.unchanged.length) continue;
    const key = `${event.account_id} ${event.event_name} ${outcome.missed.join(',')} ${outcome.unchanged.join(',')}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  if (groups.size) {
    const list = [...groups.values()];
    const first = list.map((group) => group[0]!);
    // array literals: unnest cannot take an array of arrays of different lengths
    const literal = (values: (number | null)[]) => `{${values.map((v) => v ?? 'NULL').join(',')}}`;
    const perEvent = (of: (event: QueuedEvent) => number | null) =>
      list.map((group) => literal(group.map((entry) => of(entry.event))));
    await prepared(sql`insert into automation_event_runs (account_id, event_name, run_ids, event_ids,
        conversation_ids, message_ids, last_event_id, missed_rule_ids, unchanged_rule_ids)
      select x.account_id, x.event_name,
        array(select nextval('automation_rule_runs_id_seq') from generate_series(1, cardinality(x.events::bigint[]))),
        x.events::bigint[], x.conversations::bigint[], x.messages::bigint[],
        (select max(id) from unnest(x.events::bigint[]) as id), x.missed::bigint[], x.unchanged::bigint[]
      from unnest(${first.map((e) => e.event.account_id)}::bigint[], ${first.map((e) => e.event.event_name)}::text[],
        ${perEvent((e) => e.id)}::text[], ${perEvent((e) => e.conversation_id)}::text[],
        ${perEvent((e) => e.message_id)}::text[], ${first.map((e) => literal(e.outcome.missed))}::text[],
        ${first.map((e) => literal(e.outcome.unchanged))}::text[])
        with ordinality as x (account_id, event_name, events, conversations, messages, missed, unchanged, ord)
      order by x.ord`).execute(tx);
  }
  const failed = settled.flatMap(({ event, outcome }) =>
    outcome.failed.map((f) => ({
      account_id: event.account_id,
      event_name: event.event_name,
      event_key: eventKey(event),
      event_id: event.id,
      conversation_id: event.conversation_id,
      message_id: event.message_id,
      automation_rule_id: f.ruleId,
      matched: false,
      actions: '[]',
      error: f.error,
    })),
  );
  if (failed.length)
    await tx
      .insertInto('automation_rule_runs')
      .values(failed)
      .onConflict((oc) => oc.columns(['automation_rule_id', 'event_key']).doNothing())
      .execute();
}

/**
 * Decides a batch, then runs its acting events one by one; returns how many events it claimed.
 * The batch may be decided over `decidingDb` (a background connection: it locks no conversation);
 * the acting events run over deps.db, since they hold their conversation while they run.
 */
export async function drainAutomationEvents(deps: Deps, limit: number, decidingDb: Db = deps.db): Promise<number> {
  const { claimed, acting } = await decideAutomationEvents({ ...deps, db: decidingDb }, limit);
  await runActingEvents(deps, acting);
  return claimed;
}

/**
 * Acting events run this many at a time. A batch holds at most one per conversation, so they touch
 * different conversations; each is a few hundred round trips (its rules' actions, their activity
 * messages and events), and one after the other the rules that went live on twenty busy
 * conversations held the drainer, and every message's rules behind it, for seconds.
 */
const ACTING_AT_ONCE = 4;

async function runActingEvents(deps: Deps, ids: number[]): Promise<void> {
  const queue = [...ids];
  const runners = Array.from({ length: Math.min(ACTING_AT_ONCE, queue.length) }, async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await runActingEvent(deps, id);
  });
  // every runner ends before the first failure is thrown: the drainer's rescue must not race them
  const failed = (await Promise.allSettled(runners)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

export interface AutomationDrainer {
  stop(): Promise<void>;
}

/**
 * This node's automation drainer: drains batches back to back while there are events, then waits
 * `idleMs` — or less, when this node publishes an event of an account that has active rules: its
 * own changes are picked up `gatherMs` later, other nodes' within idleMs. While events keep coming
 * (the last batch found `busyBatch` or more) it gathers for `busyGatherMs` instead: a batch costs
 * a dozen round trips and statements whatever its size, and on a busy node that fixed cost, paid
 * forty times a second, was a third of what rules cost a message; a quiet node still answers in
 * `gatherMs`. A batch that fails is retried one event at a time, and an event that fails alone goes
 * to the per-event job, so one bad event cannot stop the others.
 */
export function startAutomationDrainer(
  deps: Deps & { log: { warn(obj: unknown, msg: string): void }; backgroundDb?: Db },
  options: { idleMs: number; batchSize?: number; gatherMs?: number; busyGatherMs?: number; busyBatch?: number },
): AutomationDrainer {
  const batchSize = options.batchSize ?? 500;
  const gatherMs = options.gatherMs ?? 25;
  const busyGatherMs = options.busyGatherMs ?? 200;
  const busyBatch = options.busyBatch ?? 10;
  let stopped = false;
  let wake: (() => void) | undefined;
  let poked = false;
  let accountsWithRules = new Set<number>();
  let accountsReadAt = 0;
  const unsubscribe = deps.bus.subscribe((event) => {
    const accountId = (event.payload as { accountId?: number }).accountId;
    if (accountId === undefined || !accountsWithRules.has(accountId)) return;
    poked = true;
    wake?.();
  });
  const refreshAccounts = async () => {
    if (Date.now() - accountsReadAt < Math.max(options.idleMs, 1000)) return;
    const rows = await deps.db
      .selectFrom('automation_rules')
      .select('account_id')
      .distinct()
      .where('active', '=', true)
      .execute();
    accountsWithRules = new Set(rows.map((r) => r.account_id));
    accountsReadAt = Date.now();
  };
  const rescue = async () => {
    for (;;) {
      try {
        if ((await drainAutomationEvents(deps, 1)) === 0) return;
      } catch (error) {
        deps.log.warn({ err: error }, 'an automation event could not be drained; its rules run as a job');
        await deps.db.transaction().execute(async (tx) => {
          const { rows } = await sql<QueuedEvent>`delete from automation_events where id = (
            select id from automation_events order by id limit 1 for update skip locked) returning *`.execute(tx);
          for (const event of rows)
            await addJob(tx, AUTOMATION_RULES, jobOf(event) as unknown as Record<string, unknown>);
        });
      }
    }
  };
  const sleep = (ms: number, wakeable: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      if (wakeable)
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
    }).finally(() => {
      wake = undefined;
    });
  const loop = (async () => {
    let claimed = 0;
    while (!stopped) {
      poked = false;
      claimed = 0;
      try {
        await refreshAccounts();
        do claimed = await drainAutomationEvents(deps, batchSize, deps.backgroundDb);
        while (!stopped && claimed === batchSize);
      } catch (error) {
        if (stopped) break;
        if (!isTransientConflict(error))
          await rescue().catch((e) => deps.log.warn({ err: e }, 'automation events could not be drained'));
      }
      if (stopped) break;
      if (!poked) await sleep(options.idleMs, true);
      if (!stopped) await sleep(claimed >= busyBatch ? busyGatherMs : gatherMs, false);
    }
  })();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await loop;
    },
  };
}
