import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Db } from '../db/kysely.js';
import type { DomainEvent, EventBus } from '../events/bus.js';
import { BroadcastQueue } from './broadcast-queue.js';
import { CableServer } from './cable.js';
import { postgresFanout, redisChannel, redisFanout, type Fanout } from './fanout.js';
import { roomChannel } from './room-channel.js';
import { pruneEvents, storeEvents, type CableEvent, type NewCableEvent } from './store.js';

export interface RealtimeOptions {
  db: Db;
  databaseUrl: string;
  redisUrl: string | undefined;
  bus: EventBus;
  /**
   * The broadcasts each domain event makes (subscribers/realtime/listener.ts): given, so this
   * transport knows no domain; run in event order.
   */
  broadcasts: (event: DomainEvent, published: readonly DomainEvent[]) => Promise<NewCableEvent[] | undefined>;
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
  readonly #queue = new BroadcastQueue((events) => this.#store(events));
  /** Broadcasts being worked out or stored: a closing node finishes them (they go to the replay log). */
  readonly #pending = new Set<Promise<void>>();
  #disconnecting = false;

  private constructor(private readonly options: RealtimeOptions) {
    this.cable = new CableServer(roomChannel(options.db, { replaySeconds: options.replaySeconds }), options.log);
  }

  static async start(options: RealtimeOptions): Promise<Realtime> {
    const realtime = new Realtime(options);
    const deliver = (events: CableEvent[]) => realtime.cable.deliver(events);
    realtime.#fanout = options.redisUrl
      ? await redisFanout(options.redisUrl, await redisChannel(options.db), realtime.#node, deliver, options.log)
      : await postgresFanout(options.databaseUrl, options.db, realtime.#node, deliver, options.log);
    realtime.#unsubscribe = options.bus.subscribe((event, published) => {
      const done = realtime.#queue.inOrder(() => options.broadcasts(event, published));
      realtime.#pending.add(done);
      void done.then(
        () => realtime.#pending.delete(done),
        () => realtime.#pending.delete(done),
      );
      return done;
    });
    realtime.#pruner = setInterval(
      () => void pruneEvents(options.db, options.replaySeconds).catch(() => undefined),
      5 * 60_000,
    );
    realtime.#pruner.unref();
    return realtime;
  }

  /** Stores a batch (replay), delivers it to this node's sockets, and hands it to the other nodes. */
  async #store(events: NewCableEvent[]): Promise<void> {
    const viaPostgres = this.#fanout?.viaPostgres ?? false;
    const stored = await storeEvents(this.options.db, events, this.#node, viaPostgres);
    this.cable.deliver(stored);
    if (!viaPostgres) await this.#fanout?.publish(stored);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#disconnecting) socket.destroy();
    else this.cable.handleUpgrade(request, socket, head);
  }

  /**
   * The first step of a shutdown: every /cable client is told to reconnect (ActionCable's
   * disconnect, reason server_restart, reconnect true) and its socket closed; no new one is taken.
   * Broadcasts still go to the replay log, so a client that reconnects elsewhere misses nothing.
   */
  async disconnectClients(): Promise<void> {
    this.#disconnecting = true;
    await this.cable.close();
  }

  /** The last step: once requests have finished, their broadcasts are stored, then the fan-out closes. */
  async close(): Promise<void> {
    this.#disconnecting = true;
    this.#unsubscribe?.();
    clearInterval(this.#pruner);
    await this.cable.close();
    await Promise.allSettled([...this.#pending]);
    await this.#fanout?.close();
  }
}
