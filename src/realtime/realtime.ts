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
import { pruneEvents, storeEvent, type CableEvent } from './store.js';

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
  readonly #ownIds = new Set<number>();
  #unsubscribe: (() => void) | undefined;
  #pruner: NodeJS.Timeout | undefined;

  private constructor(private readonly options: RealtimeOptions) {
    this.cable = new CableServer(roomChannel(options.db, { replaySeconds: options.replaySeconds }), options.log);
  }

  static async start(options: RealtimeOptions): Promise<Realtime> {
    const realtime = new Realtime(options);
    const deliver = (event: CableEvent) => realtime.cable.deliver(event);
    realtime.#fanout = options.redisUrl
      ? await redisFanout(options.redisUrl, randomBytes(8).toString('hex'), deliver, options.log)
      : await postgresFanout(options.databaseUrl, options.db, deliver, (id) => realtime.#ownIds.delete(id), options.log);
    const listener = realtimeListener(options.db, options.urls, (streams, event, data) => realtime.broadcast(streams, event, data));
    realtime.#unsubscribe = options.bus.subscribe(listener);
    realtime.#pruner = setInterval(() => void pruneEvents(options.db, options.replaySeconds).catch(() => undefined), 5 * 60_000);
    realtime.#pruner.unref();
    return realtime;
  }

  /** Stores the event (replay), delivers it to this node's sockets, and hands it to the other nodes. */
  async broadcast(streams: string[], event: string, data: unknown): Promise<void> {
    const unique = [...new Set(streams)];
    if (unique.length === 0) return;
    const viaPostgres = this.#fanout?.viaPostgres ?? false;
    // our own NOTIFY comes back to us: the id is remembered before commit, so it is skipped there
    const stored = await storeEvent(this.options.db, unique, event, data, viaPostgres, (id) => viaPostgres && this.#remember(id));
    this.cable.deliver(stored);
    if (!viaPostgres) await this.#fanout?.publish(stored);
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

  #remember(id: number): void {
    this.#ownIds.add(id);
    if (this.#ownIds.size > 10_000) this.#ownIds.delete(this.#ownIds.values().next().value!);
  }
}
