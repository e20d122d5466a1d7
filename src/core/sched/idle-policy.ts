import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/**
 * Linux's idle scheduling policy (SCHED_IDLE) for a thread or process of this user, or back to
 * the normal one (SCHED_OTHER, its nice value kept). An idle-policy thread runs on CPU time that
 * nothing else wants, and a waking thread of the normal policy takes the CPU from it at once; a
 * nice value alone does not do that: under EEVDF (Linux 6.6 and later) a thread at nice +10 keeps
 * the CPU for the rest of its slice while a woken request waits. Node has no call for the policy:
 * util-linux's `chrt` sets it. Resolves false when it could not (no chrt, not Linux, a pid gone).
 */
export function setIdlePolicy(id: number, idle: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('chrt', [idle ? '--idle' : '--other', '-p', '0', String(id)], (error) => resolve(!error));
  });
}

/** The calling thread's id (Linux: /proc/thread-self links to <pid>/task/<tid>), or undefined elsewhere. */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

export interface IdleWhileServedOptions {
  /** The threads and processes whose policy this keeps: read at each switch. */
  ids: () => number[];
  /** Told once per fall-back, with how late the check ran. */
  onStarved: (lateMs: number) => void;
  checkMs?: number;
  /** A check this late means the idle policy is starving the work. */
  starvedMs?: number;
  /** How long the work keeps the normal policy after that. */
  normalMs?: number;
  setPolicy?: (id: number, idle: boolean) => Promise<boolean>;
  now?: () => number;
}

/**
 * Keeps `ids` at the idle policy while the work gets CPU time, and guards against what that
 * policy can do on a machine kept busy: starve it. A check every `checkMs` runs on the calling
 * thread (one of `ids`); when it runs `starvedMs` late, the work was starved, and every id gets
 * the normal policy (at its lowered nice value) for `normalMs`, then the idle one again.
 * `policyFor` tells a newcomer (a new database connection's backend) which to take.
 */
export function idleWhileServed(options: IdleWhileServedOptions) {
  const checkMs = options.checkMs ?? 250;
  const starvedMs = options.starvedMs ?? 1000;
  const normalMs = options.normalMs ?? 30_000;
  const setPolicy = options.setPolicy ?? setIdlePolicy;
  const now = options.now ?? Date.now;
  let idle = true;
  let normalUntil = 0;
  let expected = now() + checkMs;
  const applyAll = () => Promise.all(options.ids().map((id) => setPolicy(id, idle)));
  const timer = setInterval(() => {
    const at = now();
    const late = at - expected;
    expected = at + checkMs;
    if (idle && late >= starvedMs) {
      idle = false;
      normalUntil = at + normalMs;
      options.onStarved(late);
      void applyAll();
    } else if (!idle && at >= normalUntil) {
      idle = true;
      void applyAll();
    }
  }, checkMs);
  timer.unref();
  return {
    /** Puts every id at the current policy (at start). */
    apply: applyAll,
    /** The policy a newcomer takes now. */
    policyFor: (id: number) => setPolicy(id, idle),
    get idle() {
      return idle;
    },
    /**
     * Ends the checks and puts every id at the normal policy: what the work does as it stops (a
     * drain handing back its claims) must not wait for CPU time nothing else wants, which a busy
     * machine may not have for seconds.
     */
    stop: () => {
      clearInterval(timer);
      if (!idle) return Promise.resolve([]);
      idle = false;
      return applyAll();
    },
  };
}
