import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { PreparedOnce, prepared, type Slots } from '../../core/db/prepared.js';
import type { Db } from '../../core/db/kysely.js';
import type { AutomationRule } from '../../core/db/schema.js';
import { isTransientConflict, transactionally } from '../../core/events/bus.js';
import { addJob } from '../../core/jobs/runner.js';
import { actionHandler } from '../automation-actions/registry.js';
import type { ActionEntry, ActionOutcome } from '../automation-actions/types.js';
import type { CustomAttributeSpec, FilterCondition } from '../filters/compile.js';
import { AUTOMATION_RULES, type AutomationJob, markRuleTransaction } from './listener.js';
import { authorizationErrors, customKeysOf, invalidRules } from './reauthorize.js';
import {
  automationAttributes,
  type CompiledConditions,
  type Deps,
  type Pending,
  pendingOf,
  ruleCtxOf,
  runRulesIn,
  skipped,
} from './run.js';
import type { RuleEvent } from './validate.js';

/** An automation_events row: one event whose rules have not run yet. */
interface QueuedEvent {
  id: number;
  account_id: number;
  event_name: RuleEvent;
  conversation_id: number;
  message_id: number | null;
  changed_attributes: Record<string, [unknown, unknown]> | null;
  occurred_at: Date;
}

/** The key the event's runs carry: unique per event, so a retried job never runs a rule twice for it. */
const eventKey = (event: QueuedEvent) => `event:${event.id}`;

const jobOf = (event: QueuedEvent): AutomationJob => ({
  account_id: event.account_id,
  event_name: event.event_name,
  conversation_id: event.conversation_id,
  message_id: event.message_id,
  changed_attributes: event.changed_attributes,
  event_key: eventKey(event),
  occurred_at: event.occurred_at.toISOString(),
});

/** One rule as the drainer reads it: its conditions compiled (or why not), and whether its actions would change nothing. */
interface RuleReading {
  rule: AutomationRule;
  compiled?: CompiledConditions;
  error?: string;
  /** SQL true when every action of the rule would change nothing; null when that cannot be known without running them. */
  unchanged: RawBuilder<boolean> | null;
}

function unchangedOf(rule: AutomationRule): RawBuilder<boolean> | null {
  const actions = (Array.isArray(rule.actions) ? rule.actions : []) as ActionEntry[];
  if (actions.length === 0) return sql<boolean>`true`;
  const parts: RawBuilder<boolean>[] = [];
  for (const action of actions) {
    const part = actionHandler(action.action_name)?.unchanged?.(
      Array.isArray(action.action_params) ? action.action_params : [],
    );
    if (!part) return null;
    parts.push(part);
  }
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** What the drainer does with one event. */
type Outcome =
  /** settled: the rules that missed, those whose actions would change nothing, those whose conditions cannot be compiled */
  | { kind: 'done'; missed: number[]; unchanged: number[]; failed: Failed[] }
  /** a rule changes something: every rule of the event runs in a transaction of its own (runActingEvent) */
  | { kind: 'act' }
  /** the conversation is gone, or the read failed as SQL: the per-event job runs (and records) it */
  | { kind: 'job' };

/** A rule whose conditions could not be compiled: its run is recorded as no match, with why. */
interface Failed {
  ruleId: number;
  error: string;
}

/**
 * The read of one account's rules for one event name: its readings (each rule compiled, or why
 * not) and the statement built from them, compiled once and sent prepared (PreparedOnce). A
 * busy account's batches all have the same rules, so each batch only binds its events.
 */
interface ReadShape {
  readings: RuleReading[];
  /** kept for later batches (sent prepared); a shape of one event (its changed attributes, its "today") is not */
  kept: boolean;
  /** message_created: the event's message is joined (some rule reads it) */
  messageEvent: boolean;
}

type ReadValues = { ids: number[]; conversations: number[]; messages: (number | null)[]; accountId: number };

/**
 * Every rule's conditions — and, for each rule, whether its actions would change anything — for a
 * batch of events, in one statement: a row per event, a column per rule, over the event's
 * conversation, its contact and (message_created) its message, as ConditionsFilterService's joins.
 */
function readStatement({ readings, messageEvent }: ReadShape, v: Slots<ReadValues>) {
  const joinMessage = messageEvent && readings.some((r) => r.compiled?.readsMessages);
  const columns: RawBuilder<unknown>[] = [];
  readings.forEach((r, i) => {
    if (!r.compiled) return;
    const { condition, readsMessages } = r.compiled;
    const match =
      readsMessages && !messageEvent
        ? // any message of the conversation, as the LEFT JOIN of the per-event read
          sql`exists (select 1 from (select 1) as one left join messages
            on messages.conversation_id = conversations.id where ${condition})`
        : condition;
    columns.push(sql`coalesce((${match}), false) as ${sql.ref(`m${i}`)}`);
    // read only where the rule matches (rarely): most rules miss most events
    if (r.unchanged)
      columns.push(
        sql`case when (${match}) then coalesce(${r.unchanged}, false) else false end as ${sql.ref(`u${i}`)}`,
      );
  });
  return sql<Record<string, unknown>>`select e.id as event_id,
        conversations.id is not null as found, conversations.additional_attributes as additional_attributes
        ${columns.length ? sql`, ${sql.join(columns)}` : sql``}
      from unnest(${v.ids}::bigint[], ${v.conversations}::bigint[], ${v.messages}::bigint[]) as e (id, conversation_id, message_id)
      left join conversations on conversations.id = e.conversation_id and conversations.account_id = ${v.accountId}
      left join contacts on contacts.id = conversations.contact_id
      ${
        readings.some((r) => r.unchanged)
          ? sql`left join lateral (select array_agg(taggings.name) as names from taggings
              where taggings.taggable_type = 'Conversation' and taggings.taggable_id = conversations.id) as conversation_labels on true`
          : sql``
      }
      ${joinMessage ? sql`left join messages on messages.conversation_id = conversations.id and messages.id = e.message_id` : sql``}`;
}

/** The read of a shape kept for later batches, sent prepared. */
const READ_STATEMENT = new PreparedOnce<ReadShape, ReadValues, Record<string, unknown>>(readStatement, (shape) => [
  shape,
  'read',
]);

/** Read shapes by what they are built from (rules, custom attributes, event name); the oldest go first. */
const readShapes = new Map<string, ReadShape>();
const READ_SHAPES_KEPT = 200;

function readShapeOf(
  rules: AutomationRule[],
  customs: CustomAttributeSpec[],
  template: AutomationJob,
  reuse: boolean,
): ReadShape {
  const build = (): ReadShape => ({
    kept: reuse,
    messageEvent: template.event_name === 'message_created',
    readings: rules.map((rule) => {
      const pending = pendingOf(rule, template, customs);
      return 'error' in pending
        ? { rule, error: pending.error, unchanged: null }
        : { rule, compiled: pending.compiled, unchanged: unchangedOf(rule) };
    }),
  });
  if (!reuse) return build();
  const key = createHash('sha1')
    .update(JSON.stringify([template.event_name, customs, rules.map((r) => [r.id, r.conditions, r.actions])]))
    .digest('base64');
  let shape = readShapes.get(key);
  if (shape) {
    // most recently used last
    readShapes.delete(key);
  } else {
    shape = build();
    if (readShapes.size >= READ_SHAPES_KEPT) readShapes.delete(readShapes.keys().next().value!);
  }
  readShapes.set(key, shape);
  return shape;
}

/** The read for these events, by event id; null when it fails as SQL (each event then goes to the job, which reads rule by rule). */
async function readEvents(
  tx: Db,
  accountId: number,
  events: QueuedEvent[],
  shape: ReadShape,
): Promise<Map<number, Record<string, unknown>> | null> {
  const values: ReadValues = {
    ids: events.map((e) => e.id),
    conversations: events.map((e) => e.conversation_id),
    messages: events.map((e) => e.message_id),
    accountId,
  };
  await sql`savepoint automation_drain_read`.execute(tx);
  try {
    const { rows } = shape.kept
      ? await READ_STATEMENT.execute(tx, shape, values)
      : await readStatement(shape, {
          ids: sql`${values.ids}`,
          conversations: sql`${values.conversations}`,
          messages: sql`${values.messages}`,
          accountId: sql`${values.accountId}`,
        }).execute(tx);
    await sql`release savepoint automation_drain_read`.execute(tx);
    return new Map(rows.map((row) => [Number(row.event_id), row]));
  } catch (problem) {
    if (isTransientConflict(problem)) throw problem;
    await sql`rollback to savepoint automation_drain_read`.execute(tx);
    await sql`release savepoint automation_drain_read`.execute(tx);
    return null;
  }
}

/**
 * Walks the rules in order for one read event: a rule that does not match is a miss; one that
 * matches with actions that would change nothing is settled as run; the first that would change
 * something makes the event an acting one, whose rules all run in a transaction of its own.
 */
function decide(event: QueuedEvent, readings: RuleReading[], row: Record<string, unknown> | undefined): Outcome {
  // a conversation gone since: the job records it, as it records any run it cannot do
  if (row?.found !== true) return { kind: 'job' };
  const done = { kind: 'done' as const, missed: [] as number[], unchanged: [] as number[], failed: [] as Failed[] };
  const autoReply = skipped(event, { additional_attributes: row.additional_attributes as never });
  for (const [i, r] of readings.entries()) {
    if (r.error) done.failed.push({ ruleId: r.rule.id, error: r.error });
    else if (autoReply || row[`m${i}`] !== true) done.missed.push(r.rule.id);
    else if (r.unchanged && row[`u${i}`] === true) done.unchanged.push(r.rule.id);
    else return { kind: 'act' };
  }
  return done;
}

const usesToday = (rule: AutomationRule) =>
  ((Array.isArray(rule.conditions) ? rule.conditions : []) as FilterCondition[]).some(
    (c) => c.filter_operator === 'days_before',
  );

/** The events of one account and event name decided together: one compile of each rule, one read. */
async function decideGroup(
  tx: Db,
  rules: AutomationRule[],
  customs: CustomAttributeSpec[],
  events: QueuedEvent[],
): Promise<Map<number, Outcome>> {
  const decided = new Map<number, Outcome>();
  // a rule's SQL depends on the event only through "today" (days_before) and the changed
  // attributes (conversation_updated): otherwise one compile serves every event of the batch
  const perEvent = events[0]!.event_name === 'conversation_updated' || rules.some(usesToday);
  const groups = perEvent ? events.map((e) => [e]) : [events];
  for (const group of groups) {
    const shape = readShapeOf(rules, customs, jobOf(group[0]!), !perEvent);
    const rows = await readEvents(tx, group[0]!.account_id, group, shape);
    for (const event of group) {
      const outcome: Outcome = rows ? decide(event, shape.readings, rows.get(event.id)) : { kind: 'job' };
      decided.set(event.id, outcome);
    }
  }
  return decided;
}

/**
 * Decides up to `limit` queued automation events in one transaction (Chatwoot's
 * AutomationRuleListener, in batches): the events are claimed (skip locked, so several nodes drain
 * side by side); each account's active rules are read and compiled once; the conditions of every
 * rule, and whether each matching rule's actions would change anything, are read for every event
 * in one statement per event name. What that settles — misses (one row per event), matched rules
 * whose actions change nothing — is recorded, and those events deleted, in the same transaction,
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

const activeRules = async (tx: Db, accountId: number, names: string[]) =>
  (
    await prepared(sql<AutomationRule>`select * from automation_rules where account_id = ${accountId}
      and active and event_name = any(${names}::text[]) order by id`).execute(tx)
  ).rows;

/**
 * Runs every rule of one queued event in a rule transaction of its own, holding the conversation,
 * each rule after the previous one's actions (run.ts `runRulesIn`), and deletes the event with
 * them: whoever deletes it first runs it, so it runs once however many nodes were told to.
 */
export async function runActingEvent(deps: Deps, id: number): Promise<void> {
  await transactionally(deps, async (tx, batch) => {
    markRuleTransaction(tx);
    const { rows } = await sql<QueuedEvent>`delete from automation_events where id = ${id} returning *`.execute(tx);
    const event = rows[0];
    if (!event) return;
    const [account, rules] = await Promise.all([
      tx.selectFrom('accounts').selectAll().where('id', '=', event.account_id).executeTakeFirst(),
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
 * Records what a batch settled: a row per event for its missed and unchanged rules (one statement
 * of constant text, sent prepared), and a run per rule whose conditions could not be compiled.
 * Each carries its event's id, by which the runs list.
 */
async function recordSettled(tx: Db, settled: Settled[]): Promise<void> {
  const rows = settled.filter(({ outcome }) => outcome.missed.length || outcome.unchanged.length);
  if (rows.length) {
    const column = <T>(of: (entry: Settled) => T) => rows.map(of);
    // the rule ids as array literals: unnest cannot take an array of arrays of different lengths
    const ids = (list: number[]) => `{${list.join(',')}}`;
    await prepared(sql`insert into automation_event_runs (account_id, event_name, event_id, conversation_id,
        message_id, missed_rule_ids, unchanged_rule_ids)
      select x.account_id, x.event_name, x.event_id, x.conversation_id, x.message_id,
        x.missed::bigint[], x.unchanged::bigint[]
      from unnest(${column((e) => e.event.account_id)}::bigint[], ${column((e) => e.event.event_name)}::text[],
        ${column((e) => e.event.id)}::bigint[], ${column((e) => e.event.conversation_id)}::bigint[],
        ${column((e) => e.event.message_id)}::bigint[], ${column((e) => ids(e.outcome.missed))}::text[],
        ${column((e) => ids(e.outcome.unchanged))}::text[])
        with ordinality as x (account_id, event_name, event_id, conversation_id, message_id, missed, unchanged, ord)
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

/** Decides a batch, then runs its acting events one by one; returns how many events it claimed. */
export async function drainAutomationEvents(deps: Deps, limit: number): Promise<number> {
  const { claimed, acting } = await decideAutomationEvents(deps, limit);
  for (const id of acting) await runActingEvent(deps, id);
  return claimed;
}

export interface AutomationDrainer {
  stop(): Promise<void>;
}

/**
 * This node's automation drainer: drains batches back to back while there are events, then waits
 * `idleMs` — or less, when this node publishes an event of an account that has active rules: its
 * own changes are picked up `gatherMs` later (so that a busy node drains many events a transaction,
 * not one), other nodes' within idleMs. A batch that fails is retried one event at a time, and an
 * event that fails alone goes to the per-event job, so one bad event cannot stop the others.
 */
export function startAutomationDrainer(
  deps: Deps & { log: { warn(obj: unknown, msg: string): void } },
  options: { idleMs: number; batchSize?: number; gatherMs?: number },
): AutomationDrainer {
  const batchSize = options.batchSize ?? 500;
  const gatherMs = options.gatherMs ?? 25;
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
    while (!stopped) {
      poked = false;
      try {
        await refreshAccounts();
        while (!stopped && (await drainAutomationEvents(deps, batchSize)) === batchSize);
      } catch (error) {
        if (stopped) break;
        if (!isTransientConflict(error))
          await rescue().catch((e) => deps.log.warn({ err: e }, 'automation events could not be drained'));
      }
      if (stopped) break;
      if (!poked) await sleep(options.idleMs, true);
      if (!stopped) await sleep(gatherMs, false);
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
