import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type RawBuilder,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../events/bus.js';
import { notificationsTextMessageInterest } from '../../domains/notifications/listener.js';
import { webhooksTextMessageInterest } from '../../domains/webhooks/receivers.js';
import { REPLY_STATEMENT, replyStatement } from '../../domains/messages/live-reply.js';
import { LIVE_MESSAGES_STATEMENT, liveMessagesStatement } from '../../client-api/live-message.js';
import { PreparedOnce, prepared, type Slots } from './prepared.js';
import type { Database } from './schema.js';

// compiling needs no database: Kysely's PostgreSQL compiler over a driver that runs nothing
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** What the builder compiles to when given the values themselves: the statement before PreparedOnce. */
function fresh<Shape, Values extends Record<string, unknown>, Row>(
  build: (shape: Shape, values: Slots<Values>) => RawBuilder<Row>,
  shape: Shape,
  values: Values,
) {
  const literal = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, sql`${value}`]));
  const { sql: text, parameters } = prepared(build(shape, literal as Slots<Values>)).compile(db);
  return { sql: text, parameters };
}

const serverBus = () => {
  const bus = new EventBus();
  bus.subscribeTransactional(async () => {}, { textMessageInterest: webhooksTextMessageInterest });
  bus.subscribeTransactional(async () => {}, { textMessageInterest: notificationsTextMessageInterest });
  return bus;
};

describe('PreparedOnce', () => {
  it("binds each call's values into the statement compiled at the first call of its shape", () => {
    let builds = 0;
    const statement = new PreparedOnce(
      (shape: { table: 'users' | 'contacts' }, v: Slots<{ id: number; name: string | null }>) => {
        builds++;
        return sql`select * from ${sql.table(shape.table)} where id = ${v.id} and (name = ${v.name} or ${v.id} > 0)`;
      },
      (shape) => [db, shape.table],
    );
    const first = statement.compile(db, { table: 'users' }, { id: 1, name: 'a' });
    const second = statement.compile(db, { table: 'users' }, { id: 2, name: null });
    const other = statement.compile(db, { table: 'contacts' }, { id: 3, name: 'c' });
    expect(builds).toBe(2);
    expect(second.sql).toBe(first.sql);
    expect(first.sql).toContain('"users"');
    expect(other.sql).toContain('"contacts"');
    expect(first.parameters).toEqual([1, 'a', 1]);
    expect(second.parameters).toEqual([2, null, 2]);
    expect(other.parameters).toEqual([3, 'c', 3]);
    expect(second.queryId).not.toBe(first.queryId);
  });

  it("compiles an agent's reply as the builder does with the values in it, per caller's role, account and bus", () => {
    const bus = serverBus();
    const calls = [
      { administrator: true, values: { accountId: 1, displayId: 5, userId: 7, content: 'hi', echoId: null } },
      { administrator: true, values: { accountId: 2, displayId: 6, userId: 8, content: 'yo', echoId: 'e-1' } },
      { administrator: false, values: { accountId: 3, displayId: 1, userId: 9, content: 'hey', echoId: null } },
      { administrator: false, values: { accountId: 1, displayId: 2, userId: 7, content: 'ok', echoId: 'e-2' } },
    ];
    for (const { administrator, values } of calls) {
      const compiled = REPLY_STATEMENT.compile(db, { bus, administrator }, values);
      const expected = fresh(replyStatement, { bus, administrator }, values);
      expect({ sql: compiled.sql, parameters: compiled.parameters }).toEqual(expected);
    }
    // an agent's statement checks the inbox and team memberships, an administrator's does not
    const admin = REPLY_STATEMENT.compile(db, { bus, administrator: true }, calls[0]!.values).sql;
    const agent = REPLY_STATEMENT.compile(db, { bus, administrator: false }, calls[0]!.values).sql;
    expect(agent).toContain('inbox_members im');
    expect(admin).not.toContain('inbox_members im');
  });

  it("follows the bus's listeners: one that comes or goes changes the statement's guard", () => {
    const bus = serverBus();
    const shape = { bus, administrator: true };
    const values = { accountId: 1, displayId: 5, userId: 7, content: 'hi', echoId: null };
    const before = REPLY_STATEMENT.compile(db, shape, values).sql;
    const contactsBefore = LIVE_MESSAGES_STATEMENT.compile(db, bus, {
      inboxIdentifiers: ['i'],
      contactIdentifiers: ['c'],
      displayIds: [1],
      contents: ['x'],
      echoIds: [null],
    }).sql;
    const unsubscribe = bus.subscribeTransactional(async () => {}, {
      textMessageInterest: () => sql<boolean>`(select rule_interest_marker())`,
    });
    expect(REPLY_STATEMENT.compile(db, shape, values).sql).toContain('rule_interest_marker');
    const contactValues = {
      inboxIdentifiers: ['i'],
      contactIdentifiers: ['c'],
      displayIds: [1],
      contents: ['x'],
      echoIds: [null],
    };
    expect(LIVE_MESSAGES_STATEMENT.compile(db, bus, contactValues).sql).toContain('rule_interest_marker');
    // a listener that cannot say when it has work: the fast paths are off (their guard is false)
    const unsubscribeDeaf = bus.subscribeTransactional(async () => {});
    expect(REPLY_STATEMENT.compile(db, shape, values).sql).toEqual(fresh(replyStatement, shape, values).sql);
    expect(fresh(replyStatement, shape, values).sql).not.toContain('rule_interest_marker');
    unsubscribeDeaf();
    unsubscribe();
    expect(REPLY_STATEMENT.compile(db, shape, values).sql).toBe(before);
    expect(LIVE_MESSAGES_STATEMENT.compile(db, bus, contactValues).sql).toBe(contactsBefore);
    // another bus (another server in this process) has its own statements
    const quiet = new EventBus();
    const unguarded = REPLY_STATEMENT.compile(db, { bus: quiet, administrator: true }, values).sql;
    expect(unguarded).not.toBe(before);
    expect(unguarded).toBe(fresh(replyStatement, { bus: quiet, administrator: true }, values).sql);
  });

  it("compiles contacts' batched messages as the builder does with the arrays in it", () => {
    const bus = serverBus();
    const batches = [
      { inboxIdentifiers: ['i1'], contactIdentifiers: ['c1'], displayIds: [1], contents: ['a'], echoIds: [null] },
      {
        inboxIdentifiers: ['i1', 'i2', 'i3'],
        contactIdentifiers: ['c1', 'c2', 'c3'],
        displayIds: [1, 2, 3],
        contents: ['a', 'b', 'c'],
        echoIds: ['e', null, 'f'],
      },
    ];
    for (const values of batches) {
      const compiled = LIVE_MESSAGES_STATEMENT.compile(db, bus, values);
      expect({ sql: compiled.sql, parameters: compiled.parameters }).toEqual(fresh(liveMessagesStatement, bus, values));
    }
  });
});
