/**
 * What time it is, for decisions that depend on the wall clock (business hours, inactivity): the
 * server is given one, so tests can set the time instead of waiting for it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand; it starts at `start` and stays there until set. */
export function settableClock(start: Date = new Date()): Clock & { set(at: Date | string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(at) {
      current = new Date(at);
    },
  };
}
