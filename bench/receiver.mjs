// The webhook receiver of the benches that deliver (webhooks.mjs, message.mjs): webhook-receiver.mjs
// in a worker thread, so that answering deliveries does not hold up the bench's API clients.
import { Worker } from 'node:worker_threads';

/** The receiver (webhook-receiver.mjs, in a worker thread): its URL, and what it is told and asked. */
export async function startReceiver() {
  const worker = new Worker(new URL('./webhook-receiver.mjs', import.meta.url));
  const replies = [];
  worker.on('message', (message) => {
    const index = replies.findIndex(({ key }) => key in message);
    if (index < 0) return;
    const [reply] = replies.splice(index, 1);
    reply.resolve(message[reply.key]);
  });
  const ask = (message, key) =>
    new Promise((resolve) => {
      replies.push({ key, resolve });
      worker.postMessage(message);
    });
  const port = await ask({}, 'port');
  return {
    url: `http://127.0.0.1:${port}/hook`,
    count: () => ask({ count: true }, 'count'),
    /** Every delivery received so far, the API load's own among them. */
    received: () => ask({ received: true }, 'received'),
    hold: () => worker.postMessage({ hold: true }),
    release: () => worker.postMessage({ release: true }),
    /** Resolves when `n` distinct deliveries have arrived. */
    until: (n) => ask({ until: n }, 'reached'),
    close: async () => {
      await ask({ close: true }, 'closed');
      await worker.terminate();
    },
  };
}
