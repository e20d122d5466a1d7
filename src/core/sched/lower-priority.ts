import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/**
 * Lowers a process of this user by `niceness` (to at most 19), relative to its nice value now.
 *
 * A nice value alone does not do that where the kernel groups processes by session (autogroup:
 * /proc/sys/kernel/sched_autogroup_enabled, on by default in Debian's and many other kernels, for
 * processes outside a cgroup of their own). Each session is then one group, the groups share the
 * CPU by their own nice value, and a process's nice value only orders it within its session.
 * PostgreSQL's backends each start a session of their own (setsid), so a lowered backend competed
 * with those answering requests at full weight. So a process that leads a session of its own also
 * gets its session's nice value lowered (/proc/<pid>/autogroup). One in another's session is left
 * at that: lowering the session would lower the rest of it too.
 */
export function lowerPriority(pid: number, niceness: number): void {
  const nice = Math.min(19, os.getPriority(pid) + niceness);
  os.setPriority(pid, nice);
  if (leadsOwnSession(pid)) {
    try {
      writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    } catch {
      // no autogroup here (not Linux, a kernel without it) or the process is gone: the nice value is all
    }
  }
}

/** True when `pid` is its session's leader: the 6th field of /proc/<pid>/stat, the 4th after its name's ")". */
function leadsOwnSession(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after the last ")": the name may hold one
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(afterName[3]) === pid;
  } catch {
    return false;
  }
}

/** The nice value of the session group `pid` is in (/proc/<pid>/autogroup), or undefined without autogroup. */
export function autogroupNice(pid: number): number | undefined {
  try {
    const match = / nice (-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
