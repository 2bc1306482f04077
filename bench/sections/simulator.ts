/**
 * Section "simulator": the deterministic simulator in Node.
 *
 * client ops/s   a 3-server simulated ensemble (Ensemble + ClientWorld, default delays); one
 *                client session pipelines `depth` requests to a follower or to the leader; the
 *                figure is simulated client ops completed per second of wall time.
 * seeds/minute   the fault simulator (runSeed) with 3 servers and 10 simulated seconds per seed.
 * memory sweep   heapUsed after forced GC every N seeds in a fresh process: flat or growing?
 * Each figure is interleaved with the CPU probe (bench/lib/probe.ts).
 */
import { ClientSession } from '../../src/client/client-session.ts';
import type { ClientCall } from '../../src/client/api.ts';
import { Ensemble } from '../../src/runtime/sim/ensemble.ts';
import { settle } from '../../src/runtime/sim/ensemble-status.ts';
import { runSeed } from '../../src/runtime/sim/fault-sim.ts';
import { openAclUnsafe } from '../../src/engine/protocol/records.ts';
import { atLeast, type Figure, type Section, type SectionOptions } from '../lib/figure.ts';
import { runChild } from '../lib/child.ts';
import { cpuProbe, probeName } from '../lib/probe.ts';
import { median, now, slope } from '../lib/stats.ts';
import { payload } from '../lib/tree-fixture.ts';

const section = 'simulator';
export const seedsPerMinuteMin = 200;

interface ClientRun {
  create: number;
  setData: number;
  getData: number;
}

/** Pipelines `calls` from one session, `depth` outstanding; returns wall ops/s. */
function pipelined(e: Ensemble, session: ClientSession, results: Map<number, unknown>, calls: readonly ClientCall[], depth: number): number {
  results.clear();
  let next = 0;
  let done = 0;
  const t = now();
  for (let guard = 0; done < calls.length && guard < 1_000_000; guard++) {
    while (next < calls.length && next - done < depth) session.call(calls[next++]);
    e.world.run(e.world.now + 1_000, () => results.size > done);
    done = results.size;
  }
  if (done < calls.length) throw new Error(`simulated client: ${done} of ${calls.length} answered`);
  return (calls.length * 1000) / (now() - t);
}

export function ensembleRun(target: 'follower' | 'leader', count: number, depth: number): ClientRun {
  const e = new Ensemble({ servers: 3, seed: 42 });
  for (const sid of e.sids) e.start(sid);
  settle(e);
  const leader = e.leader();
  if (leader === null) throw new Error('simulated ensemble did not elect a leader');
  const sid = target === 'leader' ? leader : e.sids.find((s) => s !== leader)!;
  const results = new Map<number, unknown>();
  const session = new ClientSession(e.address(sid), { sessionTimeout: 30_000, random: () => 0.5, shuffleHosts: false }, e.world.now);
  e.world.addClient(session, () => {}, (id, r) => {
    if (r.kind !== 'ok') throw new Error(`simulated client: call ${id} failed: ${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    results.set(id, r);
  });
  e.world.run(e.world.now + 10_000, () => session.state === 'CONNECTED');
  session.call({ type: 'create', path: '/p', data: null, acl: openAclUnsafe, mode: 0, ttl: -1 });
  e.run(1000);
  const creates: ClientCall[] = Array.from({ length: count }, (_, i) => ({ type: 'create', path: `/p/n${i}`, data: payload(i), acl: openAclUnsafe, mode: 0, ttl: -1 }));
  const sets: ClientCall[] = Array.from({ length: count }, (_, i) => ({ type: 'setData', path: `/p/n${(i * 7919) % count}`, data: payload(i), version: -1 }));
  const gets: ClientCall[] = Array.from({ length: count }, (_, i) => ({ type: 'getData', path: `/p/n${(i * 7919) % count}`, watch: false }));
  return {
    create: pipelined(e, session, results, creates, depth),
    setData: pipelined(e, session, results, sets, depth),
    getData: pipelined(e, session, results, gets, depth),
  };
}

function seedsPerMinute(seeds: readonly number[]): number {
  const t = now();
  for (const seed of seeds) {
    const r = runSeed({ seed, durationMs: 10_000, servers: 3 });
    if (r.violations.length > 0) throw new Error(`seed ${seed} failed: ${r.violations[0]} (${r.repro})`);
  }
  return (seeds.length * 60_000) / (now() - t);
}

/** Where one simulated failover's time went, in virtual ms after the kill. */
export interface FailoverBreakdown {
  seed: number;
  /** a new leader reached broadcast */
  leaderMs: number;
  /** the client was connected again */
  connectedMs: number;
  /** the first create succeeded */
  writeMs: number;
  /** servers the client tried */
  attempts: number;
  leaderWasClientServer: boolean;
}

/**
 * Failover in the simulator: 3 servers, tickTime 2000, FLE's own timings; a client with all
 * three servers in its connect string; the leader is killed and the client retries a create
 * every 5 virtual ms until one succeeds. Virtual ms: what live mode at speed 1x should show
 * if the browser keeps up. bench/failover-breakdown.ts prints the breakdown over many seeds.
 */
export function simulatedFailover(seed: number): FailoverBreakdown {
  const e = new Ensemble({ servers: 3, seed });
  for (const sid of e.sids) e.start(sid);
  settle(e);
  const leader = e.leader();
  if (leader === null) throw new Error(`seed ${seed}: no leader`);
  const done = new Map<number, boolean>();
  const session = new ClientSession(e.sids.map((s) => e.address(s)).join(','), { sessionTimeout: 30_000, random: () => e.rng.next() }, e.world.now);
  e.world.addClient(session, () => {}, (id, r) => done.set(id, r.kind === 'ok'));
  e.world.run(e.world.now + 10_000, () => session.state === 'CONNECTED');
  const leaderWasClientServer = session.currentHost() === e.address(leader);
  const t0 = e.world.now;
  e.kill(leader);
  let leaderMs = -1;
  let connectedMs = -1;
  let attempts = 0;
  let lastHost: string | null = session.currentHost();
  let wasConnected = session.state === 'CONNECTED';
  // reads state only: the run stops where it would without it
  const observe = (): void => {
    const now = e.world.now - t0;
    if (leaderMs < 0 && e.leader() !== null) leaderMs = now;
    const host = session.currentHost();
    if (host !== lastHost) {
      attempts++;
      lastHost = host;
    }
    const connected = session.state === 'CONNECTED';
    if (connected && !wasConnected && connectedMs < 0) connectedMs = now;
    wasConnected = connected;
  };
  for (let i = 0; e.world.now - t0 < 60_000; i++) {
    const id = session.call({ type: 'create', path: `/failover-${i}`, data: null, acl: openAclUnsafe, mode: 0, ttl: -1 });
    e.world.run(e.world.now + 60_000, () => {
      observe();
      return done.has(id);
    });
    if (done.get(id) === true) return { seed, leaderMs, connectedMs, writeMs: e.world.now - t0, attempts, leaderWasClientServer };
    e.run(5);
    observe();
  }
  throw new Error(`seed ${seed}: no write within 60 s of the kill`);
}

export function simulatedFailoverMs(seed: number): number {
  return simulatedFailover(seed).writeMs;
}

interface SweepResult {
  seeds: number;
  ms: number;
  violations: number;
  peakRss: number;
  samples: { seeds: number; heapUsed: number; rss: number }[];
}

const mb = (b: number): number => b / 2 ** 20;

export async function memorySweep(seeds: number): Promise<Figure[]> {
  const every = Math.max(1, Math.round(seeds / 20));
  const r = await runChild<SweepResult>('sim-sweep.ts', ['--seeds', String(seeds), '--every', String(every)]);
  const tail = r.samples.filter((s) => s.seeds >= seeds * 0.2);
  const perSeed = slope(tail.map((s) => s.seeds), tail.map((s) => s.heapUsed));
  const first = r.samples[1]?.heapUsed ?? r.samples[0].heapUsed;
  const last = r.samples[r.samples.length - 1].heapUsed;
  const peak = Math.max(...r.samples.map((s) => s.heapUsed));
  // flat: the fitted growth over the whole sweep is under 2 MB (noise of one GC'd heap)
  const growth = perSeed * seeds;
  const flat = growth < 2 * 2 ** 20;
  return [
    {
      section, name: `memory sweep: heapUsed after GC, peak over ${seeds} seeds`, value: mb(peak), unit: 'MB', status: flat ? 'ok' : 'below target',
      target: 'flat (no growth per seed)',
      baseline: { name: 'heapUsed after the first batch', value: mb(first), unit: 'MB' },
      note: `${flat ? 'flat' : 'GROWING'}: fitted ${(perSeed / 1024).toFixed(2)} KB/seed after 20% (${mb(growth).toFixed(1)} MB over the sweep); last ${mb(last).toFixed(1)} MB; peak RSS ${mb(r.peakRss).toFixed(0)} MB; ${(r.seeds * 60_000 / r.ms).toFixed(0)} seeds/min in the child; ${r.violations} violations`,
      samples: r.samples.map((s) => Math.round(mb(s.heapUsed) * 10) / 10),
      extra: { samples: r.samples, bytesPerSeed: perSeed },
    },
  ];
}

export const simulatorSection: Section = {
  name: 'simulator',
  title: 'Simulator in Node (simulated ensemble, fault simulator, memory sweep)',
  async run(opts: SectionOptions): Promise<Figure[]> {
    const rounds = opts.quick ? 2 : 5;
    const count = opts.quick ? 1_000 : 10_000;
    const depth = 1000;
    ensembleRun('follower', 1000, depth); // warm-up
    const figs: Figure[] = [];
    for (const target of ['follower', 'leader'] as const) {
      const runs: ClientRun[] = [];
      const probes: number[] = [];
      for (let i = 0; i < rounds; i++) {
        probes.push(cpuProbe());
        runs.push(ensembleRun(target, count, depth));
      }
      for (const op of ['create', 'setData', 'getData'] as const) {
        const samples = runs.map((r) => r[op]);
        figs.push({
          section, name: `simulated 3-server ensemble: ${op} via ${target}`, value: median(samples), unit: 'ops/s', samples, status: 'info',
          baseline: { name: probeName, value: median(probes), unit: 'ops/s' },
          note: op === 'create' && target === 'follower' ? `${count} ops, ${depth} outstanding, wall-clock ops/s, median of ${rounds}` : undefined,
        });
      }
    }
    const seedSet = Array.from({ length: opts.quick ? 5 : 30 }, (_, i) => i + 1);
    const seedRuns: number[] = [];
    const seedProbes: number[] = [];
    seedsPerMinute(seedSet.slice(0, 3));
    for (let i = 0; i < rounds; i++) {
      seedProbes.push(cpuProbe());
      seedRuns.push(seedsPerMinute(seedSet));
    }
    const spm = median(seedRuns);
    figs.push({
      section, name: 'fault simulator: seeds/minute (3 servers, 10 sim s)', value: spm, unit: 'seeds/min', samples: seedRuns,
      baseline: { name: probeName, value: median(seedProbes), unit: 'ops/s' },
      target: `>= ${seedsPerMinuteMin} seeds/min`, status: atLeast(spm, seedsPerMinuteMin),
      note: `seeds 1..${seedSet.length}, median of ${rounds} batches`,
    });
    const failoverSeeds = [1, 2, 3, 4, 5];
    const failovers = failoverSeeds.map(simulatedFailoverMs);
    figs.push({
      section, name: 'simulated failover: leader killed -> first write OK', value: median(failovers), unit: 'virtual ms', samples: failovers,
      baseline: { name: 'ZooKeeper 3.8.0 here (PERF.md)', value: 820, unit: 'ms' }, target: '< 600 ms (browser)', status: 'info',
      note: `seeds ${failoverSeeds.join(',')}, median; deterministic per seed; the browser figure is in the browser section`,
    });
    const sweepSeeds = opts.full ? 10_000 : opts.quick ? 200 : 1_000;
    figs.push(...(await memorySweep(sweepSeeds)));
    return figs;
  },
};
