import WebSocket from 'ws';

/** A raw ActionCable client for tests: collects frames and waits for the ones a test expects. */
export interface CableClient {
  frames: any[];
  send(frame: unknown): void;
  subscribe(params: Record<string, unknown>): string;
  next(match: (frame: any) => boolean, timeoutMs?: number, what?: string): Promise<any>;
  /** Broadcast messages (event + data) received on a subscription so far. */
  events(identifier: string): Array<{ event: string; data: any; event_id?: number }>;
  close(): void;
}

export async function openCable(baseUrl: string): Promise<CableClient> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/cable`, [
    'actioncable-v1-json',
    'actioncable-unsupported',
  ]);
  const frames: any[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (raw) => {
    frames.push(JSON.parse(raw.toString()));
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client: CableClient = {
    frames,
    send: (frame) => socket.send(JSON.stringify(frame)),
    subscribe(params) {
      const identifier = JSON.stringify(params);
      client.send({ command: 'subscribe', identifier });
      return identifier;
    },
    async next(match, timeoutMs = 5000, what = 'frame') {
      const deadline = Date.now() + timeoutMs;
      let seen = 0;
      for (;;) {
        const found = frames.slice(seen).find(match);
        if (found) return found;
        seen = 0;
        const left = deadline - Date.now();
        if (left <= 0) {
          // the latest frames tell what the server sent last, before the one that never came
          const got = JSON.stringify(frames.filter((f) => f.type !== 'ping'));
          throw new Error(`timed out waiting for ${what}; got ${got.length > 3000 ? `…${got.slice(-3000)}` : got}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    events: (identifier) => frames.filter((f) => f.identifier === identifier && f.message).map((f) => f.message),
    close: () => socket.close(),
  };
  return client;
}

/** Subscribes to RoomChannel (an agent's: pubsub token, account and user) and waits for the confirmation. */
export async function subscribeRoom(
  cable: CableClient,
  params: { pubsub_token: string; account_id?: number; user_id?: number },
): Promise<string> {
  const identifier = cable.subscribe({ channel: 'RoomChannel', ...params });
  await cable.next((f) => f.type === 'confirm_subscription' && f.identifier === identifier);
  return identifier;
}
