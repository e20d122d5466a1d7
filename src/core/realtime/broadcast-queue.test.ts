import { describe, expect, it } from 'vitest';
import { BroadcastQueue } from './broadcast-queue.js';
import type { NewCableEvent } from './store.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const entry = (event: string): NewCableEvent => ({ streams: ['s', 's'], event, data: {} });

function recordingQueue(storeDelayMs = 0) {
  const stores: string[][] = [];
  const queue = new BroadcastQueue(async (events) => {
    stores.push(events.map((e) => e.event));
    await sleep(storeDelayMs);
  });
  return { queue, stores };
}

describe('BroadcastQueue', () => {
  it('stores in publication order even when an earlier listener finishes last', async () => {
    const { queue, stores } = recordingQueue();
    const slow = queue.inOrder(async () => {
      await sleep(30);
      return [entry('first')];
    });
    const fast = queue.inOrder(async () => [entry('second')]);
    await Promise.all([slow, fast]);
    expect(stores.flat()).toEqual(['first', 'second']);
  });

  it('lets the ones behind go when a listener sends nothing or fails', async () => {
    const { queue, stores } = recordingQueue();
    const failing = queue.inOrder(async () => {
      await sleep(10);
      throw new Error('listener failed');
    });
    const silent = queue.inOrder(async () => undefined);
    const after = queue.inOrder(async () => [entry('after')]);
    await expect(failing).rejects.toThrow('listener failed');
    await Promise.all([silent, after]);
    expect(stores.flat()).toEqual(['after']);
  });

  it('batches what becomes ready while a store is in flight, and dedupes streams', async () => {
    const stored: NewCableEvent[][] = [];
    const queue = new BroadcastQueue(async (events) => {
      stored.push(events);
      await sleep(20);
    });
    const first = queue.inOrder(async () => [entry('a')]);
    await sleep(5);
    const rest = Array.from({ length: 5 }, (_, i) => queue.inOrder(async () => [entry(`b${i}`)]));
    await Promise.all([first, ...rest]);
    expect(stored.map((batch) => batch.map((e) => e.event))).toEqual([['a'], ['b0', 'b1', 'b2', 'b3', 'b4']]);
    expect(stored[0]![0]!.streams).toEqual(['s']);
  });

  it('rejects the broadcasts of a batch whose store failed, and goes on with the next', async () => {
    let calls = 0;
    const queue = new BroadcastQueue(async () => {
      calls++;
      if (calls === 1) throw new Error('database down');
    });
    await expect(queue.inOrder(async () => [entry('lost')])).rejects.toThrow('database down');
    await queue.inOrder(async () => [entry('kept')]);
    expect(calls).toBe(2);
  });
});
