/**
 * `tsx bench/profile-summary.ts <file.cpuprofile> [top] [--samples]`: self and inclusive time per
 * function of a V8 CPU profile (node --cpu-prof), the quickest way to see where a bench's time
 * goes; of a sampled allocation profile (.heapprofile, profile-live.ts --alloc), bytes per function.
 *
 * --samples: count samples instead of weighting each by the time since the one before. On a
 * loaded machine a worker's samples come irregularly (profile-live.ts asks for one per 200 µs; a
 * leader under load gave 3,924 in 4,958 ms) and a gap of a few ms lands on whichever function
 * the next sample hits: by time one function took 8.7 % of the leader, by samples 0.5 %.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function summarize(profile: Profile, top = 25, bySamples = false): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/wt-[^/]+\//, '').replace(/^file:\/\//, '')}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = bySamples ? 1000 : profile.timeDeltas[i] ?? 0;
    all += dt;
    let node = byId.get(profile.samples[i]);
    if (!node) continue;
    self.set(key(node), (self.get(key(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let guard = 0; node && guard < 10_000; guard++) {
      const k = key(node);
      if (!seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + dt);
      }
      const p = parent.get(node.id);
      node = p === undefined ? undefined : byId.get(p);
    }
  }
  const fmt = (m: Map<string, number>): string[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`);
  return [bySamples ? `total ${all / 1000} samples` : `total ${(all / 1000).toFixed(0)} ms`, '-- self --', ...fmt(self), '-- inclusive --', ...fmt(total)].join('\n');
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** A sampled allocation profile (.heapprofile): bytes allocated per function, self and inclusive. */
export function summarizeHeap(profile: { head: HeapNode }, top = 25): string {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  const key = (n: HeapNode): string => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}`;
  const walk = (n: HeapNode, stack: Set<string>): number => {
    const k = key(n);
    let sum = n.selfSize;
    all += n.selfSize;
    self.set(k, (self.get(k) ?? 0) + n.selfSize);
    const inner = new Set(stack).add(k);
    for (const c of n.children) sum += walk(c, inner);
    if (!stack.has(k)) total.set(k, (total.get(k) ?? 0) + sum);
    return sum;
  };
  walk(profile.head, new Set());
  const fmt = (m: Map<string, number>): string[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${((100 * v) / all).toFixed(1).padStart(5)}%  ${(v / 2 ** 20).toFixed(1).padStart(7)} MB  ${k}`);
  return [`allocated ${(all / 2 ** 20).toFixed(0)} MB`, '-- self --', ...fmt(self), '-- inclusive --', ...fmt(total)].join('\n');
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile|file.heapprofile> [top]');
  const data = JSON.parse(readFileSync(file, 'utf8')) as Profile | { head: HeapNode };
  const top = Number(process.argv.slice(3).find((x) => x !== '--samples') ?? 25);
  console.log('head' in data ? summarizeHeap(data, top) : summarize(data, top, process.argv.includes('--samples')));
}
