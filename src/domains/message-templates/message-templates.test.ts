import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { settableClock } from '../../core/clock.js';
import type { DomainEvent } from '../../core/events/bus.js';
import { useTestServer } from '../../../test/harness.js';
import { messageTemplatesTextMessageInterest } from './listener.js';
import { buildAccountFixture, buildInbox, type AccountFixture } from '../../../test/factories.js';
import { publicApi } from '../../../test/public-api.js';

// the server's wall clock: each test sets the instant the inbox's hours are judged at
const clock = settableClock(new Date('2026-03-04T15:00:00Z'));
const server = useTestServer({}, { clock });
const [INCOMING, OUTGOING, , TEMPLATE] = [0, 1, 2, 3];

async function setup(inboxBody: Record<string, unknown>) {
  const fx = await buildAccountFixture(server());
  const inbox = await buildInbox(fx);
  const patched = await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, inboxBody);
  if (patched.status !== 200) throw new Error(patched.text);
  const api = publicApi(server());
  /** A new contact with a conversation; `say` sends a message as the contact. */
  const chat = async (contactBody: Record<string, unknown> = {}) => {
    const contact = await api.contact(inbox.inbox_identifier, contactBody);
    const conversation = await api.conversation(inbox.inbox_identifier, contact.source_id);
    return {
      conversation,
      say: (content: string) => api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content }),
      messages: () => messagesOf(fx, conversation.id),
    };
  };
  return { fx, inbox, chat };
}

async function messagesOf(fx: AccountFixture, displayId: number) {
  const res = await fx.asAdmin('GET', `/conversations/${displayId}/messages`);
  if (res.status !== 200) throw new Error(res.text);
  return res.body.payload as Array<{
    message_type: number;
    content: string;
    content_type: string;
    content_attributes: Record<string, unknown>;
    private: boolean;
    sender?: unknown;
    sender_type?: string | null;
  }>;
}

const summary = (messages: Awaited<ReturnType<typeof messagesOf>>) =>
  messages.map((m) => [m.message_type, m.content] as const);

const OUT_OF_OFFICE = { working_hours_enabled: true, out_of_office_message: 'We are closed, back at 9.' };

describe('greeting message', () => {
  it('answers the first message of a conversation with the greeting, its {{…}} filled in, once', async () => {
    const { chat } = await setup({ greeting_enabled: true, greeting_message: 'Hi {{contact.name}}! {{x.y}} soon.' });
    const { say, messages } = await chat({ name: 'Ada' });
    await say('Hello?');
    await say('Anyone?');
    const all = await messages();
    expect(summary(all)).toEqual([
      [INCOMING, 'Hello?'],
      [TEMPLATE, 'Hi Ada! Ada soon.'],
      [INCOMING, 'Anyone?'],
    ]);
    const greeting = all[1]!;
    expect(greeting).toMatchObject({ content_type: 'text', content_attributes: {}, private: false });
    expect(greeting.sender).toBeUndefined();
  });

  it('is not sent once the conversation has an outgoing message, when disabled, blank, or when its placeholder has no value', async () => {
    const { fx, chat } = await setup({ greeting_enabled: true, greeting_message: 'Welcome!' });
    const replied = await chat();
    const reply = await fx.asAdmin('POST', `/conversations/${replied.conversation.id}/messages`, {
      content: 'We saw you arrive',
    });
    expect(reply.status, reply.text).toBe(200);
    await replied.say('Hello');
    expect(summary(await replied.messages())).toEqual([
      [OUTGOING, 'We saw you arrive'],
      [INCOMING, 'Hello'],
    ]);

    for (const body of [
      { greeting_enabled: false, greeting_message: 'Welcome!' },
      { greeting_enabled: true, greeting_message: '   ' },
      { greeting_enabled: true, greeting_message: 'Hi {{contact.email}}' }, // the contact has no e-mail
      { greeting_enabled: true, greeting_message: 'Hi {{contact.pubsub_token}}' }, // not a shown attribute
    ]) {
      const { chat: other } = await setup(body);
      const { say, messages } = await other();
      await say('Hello');
      expect(summary(await messages()), JSON.stringify(body)).toEqual([[INCOMING, 'Hello']]);
    }
  });

  it('answers an incoming message posted through the Application API too (an API inbox’s own integration)', async () => {
    const { fx, inbox } = await setup({ greeting_enabled: true, greeting_message: 'Hello from {{inbox.name}}' });
    const contact = await fx.asAdmin('POST', '/contacts', { name: 'Bo' });
    const created = await fx.asAdmin('POST', '/conversations', {
      inbox_id: inbox.id,
      contact_id: contact.body.payload.contact.id,
    });
    expect(created.status, created.text).toBe(200);
    const sent = await fx.asAdmin('POST', `/conversations/${created.body.id}/messages`, {
      content: 'From our app',
      message_type: 'incoming',
    });
    expect(sent.status, sent.text).toBe(200);
    const name = (await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body.name;
    expect(summary(await messagesOf(fx, created.body.id))).toEqual([
      [INCOMING, 'From our app'],
      [TEMPLATE, `Hello from ${name}`],
    ]);
  });

  it('announces the greeting like any message (message.created after commit)', async () => {
    const { chat } = await setup({ greeting_enabled: true, greeting_message: 'Welcome!' });
    const seen: DomainEvent[] = [];
    const stop = server().bus.subscribe((event) => {
      if (event.name === 'message.created') seen.push(event);
    });
    try {
      const { say, conversation } = await chat();
      await say('Hello');
      const { rows } = await sql<{ id: number; message_type: number }>`
        select m.id, m.message_type from messages m join conversations c on c.id = m.conversation_id
        where c.uuid = ${conversation.uuid} order by m.id`.execute(server().db);
      const ids = seen.map((e) => (e.payload as { messageId: number }).messageId);
      expect(rows.map((r) => r.message_type)).toEqual([INCOMING, TEMPLATE]);
      expect(ids).toEqual(expect.arrayContaining(rows.map((r) => r.id)));
    } finally {
      stop();
    }
  });
});

describe('out-of-office message', () => {
  // New York's default schedule: Monday–Friday 09:00–17:00; DST began on Sunday 2026-03-08
  const NEW_YORK = { ...OUT_OF_OFFICE, timezone: 'America/New_York' };

  it('answers outside working hours, in the inbox’s zone, on either side of a DST change', async () => {
    const { chat } = await setup(NEW_YORK);
    for (const [at, closed] of [
      ['2026-03-02T13:30:00Z', true], // Monday 08:30 EST
      ['2026-03-02T14:30:00Z', false], // Monday 09:30 EST
      ['2026-03-09T12:30:00Z', true], // Monday 08:30 EDT
      ['2026-03-09T13:30:00Z', false], // Monday 09:30 EDT (still 08:30 had the offset not moved)
      ['2026-03-09T21:30:00Z', true], // Monday 17:30 EDT
      ['2026-03-07T16:00:00Z', true], // Saturday, closed all day
    ] as const) {
      clock.set(at);
      const { say, messages } = await chat();
      await say('Hello');
      const expected = closed
        ? [[INCOMING, 'Hello'] as const, [TEMPLATE, NEW_YORK.out_of_office_message] as const]
        : [];
      expect(summary(await messages()), at).toEqual(closed ? expected : [[INCOMING, 'Hello']]);
    }
  });

  it('follows the inbox’s own hours and zone: an open-all-day Sunday in Tokyo, a late closing in Berlin', async () => {
    const tokyo = await setup({
      ...OUT_OF_OFFICE,
      timezone: 'Asia/Tokyo',
      working_hours: [{ day_of_week: 0, closed_all_day: false, open_all_day: true }],
    });
    clock.set('2026-03-07T15:30:00Z'); // Sunday 00:30 in Tokyo, Saturday in UTC
    const sunday = await tokyo.chat();
    await sunday.say('Hello');
    expect(summary(await sunday.messages())).toEqual([[INCOMING, 'Hello']]);

    const berlin = await setup({
      ...OUT_OF_OFFICE,
      timezone: 'Europe/Berlin',
      working_hours: [{ day_of_week: 3, open_hour: 9, open_minutes: 0, close_hour: 21, close_minutes: 30 }],
    });
    clock.set('2026-03-04T20:00:00Z'); // Wednesday 21:00 CET: open until 21:30
    const late = await berlin.chat();
    await late.say('Hello');
    expect(summary(await late.messages())).toEqual([[INCOMING, 'Hello']]);
    clock.set('2026-03-04T20:31:00Z'); // 21:31: closed
    const later = await berlin.chat();
    await later.say('Hello');
    expect(summary(await later.messages())).toEqual([
      [INCOMING, 'Hello'],
      [TEMPLATE, OUT_OF_OFFICE.out_of_office_message],
    ]);
  });

  it('is sent once a day per conversation, and not when an agent replied in the last 5 minutes', async () => {
    const { fx, chat } = await setup(NEW_YORK);
    clock.set('2026-03-09T23:00:00Z'); // Monday 19:00 EDT
    const once = await chat();
    await once.say('One');
    await once.say('Two');
    expect(summary(await once.messages())).toEqual([
      [INCOMING, 'One'],
      [TEMPLATE, NEW_YORK.out_of_office_message],
      [INCOMING, 'Two'],
    ]);

    const busy = await chat();
    const reply = await fx.asAdmin('POST', `/conversations/${busy.conversation.id}/messages`, {
      content: 'Still here',
    });
    expect(reply.status).toBe(200);
    await busy.say('Thanks');
    expect(summary(await busy.messages())).toEqual([
      [OUTGOING, 'Still here'],
      [INCOMING, 'Thanks'],
    ]);
  });

  it('takes the place of the greeting outside working hours; inside them the greeting is sent', async () => {
    const { chat } = await setup({ ...NEW_YORK, greeting_enabled: true, greeting_message: 'Welcome!' });
    clock.set('2026-03-09T23:00:00Z');
    const closed = await chat();
    await closed.say('Hello');
    expect(summary(await closed.messages())).toEqual([
      [INCOMING, 'Hello'],
      [TEMPLATE, NEW_YORK.out_of_office_message],
    ]);
    clock.set('2026-03-09T15:00:00Z');
    const open = await chat();
    await open.say('Hello');
    expect(summary(await open.messages())).toEqual([
      [INCOMING, 'Hello'],
      [TEMPLATE, 'Welcome!'],
    ]);
  });

  it('is not sent when working hours are off or there is no message', async () => {
    clock.set('2026-03-07T16:00:00Z'); // Saturday
    for (const body of [
      { working_hours_enabled: false, out_of_office_message: 'Closed' },
      { working_hours_enabled: true, out_of_office_message: '' },
    ]) {
      const { chat } = await setup(body);
      const { say, messages } = await chat();
      await say('Hello');
      expect(summary(await messages()), JSON.stringify(body)).toEqual([[INCOMING, 'Hello']]);
    }
  });
});

describe('the hot message path', () => {
  it('stays open for inboxes with nothing to send, and is declined where a greeting or out-of-office message may be due', async () => {
    const unheeded = async (
      inboxId: number,
      accountId: number,
      conversationId: number,
      authorUserId: number | null,
    ) => {
      // this listener's own interest: others (reporting events in a working-hours inbox) have theirs
      const interest = messageTemplatesTextMessageInterest({ accountId, inboxId, conversationId, authorUserId });
      const { rows } = await sql<{ free: boolean }>`select not (${interest}) as free`.execute(server().db);
      return rows[0]!.free;
    };
    for (const [body, free] of [
      [{}, true],
      [{ greeting_enabled: true, greeting_message: '  ' }, true],
      [
        { greeting_enabled: false, greeting_message: 'Hi', working_hours_enabled: false, out_of_office_message: 'x' },
        true,
      ],
      [{ working_hours_enabled: true, out_of_office_message: null }, true],
      [{ greeting_enabled: true, greeting_message: 'Hi' }, false],
      [{ working_hours_enabled: true, out_of_office_message: 'Closed' }, false],
    ] as const) {
      const { fx, inbox, chat } = await setup(body);
      const { conversation } = await chat();
      const { rows } = await sql<{
        id: number;
      }>`select id from conversations where uuid = ${conversation.uuid}`.execute(server().db);
      const id = rows[0]!.id;
      expect(await unheeded(inbox.id, fx.account.id, id, null), JSON.stringify(body)).toBe(free);
      // an agent's reply never calls for a template message
      expect(await unheeded(inbox.id, fx.account.id, id, fx.admin.id), JSON.stringify(body)).toBe(true);
    }
  });

  it('stays open in a conversation once its greeting, or today’s out-of-office message, was sent', async () => {
    clock.set('2026-03-07T16:00:00Z'); // Saturday: closed
    const { fx, inbox, chat } = await setup({ ...OUT_OF_OFFICE, greeting_enabled: true, greeting_message: 'Hi' });
    const { say, conversation, messages } = await chat();
    const { rows } = await sql<{ id: number }>`select id from conversations where uuid = ${conversation.uuid}`.execute(
      server().db,
    );
    const condition = server().bus.textMessageUnheeded({
      accountId: fx.account.id,
      inboxId: inbox.id,
      conversationId: rows[0]!.id,
      authorUserId: null,
    });
    const free = async () =>
      (await sql<{ free: boolean }>`select ${condition} as free`.execute(server().db)).rows[0]!.free;
    expect(await free()).toBe(false);
    await say('Hello');
    expect(summary(await messages())).toEqual([
      [INCOMING, 'Hello'],
      [TEMPLATE, OUT_OF_OFFICE.out_of_office_message],
    ]);
    expect(await free()).toBe(true);
    // yesterday's out-of-office message: today's may be due again
    await sql`update messages set created_at = created_at - interval '1 day' where message_type = 3
      and conversation_id = ${rows[0]!.id}`.execute(server().db);
    expect(await free()).toBe(false);
  });
});
