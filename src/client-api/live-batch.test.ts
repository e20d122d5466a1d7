import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../core/db/schema.js';
import { StatementBatcher } from '../core/db/batcher.js';
import { EventBus } from '../core/events/bus.js';
import { useTestServer } from '../../test/harness.js';
import { buildInbox } from '../../test/factories.js';
import { openCable, type CableClient } from '../../test/cable.js';
import { publicChat } from '../../test/public-api.js';
import { LIVE_MESSAGE_LIMITS, liveMessages } from './live-message.js';

// the batcher's statements: the fast paths, whatever CONFAB_FAST_PATHS the suite runs with
const server = useTestServer({ CONFAB_FAST_PATHS: 'true' });
const sockets: CableClient[] = [];
afterAll(() => {
  for (const socket of sockets) socket.close();
});

/** Backends of this database waiting for a row lock: the Client API statements held up by the test. */
async function lockWaiters() {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`.execute(server().db);
  return rows[0]!.n;
}

describe('contact messages sharing one statement', () => {
  it('stores each message of a shared statement for its own contact and conversation, and refuses the others as alone', async () => {
    const { fx, inbox, api, person } = await publicChat(server());
    const other = await buildInbox(fx);
    const blockers = await Promise.all(Array.from({ length: LIVE_MESSAGE_LIMITS.maxRunning }, () => person()));
    const senders = await Promise.all(Array.from({ length: 6 }, () => person()));
    const [resolved, stranger, retrier] = [await person(), await person(other.inbox_identifier), await person()];
    expect(
      (
        await api.request(
          'POST',
          `/inboxes/${inbox.inbox_identifier}/contacts/${resolved.contact.source_id}/conversations/${resolved.conversation.id}/toggle_status`,
        )
      ).status,
    ).toBe(200);
    const earlier = await api.message(inbox.inbox_identifier, retrier.contact.source_id, retrier.conversation.id, {
      content: 'first try',
      echo_id: 'r-1',
    });

    const agent = await openCable(server().url);
    sockets.push(agent);
    const profile = (await server().request('GET', '/api/v1/profile', { token: fx.admin.access_token })).body;
    const room = agent.subscribe({
      channel: 'RoomChannel',
      pubsub_token: profile.pubsub_token,
      account_id: fx.account.id,
      user_id: profile.id,
    });
    await agent.next((f) => f.type === 'confirm_subscription');

    // Hold the blockers' contacts (a statement waits for contacts; it skips busy conversations):
    // their statements fill every slot, so what comes next waits in the queue and leaves together
    // in one statement once the lock goes.
    let unlock!: () => void;
    const released = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    let locked!: () => void;
    const lockHeld = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = server()
      .db.transaction()
      .execute(async (tx) => {
        await tx
          .selectFrom('contacts')
          .select('id')
          .where(
            'id',
            'in',
            blockers.map((b) => b.contact.id),
          )
          .forUpdate()
          .execute();
        locked();
        await released;
      });
    await lockHeld;
    const blocked = blockers.map((b) => api.request('POST', b.path, { content: 'blocked' }));
    await expect.poll(() => lockWaiters()).toBe(blockers.length);

    // what reaches the batcher from here on: the messages queued behind the blockers
    const submitted = vi.spyOn(StatementBatcher.prototype, 'submit');
    let queued: ReturnType<typeof api.request>[];
    try {
      queued = senders.map((s, i) => api.request('POST', s.path, { content: `hello ${i}`, echo_id: `e-${i}` }));
      // concurrent requests reach the server in any order: the rest once those are in the queue
      await expect.poll(() => submitted.mock.calls.length).toBe(senders.length);
      queued.push(
        // the same contact again: it must come after its first message
        api.request('POST', senders[0]!.path, { content: 'hello 0 again' }),
        api.request('POST', resolved.path, { content: 'reopen please' }),
        // another contact's conversation, through this contact's identifier
        api.request(
          'POST',
          `/inboxes/${inbox.inbox_identifier}/contacts/${senders[1]!.contact.source_id}/conversations/${senders[2]!.conversation.id}/messages`,
          { content: 'intrusion' },
        ),
        // a contact of the other inbox under this inbox
        api.request(
          'POST',
          `/inboxes/${inbox.inbox_identifier}/contacts/${stranger.contact.source_id}/conversations/${stranger.conversation.id}/messages`,
          { content: 'intrusion' },
        ),
        api.request('POST', retrier.path, { content: 'first try', echo_id: 'r-1' }),
      );
      // every one of them waiting in the queue, to leave together once the lock goes
      await expect.poll(() => submitted.mock.calls.length).toBe(queued.length);
    } finally {
      submitted.mockRestore();
    }
    unlock();
    await holding;
    const [responses, blockedResponses] = [await Promise.all(queued), await Promise.all(blocked)];
    expect(blockedResponses.map((r) => r.status)).toEqual(blockers.map(() => 200));

    const sent = responses.slice(0, 6);
    const [again, reopened, crossContact, crossInbox, retried] = responses.slice(6);
    expect(sent.map((r) => r.status)).toEqual(Array(6).fill(200));
    sent.forEach((r, i) => {
      expect(r.body).toMatchObject({
        content: `hello ${i}`,
        message_type: 0,
        conversation_id: senders[i]!.conversation.id,
      });
      expect(r.body.sender).toMatchObject({ id: senders[i]!.contact.id, type: 'contact' });
    });
    expect(again!.status).toBe(200);
    expect(again!.body.id).toBeGreaterThan(sent[0]!.body.id);
    expect(reopened!.status).toBe(200);
    expect(crossContact!.status).toBe(404);
    expect(crossInbox!.status).toBe(404);
    expect(retried!.status).toBe(200);
    expect(retried!.body.id).toBe(earlier.id);

    // one statement stored the six (its transaction's time); in no set order: each request meets the
    // rate limiter's store before the batch, and with PostgreSQL as that store they arrive in any order
    const rows = await server()
      .db.selectFrom('messages')
      .select(['id', 'content', 'created_at', 'conversation_id'])
      .where(
        'id',
        'in',
        sent.map((r) => r.body.id),
      )
      .orderBy('id')
      .execute();
    expect(rows.map((row) => row.content).sort()).toEqual(sent.map((_, i) => `hello ${i}`));
    expect(new Set(rows.map((row) => row.created_at.toISOString())).size).toBe(1);

    // each conversation and contact moved by its own message only
    const ids = await conversationIds(
      fx.account.id,
      senders.map((s) => s.conversation.id),
    );
    const conversations = await server()
      .db.selectFrom('conversations')
      .select(['id', 'last_activity_at', 'waiting_since'])
      .where('id', 'in', ids)
      .execute();
    for (const conversation of conversations) {
      const own = rows.find((row) => Number(row.conversation_id) === Number(conversation.id));
      expect(own, `a message in conversation ${conversation.id}`).toBeDefined();
      expect(conversation.waiting_since).not.toBeNull();
    }
    const contacts = await server()
      .db.selectFrom('contacts')
      .select(['id', 'last_activity_at'])
      .where(
        'id',
        'in',
        senders.map((s) => s.contact.id),
      )
      .execute();
    for (const contact of contacts)
      expect(new Date(contact.last_activity_at!).getTime()).toBeGreaterThanOrEqual(
        new Date(rows[0]!.created_at).getTime(),
      );
    expect(
      await server().db.selectFrom('messages').select('id').where('content', '=', 'intrusion').execute(),
    ).toHaveLength(0);

    // the agent hears each message once, with its own conversation's data
    for (const [i, s] of senders.entries()) {
      await agent.next(
        (f) =>
          f.identifier === room && f.message?.event === 'message.created' && f.message.data.id === sent[i]!.body.id,
        5000,
        `message ${i}`,
      );
      const heard = agent.events(room).filter((e) => e.event === 'message.created' && e.data.id === sent[i]!.body.id);
      expect(heard).toHaveLength(1);
      expect(heard[0]!.data).toMatchObject({
        content: `hello ${i}`,
        conversation_id: s.conversation.id,
        conversation: { contact_inbox: { source_id: s.contact.source_id } },
      });
      expect(heard[0]!.data.sender).toMatchObject({ id: s.contact.id });
    }
  });
});

describe('conversations locked elsewhere', () => {
  it('send their messages down the full path and hold up no one else', async () => {
    const { fx, person, api } = await publicChat(server());
    // as many busy conversations as statements may be in flight: were they waited for, nothing else would move
    const busy = await Promise.all(Array.from({ length: LIVE_MESSAGE_LIMITS.maxRunning }, () => person()));
    const free = await person();

    let unlock!: () => void;
    const released = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    let locked!: () => void;
    const lockHeld = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = server()
      .db.transaction()
      .execute(async (tx) => {
        await tx
          .selectFrom('conversations')
          .select('id')
          .where(
            'id',
            'in',
            await conversationIds(
              fx.account.id,
              busy.map((b) => b.conversation.id),
            ),
          )
          .forUpdate()
          .execute();
        locked();
        await released;
      });
    await lockHeld;
    let busyAnswered = 0;
    const waiting = busy.map((b, i) =>
      api.request('POST', b.path, { content: `while locked ${i}` }).then((r) => {
        busyAnswered++;
        return r;
      }),
    );
    await expect.poll(() => lockWaiters()).toBe(busy.length);

    try {
      const timeout = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 5000));
      for (let i = 0; i < 3; i++) {
        const answer = await Promise.race([api.request('POST', free.path, { content: `free ${i}` }), timeout]);
        expect(answer === 'stuck' ? answer : answer.status).toBe(200);
      }
      expect(busyAnswered).toBe(0);
    } finally {
      unlock();
      await holding;
    }
    const answers = await Promise.all(waiting);
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        content: `while locked ${i}`,
        conversation_id: busy[i]!.conversation.id,
        message_type: 0,
      });
    });
    const stored = await server()
      .db.selectFrom('messages')
      .select('id')
      .where('content', 'like', 'while locked %')
      .execute();
    expect(stored).toHaveLength(busy.length);
  });
});

describe('a shared statement that fails', () => {
  it('wrote nothing, and hands each of its messages back for the full path', async () => {
    const { inbox, api, person } = await publicChat(server());
    const { contact, conversation } = await person();
    // the same database, on connections that may not write: the statement fails as a whole
    const readOnly = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: server().databaseUrl, options: '-c default_transaction_read_only=on' }),
      }),
    });
    try {
      const failures: unknown[] = [];
      const live = liveMessages(readOnly, new EventBus(), (error) => failures.push(error));
      const item = {
        inboxIdentifier: inbox.inbox_identifier,
        contactIdentifier: contact.source_id,
        displayId: conversation.id,
        content: 'lost?',
        echoId: null,
      };
      expect(await Promise.all([live.submit(item), live.submit({ ...item, content: 'lost too?' })])).toEqual([
        undefined,
        undefined,
      ]);
      expect(failures.map((error) => (error as { code?: string }).code)).toEqual(['25006', '25006']);
      expect(
        await server().db.selectFrom('messages').select('id').where('content', 'like', 'lost%').execute(),
      ).toHaveLength(0);
    } finally {
      await readOnly.destroy();
    }
    // the route's full path then stores it
    expect(
      (await api.message(inbox.inbox_identifier, contact.source_id, conversation.id, { content: 'lost?' })).content,
    ).toBe('lost?');
  });
});

async function conversationIds(accountId: number, displayIds: number[]) {
  const rows = await server()
    .db.selectFrom('conversations')
    .select('id')
    .where('account_id', '=', accountId)
    .where('display_id', 'in', displayIds)
    .execute();
  return rows.map((row) => row.id);
}
