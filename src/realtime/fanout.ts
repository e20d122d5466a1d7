import pg from 'pg';
import { Redis } from 'ioredis';
import type { Db } from '../db/kysely.js';
import { loadEvent, NOTIFY_CHANNEL, type CableEvent } from './store.js';

/**
 * Carries events between nodes. Every node delivers its own events at once; the fan-out brings
 * the other nodes' events: PostgreSQL LISTEN/NOTIFY by default (the NOTIFY is sent in the insert's
 * transaction, the row is read back by id), Redis pub/sub when REDIS_URL is set.
 */
export interface Fanout {
  /** Whether storeEvent should NOTIFY (the PostgreSQL transport). */
  readonly viaPostgres: boolean;
  publish(event: CableEvent): Promise<void>;
  close(): Promise<void>;
}

export async function postgresFanout(url: string, db: Db, node: string, deliver: (event: CableEvent) => void, log: (m: string) => void): Promise<Fanout> {
  let client: pg.Client | undefined;
  let closed = false;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      const [origin, list] = (message.payload ?? '').split(':');
      if (origin === node || !list) return;
      for (const id of list.split(',').map(Number)) {
        if (!Number.isFinite(id) || id <= 0) continue;
        loadEvent(db, id).then((event) => event && deliver(event), (error: Error) => log(`realtime: reading event ${id} failed: ${error.message}`));
      }
    });
    next.on('error', (error) => {
      log(`realtime: LISTEN connection lost: ${error.message}`);
      if (!closed) setTimeout(() => void connect().catch(() => undefined), 1000);
    });
    await next.connect();
    await next.query(`listen ${NOTIFY_CHANNEL}`);
    client = next;
  };
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

const REDIS_CHANNEL = 'confab:cable';

export async function redisFanout(url: string, node: string, deliver: (event: CableEvent) => void, log: (m: string) => void): Promise<Fanout> {
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { lazyConnect: true });
  for (const connection of [publisher, subscriber]) connection.on('error', (error: Error) => log(`realtime: redis: ${error.message}`));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  subscriber.on('message', (_channel: string, text: string) => {
    try {
      const { origin, event } = JSON.parse(text) as { origin: string; event: CableEvent };
      if (origin !== node) deliver(event);
    } catch (error) {
      log(`realtime: bad redis message: ${(error as Error).message}`);
    }
  });
  await subscriber.subscribe(REDIS_CHANNEL);
  return {
    viaPostgres: false,
    async publish(event) {
      await publisher.publish(REDIS_CHANNEL, JSON.stringify({ origin: node, event }));
    },
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
