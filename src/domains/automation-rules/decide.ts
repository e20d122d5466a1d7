import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { PreparedOnce, prepared, type Slots } from '../../core/db/prepared.js';
import type { Db } from '../../core/db/kysely.js';
import type { AutomationRule } from '../../core/db/schema.js';
import { isTransientConflict } from '../../core/events/bus.js';
import { actionHandler } from '../automation-actions/registry.js';
import type { ActionEntry } from '../automation-actions/types.js';
import type { CustomAttributeSpec, FilterCondition } from '../filters/compile.js';
import type { AutomationJob } from './listener.js';
import { jobOf, type QueuedEvent } from './queued-event.js';
import { type CompiledConditions, matchColumn, pendingOf, skipped } from './run.js';

// How the automation drainer (drain.ts) decides a batch of events: every rule's conditions, and
// whether each matching rule's actions would change anything, read in one prepared statement.

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
export type Outcome =
  /** settled: the rules that missed, those whose actions would change nothing, those whose conditions cannot be compiled */
  | { kind: 'done'; missed: number[]; unchanged: number[]; failed: Failed[] }
  /** a rule changes something: every rule of the event runs in a transaction of its own (runActingEvent) */
  | { kind: 'act' }
  /** the conversation is gone, or the read failed as SQL: the per-event job runs (and records) it */
  | { kind: 'job' };

/** A rule whose conditions could not be compiled: its run is recorded as no match, with why. */
export interface Failed {
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

/** A read event: its conversation found or not, and the positions (in the shape's readings) of the rules that match it and would change nothing. */
interface ReadRow {
  event_id: number;
  found: boolean;
  additional_attributes: unknown;
  matched: number[];
  unchanged: number[];
}

/**
 * Every rule's conditions — and, for each rule, whether its actions would change anything — for a
 * batch of events, in one statement: a row per event over the event's conversation, its contact
 * and (message_created) its message, as ConditionsFilterService's joins, with the positions of the
 * rules that match it (`matched`) and of those whose actions would change nothing (`unchanged`).
 * Two arrays, not a column per rule: a hundred rules' columns in every row of a batch cost the node
 * more to parse than deciding them did.
 */
function readStatement({ readings, messageEvent }: ReadShape, v: Slots<ReadValues>) {
  const joinMessage = messageEvent && readings.some((r) => r.compiled?.readsMessages);
  const matched: RawBuilder<unknown>[] = [];
  const unchanged: RawBuilder<unknown>[] = [];
  readings.forEach((r, i) => {
    if (!r.compiled) return;
    const match = matchColumn(r.compiled, messageEvent);
    matched.push(sql`case when (${match}) then ${sql.lit(i)} end`);
    // read only where the rule matches (rarely): most rules miss most events
    if (r.unchanged)
      unchanged.push(
        sql`case when (${match}) then case when coalesce(${r.unchanged}, false) then ${sql.lit(i)} end end`,
      );
  });
  const positions = (list: RawBuilder<unknown>[]) =>
    list.length ? sql`array_remove(array[${sql.join(list)}]::int[], null)` : sql`'{}'::int[]`;
  return sql<ReadRow>`select e.id as event_id,
        conversations.id is not null as found, conversations.additional_attributes as additional_attributes,
        ${positions(matched)} as matched, ${positions(unchanged)} as unchanged
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
const READ_STATEMENT = new PreparedOnce<ReadShape, ReadValues, ReadRow>(readStatement, (shape) => [shape, 'read']);

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
): Promise<Map<number, ReadRow> | null> {
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
      : // sent prepared too: one event's text (its changed attributes' conditions) recurs for the
        // same kind of change, and the batch takes generic plans, so it is planned once a connection
        await prepared(
          readStatement(shape, {
            ids: sql`${values.ids}`,
            conversations: sql`${values.conversations}`,
            messages: sql`${values.messages}`,
            accountId: sql`${values.accountId}`,
          }),
        ).execute(tx);
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
function decide(event: QueuedEvent, readings: RuleReading[], row: ReadRow | undefined): Outcome {
  // a conversation gone since: the job records it, as it records any run it cannot do
  if (row?.found !== true) return { kind: 'job' };
  const done = { kind: 'done' as const, missed: [] as number[], unchanged: [] as number[], failed: [] as Failed[] };
  const autoReply = skipped(event, { additional_attributes: row.additional_attributes as never });
  const matched = new Set(row.matched);
  const unchanged = new Set(row.unchanged);
  for (const [i, r] of readings.entries()) {
    if (r.error) done.failed.push({ ruleId: r.rule.id, error: r.error });
    else if (autoReply || !matched.has(i)) done.missed.push(r.rule.id);
    else if (r.unchanged && unchanged.has(i)) done.unchanged.push(r.rule.id);
    else return { kind: 'act' };
  }
  return done;
}

const usesToday = (rule: AutomationRule) =>
  ((Array.isArray(rule.conditions) ? rule.conditions : []) as FilterCondition[]).some(
    (c) => c.filter_operator === 'days_before',
  );

/** The events of one account and event name decided together: one compile of each rule, one read. */
export async function decideGroup(
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
