/**
 * ZKDatabase for a quorum peer: the DataTree, the txns logged and not applied yet, and the
 * committedLog window the leader uses to sync learners with DIFF (zookeeper.commitLogCount,
 * 500 by default).
 *
 * lastLoggedZxid counts every logged txn, committed or not: it is what the server votes with
 * and reports in ACKEPOCH (reference §1.2, ZOOKEEPER-2845 fast-forward).
 *
 * Memory stays bounded as ZooKeeper's does: an applied txn leaves `log` (the txn log files
 * hold it; a TRUNC reloads the database from them, QuorumPeer.truncateTo), and nothing keeps
 * the snapshot the database was loaded from.
 */
import { DataTree, type ApplyResult } from '../datatree/data-tree.ts';
import type { SessionId, Zxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import { assert } from '../util/assert.ts';
import { Fifo } from '../util/fifo.ts';

export const commitLogCount = 500;
/** A bound on the txns logged and not applied (proposals in flight, a learner's sync). */
export const logEntriesMax = 5_000_000;

export class ZkDatabase {
  tree: DataTree;
  /** the txns this server logged and has not applied yet, in zxid order */
  readonly log = new Fifo<TxnEntry>();
  /** the last `commitLogCount` committed txns */
  committedLog: TxnEntry[] = [];
  /** zxid of the last txn applied to the tree */
  lastAppliedZxid: Zxid = 0n;
  /**
   * The zxid of the snapshot this database started from (a restart, or the snapshot a SNAP or
   * TRUNC sync took), or null: the dataDir has no txn log before it, so a TRUNC cannot go below.
   */
  baseZxid: Zxid | null = null;
  /**
   * ZKDatabase.sessionsWithTimeouts: the global sessions of the tree as it stands (snapshot
   * sessions, then every applied createSession/closeSession), session id -> timeout. It is
   * rebuilt with the tree (restart, TRUNC, SNAP) and every session tracker is built from it.
   */
  readonly sessions = new Map<SessionId, number>();

  constructor(readonly extendedTypesEnabled: boolean, entries: readonly TxnEntry[] = []) {
    this.tree = new DataTree(extendedTypesEnabled);
    for (const e of entries) {
      this.log.push(e);
      this.applyCommitted(e);
    }
  }

  /** After a SNAP: the tree is the leader's; the log restarts after its zxid. */
  static fromSnapshot(extendedTypesEnabled: boolean, tree: DataTree, lastZxid: Zxid, sessions: readonly { readonly id: SessionId; readonly timeout: number }[] = []): ZkDatabase {
    const db = new ZkDatabase(extendedTypesEnabled);
    for (const s of sessions) db.sessions.set(s.id, s.timeout);
    db.baseZxid = lastZxid;
    db.tree = tree;
    db.lastAppliedZxid = lastZxid;
    tree.lastProcessedZxid = lastZxid;
    return db;
  }

  lastLoggedZxid(): Zxid {
    const tail = this.log.last()?.hdr.zxid ?? 0n;
    return tail > this.lastAppliedZxid ? tail : this.lastAppliedZxid;
  }

  append(entry: TxnEntry): void {
    const last = this.lastLoggedZxid();
    if (!(entry.hdr.zxid > last || this.log.length === 0)) assert(false, `log append ${entry.hdr.zxid} after ${last}`);
    assert(this.log.length < logEntriesMax, 'log over logEntriesMax');
    this.log.push(entry);
  }

  /** Applies a committed txn to the tree and records it in committedLog. */
  applyCommitted(entry: TxnEntry): ApplyResult {
    if (!(entry.hdr.zxid > this.lastAppliedZxid)) assert(false, `apply ${entry.hdr.zxid} after ${this.lastAppliedZxid}`);
    const res = this.tree.applyTxn(entry.hdr, entry.txn);
    // ZooKeeperServer.processTxnForSessionEvents / FileTxnSnapLog.processTransaction
    if (entry.txn.type === 'createSession') this.sessions.set(entry.hdr.clientId, entry.txn.timeOut);
    else if (entry.txn.type === 'closeSession') this.sessions.delete(entry.hdr.clientId);
    this.lastAppliedZxid = entry.hdr.zxid;
    // applied: the log files keep it (a txn never logged, applied during a SNAP sync, is in the
    // snapshot taken at NEWLEADER)
    for (let head = this.log.first(); head !== undefined && head.hdr.zxid <= entry.hdr.zxid; head = this.log.first()) this.log.shift();
    this.committedLog.push(entry);
    if (this.committedLog.length > commitLogCount) this.committedLog.shift();
    return res;
  }

  /**
   * ZKDatabase.fastForwardDataBase (ZOOKEEPER-2845): when a server leaves its role, every txn
   * it logged is applied, committed or not, so its next vote and ACKEPOCH cover the whole log.
   */
  fastForward(): TxnEntry[] {
    const applied: TxnEntry[] = [];
    // applyCommitted takes each txn off the log: iterate a copy
    for (const e of this.log.toArray()) {
      if (e.hdr.zxid <= this.lastAppliedZxid) continue;
      this.applyCommitted(e);
      applied.push(e);
    }
    return applied;
  }

  minCommittedLog(): Zxid {
    return this.committedLog.length === 0 ? this.lastAppliedZxid : this.committedLog[0].hdr.zxid;
  }

  maxCommittedLog(): Zxid {
    return this.committedLog.length === 0 ? this.lastAppliedZxid : this.committedLog[this.committedLog.length - 1].hdr.zxid;
  }
}
