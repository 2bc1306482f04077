import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../runtime/playground/api.ts';
import { sameBy } from '../store/store.ts';
import { sameCard } from './nodes.tsx';

function status(over: Partial<ServerStatus> = {}): ServerStatus {
  return {
    sid: 1, role: 'following', phase: 'broadcast', observer: false, acceptedEpoch: 1n, currentEpoch: 1n, lastZxid: 0x100000001n, committedZxid: 0x100000001n,
    vote: { leader: 3, zxid: 0n, peerEpoch: 1n, round: 1 }, leader: 3, treeDigest: 'aa', treeDigestZxid: 0x100000001n, znodeCount: 4, sessionCount: 0, watchCount: 0, clientAddress: '127.0.0.1:2181', ...over,
  };
}

describe('views re-render on the fields they show', () => {
  it('a server card changes with what it shows, not with the rest of a new snapshot', () => {
    const a = status();
    // a new snapshot object: digest, commit point, watches moved; the card shows none of them
    expect(sameCard(a, status({ treeDigest: 'bb', committedZxid: 0x100000002n, watchCount: 3, vote: { leader: 3, zxid: 5n, peerEpoch: 1n, round: 1 } }))).toBe(true);
    for (const over of [{ lastZxid: 0x100000002n }, { role: 'leading' as const }, { phase: 'sync' }, { currentEpoch: 2n }, { acceptedEpoch: 2n }, { znodeCount: 5 }, { sessionCount: 1 }, { vote: null }, { vote: { leader: 2, zxid: 0n, peerEpoch: 1n, round: 1 } }, { vote: { leader: 3, zxid: 0n, peerEpoch: 1n, round: 2 } }]) {
      expect(sameCard(a, status(over)), JSON.stringify(over, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toBe(false);
    }
  });

  it('compares lists by a key of each item', () => {
    const same = sameBy((s: ServerStatus) => `${s.sid} ${s.role}`);
    expect(same([status(), status({ sid: 2 })], [status({ lastZxid: 9n }), status({ sid: 2, znodeCount: 9 })])).toBe(true);
    expect(same([status()], [status({ role: 'looking' })])).toBe(false);
    expect(same([status()], [status(), status({ sid: 2 })])).toBe(false);
  });
});
