import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CableEvent } from './store.js';

/**
 * The ActionCable protocol on /cable (subprotocol actioncable-v1-json): welcome on open, a ping
 * every 3 s, subscribe / unsubscribe / message commands, and broadcasts framed with the
 * subscription's identifier exactly as the client sent it. Who may subscribe to what is decided
 * by the `authorize` callback (RoomChannel); this file only speaks the protocol.
 */

export interface Subscriber {
  /** The streams the subscription listens to (pubsub tokens, account_<id>). */
  streams: string[];
  /**
   * Confab extension: the stream's position as the subscription starts (the newest event id, read
   * once the subscription listens), sent in confirm_subscription as `last_event_id`. A client that
   * has seen no event yet reconnects from it, so what it missed before its first event is replayed.
   */
  position?(): Promise<number>;
  /** Called after confirm_subscription (presence, replay). */
  onConfirmed?(subscription: Subscription): Promise<void> | void;
  /** `{"command":"message","data":"{\"action\":...}"}`. */
  perform?(action: string, data: Record<string, unknown>, subscription: Subscription): Promise<void> | void;
}

export interface Subscription {
  readonly identifier: string;
  readonly streams: string[];
  /** While confirming (presence, replay), live events wait here; those the replay sent are skipped. */
  queue: CableEvent[] | undefined;
  readonly replayed: Set<number>;
  send(event: { event: string; data: unknown }, id?: number): void;
  /** Sends an already serialised `message`. */
  sendRaw(message: string): void;
  /**
   * Sends the message these serialised pieces make, in order. A large one goes as fragments of one
   * WebSocket message, so its large pieces, encoded once, are shared with the other sockets.
   */
  sendParts(parts: readonly string[]): void;
}

interface Connection {
  socket: WebSocket;
  /** The upgraded TCP socket under `socket`: corked while a batch of broadcasts is written to it. */
  raw: Duplex;
  subscriptions: Map<string, LiveSubscription>;
  alive: boolean;
  /** The ping slot (index into #slots) the connection is in. */
  slot: number;
  /** The tick of the last WebSocket-level probe, so a connection moved to a later slot is not judged twice in one round. */
  probedAt: number;
}

/** A subscription as this server keeps it: with its subscriber and its connection. */
type LiveSubscription = Subscription & { subscriber: Subscriber; connection: Connection };

export type Authorize = (identifier: Record<string, unknown>) => Promise<Subscriber | undefined>;

const PING_INTERVAL_MS = 3000;
/**
 * Each socket is pinged every 3 s, but not all at once: the sockets are dealt into slots and one
 * slot is pinged per tick, so ten thousand sockets cost a few hundred sends every 100 ms instead
 * of a burst of ten thousand that stalls every broadcast queued behind it.
 */
const PING_SLOTS = 30;
/**
 * A socket that gets a broadcast when its ping is due within this many ticks (1 s) gets the ping
 * in the same write, and its next one a full interval later: a busy agent's socket then rarely
 * needs a write of its own for pings, and its pings still come 2 to 3 s apart.
 */
const PIGGYBACK_TICKS = 10;
const MAX_FRAME = 64 * 1024;
/**
 * A broadcast is one string for all its sockets, but each socket's frame wraps it in its own
 * identifier, so each socket would hold its own copy until the kernel takes it: a presence.update
 * listing thousands of agents, sent to thousands of subscribing agents, is hundreds of megabytes.
 * From this size on, the message goes as fragments, and each large piece is one Buffer for all sockets.
 */
const SHARED_FRAME_MIN = 8 * 1024;
const recentBytes = new Map<string, Buffer>();

/** The UTF-8 bytes of a large message (or piece of one), encoded once for the sockets it goes to. */
function sharedBytes(message: string): Buffer {
  let bytes = recentBytes.get(message);
  if (!bytes) {
    bytes = Buffer.from(message, 'utf8');
    recentBytes.set(message, bytes);
    // a handful of messages in flight at once; the oldest is dropped first
    if (recentBytes.size > 16) recentBytes.delete(recentBytes.keys().next().value!);
  }
  return bytes;
}
const PROBE_EVERY = 10;

export class CableServer {
  readonly #wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_FRAME,
    handleProtocols: (protocols) => (protocols.has('actioncable-v1-json') ? 'actioncable-v1-json' : false),
  });
  readonly #connections = new Set<Connection>();
  readonly #slots = Array.from({ length: PING_SLOTS }, () => new Set<Connection>());
  #nextSlot = 0;
  /** stream → subscriptions on this node */
  readonly #streams = new Map<string, Set<LiveSubscription>>();
  readonly #timer: NodeJS.Timeout;
  #ticks = 0;

  constructor(
    private readonly authorize: Authorize,
    private readonly log: (message: string) => void,
  ) {
    // one timer for all sockets, a slot of them per tick
    this.#timer = setInterval(() => this.#ping(), PING_INTERVAL_MS / PING_SLOTS);
    this.#timer.unref();
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Live subscriptions on this node's sockets (for /metrics; counted when asked, not kept). */
  get subscriptionCount(): number {
    let count = 0;
    for (const connection of this.#connections) count += connection.subscriptions.size;
    return count;
  }

  /** Events this node has delivered to its sockets since it started (for /metrics). */
  deliveredEvents = 0;

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, socket));
  }

  /**
   * Delivers a batch of events, in order, to this node's subscribers of their streams (each
   * subscription once per event). Each socket gets its share in one write: it stays corked until
   * the batch is sent (a reply's message.created and first.reply.created reach the same agents;
   * each write to a socket is a system call), with its ping too when that is due soon (PIGGYBACK_TICKS).
   */
  deliver(events: readonly CableEvent[]): void {
    const corked = new Set<Connection>();
    this.deliveredEvents += events.length;
    try {
      for (const event of events) this.#deliverOne(event, corked);
      let ping: string | undefined;
      for (const connection of corked) {
        if (
          this.#ticksUntilPing(connection) > PIGGYBACK_TICKS ||
          connection.socket.readyState !== connection.socket.OPEN
        )
          continue;
        ping ??= this.#pingFrame();
        connection.socket.send(ping);
        this.#moveToSlot(connection, this.#lastSlot());
      }
    } finally {
      for (const connection of corked) connection.raw.uncork();
    }
  }

  #deliverOne(event: CableEvent, corked: Set<Connection>): void {
    const targets = new Set<LiveSubscription>();
    for (const stream of event.streams) for (const sub of this.#streams.get(stream) ?? []) targets.add(sub);
    if (targets.size === 0) return;
    // the message is serialised once, however many sockets it goes to
    const message = JSON.stringify({ event: event.event, data: event.data, event_id: event.id });
    for (const sub of targets) {
      if (sub.queue) {
        sub.queue.push(event);
        continue;
      }
      if (!corked.has(sub.connection)) {
        sub.connection.raw.cork();
        corked.add(sub.connection);
      }
      sub.sendRaw(message);
    }
  }

  #closing: Promise<void> | undefined;

  /** Tells every client to reconnect elsewhere (ActionCable's disconnect frame), closes the sockets; idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      for (const connection of this.#connections) {
        this.#write(connection.socket, { type: 'disconnect', reason: 'server_restart', reconnect: true });
        connection.socket.close();
      }
      await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    })();
    return this.#closing;
  }

  #ping(): void {
    const tick = this.#ticks++;
    const slot = this.#slots[tick % PING_SLOTS]!;
    if (slot.size === 0) return;
    const frame = this.#pingFrame();
    // a WebSocket-level ping every 30 s (every tenth round of the slot) finds dead peers; ActionCable's own ping keeps clients content
    const probe = Math.floor(tick / PING_SLOTS) % PROBE_EVERY === PROBE_EVERY - 1;
    for (const connection of slot) {
      // judged once a round: a connection moved here by a piggy-backed ping may have been probed in this round already
      const judge = probe && tick - connection.probedAt >= PING_SLOTS;
      if (judge && !connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.socket.send(frame);
      if (judge) {
        connection.alive = false;
        connection.probedAt = tick;
        connection.socket.ping();
      }
    }
  }

  #pingFrame(): string {
    return JSON.stringify({ type: 'ping', message: Math.floor(Date.now() / 1000) });
  }

  /** Ticks until the connection's slot comes up (0: at the next tick). */
  #ticksUntilPing(connection: Connection): number {
    return (connection.slot - (this.#ticks % PING_SLOTS) + PING_SLOTS) % PING_SLOTS;
  }

  /** The slot pinged last: a connection moved there is pinged again a full interval from now. */
  #lastSlot(): number {
    return (this.#ticks - 1 + PING_SLOTS) % PING_SLOTS;
  }

  #moveToSlot(connection: Connection, slot: number): void {
    this.#slots[connection.slot]!.delete(connection);
    this.#slots[slot]!.add(connection);
    connection.slot = slot;
  }

  #write(socket: WebSocket, frame: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  }

  #accept(socket: WebSocket, raw: Duplex): void {
    const slot = this.#nextSlot++ % PING_SLOTS;
    const connection: Connection = { socket, raw, subscriptions: new Map(), alive: true, slot, probedAt: -PING_SLOTS };
    this.#connections.add(connection);
    this.#slots[slot]!.add(connection);
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('message', (raw) => {
      connection.alive = true;
      void this.#command(connection, raw.toString()).catch((error: Error) =>
        this.log(`cable: command failed: ${error.message}`),
      );
    });
    socket.on('close', () => {
      for (const sub of connection.subscriptions.values()) this.#unlisten(sub);
      this.#connections.delete(connection);
      this.#slots[connection.slot]!.delete(connection);
    });
    socket.on('error', () => socket.terminate());
    this.#write(socket, { type: 'welcome' });
  }

  async #command(connection: Connection, text: string): Promise<void> {
    let command: { command?: unknown; identifier?: unknown; data?: unknown };
    try {
      command = JSON.parse(text) as typeof command;
    } catch {
      return;
    }
    const identifier = typeof command.identifier === 'string' ? command.identifier : undefined;
    if (!identifier) return;
    if (command.command === 'subscribe') return this.#subscribe(connection, identifier);
    if (command.command === 'unsubscribe') {
      const sub = connection.subscriptions.get(identifier);
      if (sub) this.#unlisten(sub);
      connection.subscriptions.delete(identifier);
      return;
    }
    if (command.command === 'message') {
      const sub = connection.subscriptions.get(identifier);
      if (!sub?.subscriber.perform || typeof command.data !== 'string') return;
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(command.data) as Record<string, unknown>;
      } catch {
        return;
      }
      if (typeof data.action === 'string') await sub.subscriber.perform(data.action, data, sub);
    }
  }

  async #subscribe(connection: Connection, identifier: string): Promise<void> {
    if (connection.subscriptions.has(identifier)) return;
    let params: unknown;
    try {
      params = JSON.parse(identifier);
    } catch {
      params = undefined;
    }
    const subscriber =
      params && typeof params === 'object' ? await this.authorize(params as Record<string, unknown>) : undefined;
    if (!subscriber) {
      this.#write(connection.socket, { identifier, type: 'reject_subscription' });
      return;
    }
    const socket = connection.socket;
    const write = (frame: unknown) => this.#write(socket, frame);
    const identifierJson = JSON.stringify(identifier);
    const sub: LiveSubscription = {
      identifier,
      streams: subscriber.streams,
      subscriber,
      connection,
      queue: [],
      replayed: new Set(),
      send(event, id) {
        write({ identifier, message: id === undefined ? event : { ...event, event_id: id } });
      },
      sendRaw(message) {
        this.sendParts([message]);
      },
      sendParts(parts) {
        if (socket.readyState !== socket.OPEN) return;
        let length = 0;
        for (const part of parts) length += part.length;
        if (length < SHARED_FRAME_MIN) {
          socket.send(`{"identifier":${identifierJson},"message":${parts.join('')}}`);
          return;
        }
        socket.send(`{"identifier":${identifierJson},"message":`, { fin: false });
        for (const part of parts)
          socket.send(part.length < SHARED_FRAME_MIN ? part : sharedBytes(part), { fin: false });
        socket.send('}', { fin: true });
      },
    };
    connection.subscriptions.set(identifier, sub);
    for (const stream of sub.streams) {
      const set = this.#streams.get(stream) ?? new Set();
      this.#streams.set(stream, set);
      set.add(sub);
    }
    // read after the streams listen: a later event comes live, an earlier one is at or below it
    const position = await subscriber.position?.().catch(() => undefined);
    this.#write(socket, {
      identifier,
      type: 'confirm_subscription',
      ...(position === undefined ? {} : { last_event_id: position }),
    });
    try {
      await subscriber.onConfirmed?.(sub);
    } finally {
      const queued = sub.queue ?? [];
      sub.queue = undefined;
      for (const event of queued)
        if (!sub.replayed.has(event.id)) sub.send({ event: event.event, data: event.data }, event.id);
      sub.replayed.clear();
    }
  }

  #unlisten(sub: LiveSubscription): void {
    for (const stream of sub.streams) {
      const set = this.#streams.get(stream);
      set?.delete(sub);
      if (set?.size === 0) this.#streams.delete(stream);
    }
  }
}
