import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { eventsSince, loadEvents, storeEvents } from './store.js';

const server = useTestServer();

describe('the replay store', () => {
  it('gives a batch consecutive ids in its order, and replays each stream its own events in that order', async () => {
    const db = server().db;
    const stream = `store-test-${Date.now()}`;
    const batch = ['first', 'second', 'third', 'fourth'].map((event, index) => ({
      streams: index === 2 ? ['someone-else'] : [stream, 'someone-else'],
      event,
      data: { index },
    }));
    const [before] = await storeEvents(db, [{ streams: ['someone-else'], event: 'earlier', data: {} }], 'test', false);
    const stored = await Promise.all([
      storeEvents(db, batch, 'test', false),
      storeEvents(db, batch.slice(0, 1), 'test', false),
    ]);
    const ids = stored[0].map((event) => event.id);
    expect(stored[0].map((event) => event.event)).toEqual(['first', 'second', 'third', 'fourth']);
    // consecutive, even with another batch stored at the same time
    expect(ids).toEqual(ids.map((_, index) => ids[0]! + index));
    expect(Math.abs(stored[1][0]!.id - ids[0]!)).toBeGreaterThanOrEqual(1);
    expect((await loadEvents(db, [...ids].reverse())).map((event) => [event.id, event.event, event.data])).toEqual(
      stored[0].map((event, index) => [event.id, event.event, { index }]),
    );
    const replay = await eventsSince(db, stream, before!.id, 3600);
    // the stream's three of the batch, and the other batch's one (stored before or after them)
    expect(replay).toHaveLength(4);
    expect(replay.filter((event) => ids.includes(event.id)).map((event) => event.event)).toEqual([
      'first',
      'second',
      'fourth',
    ]);
    expect(await storeEvents(db, [], 'test', false)).toEqual([]);
  });
});
