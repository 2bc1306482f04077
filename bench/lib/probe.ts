/**
 * The CPU probe: a fixed plain-JS workload (Map puts and gets of 100-byte values) run next to
 * figures that have no natural baseline of their own (the simulator). Its ops/s tells how much
 * CPU this process got at that moment, so a figure can be read as a ratio to it.
 */
import { now } from './stats.ts';

const probeKeys = Array.from({ length: 50_000 }, (_, i) => `/probe/n${i}`);

export function cpuProbe(): number {
  const map = new Map<string, Uint8Array>();
  const t = now();
  for (let i = 0; i < probeKeys.length; i++) map.set(probeKeys[i], new Uint8Array(100));
  let sink = 0;
  for (let r = 0; r < 3; r++) for (let i = 0; i < probeKeys.length; i++) sink += map.get(probeKeys[(i * 7919) % probeKeys.length])!.length;
  const ms = now() - t;
  if (sink === -1) console.log('unreachable');
  return (probeKeys.length * 4 * 1000) / ms;
}

export const probeName = 'CPU probe (Map put+get)';
