import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentThreadId, idleWhileServed } from './idle-policy.js';

describe('idleWhileServed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the idle policy while its checks run on time, and falls back to the normal one for a while when starved', async () => {
    const calls: [number, boolean][] = [];
    let clock = 0;
    const starved: number[] = [];
    const ids = [7, 8];
    const priority = idleWhileServed({
      ids: () => ids,
      onStarved: (late) => starved.push(late),
      checkMs: 250,
      starvedMs: 1000,
      normalMs: 30_000,
      now: () => clock,
      setPolicy: async (id, idle) => {
        calls.push([id, idle]);
        return true;
      },
    });
    await priority.apply();
    expect(calls.splice(0)).toEqual([
      [7, true],
      [8, true],
    ]);
    // checks on time (a little late is not starved)
    for (let i = 0; i < 8; i++) {
      clock += 250 + 100;
      vi.advanceTimersByTime(250);
    }
    expect(calls).toEqual([]);
    expect(priority.idle).toBe(true);
    // a check 1.2 s late: everything back to the normal policy, once, and a newcomer takes it too
    clock += 250 + 1200;
    vi.advanceTimersByTime(250);
    expect(starved).toEqual([1200]);
    expect(priority.idle).toBe(false);
    await priority.policyFor(9);
    expect(calls.splice(0)).toEqual([
      [7, false],
      [8, false],
      [9, false],
    ]);
    // late again while already normal: nothing more
    clock += 250 + 2000;
    vi.advanceTimersByTime(250);
    expect(starved).toHaveLength(1);
    expect(calls).toEqual([]);
    // 30 s after the fall-back: idle again
    clock += 30_000;
    vi.advanceTimersByTime(250);
    expect(priority.idle).toBe(true);
    expect(calls.splice(0)).toEqual([
      [7, true],
      [8, true],
    ]);
    // stopping while idle: every id back to the normal policy, and no check switches it again
    await priority.stop();
    expect(priority.idle).toBe(false);
    expect(calls.splice(0)).toEqual([
      [7, false],
      [8, false],
    ]);
    clock += 60_000;
    vi.advanceTimersByTime(60_000);
    expect(calls).toEqual([]);
  });

  it.runIf(process.platform === 'linux')("knows the calling thread's id", () => {
    // the main thread's id is the process id
    expect(currentThreadId()).toBe(process.pid);
  });
});
