/**
 * CPU time per thread of a process tree, from /proc (utime + stime of every thread), and the
 * Chromium browser process of a persistent profile: for bench/browser/thread-cpu.ts and
 * phase-cpu.ts. A thread's CPU time does not grow when the machine is loaded and the thread
 * waits for a core, unlike a profile's busy share or a throughput figure.
 */
import { readdirSync, readFileSync } from 'node:fs';

const ticks = 100; // USER_HZ

export interface Thread { pid: number; tid: number; comm: string; cpuMs: number }

function procStat(path: string): string[] | null {
  try {
    const s = readFileSync(path, 'utf8');
    const close = s.lastIndexOf(')');
    return [s.slice(0, close + 1), ...s.slice(close + 2).split(' ')];
  } catch {
    return null;
  }
}

/** The processes below `root` (and it), by parent pid. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(`/proc/${d}/stat`);
    if (!st) continue;
    const ppid = Number(st[2]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Every thread of `pids` with its CPU ms so far (`only`: user or sys time alone). */
export function threads(pids: readonly number[], only?: string): Thread[] {
  const out: Thread[] = [];
  for (const pid of pids) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      const st = procStat(`/proc/${pid}/task/${t}/stat`);
      if (!st) continue;
      // fields after the comm: state(1) ppid(2) ... utime(12) stime(13)
      out.push({ pid, tid: Number(t), comm: st[0].replace(/^\d+ \(/, '').replace(/\)$/, ''), cpuMs: (((only === 'sys' ? 0 : Number(st[12])) + (only === 'user' ? 0 : Number(st[13]))) * 1000) / ticks });
    }
  }
  return out;
}

/** The browser process of a Chromium launched with `profileDir` (not its children). */
export function browserPid(profileDir: string): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes(profileDir) && !cmd.includes('--type=')) return Number(d);
    } catch { /* gone */ }
  }
  throw new Error('browser process not found');
}

/**
 * CPU ms per thread group between `before` and `after`: the renderer's main thread, each server
 * worker busiest first, the renderer's thread pool (GC helpers, the compiler, OPFS), the rest.
 */
export function groupCpu(before: readonly Thread[], after: readonly Thread[]): Map<string, number> {
  const was = new Map(before.map((t) => [t.tid, t]));
  const groups = new Map<string, number>();
  let workers = 0;
  const spent = after.map((t) => ({ ...t, d: t.cpuMs - (was.get(t.tid)?.cpuMs ?? 0) })).sort((a, b) => b.d - a.d);
  const renderer = new Set(after.filter((t) => t.comm === 'DedicatedWorker').map((t) => t.pid));
  for (const t of spent) {
    let g = 'other';
    if (renderer.has(t.pid) && t.tid === t.pid) g = 'main';
    else if (t.comm === 'DedicatedWorker' && t.d > 0) g = `worker ${++workers}`;
    else if (renderer.has(t.pid) && t.comm === 'ThreadPoolForeg') g = 'renderer pool';
    groups.set(g, (groups.get(g) ?? 0) + t.d);
  }
  return groups;
}
