/**
 * `npx tsx bench/failover-breakdown.ts [--seeds N]`: where the time of a failover goes, in the
 * simulator (virtual ms, so what live mode at 1x shows when the browser keeps up). Same setup
 * as the bench's simulatedFailoverMs: 3 servers, tickTime 2000, a client with all three servers
 * in its connect string, the leader killed, a create retried every 5 ms until one succeeds.
 *
 * Per seed: when a new leader reached broadcast, when the client reconnected, when the first
 * write succeeded, how many connection attempts the client made and how long it slept between
 * them (ClientCnxn's random 0-1000 ms before every reconnect, StaticHostProvider's 1 s spin).
 */
import { ClientSession } from '../src/client/client-session.ts';
import { openAclUnsafe } from '../src/engine/protocol/records.ts';
import { Ensemble } from '../src/runtime/sim/ensemble.ts';
import { settle } from '../src/runtime/sim/ensemble-status.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Breakdown {
  seed: number;
  leaderMs: number;
  connectedMs: number;
  writeMs: number;
  attempts: number;
  leaderWasClientServer: boolean;
}

function failover(seed: number): Breakdown {
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
  const observe = (): boolean => {
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
    return false;
  };
  for (let i = 0; e.world.now - t0 < 60_000; i++) {
    const id = session.call({ type: 'create', path: `/failover-${i}`, data: null, acl: openAclUnsafe, mode: 0, ttl: -1 });
    e.world.run(e.world.now + 60_000, () => observe() || done.has(id));
    if (done.get(id) === true) return { seed, leaderMs, connectedMs, writeMs: e.world.now - t0, attempts, leaderWasClientServer };
    e.run(5);
    observe();
  }
  throw new Error(`seed ${seed}: no write within 60 s of the kill`);
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
