/**
 * Dynamic reconfig under faults: many seeds of random reconfigs (add/remove participants and
 * observers, hand the leadership away), writes, crashes and restarts. Checkers run after every
 * step (one leader per epoch, agreement on every zxid); at the end everything is restarted and
 * must converge: one leader, every server on the same committed config and the same tree.
 */
import { describe, expect, it } from 'vitest';
import { CliSession } from '../src/runtime/node/cli-session.ts';
import { Checkers } from '../src/runtime/sim/checkers.ts';
import { Ensemble } from '../src/runtime/sim/ensemble.ts';
import { settle } from '../src/runtime/sim/ensemble-status.ts';
import { Rng } from '../src/runtime/sim/rng.ts';
import { quorumConfigText } from '../src/engine/quorum/quorum-config.ts';

const seeds = Number(process.env.RECONFIG_SEEDS ?? 40);
const stepsPerSeed = 14;

function serverLine(sid: number, rng: Rng): string {
  const type = rng.next() < 0.3 ? 'observer' : 'participant';
  return `server.${sid}=127.0.0.1:${2880 + sid}:${3880 + sid}:${type};127.0.0.1:${2180 + sid}`;
}

function runSeed(seed: number): { violations: string[]; log: string[] } {
  const rng = new Rng(seed);
  const e = new Ensemble({ servers: 3, spares: 2, seed, serverConfig: { reconfigEnabled: true, skipACL: true }, peerDelayMs: [1, 1 + rng.int(0, 10)] });
  const checkers = new Checkers(e);
  const log: string[] = [];
  for (const sid of e.sids) e.start(sid);
  settle(e);
  const out: string[] = [];
  const cli = new CliSession(e.world, ['-server', e.sids.map((s) => e.address(s)).join(','), '-waitforconnection'], { out: (t) => out.push(t), err: (t) => out.push(t) }, () => rng.next());
  cli.start();
  e.run(0);
  for (let i = 0; i < stepsPerSeed; i++) {
    const r = rng.next();
    let action: string;
    if (r < 0.35) action = `reconfig -add ${serverLine(rng.int(1, 5), rng)}`;
    else if (r < 0.6) action = `reconfig -remove ${rng.int(1, 5)}`;
    else if (r < 0.75) action = `create /n${i} x`;
    else if (r < 0.87) action = `kill ${rng.int(1, 5)}`;
    else action = 'restart all';
    log.push(action);
    if (action.startsWith('kill')) e.kill(Number(action.split(' ')[1]));
    else if (action === 'restart all') for (const sid of e.sids) if (!e.isUp(sid)) e.start(sid);
    else cli.executeLine(action);
    e.run(rng.int(0, 3000));
    checkers.checkStep();
  }
  for (const sid of e.sids) if (!e.isUp(sid)) e.start(sid);
  const settled = settle(e);
  checkers.checkStep();
  const violations = [...checkers.violations];
  if (!settled.startsWith('settled')) violations.push(`liveness: ${settled}`);
  const configs = new Set([...e.peers.values()].map((p) => quorumConfigText(p.qc)));
  if (configs.size !== 1) violations.push(`configs differ: ${[...configs].join(' | ')}`);
  const trees = new Set([...e.peers.values()].map((p) => [...p.tree.get('/')!.children].sort().join(',')));
  if (trees.size !== 1) violations.push(`trees differ: ${[...trees].join(' | ')}`);
  return { violations, log };
}

describe('reconfig under faults', () => {
  it(`${seeds} seeds run clean`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      let r: { violations: string[]; log: string[] };
      try {
        r = runSeed(seed);
      } catch (err) {
        failures.push(`seed ${seed}: ${err instanceof Error ? err.stack : String(err)}`);
        continue;
      }
      if (r.violations.length > 0) failures.push(`seed ${seed}: ${r.violations.join('; ')} after ${r.log.join(' / ')}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('a second reconfig while one is pending', () => {
  it('is ReconfigInProgress; both answer in zxid order once the followers logged the first', async () => {
    const { ClientSession } = await import('../src/client/client-session.ts');
    const e = new Ensemble({ servers: 3, spares: 1, seed: 7, serverConfig: { reconfigEnabled: true, skipACL: true } });
    for (const sid of [1, 2, 3]) e.start(sid);
    settle(e);
    const leader = e.leader()!;
    const results: { who: string; kind: string; code?: number }[] = [];
    const open = (who: string): InstanceType<typeof ClientSession> => {
      const s = new ClientSession(e.address(leader), { sessionTimeout: 30_000, random: () => 0.5 }, e.world.now);
      e.world.addClient(s, () => {}, (_id, r) => results.push({ who, kind: r.kind, code: r.kind === 'error' ? r.code : undefined }));
      return s;
    };
    const a = open('a');
    const b = open('b');
    e.run(1000);
    // the followers' disks are slow: the first reconfig stays pending for a while
    for (const sid of [1, 2, 3]) if (sid !== leader) e.fsyncDelayOf.set(sid, [3000, 3000]);
    const reconfig = (leaving: string) => ({ type: 'reconfig', joiningServers: null, leavingServers: leaving, newMembers: null, curConfigId: -1n } as const);
    a.call(reconfig('9'));
    e.world.pump();
    e.run(10);
    b.call(reconfig('8'));
    e.world.pump();
    e.run(10_000);
    // b's error is a txn too: it commits (and answers) after a's reconfig, in zxid order
    expect(results).toEqual([{ who: 'a', kind: 'ok', code: undefined }, { who: 'b', kind: 'error', code: -14 }]);
    expect(e.peers.get(leader)!.qc.version).toBe(e.peers.get(leader)!.lastSeenQc.version);
  });
});
