/**
 * `npx tsx bench/failover-breakdown.ts [--seeds N]`: where the time of a failover goes, in the
 * simulator (virtual ms, so what live mode at 1x shows when the browser keeps up). The bench's own
 * simulatedFailover (bench/sections/simulator.ts): 3 servers, tickTime 2000, a client with all three servers
 * in its connect string, the leader killed, a create retried every 5 ms until one succeeds.
 *
 * Per seed: when a new leader reached broadcast, when the client reconnected, when the first
 * write succeeded, how many connection attempts the client made and how long it slept between
 * them (ClientCnxn's random 0-1000 ms before every reconnect, StaticHostProvider's 1 s spin).
 */
import { simulatedFailover as failover, type FailoverBreakdown as Breakdown } from './sections/simulator.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

const seeds = Number(arg('--seeds') ?? 200);
const rows: Breakdown[] = [];
for (let seed = 1; seed <= seeds; seed++) rows.push(failover(seed));
const col = (f: (b: Breakdown) => number): string => `median ${pct(rows.map(f), 0.5)}  p90 ${pct(rows.map(f), 0.9)}  max ${Math.max(...rows.map(f))}`;
console.log(`${seeds} seeds, virtual ms after the kill`);
console.log(`  new leader in broadcast  ${col((b) => b.leaderMs)}`);
console.log(`  client reconnected       ${col((b) => b.connectedMs)}`);
console.log(`  first write OK           ${col((b) => b.writeMs)}`);
console.log(`  connection attempts      ${col((b) => b.attempts)}`);
const own = rows.filter((b) => b.leaderWasClientServer);
console.log(`  client was on the leader in ${own.length} runs: first write median ${pct(own.map((b) => b.writeMs), 0.5)}; on a follower: ${pct(rows.filter((b) => !b.leaderWasClientServer).map((b) => b.writeMs), 0.5)}`);
console.log(`  first five seeds: ${rows.slice(0, 5).map((b) => b.writeMs).join(', ')}`);
const under = rows.filter((b) => b.writeMs < 600).length;
const medians: number[] = [];
for (let i = 0; i + 5 <= rows.length; i += 5) medians.push(pct(rows.slice(i, i + 5).map((b) => b.writeMs), 0.5));
console.log(`  first write under 600 ms in ${under} of ${seeds} runs; medians of 5 consecutive seeds: median ${pct(medians, 0.5)}, under 600 ms in ${medians.filter((m) => m < 600).length} of ${medians.length}`);
