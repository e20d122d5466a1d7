import { describe, expect, it } from 'vitest';
import { StatementBatcher } from './batcher.js';

interface Item {
  key: string;
  n: number;
}

/** A batcher whose statements finish only when the test says so. */
function harness(limits: { maxRunning: number; maxItems: number }) {
  const statements: Array<{ items: Item[]; finish: (fail?: Error) => void }> = [];
  const batcher = new StatementBatcher<Item, string>(
    (items) =>
      new Promise((resolve, reject) => {
        statements.push({
          items,
          finish: (fail) => (fail ? reject(fail) : resolve(items.map((item) => `stored ${item.n}`))),
        });
      }),
    { ...limits, key: (item) => item.key },
  );
  return { batcher, statements };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('StatementBatcher', () => {
  it('sends an item at once when a slot is free, and groups the ones that wait', async () => {
    const { batcher, statements } = harness({ maxRunning: 2, maxItems: 3 });
    const results = [1, 2, 3, 4, 5, 6].map((n) => batcher.submit({ key: `k${n}`, n }));
    expect(statements.map((s) => s.items.map((i) => i.n))).toEqual([[1], [2]]);
    statements[0]!.finish();
    await tick();
    // the freed slot takes the next maxItems waiting, in arrival order
    expect(statements.map((s) => s.items.map((i) => i.n))).toEqual([[1], [2], [3, 4, 5]]);
    statements[1]!.finish();
    await tick();
    expect(statements[3]!.items.map((i) => i.n)).toEqual([6]);
    statements[2]!.finish();
    statements[3]!.finish();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `stored ${n}`));
  });

  it('keeps one key to one item in flight, in arrival order', async () => {
    const { batcher, statements } = harness({ maxRunning: 2, maxItems: 10 });
    const results = [
      batcher.submit({ key: 'a', n: 1 }),
      batcher.submit({ key: 'b', n: 2 }),
      batcher.submit({ key: 'a', n: 3 }),
      batcher.submit({ key: 'c', n: 4 }),
      batcher.submit({ key: 'a', n: 5 }),
    ];
    expect(statements.map((s) => s.items.map((i) => i.n))).toEqual([[1], [2]]);
    statements[1]!.finish();
    await tick();
    // 3 and 5 wait for 1 (in flight); 4 goes
    expect(statements[2]!.items.map((i) => i.n)).toEqual([4]);
    statements[0]!.finish();
    await tick();
    expect(statements[3]!.items.map((i) => i.n)).toEqual([3]);
    statements[2]!.finish();
    statements[3]!.finish();
    await tick();
    expect(statements[4]!.items.map((i) => i.n)).toEqual([5]);
    statements[4]!.finish();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5].map((n) => `stored ${n}`));
  });

  it('fails every item of a failed run with its error, and goes on', async () => {
    const { batcher, statements } = harness({ maxRunning: 1, maxItems: 10 });
    const first = batcher.submit({ key: 'a', n: 1 });
    const waiting = [batcher.submit({ key: 'b', n: 2 }), batcher.submit({ key: 'c', n: 3 })];
    statements[0]!.finish(new Error('deadlock detected'));
    await expect(first).rejects.toThrow('deadlock detected');
    await tick();
    expect(statements[1]!.items.map((i) => i.n)).toEqual([2, 3]);
    statements[1]!.finish(new Error('connection lost'));
    for (const item of waiting) await expect(item).rejects.toThrow('connection lost');
    const later = batcher.submit({ key: 'a', n: 4 });
    statements[2]!.finish();
    expect(await later).toBe('stored 4');
  });
});
