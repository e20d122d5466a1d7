import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildPlatformApp } from '../../../test/factories.js';
import { closeRig, runScenario, startRig, type Rig, type Scenario, type Step } from '../../../test/parity.js';

/**
 * One definition of what storing a message does: every scenario runs on a server with the fast
 * paths (an agent's plain reply and contacts' text messages in one statement, several contacts to
 * a statement under load) and on one without (CONFAB_FAST_PATHS=false: every message
 * transactional), in one conversation and in four at once (the Client API's batcher then shares
 * statements), and every run must leave the same rows, answers, /cable frames and webhook
 * deliveries. Scenarios a fast path declines (a resolved conversation, a bot, a webhook) are
 * compared all the same: either setting must come to the same outcome.
 */
const env = { CONFAB_WEBHOOK_ALLOW_PRIVATE: 'true' };
const servers = {
  fast: useTestServer({ ...env, CONFAB_FAST_PATHS: 'true' }),
  transactional: useTestServer({ ...env, CONFAB_FAST_PATHS: 'false' }),
};
let rigs: Rig[] = [];
beforeAll(async () => {
  rigs = await Promise.all(
    Object.values(servers).map(async (server) => startRig(server(), (await buildPlatformApp(server().db)).token)),
  );
});
afterAll(async () => {
  await Promise.all(rigs.map(closeRig));
});

const contact = (content: string, more: Record<string, unknown> = {}): Step => ({
  as: 'contact',
  body: { content, ...more },
});
const agent = (content: string, more: Record<string, unknown> = {}): Step => ({
  as: 'agent',
  body: { content, ...more },
});
const [INCOMING, OUTGOING, ACTIVITY, TEMPLATE] = [0, 1, 2, 3];

/** `expect`: the conversation's status after, and the types of all its messages (the set-up's activity messages too). */
/** `reporting`: the names of the conversation's reporting events, in order. */
const SCENARIOS: Array<Scenario & { expect: { status: string; types: number[]; reporting?: string[] } }> = [
  {
    name: 'contact, open: waiting starts, then stays',
    status: 'open',
    steps: [contact('Hello?'), contact('Anyone there?')],
    expect: { status: 'open', types: [INCOMING, INCOMING] },
  },
  {
    name: 'contact, greeting inbox: the greeting answers the first message only',
    status: 'open',
    inbox: { greeting_enabled: true, greeting_message: 'Welcome, {{contact.name}}!' },
    steps: [contact('Hello?'), contact('Anyone there?')],
    expect: { status: 'open', types: [INCOMING, TEMPLATE, INCOMING] },
  },
  {
    name: 'contact, inbox closed all week: one out-of-office message',
    status: 'open',
    inbox: {
      working_hours_enabled: true,
      out_of_office_message: 'We are closed.',
      working_hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day_of_week: day, closed_all_day: true })),
    },
    steps: [contact('Hello?'), contact('Anyone there?')],
    expect: { status: 'open', types: [INCOMING, TEMPLATE, INCOMING] },
  },
  {
    name: 'contact, pending',
    status: 'pending',
    steps: [contact('Hello?')],
    expect: { status: 'pending', types: [ACTIVITY, INCOMING] },
  },
  {
    name: 'contact, resolved: reopens, the system says so',
    status: 'resolved',
    steps: [contact('Back again')],
    expect: { status: 'open', types: [ACTIVITY, INCOMING, ACTIVITY] },
  },
  {
    name: 'contact, snoozed: opens',
    status: 'snoozed',
    steps: [contact('Wake up')],
    expect: { status: 'open', types: [ACTIVITY, INCOMING] },
  },
  {
    name: 'contact, muted: stays resolved',
    status: 'muted',
    steps: [contact('Still there?')],
    expect: { status: 'resolved', types: [ACTIVITY, ACTIVITY, INCOMING] },
  },
  {
    name: 'contact, bot inbox, resolved: reopens as pending',
    status: 'resolved',
    bot: true,
    steps: [contact('Back again')],
    expect: { status: 'pending', types: [ACTIVITY, INCOMING, ACTIVITY] },
  },
  {
    name: 'contact, bot inbox, pending: the bot answers',
    status: 'pending',
    bot: true,
    steps: [contact('Hello bot'), { as: 'bot', body: { content: 'Beep' } }],
    expect: { status: 'pending', types: [INCOMING, OUTGOING] },
  },
  {
    name: 'contact, echo_id replayed',
    status: 'open',
    steps: [contact('Once', { echo_id: 'c-1' }), contact('Once', { echo_id: 'c-1' })],
    expect: { status: 'open', types: [INCOMING] },
  },
  {
    name: 'agent, first reply then a later one',
    status: 'open',
    steps: [contact('Hello?'), agent('First answer'), agent('Second answer')],
    expect: { status: 'open', types: [INCOMING, OUTGOING, OUTGOING] },
  },
  {
    name: 'agent, first response then a reply that ends a wait: their reporting events',
    status: 'open',
    steps: [contact('Hello?'), agent('First answer'), contact('Thanks, and?'), agent('Second answer')],
    expect: {
      status: 'open',
      types: [INCOMING, OUTGOING, INCOMING, OUTGOING],
      reporting: ['first_response', 'reply_time'],
    },
  },
  {
    name: 'agent, replies in an inbox with working hours: reporting events through the transaction',
    status: 'open',
    inbox: {
      working_hours_enabled: true,
      working_hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({
        day_of_week: day,
        open_all_day: true,
        closed_all_day: false,
      })),
    },
    steps: [contact('Hello?'), agent('First answer'), contact('Thanks, and?'), agent('Second answer')],
    expect: {
      status: 'open',
      types: [INCOMING, OUTGOING, INCOMING, OUTGOING],
      reporting: ['first_response', 'reply_time'],
    },
  },
  {
    name: 'agent, private note, activity and template before the first public reply',
    status: 'open',
    steps: [
      agent('A note', { private: true }),
      agent('An activity', { message_type: 'activity' }),
      agent('A template', { message_type: 'template' }),
      agent('First public'),
    ],
    expect: { status: 'open', types: [OUTGOING, ACTIVITY, TEMPLATE, OUTGOING] },
  },
  {
    name: "agent, the contact's message into a resolved conversation: reopened by the agent",
    status: 'resolved',
    steps: [agent('Via the agent', { message_type: 'incoming' })],
    expect: { status: 'open', types: [ACTIVITY, INCOMING, ACTIVITY] },
  },
  {
    name: 'agent, reply into a pending conversation',
    status: 'pending',
    steps: [agent('Pending reply')],
    expect: { status: 'pending', types: [ACTIVITY, OUTGOING] },
  },
  {
    name: 'agent, reply into a resolved conversation',
    status: 'resolved',
    steps: [agent('Resolved reply')],
    expect: { status: 'resolved', types: [ACTIVITY, OUTGOING] },
  },
  {
    name: 'agent, reply into a snoozed conversation',
    status: 'snoozed',
    steps: [agent('Snoozed reply')],
    expect: { status: 'snoozed', types: [ACTIVITY, OUTGOING] },
  },
  {
    name: 'agent, reply into a muted conversation',
    status: 'muted',
    steps: [agent('Muted reply')],
    expect: { status: 'resolved', types: [ACTIVITY, ACTIVITY, OUTGOING] },
  },
  {
    name: 'agent, echo_id replayed',
    status: 'open',
    steps: [agent('Once', { echo_id: 'a-1' }), agent('Once', { echo_id: 'a-1' })],
    expect: { status: 'open', types: [OUTGOING] },
  },
  {
    name: 'agent, reply in a bot inbox',
    status: 'pending',
    bot: true,
    steps: [agent('Human here')],
    expect: { status: 'pending', types: [OUTGOING] },
  },
  {
    name: 'automation rule on message_created: a question and its answer',
    status: 'open',
    automation: true,
    steps: [contact('Question'), agent('Answer')],
    expect: { status: 'open', types: [INCOMING, OUTGOING] },
  },
  {
    name: 'sla feature on: a question and its answer, the SLA keys in the push data',
    status: 'open',
    sla: 'feature',
    steps: [contact('Question'), agent('Answer')],
    expect: { status: 'open', types: [INCOMING, OUTGOING] },
  },
  {
    name: 'applied SLA: a question and its answer (the SLA listener has work)',
    status: 'open',
    sla: 'applied',
    steps: [contact('Question'), agent('Answer'), contact('Follow-up')],
    expect: { status: 'open', types: [ACTIVITY, INCOMING, OUTGOING, INCOMING] },
  },
  {
    name: 'account webhook: a question and its answer',
    status: 'open',
    webhook: true,
    steps: [contact('Question'), agent('Answer')],
    expect: { status: 'open', types: [INCOMING, OUTGOING] },
  },
  {
    // the fast paths notify and queue these in their statement (migration 0158)
    name: 'assigned, a participant, a message_created webhook: notified and delivered',
    status: 'open',
    webhook: 'messages',
    assignee: true,
    steps: [contact('Question'), agent('Answer'), contact('Follow-up'), agent('Another answer')],
    expect: { status: 'open', types: [ACTIVITY, ACTIVITY, INCOMING, OUTGOING, INCOMING, OUTGOING] },
  },
];

describe('storing a message: every path, the same outcome', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      // four conversations at once share Client API statements; agents' replies are one statement each anyway
      const counts = scenario.steps.some((step) => step.as === 'contact') ? [1, 4] : [1];
      const runs = await Promise.all(
        rigs.map(async (rig) => {
          const outcomes = [];
          for (const count of counts) outcomes.push(...(await runScenario(rig, scenario, count)));
          return outcomes;
        }),
      );
      const [reference, ...others] = runs.flat() as Array<{
        rows: {
          conversation: { status: number };
          messages: Array<{ message_type: number }>;
          reporting_events: Array<{ name: string; value_spans: boolean; business_value_right: boolean }>;
        };
      }>;
      expect({
        status: reference!.rows.conversation.status,
        types: reference!.rows.messages.map((m) => m.message_type),
        ...(scenario.expect.reporting ? { reporting: reference!.rows.reporting_events } : {}),
      }).toEqual({
        status: ['open', 'resolved', 'pending', 'snoozed'].indexOf(scenario.expect.status),
        types: scenario.expect.types,
        ...(scenario.expect.reporting
          ? {
              reporting: scenario.expect.reporting.map((name) =>
                expect.objectContaining({ name, value_spans: true, business_value_right: true }),
              ),
            }
          : {}),
      });
      for (const [index, outcome] of others.entries()) {
        const [setting, run] = [
          index + 1 < counts.reduce((a, b) => a + b) ? 'fast' : 'transactional',
          (index + 1) % counts.reduce((a, b) => a + b),
        ];
        expect(outcome, `${setting} paths, conversation ${run} of the scenario`).toEqual(reference);
      }
    }, 180_000);
  }

  it('shared statements on the fast server only: the runs above went through the batcher', async () => {
    // rows one transaction wrote carry its transaction id (xmin): contacts' messages in different
    // conversations committed together only when a shared statement stored them (equal created_at
    // alone is no proof: two transactions can start in the same microsecond)
    const shared = async (server: (typeof servers)['fast']) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from messages a
      join messages b on b.xmin = a.xmin and b.conversation_id <> a.conversation_id and b.message_type = 0
      where a.message_type = 0`.execute(server().db)
      ).rows[0]!.n;
    expect(await shared(servers.fast)).toBeGreaterThan(0);
    expect(await shared(servers.transactional)).toBe(0);
  });

  it('the assigned scenario notified the assignee and the participant on both servers', async () => {
    // (that the fast server took its one-statement path for it is statements.test.ts's to show)
    for (const server of Object.values(servers)) {
      const notified = await sql<{ type: number }>`select distinct n.notification_type as type from notifications n
        join conversations c on c.id = n.primary_actor_id and c.assignee_id is not null`.execute(server().db);
      expect(new Set(notified.rows.map((r) => r.type))).toEqual(new Set([3, 5]));
    }
  });
});
