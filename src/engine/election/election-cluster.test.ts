import { describe, expect, it } from 'vitest';
import { ElectionCluster } from './election-cluster.ts';
import { Rng } from './election-util.ts';

function leaders(c: ElectionCluster): (number | null)[] {
  return c.sids().map((sid) => (c.isAlive(sid) ? c.leaderOf(sid) : null));
}

function startInOrder(c: ElectionCluster, sids: number[], pauseMs: number): void {
  for (const sid of sids) {
    c.start(sid);
    c.runFor(pauseMs);
  }
}

describe('who leads (../shared/golden/ensemble/leader-runs.txt)', () => {
  it('three servers started at once: 3', () => {
    const c = new ElectionCluster({ voters: [1, 2, 3] });
    for (const sid of [1, 2, 3]) c.start(sid);
    expect(c.stabilize(10_000)).toBe(true);
    expect(leaders(c)).toEqual([3, 3, 3]);
    expect(c.election(3)!.state).toBe('LEADING');
  });

  it('1, 2, 3 started with pauses of 1 s or more: 1+2 form a quorum first, 2 leads', () => {
    for (const pauseMs of [1000, 3000]) {
      const c = new ElectionCluster({ voters: [1, 2, 3], latencyMs: 5 });
      startInOrder(c, [1, 2, 3], pauseMs);
      expect(c.stabilize(10_000)).toBe(true);
      expect(leaders(c)).toEqual([2, 2, 2]);
    }
  });

  it('five started in order 1..5: 3 (the first to complete a quorum of three)', () => {
    const c = new ElectionCluster({ voters: [1, 2, 3, 4, 5] });
    startInOrder(c, [1, 2, 3, 4, 5], 1000);
    expect(c.stabilize(10_000)).toBe(true);
    expect(leaders(c)).toEqual([3, 3, 3, 3, 3]);
  });

  it('killing the leader: the best (epoch, zxid, sid) among the survivors wins, the old leader then follows', () => {
    const c = new ElectionCluster({ voters: [1, 2, 3] });
    for (const sid of [1, 2, 3]) c.start(sid);
    c.stabilize(10_000);
    c.establish(1);
    for (const sid of [1, 2, 3]) c.setDisk(sid, { lastLoggedZxid: 0x100000004n });
    c.crash(3);
    c.look(1);
    c.look(2);
    c.stabilize(10_000);
    expect(leaders(c)).toEqual([2, 2, null]);
    c.establish(2);
    c.start(3);
    c.stabilize(10_000);
    expect(leaders(c)).toEqual([2, 2, 2]);
    c.establish(2);
    // now 1 has the longest log: it wins over 3 although 3 has the higher sid
    c.setDisk(1, { lastLoggedZxid: 0x200000002n });
    c.setDisk(3, { lastLoggedZxid: 0x200000001n });
    c.crash(2);
    c.look(1);
    c.look(3);
    c.stabilize(10_000);
    expect(leaders(c)).toEqual([1, null, 1]);
  });

  it('a higher zxid beats a higher sid; a higher epoch beats a higher zxid', () => {
    const c = new ElectionCluster({ voters: [1, 2, 3] });
    c.setDisk(1, { lastLoggedZxid: 0x100000009n, currentEpoch: 1 });
    c.setDisk(2, { lastLoggedZxid: 0x100000001n, currentEpoch: 1 });
    c.setDisk(3, { lastLoggedZxid: 0x100000001n, currentEpoch: 1 });
    for (const sid of [3, 2, 1]) c.start(sid);
    c.stabilize(10_000);
    expect(leaders(c)).toEqual([1, 1, 1]);
    const d = new ElectionCluster({ voters: [1, 2, 3] });
    d.setDisk(1, { lastLoggedZxid: 0x100000009n, currentEpoch: 1 });
    d.setDisk(2, { lastLoggedZxid: 0x100000001n, currentEpoch: 2 });
    for (const sid of [1, 2, 3]) d.start(sid);
    d.stabilize(10_000);
    expect(leaders(d)).toEqual([2, 2, 2]);
  });
});

describe('joining', () => {
  it('a server joining an established ensemble follows on the replies, with no 200 ms wait', () => {
    const c = new ElectionCluster({ voters: [1, 2, 3, 4, 5], latencyMs: 3 });
    for (const sid of [1, 2, 3]) c.start(sid);
    c.stabilize(10_000);
    c.start(5);
    c.stabilize(10_000);
    const joined = c.decisions.find((d) => d.sid === 5)!;
    expect(joined.vote.id).toBe(3);
    expect(joined.atMs - c.decisions[0].atMs).toBeLessThan(50);
    expect(c.election(5)!.logicalclock).toBe(1);
  });

  it('an observer learns the leader from the voters and observes', () => {
    const c = new ElectionCluster({ voters: [1, 2, 3], observers: [4] });
    for (const sid of [1, 2, 3]) c.start(sid);
    c.stabilize(10_000);
    c.start(4);
    c.stabilize(10_000);
    expect(c.election(4)!.state).toBe('OBSERVING');
    expect(c.leaderOf(4)).toBe(3);
  });
});

describe('QuorumCnxManager semantics', () => {
  it('keeps only the newest message for a peer it cannot reach (send queue capacity 1)', () => {
    const c = new ElectionCluster({ voters: [1, 2, 3, 4, 5] });
    c.start(1);
    c.start(2); // 1 adopts 2: two LOOKING messages from 1 to 3, only the newest is kept
    c.runFor(100);
    c.takeEvents();
    c.start(3);
    c.runFor(1);
    const from1 = c.takeEvents().filter((ev) => ev.kind === 'deliver' && ev.text.startsWith('3 <- 1 '));
    expect(from1.map((ev) => ev.text)).toEqual(['3 <- 1 Notification sid=1 state=LOOKING leader=2 round=1 peerEpoch=0x0 zxid=0x0']);
  });

  it('re-sends the last message when a connection comes back, and asks for connectAll when nothing drained', () => {
    const c = new ElectionCluster({ voters: [1, 2, 3] });
    for (const sid of [1, 2, 3]) c.start(sid);
    c.stabilize(10_000);
    c.partition(1, 2);
    c.partition(1, 3);
    c.look(1);
    c.runFor(700);
    const lonely = c.takeEvents().filter((ev) => ev.kind === 'log' && ev.text.includes('time out'));
    expect(lonely.map((ev) => ev.text)).toEqual([
      '1 [round 2] notification time out: no peer queue drained, connecting to all; next wait 400 ms',
      '1 [round 2] notification time out: no peer queue drained, connecting to all; next wait 800 ms',
    ]);
    c.healAll();
    c.runFor(1000);
    const events = c.takeEvents().map((ev) => ev.text);
    // 3's last message to 1 was its round-1 LOOKING vote; it arrives again on the new connection
    expect(events).toContain('1 <- 3 Notification sid=3 state=LOOKING leader=3 round=1 peerEpoch=0x0 zxid=0x0');
    expect(leaders(c)).toEqual([3, 3, 3]);
  });

  it('is deterministic: same seed, same run', () => {
    const run = (seed: number): string => {
      const rng = new Rng(seed);
      const c = new ElectionCluster({ voters: [1, 2, 3, 4, 5], rng, latencyMsMin: 1, latencyMsMax: 80 });
      for (const sid of rng.shuffle([1, 2, 3, 4, 5])) {
        c.start(sid);
        c.runFor(rng.int(0, 400));
      }
      c.stabilize(60_000);
      return c.takeEvents().map((ev) => `${ev.atMs} ${ev.text}`).join('\n');
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });
});
