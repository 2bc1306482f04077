/**
 * Failover timing that ZooKeeper 3.8.0 has, in the simulator and in the lockstep conductor over
 * ServerHost (the browser's server code): a follower that decides before its leader finds the
 * leader's quorum port closed (only a Leader listens), is refused at once and retries 100 ms
 * later (Learner.LeaderConnector), so the new leader serves within a fraction of a second. Before
 * the refusal was modelled, the follower's FOLLOWERINFO reached a still-LOOKING server, was
 * ignored, and the ensemble sat out initLimit (20 s) in discovery.
 */
import { describe, expect, it } from 'vitest';
import { Ensemble } from '../src/runtime/sim/ensemble.ts';
import { settle } from '../src/runtime/sim/ensemble-status.ts';
import { ServerHost } from '../src/runtime/worker/server-host.ts';
import { MemoryDisk } from '../src/runtime/storage/memory-disk.ts';

describe('leader killed: the new leader serves within a second', () => {
  it('in the simulator, for every seed; refused followers retry after 100 ms', () => {
    let retried = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const e = new Ensemble({ servers: 3, seed });
      for (const sid of e.sids) e.start(sid);
      settle(e);
      const old = e.leader()!;
      e.traceListeners.push((_sid, evs) => {
        for (const ev of evs) if (ev.type === 'log' && /failed to connect to leader \d+: tries=0, remaining init limit=\d+, retrying in 100 ms/.test(ev.text)) retried++;
      });
      const t0 = e.world.now;
      e.kill(old);
      e.world.run(t0 + 20_000, () => e.leader() !== null);
      expect(e.leader(), `seed ${seed}`).not.toBeNull();
      expect(e.world.now - t0, `seed ${seed}`).toBeLessThan(1000);
    }
    expect(retried).toBeGreaterThan(0);
  });

  it('ServerHost (the browser worker) refuses a quorum connection unless it is LEADING', () => {
    const config = { sid: 2, voters: [1, 2, 3], observers: [], tickTime: 2000, initLimit: 10, syncLimit: 5, idBase: 2_000_000 };
    const host = new ServerHost(config, new MemoryDisk(), 0);
    expect(host.peer.role).toBe('looking');
    const out = host.handle([{ type: 'wire', env: { id: 1, from: 1, to: 2, sentAt: 0, wire: { type: 'connect', conn: 77 } } }], 1);
    expect(out.sent.filter((e) => e.to === 1 && e.wire.type !== 'notification').map((e) => e.wire)).toEqual([{ type: 'close', conn: 77 }]);
  });
});
