/**
 * Outstanding changes (ZooKeeperServer.outstandingChanges / ChangeRecord): the speculative
 * state PrepRequestProcessor validates against — the committed DataTree overlaid with the
 * effects of txns that were prepared but not yet applied. Without it two pipelined creates of
 * the same path would both pass validation.
 */
import type { Data } from '../protocol/client-protocol.ts';
import type { Zxid } from '../protocol/ids.ts';
import type { ACL } from '../protocol/records.ts';
import { assert } from '../util/assert.ts';
import type { DataTree } from '../datatree/data-tree.ts';

export interface RecordStat {
  version: number;
  /** stored cversion (child creates) */
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  pzxid: Zxid;
  mzxid: Zxid;
}

export interface ChangeRecord {
  readonly zxid: Zxid;
  readonly path: string;
  /** null: the node is (speculatively) deleted */
  readonly stat: RecordStat | null;
  readonly childCount: number;
  readonly acl: readonly ACL[];
  readonly data: Data;
}

/** A bound on prepared-but-unapplied txns; the host stops feeding writes long before this. */
export const outstandingChangesMax = 1_000_000;

export class OutstandingChanges {
  private readonly queue: ChangeRecord[] = [];
  private head = 0;
  private readonly byPath = new Map<string, ChangeRecord>();
  private undo: Map<string, ChangeRecord | undefined> | null = null;
  private undoQueueLength = 0;

  /** getRecordForPath: null when the node does not exist (speculatively). */
  get(tree: DataTree, path: string): ChangeRecord | null {
    const pending = this.byPath.get(path);
    if (pending) return pending.stat === null ? null : pending;
    const node = tree.get(path);
    if (!node) return null;
    return {
      zxid: -1n, path, childCount: node.children.size, acl: node.acl, data: node.data,
      stat: {
        version: node.version, cversion: node.cversion, aversion: node.aversion,
        ephemeralOwner: node.ephemeralOwner, pzxid: node.pzxid, mzxid: node.mzxid,
      },
    };
  }

  add(record: ChangeRecord): void {
    assert(this.size() < outstandingChangesMax, 'outstanding changes over outstandingChangesMax');
    if (this.undo && !this.undo.has(record.path)) this.undo.set(record.path, this.byPath.get(record.path));
    this.queue.push(record);
    this.byPath.set(record.path, record);
  }

  /** Start recording what a multi changes, so a failed sub-op can roll the multi back. */
  beginMulti(): void {
    assert(this.undo === null, 'nested multi');
    this.undo = new Map();
    this.undoQueueLength = this.queue.length;
  }

  rollbackMulti(): void {
    assert(this.undo !== null, 'rollback without multi');
    this.queue.length = this.undoQueueLength;
    for (const [path, previous] of this.undo) {
      if (previous) this.byPath.set(path, previous);
      else this.byPath.delete(path);
    }
    this.undo = new Map();
    this.undoQueueLength = this.queue.length;
  }

  endMulti(): void {
    this.undo = null;
  }

  /** After the txn with this zxid was applied: drop every record it (or earlier txns) made. */
  removeUpTo(zxid: Zxid): void {
    while (this.head < this.queue.length && this.queue[this.head].zxid <= zxid) {
      const rec = this.queue[this.head++];
      if (this.byPath.get(rec.path) === rec) this.byPath.delete(rec.path);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Every record not yet applied, oldest first (closeSession needs them). */
  pending(): readonly ChangeRecord[] {
    return this.queue.slice(this.head);
  }

  size(): number {
    return this.queue.length - this.head;
  }

  clear(): void {
    this.queue.length = 0;
    this.head = 0;
    this.byPath.clear();
    this.undo = null;
  }
}
