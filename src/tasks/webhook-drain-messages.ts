import type { ClaimedDelivery } from './webhook-drain-queries.js';

/** What the webhook drainer's thread (webhook-drain-thread.ts) tells its host (webhook-drain-host.ts). */
export type FromDrainThread =
  /** the thread's Linux id, when it has one, told first: the host takes it off the idle policy to stop it */
  | { type: 'thread'; threadId: number | undefined }
  | { type: 'started' }
  | { type: 'start-failed'; error: string }
  | { type: 'stopped' }
  /** a warning, with its error's message when it had one */
  | { type: 'log'; msg: string; error: string | undefined }
  /** tries' outcomes and times, for /metrics */
  | { type: 'tries'; tries: [outcome: string, seconds: number][] }
  /** a delivery failed for good: its message's change is the host's to make, then `applied` */
  | { type: 'failed'; delivery: Pick<ClaimedDelivery, 'id' | 'kind' | 'event' | 'message_id'>; error: string };

/** What the host tells the thread. */
export type ToDrainThread = { type: 'stop' } | { type: 'applied'; id: string };
