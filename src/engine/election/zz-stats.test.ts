import { it } from 'vitest';
import { ElectionCluster } from './election-cluster.ts';
import { Rng } from './election-util.ts';
import { makeZxid } from '../protocol/ids.ts';
it('stats', () => {
  let splits = 0, staleObs = 0, rounds: Record<string, number> = {}, sizes: Record<string, number> = {};
  for (let seed = 1; seed <= 250; seed++) {
    const rng = new Rng(seed);
    const n = rng.pick([3, 3, 5, 5, 7]);
    sizes[n] = (sizes[n] ?? 0) + 1;
    const voters = Array.from({ length: n }, (_, i) => i + 1);
    const observers = Array.from({ length: rng.pick([0, 0, 1, 2]) }, (_, i) => n + i + 1);
    const c = new ElectionCluster({ voters, observers, rng: new Rng(seed * 7919), latencyMsMin: 1, latencyMsMax: 60, zab: { checkAfterMs: 20000 } });
    for (const sid of rng.shuffle([...voters, ...observers])) { c.runUntil(c.nowMs + rng.int(0, 800)); c.start(sid); }
    c.stabilize(900000);
    const ls = new Set(c.decisions.map((d) => d.vote.id));
    if (ls.size > 1) splits++;
    const leader = c.leaderOf(1)!;
    const k = c.decisions.length;
    c.crash(leader);
    c.stabilize(900000);
    for (const d of c.decisions.slice(k)) if (d.vote.id === leader) staleObs++;
    const r = Math.max(...voters.filter(v => v !== leader).map((v) => c.election(v)!.logicalclock));
    rounds[r] = (rounds[r] ?? 0) + 1;
  }
  console.log({ splits, staleObs, rounds, sizes });
});
