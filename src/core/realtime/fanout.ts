import { loadRedis } from '../redis-class.js';
import pg from 'pg';
import type { Db } from '../db/kysely.js';
import { installationScope } from '../db/installation.js';
import { loadEvents, NOTIFY_CHANNEL, type CableEvent } from './store.js';

/**
 * Carries events between nodes. Every node delivers its own events at once; the fan-out brings
 * the other nodes' events: PostgreSQL LISTEN/NOTIFY by default (the NOTIFY is sent in the insert's
 * transaction, the row is read back by id), Redis pub/sub when REDIS_URL is set.
 */
export interface Fanout {
  /** Whether storeEvents should NOTIFY (the PostgreSQL transport). */
  readonly viaPostgres: boolean;
  /** Hands a batch of this node's events, in id order, to the other nodes. */
  publish(events: CableEvent[]): Promise<void>;
  close(): Promise<void>;
}

export async function postgresFanout(
  url: string,
  db: Db,
  node: string,
  deliver: (events: CableEvent[]) => void,
  log: (m: string) => void,
): Promise<Fanout> {
  let client: pg.Client | undefined;
  let closed = false;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      const [origin, list] = (message.payload ?? '').split(':');
      if (origin === node || !list) return;
      const ids = list
        .split(',')
        .map(Number)
        .filter((id) => Number.isInteger(id) && id > 0);
      loadEvents(db, ids).then(deliver, (error: Error) =>
        log(`realtime: reading events ${list} failed: ${error.message}`),
      );
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost || closed) return;
      lost = true;
      if (client === next) client = undefined;
      log(`realtime: LISTEN connection lost${error ? `: ${error.message}` : ''}`);
      void next.end().catch(() => undefined);
      if (!closed) reconnect(1000);
    };
    next.on('error', onLost);
    next.on('end', () => onLost());
    try {
      await next.connect();
      await next.query(`listen ${NOTIFY_CHANNEL}`);
    } catch (error) {
      lost = true; // the caller retries; this client's own events must not start a second loop
      void next.end().catch(() => undefined);
      throw error;
    }
    client = next;
  };
  // a database that restarts takes a while to take connections again: keep trying, a bit slower
  // each time, but never more than 2 s apart — NOTIFYs sent while no LISTEN is open are lost, so a
  // long wait after the database is back would lose the other nodes' events for that long
  const reconnect = (delay: number) =>
    setTimeout(() => {
      if (closed) return;
      connect().then(
        () => log('realtime: LISTEN connection back'),
        () => reconnect(Math.min(delay * 2, 2_000)),
      );
    }, delay).unref();
  await connect();
  return {
    viaPostgres: true,
    publish: async () => undefined,
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}

/** The Redis channel of one installation: another database's event ids would pass for this one's on the sockets. */
export async function redisChannel(db: Db): Promise<string> {
  return `confab:cable:${await installationScope(db)}`;
}

export async function redisFanout(
  url: string,
  channel: string,
  node: string,
  deliver: (events: CableEvent[]) => void,
  log: (m: string) => void,
): Promise<Fanout> {
  const Redis = await loadRedis();
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { lazyConnect: true });
  for (const connection of [publisher, subscriber])
    connection.on('error', (error: Error) => log(`realtime: redis: ${error.message}`));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  subscriber.on('message', (_channel: string, text: string) => {
    try {
      const { origin, events } = JSON.parse(text) as { origin: string; events: CableEvent[] };
      if (origin !== node) deliver(events);
    } catch (error) {
      log(`realtime: bad redis message: ${(error as Error).message}`);
    }
  });
  await subscriber.subscribe(channel);
  return {
    viaPostgres: false,
    async publish(events) {
      await publisher.publish(channel, JSON.stringify({ origin: node, events }));
    },
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
