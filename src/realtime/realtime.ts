import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Db } from '../db/kysely.js';
import type { EventBus } from '../events/bus.js';
import type { AttachmentUrls } from '../serializers/attachment.js';
import { CableServer } from './cable.js';
import { postgresFanout, redisFanout, type Fanout } from './fanout.js';
import { realtimeListener } from './listener.js';
import { roomChannel } from './room-channel.js';
import { pruneEvents, storeEvents, type CableEvent, type NewCableEvent } from './store.js';

/** Broadcasts stored in one round trip at most (each holds one or two events). */
const MAX_BROADCASTS_PER_STORE = 200;

export interface RealtimeOptions {
  db: Db;
  databaseUrl: string;
  redisUrl: string | undefined;
  bus: EventBus;
  urls: AttachmentUrls;
  /** How long events stay replayable (CONFAB_CABLE_REPLAY_SECONDS). */
  replaySeconds: number;
  log: (message: string) => void;
}

/**
 * The realtime side of a node: the /cable server, the bus listener that turns domain events into
 * broadcasts, the event log for replay, and the fan-out to the other nodes.
 */
export class Realtime {
  readonly cable: CableServer;
  #fanout: Fanout | undefined;
  /** This node's name in fan-out messages, so it skips its own events there. */
  readonly #node = randomBytes(8).toString('hex');
  #unsubscribe: (() => void) | undefined;
  #pruner: NodeJS.Timeout | undefined;
  /** Broadcasts waiting for the store in flight. */
  readonly #queued: Array<{ events: NewCableEvent[]; resolve: () => void; reject: (error: unknown) => void }> = [];
  #storing = false;

  private constructor(private readonly options: RealtimeOptions) {
    this.cable = new CableServer(roomChannel(options.db, { replaySeconds: options.replaySeconds }), options.log);
  }

  static async start(options: RealtimeOptions): Promise<Realtime> {
    const realtime = new Realtime(options);
    const deliver = (event: CableEvent) => realtime.cable.deliver(event);
    realtime.#fanout = options.redisUrl
      ? await redisFanout(options.redisUrl, realtime.#node, deliver, options.log)
      : await postgresFanout(options.databaseUrl, options.db, realtime.#node, deliver, options.log);
    const listener = realtimeListener(options.db, options.urls, (entries) => realtime.broadcast(entries));
    realtime.#unsubscribe = options.bus.subscribe(listener);
    realtime.#pruner = setInterval(() => void pruneEvents(options.db, options.replaySeconds).catch(() => undefined), 5 * 60_000);
    realtime.#pruner.unref();
    return realtime;
  }

  /**
   * Stores the events (replay), delivers them to this node's sockets, and hands them to the other
   * nodes; resolves once they are stored and sent on. Broadcasts queue up behind the one store in
   * flight and go together in the next: the store serializes on a lock anyway (ids in commit
   * order), so one writer per node keeps pool connections from queueing on it, and a busy node
   * makes one round trip (and one NOTIFY) for many events.
   */
  broadcast(entries: NewCableEvent[]): Promise<void> {
    const events = entries.map((e) => ({ ...e, streams: [...new Set(e.streams)] })).filter((e) => e.streams.length > 0);
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#queued.push({ events, resolve, reject });
      if (!this.#storing) {
        this.#storing = true;
        setImmediate(() => void this.#storeQueued());
      }
    });
  }

  async #storeQueued(): Promise<void> {
    while (this.#queued.length > 0) {
      // bounded: the NOTIFY payload (ids) must stay under PostgreSQL's 8000 bytes
      const batch = this.#queued.splice(0, MAX_BROADCASTS_PER_STORE);
      try {
        const viaPostgres = this.#fanout?.viaPostgres ?? false;
        const stored = await storeEvents(this.options.db, batch.flatMap((b) => b.events), this.#node, viaPostgres);
        for (const event of stored) this.cable.deliver(event);
        if (!viaPostgres) await this.#fanout?.publish(stored);
        for (const b of batch) b.resolve();
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.#storing = false;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.cable.handleUpgrade(request, socket, head);
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    clearInterval(this.#pruner);
    await this.cable.close();
    await this.#fanout?.close();
  }
}
