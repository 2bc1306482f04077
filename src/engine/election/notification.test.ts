import { describe, expect, it } from 'vitest';
import {
  describeNotification, describeProposal, describeSid, describeVote, epochNoVote, makeVote, serverStateOf, serverStateOrdinal,
  sidNoVote, totalOrderPredicate, voteEquals, zxidNoVote, type Notification,
} from './notification.ts';

describe('ServerState ordinals (QuorumPeer.ServerState)', () => {
  it('LOOKING=0 FOLLOWING=1 LEADING=2 OBSERVING=3, unknown ordinals are null', () => {
    expect(['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'].map((s) => serverStateOrdinal(s as never))).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map(serverStateOf)).toEqual(['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING']);
    expect(serverStateOf(4)).toBeNull();
    expect(serverStateOf(-1)).toBeNull();
  });
});

describe('totalOrderPredicate', () => {
  const p = (leader: number, zxid: bigint, peerEpoch: number) => ({ leader, zxid, peerEpoch });
  it('ranks peerEpoch, then zxid, then sid', () => {
    expect(totalOrderPredicate(p(1, 0x100000001n, 2), p(3, 0x100000009n, 1), 1)).toBe(true);
    expect(totalOrderPredicate(p(1, 0x100000009n, 1), p(3, 0x100000001n, 1), 1)).toBe(true);
    expect(totalOrderPredicate(p(3, 0x1n, 1), p(2, 0x1n, 1), 1)).toBe(true);
    expect(totalOrderPredicate(p(2, 0x1n, 1), p(3, 0x1n, 1), 1)).toBe(false);
  });
  it('is strict: an equal vote is not better', () => {
    expect(totalOrderPredicate(p(2, 0x1n, 1), p(2, 0x1n, 1), 1)).toBe(false);
  });
  it('a zero-weight candidate never wins', () => {
    expect(totalOrderPredicate(p(9, 0x100n, 9), p(1, 0n, 0), 0)).toBe(false);
  });
  it('any real vote beats the Long.MIN_VALUE "no vote" of an observer', () => {
    expect(totalOrderPredicate(p(1, 0n, 0), p(sidNoVote, zxidNoVote, epochNoVote), 1)).toBe(true);
    expect(totalOrderPredicate(p(sidNoVote, zxidNoVote, epochNoVote), p(1, 0n, 0), 1)).toBe(false);
  });
});

describe('Vote.equals', () => {
  it('compares leader, zxid, round and peerEpoch when either side is LOOKING', () => {
    const a = makeVote(3, 0x5n, 1, 1);
    expect(voteEquals(a, makeVote(3, 0x5n, 1, 1))).toBe(true);
    expect(voteEquals(a, makeVote(3, 0x6n, 1, 1))).toBe(false);
    expect(voteEquals(a, makeVote(3, 0x5n, 2, 1))).toBe(false);
    expect(voteEquals(a, makeVote(3, 0x5n, 1, 2))).toBe(false);
    expect(voteEquals(a, makeVote(3, 0x5n, 1, 1, 'LEADING'))).toBe(true);
  });
  it('out of election: leader and peerEpoch only, zxid and round may differ (ZOOKEEPER-1805)', () => {
    const f = makeVote(3, 0x5n, 1, 2, 'FOLLOWING', 2);
    expect(voteEquals(f, makeVote(3, 0x9n, 7, 2, 'LEADING', 2))).toBe(true);
    expect(voteEquals(f, makeVote(3, 0x5n, 1, 1, 'LEADING', 2))).toBe(false);
    expect(voteEquals(f, makeVote(2, 0x5n, 1, 2, 'LEADING', 2))).toBe(false);
  });
  it('across format versions only the leader counts (ZOOKEEPER-1732)', () => {
    const v2 = makeVote(3, 0x5n, 1, 2, 'FOLLOWING', 2);
    expect(voteEquals(v2, makeVote(3, 0x0n, 0, 1, 'FOLLOWING', 0))).toBe(true);
    expect(voteEquals(makeVote(3, 0x0n, 0, 1, 'FOLLOWING', 0), makeVote(3, 0x0n, 0, 2, 'FOLLOWING', 0))).toBe(false);
  });
});

describe('describe*', () => {
  it('prints a notification in the field order of ZooKeeper\'s log line', () => {
    const n: Notification = { type: 'Notification', version: 2, state: 0, leader: 3, zxid: 0x100000003n, electionEpoch: 2, peerEpoch: 1, sid: 1, configVersion: 0n };
    expect(describeNotification(n)).toBe('Notification sid=1 state=LOOKING leader=3 round=2 peerEpoch=0x1 zxid=0x100000003');
    expect(describeNotification({ ...n, version: 1, configVersion: 0x100000000n, state: 2 })).toBe(
      'Notification sid=1 state=LEADING leader=3 round=2 peerEpoch=0x1 zxid=0x100000003 version=0x1 config=0x100000000');
    expect(describeNotification({ ...n, state: 7 as never })).toContain('state=?7');
  });
  it('prints Long.MIN_VALUE exactly, as Java does', () => {
    expect(describeSid(sidNoVote)).toBe('-9223372036854775808');
    expect(describeProposal({ leader: sidNoVote, zxid: zxidNoVote, peerEpoch: epochNoVote })).toBe(
      '(-9223372036854775808, 0x8000000000000000, 0x8000000000000000)');
  });
  it('prints votes with their round and state', () => {
    expect(describeVote(makeVote(3, 0x0n, -1, 0))).toBe('Vote leader=3 zxid=0x0 round=-1 peerEpoch=0x0 state=LOOKING');
    expect(describeVote(makeVote(3, 0x0n, 1, 1, 'FOLLOWING', 2))).toBe('Vote leader=3 zxid=0x0 round=1 peerEpoch=0x1 state=FOLLOWING version=0x2');
  });
});
