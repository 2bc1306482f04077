import { describe, expect, it } from 'vitest';
import { createTxn, entry } from '../storage/txn-fixtures.ts';
import { ZkDatabase } from './zk-database.ts';

const txns = [1, 2, 3, 4].map((i) => entry(0x100000000n + BigInt(i), createTxn(`/n${i}`)));

describe('ZkDatabase', () => {
  it('keeps only the txns logged and not applied; lastLoggedZxid counts every logged one', () => {
    const db = new ZkDatabase(false);
    for (const e of txns) db.append(e);
    expect(db.lastLoggedZxid()).toBe(0x100000004n);
    db.applyCommitted(txns[0]);
    db.applyCommitted(txns[1]);
    expect(db.log.toArray().map((e) => e.hdr.zxid)).toEqual([0x100000003n, 0x100000004n]);
    expect(db.lastLoggedZxid()).toBe(0x100000004n);
    expect(db.committedLog.map((e) => e.hdr.zxid)).toEqual([0x100000001n, 0x100000002n]);
  });

  it('fastForward applies every logged txn, in order (ZOOKEEPER-2845), and leaves none behind', () => {
    const db = new ZkDatabase(false);
    for (const e of txns) db.append(e);
    db.applyCommitted(txns[0]);
    expect(db.fastForward().map((e) => e.hdr.zxid)).toEqual([0x100000002n, 0x100000003n, 0x100000004n]);
    expect(db.log.toArray()).toEqual([]);
    expect(db.lastAppliedZxid).toBe(0x100000004n);
    expect(db.lastLoggedZxid()).toBe(0x100000004n);
    for (const e of txns) expect(db.tree.get(`/n${e.hdr.zxid - 0x100000000n}`)).toBeDefined();
  });
});
