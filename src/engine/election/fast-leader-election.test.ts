import { describe, expect, it } from 'vitest';
import * as fle from './fast-leader-election.ts';
import type { Election, ElectionDisk } from './fast-leader-election.ts';
import { describeNotification, epochNoVote, serverStateOrdinal, sidNoVote, zxidNoVote, type Notification, type ServerState } from './notification.ts';
import { quorumMaj, type QuorumVerifier } from './quorum-verifier.ts';

const qv3 = quorumMaj([1, 2, 3]);
const disk0: ElectionDisk = { lastLoggedZxid: 0n, currentEpoch: 0 };

function boot(myid: number, qv: QuorumVerifier = qv3, disk: ElectionDisk = disk0): Election {
  return fle.createElection(fle.electionConfig(myid, qv), disk, 0);
}

function started(myid: number, qv: QuorumVerifier = qv3, disk: ElectionDisk = disk0, nowMs = 0): Election {
  const e = boot(myid, qv, disk);
  fle.startElection(e, disk, nowMs);
  take(e);
  return e;
}

interface NoteFields {
  sid: number;
  leader: number;
  round: number;
  state?: ServerState;
  zxid?: bigint;
  peerEpoch?: number;
}

function note(f: NoteFields): Notification {
  return {
    type: 'Notification', version: 2, state: serverStateOrdinal(f.state ?? 'LOOKING'), leader: f.leader,
    zxid: f.zxid ?? 0n, electionEpoch: f.round, peerEpoch: f.peerEpoch ?? 0, sid: f.sid,
  };
}

function deliver(e: Election, f: NoteFields, nowMs: number): fle.ElectionReady {
  fle.onNotification(e, note(f), f.sid, nowMs);
  return take(e);
}

function take(e: Election): fle.ElectionReady {
  fle.checkInvariants(e);
  return fle.ready(e);
}

function sends(r: fle.ElectionReady): string[] {
  return r.send.map((s) => `${s.to}: ${describeNotification(s.msg)}`);
}

describe('startElection (lookForLeader)', () => {
  it('increments logicalclock and sends its own vote to every voter, itself included', () => {
    const e = boot(1, qv3, { lastLoggedZxid: 0x100000003n, currentEpoch: 1 });
    fle.startElection(e, { lastLoggedZxid: 0x100000003n, currentEpoch: 1 }, 0);
    const r = take(e);
    expect(e.logicalclock).toBe(1);
    expect(sends(r)).toEqual([1, 2, 3].map((to) => `${to}: Notification sid=1 state=LOOKING leader=1 round=1 peerEpoch=0x1 zxid=0x100000003`));
    expect(r.log).toEqual(['1 [round 1] new election: my id = 1, proposing (1, 0x100000003, 0x1)']);
    expect(fle.nextDeadlineMs(e)).toBe(200);
    expect(fle.hasReady(e)).toBe(false);
  });

  it('an observer proposes Long.MIN_VALUE and sends to the voters only', () => {
    const o = boot(4, quorumMaj([1, 2, 3], [4]));
    expect(o.config.learnerType).toBe('OBSERVER');
    fle.startElection(o, disk0, 0);
    expect(o.proposal).toEqual({ leader: sidNoVote, zxid: zxidNoVote, peerEpoch: epochNoVote });
    expect(take(o).send.map((s) => s.to)).toEqual([1, 2, 3]);
  });

  it('refuses to start twice or to become LOOKING in the middle of a round', () => {
    const e = started(1);
    expect(() => fle.startElection(e, disk0, 1)).toThrow(/while polling/);
    expect(() => fle.becomeLooking(e, 1)).toThrow(/while polling/);
  });
});

describe('a round', () => {
  it('counts its own vote through its own notification, finalizes on a quorum and decides 200 ms after the last vote', () => {
    const e = started(2);
    expect(deliver(e, { sid: 2, leader: 2, round: 1 }, 0).log).toEqual([
      '2 [round 1] recorded vote of 2 for (2, 0x0, 0x0); votes for (2, 0x0, 0x0) from 2: no quorum (2 needed)',
    ]);
    const q = deliver(e, { sid: 1, leader: 2, round: 1 }, 10);
    expect(q.log[0]).toContain('from 1,2: a quorum, waiting 200 ms');
    expect(e.phase).toBe('finalizing');
    expect(fle.nextDeadlineMs(e)).toBe(210);
    // a vote that is not better is discarded, and the 200 ms start over
    const d = deliver(e, { sid: 1, leader: 1, round: 1 }, 100);
    expect(d.log).toEqual(['2 [round 1] discarded notification from 1 while finalizing: (1, 0x0, 0x0) is not better than (2, 0x0, 0x0)']);
    expect(fle.nextDeadlineMs(e)).toBe(300);
    fle.tick(e, 299, { haveDelivered: true });
    expect(take(e).decided).toBeNull();
    fle.tick(e, 300, { haveDelivered: true });
    const r = take(e);
    expect(r.decided).toEqual({ state: 'LEADING', vote: { version: 0, id: 2, zxid: 0n, electionEpoch: 1, peerEpoch: 0, state: 'LOOKING' }, electionTimeMs: 300 });
    expect(r.log).toEqual(['2 [round 1] decided LEADING, leader 2 (2, 0x0, 0x0): no better vote within 200 ms; election took 300 ms']);
    expect(e.state).toBe('LEADING');
    expect(fle.nextDeadlineMs(e)).toBeNull();
  });

  it('a better vote inside the 200 ms sends it back to the loop with that vote', () => {
    const e = started(2);
    deliver(e, { sid: 2, leader: 2, round: 1 }, 0);
    deliver(e, { sid: 1, leader: 2, round: 1 }, 10);
    const r = deliver(e, { sid: 3, leader: 3, round: 1 }, 100);
    expect(r.log).toEqual([
      '2 [round 1] stopped finalizing: (3, 0x0, 0x0) from 3 is better than (2, 0x0, 0x0)',
      '2 [round 1] adopted (3, 0x0, 0x0) from 3: better than (2, 0x0, 0x0)',
      '2 [round 1] recorded vote of 3 for (3, 0x0, 0x0); votes for (3, 0x0, 0x0) from 3: no quorum (2 needed)',
    ]);
    expect(r.send.map((s) => [s.to, s.msg.leader])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(e.phase).toBe('polling');
    expect(fle.nextDeadlineMs(e)).toBe(300);
  });

  it('ignores a LOOKING notification of an older round and answers it at once with its proposal', () => {
    const e = started(1);
    deliver(e, { sid: 2, leader: 2, round: 3 }, 5);
    const r = deliver(e, { sid: 3, leader: 3, round: 2 }, 6);
    expect(sends(r)).toEqual(['3: Notification sid=1 state=LOOKING leader=2 round=3 peerEpoch=0x0 zxid=0x0']);
    expect(r.log).toEqual([
      '1 [round 3] replied to 3 with (2, 0x0, 0x0): its round 2 < 3',
      '1 [round 3] ignored notification from 3: round 2 < 3',
    ]);
    expect(e.counters.ignored).toBe(1);
  });

  it('a newer round clears recvset and restarts from the better of that vote and its own initial vote', () => {
    const disk = { lastLoggedZxid: 0x100000007n, currentEpoch: 1 };
    const e = started(1, quorumMaj([1, 2, 3, 4, 5]), disk);
    deliver(e, { sid: 1, leader: 1, round: 1, zxid: 0x100000007n, peerEpoch: 1 }, 1);
    deliver(e, { sid: 3, leader: 3, round: 1, zxid: 0x100000009n, peerEpoch: 1 }, 2);
    expect(e.proposal.leader).toBe(3);
    const r = deliver(e, { sid: 2, leader: 2, round: 2, zxid: 0x100000008n, peerEpoch: 1 }, 3);
    expect(e.logicalclock).toBe(2);
    expect(e.proposal).toEqual({ leader: 2, zxid: 0x100000008n, peerEpoch: 1 }); // not 3's, the old proposal
    expect([...e.recvset.keys()]).toEqual([2]);
    expect(r.send.map((s) => s.msg.electionEpoch)).toEqual([2, 2, 2, 2, 2]);
    const worse = deliver(e, { sid: 4, leader: 4, round: 3, zxid: 0x100000001n, peerEpoch: 1 }, 4);
    expect(e.proposal).toEqual({ leader: 1, zxid: 0x100000007n, peerEpoch: 1 });
    expect(worse.log[0]).toBe('1 [round 3] caught up from round 2 with 4: proposing (1, 0x100000007, 0x1)');
  });

  it('guards: a -1 zxid on either side and a leader that is not a voter are ignored', () => {
    const e = started(1, quorumMaj([1, 2, 3], [4]));
    expect(deliver(e, { sid: 2, leader: 2, round: 1, zxid: -1n }, 1).log).toEqual(['1 [round 1] ignored notification from 2: its zxid is -1']);
    expect(deliver(e, { sid: 2, leader: 4, round: 1 }, 1).log).toEqual(['1 [round 1] ignored notification from 2: leader 4 is not a voter']);
    expect(deliver(e, { sid: 2, leader: 2, round: 1, state: 'OBSERVING' }, 1).log).toEqual(['1 [round 1] ignored notification from 2: it is OBSERVING']);
    const m = started(1, qv3, { lastLoggedZxid: -1n, currentEpoch: 0 });
    expect(deliver(m, { sid: 2, leader: 2, round: 1 }, 1).log).toEqual(['1 [round 1] ignored notification from 2: my zxid is -1']);
  });

  it('rejects a notification whose sid is not the link it came on, and ignores unknown states', () => {
    const e = started(1);
    expect(() => fle.onNotification(e, note({ sid: 2, leader: 2, round: 1 }), 3, 1)).toThrow(/came from 3/);
    fle.onNotification(e, { ...note({ sid: 2, leader: 2, round: 1 }), state: 9 as never }, 2, 1);
    expect(take(e).log).toEqual(['1 [round 1] ignored notification from 2: unknown state ordinal 9']);
  });
});

describe('notification timeout', () => {
  it('re-sends when some peer queue drained, else asks for connectAll; doubles 200 -> 60000 and stays there', () => {
    const e = started(1);
    fle.tick(e, 200, { haveDelivered: false });
    let r = take(e);
    expect(r.connectAll).toBe(true);
    expect(r.send).toEqual([]);
    expect(r.log).toEqual(['1 [round 1] notification time out: no peer queue drained, connecting to all; next wait 400 ms']);
    fle.tick(e, 600, { haveDelivered: true });
    r = take(e);
    expect(r.connectAll).toBe(false);
    expect(r.send.map((s) => s.to)).toEqual([1, 2, 3]);
    const waits = [200, 400, e.notificationTimeout.afterMs];
    for (let i = 0; i < 9; i++) {
      fle.tick(e, fle.nextDeadlineMs(e)!, { haveDelivered: false });
      take(e);
      waits.push(e.notificationTimeout.afterMs);
    }
    expect(waits).toEqual([200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000, 60000]);
  });

  it('every notification restarts the wait (a new poll) but does not shorten it', () => {
    const e = started(1, quorumMaj([1, 2, 3, 4, 5]));
    deliver(e, { sid: 2, leader: 2, round: 1 }, 150);
    expect(fle.nextDeadlineMs(e)).toBe(350);
    fle.tick(e, 350, { haveDelivered: true });
    take(e);
    deliver(e, { sid: 3, leader: 3, round: 1 }, 500);
    expect(fle.nextDeadlineMs(e)).toBe(900);
  });
});

describe('out of the election', () => {
  function decidedFollower(): Election {
    const e = started(1);
    deliver(e, { sid: 1, leader: 1, round: 1 }, 0);
    deliver(e, { sid: 3, leader: 3, round: 1 }, 1);
    deliver(e, { sid: 1, leader: 3, round: 1 }, 1);
    fle.tick(e, 201, { haveDelivered: true });
    expect(take(e).decided?.state).toBe('FOLLOWING');
    return e;
  }

  it('answers a LOOKING peer with its current vote, its state and the round that elected it', () => {
    const e = decidedFollower();
    const r = deliver(e, { sid: 2, leader: 2, round: 5 }, 300);
    expect(sends(r)).toEqual(['2: Notification sid=1 state=FOLLOWING leader=3 round=1 peerEpoch=0x0 zxid=0x0']);
    expect(r.log).toEqual(['1 [round 1] replied to LOOKING 2 with FOLLOWING (3, 0x0, 0x0) round 1']);
    fle.updateElectionVote(e, 4);
    take(e);
    expect(deliver(e, { sid: 2, leader: 2, round: 5 }, 301).send[0].msg.peerEpoch).toBe(4);
  });

  it('drops FOLLOWING/LEADING notifications without answering', () => {
    const e = decidedFollower();
    const r = deliver(e, { sid: 3, leader: 3, round: 1, state: 'LEADING' }, 300);
    expect(r.send).toEqual([]);
    expect(r.log).toEqual(['1 [round 1] ignored notification from 3: LEADING and I am FOLLOWING']);
  });

  it('answers a non-voter (observer) at once in any state, with its current vote and logicalclock', () => {
    const qv = quorumMaj([1, 2, 3], [4]);
    const e = started(1, qv, { lastLoggedZxid: 0x5n, currentEpoch: 0 });
    const r = deliver(e, { sid: 4, leader: sidNoVote, round: 1, zxid: zxidNoVote, peerEpoch: epochNoVote }, 1);
    expect(sends(r)).toEqual(['4: Notification sid=1 state=LOOKING leader=1 round=1 peerEpoch=0x0 zxid=0x5']);
    expect(e.recvset.size).toBe(0);
  });

  it('becomeLooking, then a new round: logicalclock goes on from the last one', () => {
    const e = decidedFollower();
    fle.becomeLooking(e, 400);
    expect(take(e).log).toEqual(['1 [round 1] LOOKING: left FOLLOWING']);
    fle.startElection(e, disk0, 400);
    expect(e.logicalclock).toBe(2);
    expect(() => fle.updateElectionVote(e, 1)).toThrow(/LOOKING/);
  });
});

describe('FOLLOWING/LEADING notifications while LOOKING', () => {
  it('in my round: a quorum with the leader, and the leader said LEADING (checkLeader)', () => {
    const e = started(3);
    const f = deliver(e, { sid: 1, leader: 2, round: 1, state: 'FOLLOWING' }, 1);
    expect(f.decided).toBeNull();
    expect(f.log).toEqual(['3 [round 1] recorded FOLLOWING vote of 1 for leader 2 round 1; with that leader: 1: no quorum (2 needed)']);
    const l = deliver(e, { sid: 2, leader: 2, round: 1, state: 'LEADING' }, 2);
    expect(l.decided?.state).toBe('FOLLOWING');
    expect(l.decided?.vote).toMatchObject({ id: 2, electionEpoch: 1 });
    expect(l.log).toEqual(['3 [round 1] decided FOLLOWING, leader 2 (2, 0x0, 0x0): 1,2 are with leader 2 in my round, and 2 says LEADING; election took 2 ms']);
  });

  it('from another round: outofelection decides and logicalclock takes that round (ZOOKEEPER-1732)', () => {
    const e = started(3);
    deliver(e, { sid: 1, leader: 2, round: 7, state: 'FOLLOWING', peerEpoch: 2 }, 1);
    const l = deliver(e, { sid: 2, leader: 2, round: 7, state: 'LEADING', peerEpoch: 2 }, 2);
    expect(l.decided?.state).toBe('FOLLOWING');
    expect(e.logicalclock).toBe(7);
    expect(l.log[0]).toContain('joined the established ensemble: 1,2 are with leader 2 (round 7), and 2 says LEADING');
  });

  it('a quorum without the leader saying LEADING is not enough', () => {
    const e = started(3, quorumMaj([1, 2, 3, 4, 5]));
    for (const sid of [1, 4, 5]) deliver(e, { sid, leader: 2, round: 9, state: 'FOLLOWING' }, 1);
    expect(e.phase).toBe('polling');
    expect(e.outofelection.size).toBe(3);
  });

  it('out of election, votes must agree on (leader, peerEpoch)', () => {
    const e = started(3);
    deliver(e, { sid: 1, leader: 2, round: 7, state: 'FOLLOWING', peerEpoch: 1 }, 1);
    const l = deliver(e, { sid: 2, leader: 2, round: 7, state: 'LEADING', peerEpoch: 2 }, 2);
    expect(l.decided).toBeNull();
    expect(l.log).toEqual(['3 [round 1] recorded LEADING vote of 2 for leader 2 round 7; with that leader: 2: no quorum (2 needed)']);
  });

  it('when they name me: LEADING only if it is my round', () => {
    const other = started(2);
    deliver(other, { sid: 1, leader: 2, round: 4, state: 'FOLLOWING' }, 1);
    expect(deliver(other, { sid: 3, leader: 2, round: 4, state: 'FOLLOWING' }, 1).decided).toBeNull();
    const mine = started(2);
    deliver(mine, { sid: 1, leader: 2, round: 1, state: 'FOLLOWING' }, 1);
    const r = deliver(mine, { sid: 3, leader: 2, round: 1, state: 'FOLLOWING' }, 1);
    expect(r.decided?.state).toBe('LEADING');
    expect(r.log[0]).toContain('and that leader is me');
  });
});

describe('before lookForLeader runs', () => {
  it('queues notifications and handles them when the round starts', () => {
    const e = boot(3);
    fle.onNotification(e, note({ sid: 1, leader: 2, round: 1, state: 'FOLLOWING' }), 1, 0);
    fle.onNotification(e, note({ sid: 2, leader: 2, round: 1, state: 'LEADING' }), 2, 0);
    expect(e.recvqueue.length).toBe(2);
    expect(take(e).log).toEqual([]);
    fle.startElection(e, disk0, 5);
    const r = take(e);
    expect(r.decided?.state).toBe('FOLLOWING');
    expect(r.send.length).toBe(3); // its own round still went out first
  });

  it('holds at most recvQueueLengthMax, dropping the oldest', () => {
    const e = boot(3);
    for (let i = 0; i <= fle.recvQueueLengthMax; i++) fle.onNotification(e, note({ sid: 1, leader: 1, round: i }), 1, 0);
    expect(e.recvqueue.length).toBe(fle.recvQueueLengthMax);
    expect(e.recvqueue[0].electionEpoch).toBe(1);
    expect(take(e).log).toEqual(['3 [round 0] ignored notification from 1: receive queue full (100)']);
  });
});

describe('as data', () => {
  it('an Election survives structured clone and the clone behaves the same', () => {
    const a = started(2);
    deliver(a, { sid: 2, leader: 2, round: 1 }, 0);
    deliver(a, { sid: 1, leader: 2, round: 1 }, 10);
    const b = structuredClone(a);
    for (const e of [a, b]) fle.tick(e, 210, { haveDelivered: true });
    expect(take(b)).toEqual(take(a));
    expect(fle.describeElection(b)).toBe(fle.describeElection(a));
  });

  it('describeElection is one line per phase', () => {
    const e = boot(2);
    expect(fle.describeElection(e)).toBe('2 LOOKING waiting round=0 vote=(2, 0x0, 0x0)@-1 queued=0');
    fle.startElection(e, disk0, 0);
    take(e);
    deliver(e, { sid: 3, leader: 3, round: 1 }, 1);
    expect(fle.describeElection(e)).toBe('2 LOOKING polling round=1 proposal=(3, 0x0, 0x0) recvset={3:(3, 0x0, 0x0)} outofelection={} notTimeout=200ms@201');
    deliver(e, { sid: 1, leader: 3, round: 2, state: 'FOLLOWING' }, 2);
    expect(fle.describeElection(e)).toContain('outofelection={1:FOLLOWING(3, 0x0, 0x0)@2}');
  });

  it('the transition table names every phase, and every move it lists starts from a phase', () => {
    const phases = new Set(fle.electionTransitions.flatMap((t) => [t.from, t.to]));
    expect([...phases].sort()).toEqual(['decided', 'finalizing', 'polling', 'waiting']);
    for (const t of fle.electionTransitions) expect(t.java.length).toBeGreaterThan(0);
  });

  it('outbox bounds are enforced', () => {
    const e = started(1, quorumMaj([1, 2, 3, 4, 5]));
    expect(() => {
      for (let t = 1; t < 10_000; t++) fle.onNotification(e, note({ sid: 2, leader: 1, round: 0 }), 2, t);
    }).toThrow(/host must drain/);
  });
});
