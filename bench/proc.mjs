// Process memory readings from /proc (Linux): RSS and PSS (shared pages split fairly between
// the processes sharing them, which matters for PostgreSQL's shared buffers).
import fs from 'node:fs';

export function memoryKb(pid) {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
    return { rss: field('Rss'), pss: field('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/** pid plus every descendant of it. */
export function processTree(rootPid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      /* gone */
    }
  }
  const out = [];
  const walk = (pid) => {
    out.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(rootPid);
  return out;
}

export function sumMemory(pids) {
  return pids.map(memoryKb).reduce((a, b) => ({ rss: a.rss + b.rss, pss: a.pss + b.pss }), { rss: 0, pss: 0 });
}

export const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used so far, plus its exited and reaped children's
 * (so a tree's sum keeps the short-lived ones: autovacuum workers, closed backends); 0 once it is gone.
 */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11..14]: utime, stime, cutime, cstime (stat(5)'s 14th to 17th, counted after the name)
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by a process and its descendants (the tree is read again each call). */
export function treeCpuSeconds(rootPid) {
  return processTree(rootPid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

/** The machine's busy and total CPU ticks so far (/proc/stat's first line: all but idle and iowait are busy). */
function machineTicks() {
  const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  return { busy: total - ticks[3] - ticks[4], total };
}

/**
 * Waits until the whole machine's CPU stays under `busyBelow` of its capacity for `windowMs`
 * (at most `timeoutMs`), and returns how long that took: what a server runs right after start or
 * a bulk load (its validators' compile, autovacuum of a million new rows) is not the steady state
 * a latency goal describes.
 */
export async function machineSettled({ windowMs = 500, busyBelow = 0.1, timeoutMs = 60_000 } = {}) {
  const started = performance.now();
  for (;;) {
    const before = machineTicks();
    await new Promise((r) => setTimeout(r, windowMs));
    const after = machineTicks();
    const share = (after.busy - before.busy) / Math.max(1, after.total - before.total);
    if (share < busyBelow || performance.now() - started >= timeoutMs) return performance.now() - started;
  }
}
