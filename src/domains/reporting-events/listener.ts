import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/kysely.js';
import { CONVERSATION_STATUS, MESSAGE_TYPE } from '../../core/db/enums.js';
import type {
  DomainEvent,
  Performer,
  TextMessageFollowUp,
  TextMessageInterest,
  TransactionalListener,
} from '../../core/events/bus.js';
import { businessSecondsBetween } from '../business-hours/hours.js';
import { loadInboxSchedule, type InboxSchedule } from '../business-hours/queries.js';

/**
 * Chatwoot's ReportingEventListener as a transactional bus listener: the reporting_events rows of
 * a change are written in its transaction, with Chatwoot's names and values —
 *
 * - first_response: an agent's first public reply (first.reply.created), from the last non-human
 *   activity (reporting_last_non_human_activity: a bot handoff or reopening, a bot resolution, or
 *   the conversation's creation) to the message, by the replying agent;
 * - reply_time: a later human public reply that ended a wait, from waiting_since to the message;
 * - conversation_resolved: the status became resolved, from the creation to now, by the user who
 *   resolved it (else the assignee); conversation_bot_resolved beside it when the inbox's agent bot
 *   is active and no user ever replied;
 * - conversation_opened: the status became open, the time since the latest resolution (0 and the
 *   creation when there is none: a conversation from before reporting gets no invented history);
 * - conversation_bot_handoff: an agent bot opened its pending conversation (bot_handoff!), once
 *   per conversation, from the creation to now;
 * - agent_participation: beside each resolution, one row per agent who sent a public reply in the
 *   care cycle it ends (since the previous resolution, else the creation), value 0 and no times.
 *
 * Values are whole seconds as Chatwoot counts them (to_i − to_i); value_in_business_hours the
 * open time of the inbox's working hours between the same instants (0 when they are off). Status
 * events end at the server clock's now (Chatwoot's event.timestamp); message events at the
 * message's created_at. The one-statement reply path writes its rows through
 * reportingTextMessageFollowUp instead (migration 0081), the same values.
 */
export function reportingListener({ clock }: { clock: Clock }): TransactionalListener {
  return async (tx, events) => {
    const replies = replyCandidates(events);
    for (const reply of replies) await writeReplyEvent(tx, reply);
    const statuses = statusCandidates(events);
    if (statuses.length) {
      const now = clock.now();
      for (const change of statuses) await writeStatusEvents(tx, change, now);
    }
  };
}

interface ReplyCandidate {
  accountId: number;
  conversationId: number;
  messageId: number;
  firstReply: boolean;
  /** The conversation's waiting_since the message ended (reply_time). */
  waitingBefore: Date | null;
}

/**
 * The messages of the batch that may be a first response or end a wait: first.reply.created names
 * the first; a later reply is the message.created whose conversation.updated (same conversation,
 * after it) cleared waiting_since. Whether it is a human's public reply is checked on the row.
 */
function replyCandidates(events: readonly DomainEvent[]): ReplyCandidate[] {
  const byMessage = new Map<number, ReplyCandidate>();
  const latest = new Map<number, ReplyCandidate>();
  for (const e of events) {
    if (e.name === 'message.created') {
      const candidate = {
        accountId: e.payload.accountId,
        conversationId: e.payload.conversationId,
        messageId: e.payload.messageId,
        firstReply: false,
        waitingBefore: null,
      };
      byMessage.set(e.payload.messageId, candidate);
      latest.set(e.payload.conversationId, candidate);
    } else if (e.name === 'first.reply.created') {
      const candidate = byMessage.get(e.payload.messageId);
      if (candidate) candidate.firstReply = true;
    } else if (e.name === 'conversation.updated') {
      const change = e.payload.changes?.waiting_since;
      const candidate = latest.get(e.payload.conversationId);
      if (candidate && change && change[0] != null && change[1] == null)
        candidate.waitingBefore = new Date(change[0] as string | Date);
    }
  }
  return [...byMessage.values()].filter((c) => c.firstReply || c.waitingBefore !== null);
}

async function writeReplyEvent(tx: Db, reply: ReplyCandidate): Promise<void> {
  // Message#human_response?: a user's outgoing message not sent by a rule or a campaign, and public
  const row = await tx
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select([
      'm.created_at',
      'c.inbox_id',
      sql<Date>`reporting_last_non_human_activity(c.id, c.created_at)`.as('last_non_human'),
    ])
    .where('m.id', '=', reply.messageId)
    .where('m.account_id', '=', reply.accountId)
    .where('m.message_type', '=', MESSAGE_TYPE.outgoing)
    .where('m.sender_type', '=', 'User')
    .where('m.private', '=', false)
    .where(sql<boolean>`(m.content_attributes -> 'automation_rule_id') is null`)
    .where(sql<boolean>`(m.additional_attributes -> 'campaign_id') is null`)
    .executeTakeFirst();
  if (!row) return;
  // the first reply ends the wait without a reply_time (Chatwoot clears waiting_since with it)
  const start = reply.firstReply ? new Date(row.last_non_human) : reply.waitingBefore!;
  const schedule = await scheduleOf(tx, reply.accountId, row.inbox_id);
  const business = businessSeconds(schedule, start, new Date(row.created_at));
  // the row the one-statement path writes (migration 0081), at the message's stored time
  await sql`select reporting_reply_event(m.account_id, m.conversation_id, m.sender_id, ${reply.firstReply},
      ${exactWaitingSince(reply.waitingBefore)}, m.created_at, ${business}::double precision)
    from messages m where m.id = ${reply.messageId}`.execute(tx);
}

/**
 * waiting_since as stored: the event carries it as a JavaScript Date, whole milliseconds, but the
 * column keeps microseconds (a contact's message stored by a shared statement starts the wait at
 * its created_at, microseconds and all). The stored time is the incoming message or conversation
 * start within that millisecond; the Date itself when none is (waiting_since set by a reopen).
 */
function exactWaitingSince(waitingBefore: Date | null) {
  if (!waitingBefore) return sql`null::timestamptz`;
  const from = sql`${waitingBefore}::timestamptz`;
  return sql`coalesce((select max(t) from (
      select w.created_at as t from messages w where w.conversation_id = m.conversation_id
        and w.message_type = ${MESSAGE_TYPE.incoming} and w.created_at >= ${from}
        and w.created_at < ${from} + interval '1 millisecond'
      union all
      select c.created_at from conversations c where c.id = m.conversation_id
        and c.created_at >= ${from} and c.created_at < ${from} + interval '1 millisecond') s), ${from})`;
}

interface StatusCandidate {
  accountId: number;
  conversationId: number;
  previousStatus: number;
  performer?: Performer;
}

/** Status changes of the batch, one per conversation and status (the row's status decides which event). */
function statusCandidates(events: readonly DomainEvent[]): StatusCandidate[] {
  const out: StatusCandidate[] = [];
  for (const e of events) {
    if (e.name !== 'conversation.status_changed' || e.payload.previousStatus === undefined) continue;
    out.push({
      accountId: e.payload.accountId,
      conversationId: e.payload.conversationId,
      previousStatus: e.payload.previousStatus,
      performer: e.payload.performer,
    });
  }
  return out;
}

async function writeStatusEvents(tx: Db, change: StatusCandidate, now: Date): Promise<void> {
  const conversation = await tx
    .selectFrom('conversations')
    .select(['id', 'status', 'inbox_id', 'assignee_id', 'created_at'])
    .where('id', '=', change.conversationId)
    .where('account_id', '=', change.accountId)
    .executeTakeFirst();
  if (!conversation || conversation.status === change.previousStatus) return;
  const created = new Date(conversation.created_at);
  const base = {
    accountId: change.accountId,
    inboxId: conversation.inbox_id,
    conversationId: conversation.id,
    createdAt: now,
  };
  if (conversation.status === CONVERSATION_STATUS.resolved) {
    // who resolved it: the user who did, else the assignee (automation, auto-resolve, a bot)
    const userId = change.performer?.type === 'User' ? change.performer.id : conversation.assignee_id;
    // the care cycle that ends here starts at the previous resolution (read before this one is written)
    const cycleStart = (await lastResolutionEnd(tx, conversation.id, now)) ?? created;
    const event = { ...base, name: 'conversation_resolved', userId, start: created, end: now };
    const schedule = await scheduleOf(tx, base.accountId, base.inboxId);
    if (await botResolved(tx, conversation.id, conversation.inbox_id))
      await insertEvent(tx, { ...event, name: 'conversation_bot_resolved' }, schedule);
    await insertEvent(tx, event, schedule);
    await insertAgentParticipation(tx, base, cycleStart, now);
    return;
  }
  if (conversation.status !== CONVERSATION_STATUS.open) return;
  const resolvedAt = await lastResolutionEnd(tx, conversation.id, now);
  await insertEvent(tx, {
    ...base,
    name: 'conversation_opened',
    userId: conversation.assignee_id,
    // a first opening (no resolution before) measures nothing: 0, from the creation
    start: resolvedAt ?? created,
    end: now,
    ...(resolvedAt ? {} : { value: 0, businessValue: 0 }),
  });
  // Conversation#bot_handoff!: the inbox's agent bot opened its pending conversation
  if (change.previousStatus === CONVERSATION_STATUS.pending && change.performer?.type === 'AgentBot') {
    const handedOff = await tx
      .selectFrom('reporting_events')
      .select('id')
      .where('conversation_id', '=', conversation.id)
      .where('name', '=', 'conversation_bot_handoff')
      .executeTakeFirst();
    if (!handedOff)
      await insertEvent(tx, {
        ...base,
        name: 'conversation_bot_handoff',
        userId: conversation.assignee_id,
        start: created,
        end: now,
      });
  }
}

/** The end of the conversation's latest resolution at or before `at` (ReportingEventListener#last_resolved_event_for). */
async function lastResolutionEnd(tx: Db, conversationId: number, at: Date): Promise<Date | null> {
  const last = await tx
    .selectFrom('reporting_events')
    .select('event_end_time')
    .where('conversation_id', '=', conversationId)
    .where('name', '=', 'conversation_resolved')
    .where('event_end_time', '<=', at)
    .orderBy('event_end_time', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.event_end_time ? new Date(last.event_end_time) : null;
}

/**
 * ReportingEventListener#create_agent_participation_events: one agent_participation row (value 0,
 * no times) per distinct user who sent a public outgoing message during the care cycle the
 * resolution ends, [cycle start, now] — the previous resolution, else the creation.
 */
async function insertAgentParticipation(
  tx: Db,
  base: { accountId: number; inboxId: number; conversationId: number; createdAt: Date },
  cycleStart: Date,
  end: Date,
): Promise<void> {
  await sql`insert into reporting_events (name, value, account_id, inbox_id, user_id, conversation_id, created_at, updated_at)
    select 'agent_participation', 0, ${base.accountId}, ${base.inboxId}, senders.sender_id, ${base.conversationId},
      ${base.createdAt}::timestamptz, ${base.createdAt}::timestamptz
    from (select distinct m.sender_id from messages m
      where m.conversation_id = ${base.conversationId} and m.account_id = ${base.accountId}
        and m.message_type = ${MESSAGE_TYPE.outgoing} and m.private = false and m.sender_type = 'User'
        and m.sender_id is not null
        and m.created_at >= ${cycleStart}::timestamptz and m.created_at <= ${end}::timestamptz
      order by m.sender_id) senders`.execute(tx);
}

/** ReportingEventListener#create_bot_resolved_event: the inbox's bot is active and no user replied. */
async function botResolved(tx: Db, conversationId: number, inboxId: number): Promise<boolean> {
  const { rows } = await sql<{ bot: boolean }>`select exists (select 1 from agent_bot_inboxes b
      where b.inbox_id = ${inboxId} and b.status = 0)
    and not exists (select 1 from messages m where m.conversation_id = ${conversationId}
      and m.message_type = ${MESSAGE_TYPE.outgoing} and m.sender_type = 'User') as bot`.execute(tx);
  return rows[0]?.bot === true;
}

interface NewEvent {
  name: string;
  accountId: number;
  inboxId: number;
  userId: number | null;
  conversationId: number;
  start: Date;
  end: Date;
  /** Set for an event that measures nothing (a first opening). */
  value?: number;
  businessValue?: number;
  /** The clock's now for status events; the database's now() otherwise. */
  createdAt?: Date;
}

async function scheduleOf(tx: Db, accountId: number, inboxId: number): Promise<InboxSchedule | undefined> {
  return loadInboxSchedule(tx, accountId, inboxId);
}

/** Whole seconds, as Chatwoot's `end.to_i - start.to_i`. */
const wholeSeconds = (start: Date, end: Date) => Math.floor(end.getTime() / 1000) - Math.floor(start.getTime() / 1000);

/** ReportingEventHelper#business_hours: the inbox's open time between the instants, 0 when its working hours are off. */
function businessSeconds(schedule: InboxSchedule | undefined, start: Date, end: Date): number {
  if (!schedule?.enabled) return 0;
  return Math.round(businessSecondsBetween(schedule, start, end));
}

async function insertEvent(tx: Db, event: NewEvent, schedule?: InboxSchedule): Promise<void> {
  const hours = schedule ?? (await scheduleOf(tx, event.accountId, event.inboxId));
  await tx
    .insertInto('reporting_events')
    .values({
      name: event.name,
      value: event.value ?? wholeSeconds(event.start, event.end),
      value_in_business_hours: event.businessValue ?? businessSeconds(hours, event.start, event.end),
      account_id: event.accountId,
      inbox_id: event.inboxId,
      user_id: event.userId,
      conversation_id: event.conversationId,
      event_start_time: event.start,
      event_end_time: event.end,
      ...(event.createdAt ? { created_at: event.createdAt, updated_at: event.createdAt } : {}),
    })
    .execute();
}

/**
 * The listener has work for an agent's reply it cannot write in the one statement: the reply may
 * be a first response or end a wait in an inbox with working hours (their open time is computed
 * here, business-hours/hours.ts). A contact's text message records nothing.
 */
export const reportingTextMessageInterest: TextMessageInterest = (place) =>
  place.authorUserId === null
    ? sql<boolean>`false`
    : sql<boolean>`exists (select 1 from inboxes i where i.id = ${place.inboxId} and i.working_hours_enabled)
      and exists (select 1 from conversations rc where rc.id = ${place.conversationId}
        and (rc.waiting_since is not null or rc.first_reply_created_at is null))`;

/**
 * An agent's reply stored by the one-statement path writes its first_response or reply_time in
 * that statement (reporting_reply_event, migration 0081), from the reply times it saw before it.
 */
export const reportingTextMessageFollowUp: TextMessageFollowUp = (place) =>
  place.reply && place.authorUserId !== null
    ? sql`reporting_reply_event(${place.accountId}::bigint, ${place.conversationId}::bigint, ${place.authorUserId}::bigint,
        ${place.reply.firstReply}, ${place.reply.waitingBefore}, ${place.reply.createdAt}, 0::double precision)`
    : sql`null::bigint`;
