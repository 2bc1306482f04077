/**
 * The sans-IO storage contract (DESIGN.md decisions 1, 7, 8): the engine never touches a disk.
 * It puts StorageRequests in its Ready; the host carries them out against the server's dataDir
 * and feeds the completions back in as StorageEvents — which have the same shape as the
 * engine's `persisted` / `epochWritten` / `truncated` inputs, so they can be stepped directly.
 *
 * Durability order is the engine's job (STYLE.md 5): a request's completion means it is on
 * stable storage. What the host promises:
 *   - requests are executed in the order given;
 *   - `appendTxns` only buffers (SyncRequestProcessor's append): nothing is durable, nothing
 *     completes, and a crash may lose any suffix of it, or tear its last record;
 *   - `flush` is the fsync of the txn log (FileTxnLog.commit). Appends and flushes that follow
 *     each other are group-committed: one fsync, then one `persisted` carrying the last logged
 *     zxid (every txn up to it is durable);
 *   - `writeEpoch` is QuorumPeer.writeLongToFile: tmp file, fsync, rename; `epochWritten`
 *     after. A pending group commit is flushed first, so an epoch file is never durable ahead
 *     of txns requested durable before it (ZOOKEEPER-4643/4785: log, fsync, then currentEpoch);
 *   - `writeSnapshot` writes and fsyncs snapshot.<zxid> (FileTxnSnapLog.save with syncSnap);
 *   - `truncateLog` is FileTxnLog.truncate (TRUNC from the leader); on failure the host stops
 *     the server, as Learner does with System.exit; after it ZooKeeper reloads its database
 *     from disk (ZKDatabase.truncateLog), which the host does with `recover`;
 *   - `rollLog` starts a new log file at the next append (FileTxnLog.rollLog).
 * Periodic snapshots (snapCount) are taken by the host's store on its own, as the
 * SyncRequestProcessor thread does; they complete with `snapshotWritten` too.
 */
import { hex, type Epoch, type Zxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import { assertNever } from '../util/assert.ts';
import type { EpochFile } from './data-dir.ts';
import type { SnapshotImage } from './snapshot.ts';

export type StorageRequest =
  | { readonly type: 'appendTxns'; readonly entries: readonly TxnEntry[] }
  | { readonly type: 'flush'; readonly upToZxid: Zxid }
  | { readonly type: 'writeEpoch'; readonly file: EpochFile; readonly value: Epoch }
  | { readonly type: 'writeSnapshot'; readonly snapshot: SnapshotImage }
  | { readonly type: 'truncateLog'; readonly zxid: Zxid }
  | { readonly type: 'rollLog' };

export type StorageEvent =
  /** every logged txn up to `zxid` is durable (the engine's `persisted` input) */
  | { readonly type: 'persisted'; readonly zxid: Zxid }
  | { readonly type: 'epochWritten'; readonly file: EpochFile; readonly value: Epoch }
  | { readonly type: 'snapshotWritten'; readonly zxid: Zxid }
  /** the txn log ends at `zxid` now (the engine's `truncated` input) */
  | { readonly type: 'truncated'; readonly zxid: Zxid };

/** One line per request, for traces and the UI's disk view (STYLE.md 9). */
export function describeStorageRequest(r: StorageRequest): string {
  switch (r.type) {
    case 'appendTxns': {
      const n = r.entries.length;
      return n === 0 ? 'append 0 txns' : `append ${n} txns ${hex(r.entries[0].hdr.zxid)}..${hex(r.entries[n - 1].hdr.zxid)}`;
    }
    case 'flush': return `flush up to ${hex(r.upToZxid)}`;
    case 'writeEpoch': return `write ${r.file} ${r.value}`;
    case 'writeSnapshot': return `write snapshot ${hex(r.snapshot.zxid)} (${r.snapshot.nodes.length} znodes, ${r.snapshot.sessions.length} sessions)`;
    case 'truncateLog': return `truncate log to ${hex(r.zxid)}`;
    case 'rollLog': return 'roll log';
    default: return assertNever(r, 'storage request');
  }
}

export function describeStorageEvent(e: StorageEvent): string {
  switch (e.type) {
    case 'persisted': return `persisted up to ${hex(e.zxid)}`;
    case 'epochWritten': return `${e.file} = ${e.value} written`;
    case 'snapshotWritten': return `snapshot ${hex(e.zxid)} written`;
    case 'truncated': return `log truncated to ${hex(e.zxid)}`;
    default: return assertNever(e, 'storage event');
  }
}
