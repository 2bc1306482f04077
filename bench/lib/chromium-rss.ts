/**
 * Resident memory of one Chromium instance's processes, by process type: launch it with
 * `rssTag()` among its arguments, then `chromiumRss(tag)` finds the browser process carrying it
 * and sums the RSS of it and its descendants (renderer, gpu-process, utility, zygote). Other
 * Chromiums on the machine (other benches, tests) are not counted.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A harmless switch that marks this process's Chromium. */
export function rssTag(): string {
  return `--zkp-rss-tag=${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * MB by process type ('browser', 'renderer', ...); empty when the browser is not found.
 * `private`: Private_Dirty from /proc/<pid>/smaps_rollup instead of RSS (what the process
 * itself holds, about Chrome's "memory footprint"; RSS also counts shared library pages).
 */
export function chromiumRss(tag: string, what: 'rss' | 'private' = 'rss'): Record<string, number> {
  let out: string;
  try {
    out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch {
    return {};
  }
  const rows = out.split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const root = rows.find((m) => m[4].includes(tag) && !m[4].includes('--type='));
  if (root === undefined) return {};
  const mine = new Set([root[1]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of rows) {
      if (!mine.has(m[1]) && mine.has(m[2])) {
        mine.add(m[1]);
        grew = true;
      }
    }
  }
  const by: Record<string, number> = {};
  for (const m of rows) {
    if (!mine.has(m[1])) continue;
    const type = /--type=(\S+)/.exec(m[4])?.[1] ?? 'browser';
    by[type] = Math.round((by[type] ?? 0) + (what === 'rss' ? Number(m[3]) : privateDirtyKb(m[1])) / 1024);
  }
  return by;
}

function privateDirtyKb(pid: string): number {
  try {
    const m = /^Private_Dirty:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function formatRss(by: Record<string, number>): string {
  return Object.entries(by).map(([k, v]) => `${k} ${v}`).join(', ') || '?';
}
