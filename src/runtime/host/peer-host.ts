/**
 * PeerHost: the glue between ONE QuorumPeer and its dataDir, shared by every host (the Node
 * simulator over a MemoryDisk, a browser Web Worker over an OPFS-backed Disk). Plain TS: no
 * Node API, no DOM, no timers, no promises, so it runs anywhere the engine runs.
 *
 * What it does
 *   start     DataDirStore.open recovers the server from the Disk (QuorumPeer.loadDataBase:
 *             myid, newest valid snapshot + every txn logged after it, acceptedEpoch and
 *             currentEpoch) and carries out the writes ZooKeeper makes while loading; the
 *             QuorumPeer is built from that DurableState.
 *   TRUNC     the peer calls its DataDirPort, `truncateAndReload(zxid)`, while it handles the
 *             TRUNC packet (ZKDatabase.truncateLog): the log files are truncated and the
 *             database is read back from the dataDir; the peer keeps no history in memory
 *             (only txns logged and not applied, and the 500-txn committedLog).
 *   Ready     `handleStorage(ready)` does the storage part of each PeerReady, in ZooKeeper's
 *             order: the SNAP/TRUNC sync's snapshot (at NEWLEADER), then the txn appends
 *             (buffered, SyncRequestProcessor's append). If the Ready asked for durability
 *             (txns to persist or epoch files to write) it queues a *flush*.
 *   flush     The host decides WHEN a queued flush completes: the simulator after a seeded
 *             fsync latency, a worker at once (OPFS flush() is synchronous). `completeFlush()`
 *             takes the oldest queued flush: one group-commit fsync of the log (everything
 *             appended so far becomes durable), then the epoch files of that Ready
 *             (tmp + fsync + rename), then steps `persisted` and `epochWritten` into the peer.
 *             Flushes complete in FIFO order, as ZooKeeper's single SyncRequestProcessor
 *             thread does, so an epoch file is never durable ahead of txns asked for before it.
 *   snapshots Every snapCount/2 + random(snapCount/2) txns the store rolls the log and writes
 *             a snapshot of the live tree (zoo.cfg `snapCount`, default 100000).
 *   crash     The host throws the PeerHost away (and the Disk loses what was not flushed);
 *             a restart is `new PeerHost(...)` over the same Disk.
 *
 * How a host drives it (every step of the peer is the host's):
 *
 *   PeerHost.format(disk, sid)                  // once, on an empty dataDir: echo sid > myid
 *   const host = new PeerHost({ disk, config, ensemble, election, nowMs, random });
 *   host.peer.step(input); ...
 *   while (host.peer.hasReady()) {
 *     const ready = host.peer.ready();
 *     host.handleStorage(ready);               // before sending anything of this Ready
 *     if (host.failure !== null) { crash the server; }
 *     send ready.notifications / quorum / clientOutput ...
 *   }
 *   while (host.pendingFlushes() > 0 && <the fsync is done>) host.completeFlush();
 *   // completeFlush steps the peer: drain its Ready again (the ACKs it was holding back)
 *
 * A worker over OPFS simply completes every flush right after handleStorage (its flush() is
 * synchronous) and loops until the peer has no Ready left. The messages of a Ready may be sent
 * at once: the engine itself holds back whatever must wait for durability (an ACK, ACKEPOCH,
 * the NEWLEADER ACK) until the matching completion.
 *
 * API: `PeerHost.format(disk, sid)`, `new PeerHost(options)` (throws DataDirError when the
 * dataDir cannot be loaded, as ZooKeeper refuses to start), `peer`, `recovery` (what the start
 * found), `handleStorage(ready): boolean` (true: a flush is queued), `pendingFlushes()`,
 * `completeFlush(): PeerInput[]` (the completions it stepped), `failure` (non-null: the host
 * must crash the server), `logState()`, `notes` (ZooKeeper-style storage log lines) and
 * `events` (StorageEvents, for a disk view).
 *
 * Departures (each for our crash model, see data-dir-store.ts): on SNAP every log file is
 * deleted once the snapshot is durable (the peer's in-memory log restarts at the snapshot,
 * so a restart must not replay a diverged tail); on TRUNC snapshots newer than the
 * truncation point are deleted, so a restart cannot resurrect truncated txns from them.
 */
import { hex, type Zxid } from '../../engine/protocol/ids.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import type { ElectionPort } from '../../engine/quorum/election-port.ts';
import type { DurableDatabase, EpochFile, PeerInput, PeerReady } from '../../engine/quorum/peer-io.ts';
import { QuorumPeer, type DurableState, type EnsembleConfig } from '../../engine/quorum/quorum-peer.ts';
import { snapshotTree, type TreeSnapshot } from '../../engine/quorum/tree-snapshot.ts';
import type { ServerConfig } from '../../engine/server/server-config.ts';
import {
  baseName, DataDirError, logPrefix, snapshotPath, snapshotPrefix, versionDir, zxidFromName,
} from '../../engine/storage/data-dir.ts';
import type { Database, Recovered } from '../../engine/storage/recover.ts';
import { decodeSnapshotFile, encodeTreeSnapshot, restoreSnapshot, snapshotOf, type EncodedSnapshot, type SnapshotImage } from '../../engine/storage/snapshot.ts';
import type { StorageEvent, StorageRequest } from '../../engine/storage/storage-io.ts';
import { assert } from '../../engine/util/assert.ts';
import { methodRef } from '../../engine/util/checkpoint.ts';
import { LogIterator, logRecordsReadMax, type LogRecord } from '../../engine/storage/txn-log.ts';
import { DataDirStore } from '../storage/data-dir-store.ts';
import { readAll, type Disk } from '../storage/disk.ts';

/** Flushes queued and not completed; more means the host stopped completing them. */
export const pendingFlushesMax = 100_000;

export interface PeerHostOptions {
  /** the server's dataDir (MemoryDisk in Node, an OPFS directory in the browser) */
  readonly disk: Disk;
  /** the server's config; `config.sid` must equal the dataDir's myid */
  readonly config: ServerConfig;
  readonly ensemble: EnsembleConfig;
  readonly election: ElectionPort;
  /** virtual (or wall-clock) ms at start */
  readonly nowMs: number;
  /** zoo.cfg `snapCount` (zookeeper.snapCount), txns between snapshots; default 100000 */
  readonly snapCount?: number;
  /** zoo.cfg `snapSizeLimitInKb` × 1024, bytes; default 4 GiB, <= 0 off */
  readonly snapSizeBytes?: number;
  /** uniform in [0, 1), seeded: the snapshot schedule's randomness (DESIGN.md 3) */
  readonly random: () => number;
}

/** What the start recovered, for traces and the UI's disk view. */
export interface RecoverySummary {
  readonly snapshotZxid: Zxid;
  readonly lastProcessedZxid: Zxid;
  readonly txnsReplayed: number;
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
}

interface Flush {
  /** the last txn the Ready asked to persist, or null (epoch writes only) */
  readonly upTo: Zxid | null;
  readonly epochs: readonly { readonly file: EpochFile; readonly value: number }[];
}

export class PeerHost {
  readonly peer: QuorumPeer;
  readonly recovery: RecoverySummary;
  /** set when storage failed (a TRUNC that cannot be done): the host must crash the server */
  failure: string | null = null;
  /** what ZooKeeper would log about its dataDir (file created, snapshot taken, ...); drain freely */
  readonly notes: string[] = [];
  /** every storage completion, in order (persisted, epochWritten, snapshotWritten, truncated) */
  readonly events: StorageEvent[] = [];
  private readonly store: DataDirStore;
  private readonly flushes: Flush[] = [];
  private started = false;

  /** `echo <sid> > myid` on an empty dataDir; a dataDir that has a myid is left alone. */
  static format(disk: Disk, sid: number): void {
    if (disk.exists('myid')) return;
    DataDirStore.format(disk, sid);
  }

  /** Recovers the server from `options.disk`; throws DataDirError where ZooKeeper would not start. */
  constructor(private readonly options: PeerHostOptions) {
    const sid = options.config.sid;
    const opened = DataDirStore.open(options.disk, {
      extendedTypesEnabled: options.config.extendedTypesEnabled,
      snapCount: options.snapCount,
      snapSizeBytes: options.snapSizeBytes,
      random: options.random,
      takeSnapshot: methodRef(this, 'liveSnapshot'),
    });
    this.store = opened.store;
    const r = opened.recovered;
    if (r.myid !== sid) throw new DataDirError(`myid ${r.myid ?? 'missing'} is not server ${sid}`);
    const durable = durableStateOf(r, options.disk, options.config.extendedTypesEnabled);
    this.recovery = {
      snapshotZxid: r.snapshotZxid, lastProcessedZxid: r.lastProcessedZxid, txnsReplayed: durable.log.length,
      acceptedEpoch: r.acceptedEpoch, currentEpoch: r.currentEpoch,
    };
    this.peer = new QuorumPeer(options.config, options.ensemble, options.election, durable, options.nowMs, {
      truncateAndReload: methodRef(this, 'truncateAndReload'),
    });
    this.started = true;
    this.drainNotes();
  }

  /**
   * The storage part of one Ready, done now (appends are only buffered). Returns true when
   * the Ready queued a flush for the host to complete later.
   */
  handleStorage(ready: PeerReady): boolean {
    // a failed TRUNC (truncateAndReload) crashes the server: the host checks `failure` next
    if (this.failure !== null) return false;
    if (ready.snapshot) this.snapSync();
    if (ready.persist.length > 0) this.execute([{ type: 'appendTxns', entries: ready.persist }]);
    this.drainNotes();
    if (ready.persist.length === 0 && ready.epochWrites.length === 0) return false;
    assert(this.flushes.length < pendingFlushesMax, 'over pendingFlushesMax');
    const upTo = ready.persist.length > 0 ? ready.persist[ready.persist.length - 1].hdr.zxid : null;
    this.flushes.push({ upTo, epochs: ready.epochWrites.map((w) => ({ file: w.file, value: w.value })) });
    return true;
  }

  /** Flushes queued by handleStorage and not completed yet. */
  pendingFlushes(): number {
    return this.flushes.length;
  }

  /**
   * Completes the oldest queued flush: fsync the log, write its epoch files, then step the
   * completions into the peer. Returns the inputs it stepped (for the host's trace).
   */
  completeFlush(): PeerInput[] {
    const f = this.flushes.shift();
    assert(f !== undefined, 'completeFlush without a pending flush');
    const requests: StorageRequest[] = [{ type: 'flush', upToZxid: this.store.lastLogged() }];
    for (const w of f.epochs) requests.push({ type: 'writeEpoch', file: w.file, value: w.value });
    this.execute(requests);
    assert(this.store.lastDurable() === this.store.lastLogged(), 'a completed flush leaves nothing unflushed');
    // `persisted` names the txns this Ready asked for (all of them are durable now, and so is
    // whatever was appended after them: the group commit)
    const inputs: PeerInput[] = [];
    if (f.upTo !== null) inputs.push({ type: 'persisted', zxid: f.upTo });
    for (const w of f.epochs) inputs.push({ type: 'epochWritten', file: w.file, value: w.value });
    for (const input of inputs) this.peer.step(input);
    this.drainNotes();
    return inputs;
  }

  /** DatadirCleanupManager's PurgeTask (autopurge): the files it removed (notes say so too). */
  purge(snapRetainCount: number): string[] {
    const removed = this.store.purge(snapRetainCount);
    this.drainNotes();
    return removed;
  }

  /** The last zxid appended to the log, and the last one durable. */
  logState(): { lastLogged: Zxid; lastDurable: Zxid } {
    return { lastLogged: this.store.lastLogged(), lastDurable: this.store.lastDurable() };
  }

  private execute(requests: readonly StorageRequest[]): void {
    if (requests.length === 0) return;
    this.events.push(...this.store.execute(requests));
    if (this.events.length > 10_000) this.events.splice(0, this.events.length - 1_000);
  }

  /**
   * The peer's DataDirPort (TRUNC, ZKDatabase.truncateLog): truncate the dataDir, then reload
   * the database from it. Null, with `failure` set, when the log could not be truncated.
   * (public for the peer, a methodRef so a checkpoint carries it)
   */
  truncateAndReload(zxid: Zxid): DurableDatabase | null {
    this.truncate(zxid);
    if (this.failure !== null) return null;
    const db = this.store.reload();
    this.drainNotes();
    return durableDatabaseOf(db, this.options.disk, this.options.config.extendedTypesEnabled);
  }

  /** TRUNC: snapshots past the point go first (see the header), then FileTxnLog.truncate. */
  private truncate(zxid: Zxid): void {
    for (const path of this.options.disk.list()) {
      if (!path.startsWith(`${versionDir}/${snapshotPrefix}.`)) continue;
      const z = zxidFromName(baseName(path), snapshotPrefix);
      if (z > zxid) {
        this.options.disk.delete(path);
        this.notes.push(`Deleted ${path}: it is past the truncation point ${hex(zxid)}`);
      }
    }
    try {
      this.truncateDisk(zxid);
    } catch (err) {
      if (!(err instanceof DataDirError)) throw err;
      // Learner.syncWithLeader: "Not able to truncate the log", then System.exit
      this.failure = `Not able to truncate the log ${hex(zxid)}: ${err.message}`;
    }
  }

  /**
   * FileTxnLog.truncate keeps the first record at or after `zxid`, right when the log holds
   * `zxid` itself, as a learner's does when the leader sends TRUNC. When the log has no record
   * at `zxid` (a learner that SNAPped to exactly that zxid and logged past it), that would keep a
   * truncated txn, so we cut before the first record past `zxid` instead.
   */
  private truncateDisk(zxid: Zxid): void {
    const it = new LogIterator(readAll(this.options.disk), 0n);
    let prev: LogRecord | null = null;
    let first: LogRecord | null = null;
    for (let rec = it.seek(0n), i = 0; rec !== null; rec = it.next(), i++) {
      assert(i < logRecordsReadMax, 'truncate scan over logRecordsReadMax');
      if (rec.entry.hdr.zxid > zxid) {
        first = rec;
        break;
      }
      prev = rec;
    }
    if (first === null) return; // nothing logged past the point
    if (prev !== null && prev.entry.hdr.zxid === zxid) {
      this.execute([{ type: 'truncateLog', zxid }]);
      return;
    }
    this.execute([{ type: 'rollLog' }]);
    const disk = this.options.disk;
    disk.truncate(first.path, first.start);
    disk.flush(first.path);
    for (const path of disk.list()) {
      const later = zxidFromName(baseName(path), logPrefix) > zxidFromName(baseName(first.path), logPrefix);
      if (path.startsWith(`${versionDir}/${logPrefix}.`) && later) disk.delete(path);
    }
    this.notes.push(`Truncated the log before ${hex(first.entry.hdr.zxid)} (no record at ${hex(zxid)})`);
  }

  /** SNAP: Learner.syncWithLeader takes a synced snapshot; the old log files go (see the header). */
  private snapSync(): void {
    const image = snapshotOf(this.peer.db.tree, this.peer.snapshotSessions());
    this.execute([{ type: 'rollLog' }, { type: 'writeSnapshot', snapshot: image }]);
    for (const path of this.options.disk.list()) {
      if (path.startsWith(`${versionDir}/${logPrefix}.`)) this.options.disk.delete(path);
    }
  }

  /** ZooKeeperServer.takeSnapshot: the live tree and its sessions (zkDb.getSessionWithTimeOuts()), encoded as they are walked. */
  /** (public for the store's snapshot schedule, a methodRef so a checkpoint carries it) */
  liveSnapshot(): EncodedSnapshot {
    assert(this.started, 'no snapshot before the peer exists');
    return encodeTreeSnapshot(this.peer.db.tree, this.peer.snapshotSessions());
  }

  private drainNotes(): void {
    this.notes.push(...this.store.notes.splice(0));
    if (this.notes.length > 10_000) this.notes.splice(0, this.notes.length - 1_000);
  }
}

/**
 * The QuorumPeer's start state from what recover() found: the snapshot it loaded (read again
 * from its file, in the engine's TreeSnapshot form) and the txns logged after it.
 */
function durableStateOf(r: Recovered, disk: Disk, extendedTypesEnabled: boolean): DurableState {
  return { acceptedEpoch: r.acceptedEpoch, currentEpoch: r.currentEpoch, ...durableDatabaseOf(r, disk, extendedTypesEnabled) };
}

/** The snapshot (in the engine's TreeSnapshot form, read again from its file) and the txns logged after it. */
function durableDatabaseOf(r: Database, disk: Disk, extendedTypesEnabled: boolean): DurableDatabase {
  let snapshot: { data: TreeSnapshot; zxid: Zxid } | null = null;
  if (r.snapshotZxid > 0n) {
    const path = snapshotPath(r.snapshotZxid);
    const image = decodeSnapshotFile(disk.read(path), r.snapshotZxid);
    assert(!('invalid' in image), `${path} decodes (recover just read it)`);
    const restored = restoreSnapshot(image as SnapshotImage, extendedTypesEnabled);
    const sessions = [...restored.sessions].map(([id, timeout]) => ({ id, timeout }));
    snapshot = { data: snapshotTree(restored.tree, sessions), zxid: r.snapshotZxid };
  }
  // replay order is log order; a txn at or below one already replayed (a log written again
  // after a truncation) is dropped, as the tree already holds its zxid
  const log: TxnEntry[] = [];
  for (const e of r.logTail) {
    const last = log.length === 0 ? r.snapshotZxid : log[log.length - 1].hdr.zxid;
    if (e.hdr.zxid > last) log.push(e);
  }
  return { snapshot, log };
}
