/**
 * DataDirStore: carries out the engine's StorageRequests against one server's dataDir, the
 * way FileTxnSnapLog + SyncRequestProcessor do (engine/storage/storage-io.ts has the contract).
 *
 *   appendTxns   FileTxnLog.append: the first append after start, a roll or a truncation opens
 *                version-2/log.<zxid of that txn> (overwriting a file of that name, as
 *                FileOutputStream does) and writes the file header; each txn is one record.
 *                After each txn, the snapCount schedule may roll the log and take a snapshot
 *                (zks.takeSnapshot from the SyncThread) through `takeSnapshot`.
 *   flush        group commit: appends and flushes in a row end in one fsync of every log file
 *                written since the last one, then one `persisted`.
 *   writeEpoch   writeLongToFile: <file>.tmp, fsync, rename.
 *   writeSnapshot snapshot.<zxid>.tmp, fsync, rename (AtomicFileOutputStream, syncSnap).
 *   truncateLog  FileTxnLog.truncate, then fsync of the cut file (see below).
 *   rollLog      the next append opens a new file.
 *
 * Departures from ZooKeeper, each because our crash model has no OS write-back (a killed
 * worker loses every unflushed byte, however old) and tears files independently:
 *   - periodic snapshots are fsynced (ZooKeeper leaves them to the OS);
 *   - a truncated log file is fsynced before `truncated` (ZooKeeper only sets its length);
 *   - a rolled log file is fsynced at the roll (ZooKeeper at the next commit), so the
 *     recovered log is always a prefix of what was appended.
 */
import { hex, type Zxid } from '../../engine/protocol/ids.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import { assert, assertNever } from '../../engine/util/assert.ts';
import {
  encodeEpoch, encodeMyid, epochPath, epochTmpPath, logPath, myidPath, parseEpoch, snapshotPath, tmpExtension,
  type EpochFile,
} from '../../engine/storage/data-dir.ts';
import { loadDatabase, recover, type Database, type Recovered, type Recovery } from '../../engine/storage/recover.ts';
import { SnapSchedule, snapCountDefault, snapSizeBytesDefault } from '../../engine/storage/snap-schedule.ts';
import { encodeSnapshotFile, sealedTail, snapshotSealBytes, type EncodedSnapshot, type SnapshotImage } from '../../engine/storage/snapshot.ts';
import { purgePlan } from '../../engine/storage/purge.ts';
import type { StorageEvent, StorageRequest } from '../../engine/storage/storage-io.ts';
import { encodeLogHeader, encodeTxnRecordView, truncateLog } from '../../engine/storage/txn-log.ts';
import { readAll, type Disk } from './disk.ts';

/** Requests handled in one execute(); more is a host bug. */
export const requestsPerExecuteMax = 100_000;
/** Txns in one appendTxns request. */
export const appendEntriesMax = 100_000;
/** Log files written to and not flushed yet (the current one plus those rolled since). */
export const dirtyLogsMax = 1_000;

export interface DataDirStoreOptions {
  /** zookeeper.extendedTypesEnabled */
  readonly extendedTypesEnabled: boolean;
  /** zookeeper.snapCount, txns (default 100000) */
  readonly snapCount?: number;
  /** zookeeper.snapSizeLimitInKb × 1024, bytes (default 4 GiB; <= 0 off) */
  readonly snapSizeBytes?: number;
  /** zookeeper.commitLogCount (default and minimum 500) */
  readonly commitLogCount?: number;
  /** uniform in [0, 1), seeded by the host: the snapshot schedule's randomness */
  readonly random: () => number;
  /**
   * The server's tree and sessions now, encoded (ZooKeeperServer.takeSnapshot reads the live
   * tree: encodeTreeSnapshot); without it the schedule still rolls the log but takes no snapshot.
   */
  readonly takeSnapshot?: () => EncodedSnapshot;
}

export interface OpenedDataDir {
  readonly store: DataDirStore;
  readonly recovered: Recovered;
}

export class DataDirStore {
  private readonly schedule: SnapSchedule;
  /** the log file appends go to, or null: the next append opens a new one */
  private currentLog: string | null = null;
  private readonly dirtyLogs: string[] = [];
  private flushRequested = false;
  /** the zxid of the last txn appended: what a flush makes durable */
  private lastLoggedZxid: Zxid;
  /** FileTxnLog.lastZxidSeen: the highest zxid this log instance appended (0 after start) */
  private lastZxidSeen: Zxid = 0n;
  /** the log is durable up to here: flushed, rolled (fsynced) or truncated */
  private durableZxid: Zxid;
  /** what ZooKeeper would log, for traces; the host drains it */
  readonly notes: string[] = [];

  private constructor(private readonly disk: Disk, private readonly options: DataDirStoreOptions, lastLoggedZxid: Zxid) {
    const snapCount = options.snapCount ?? snapCountDefault;
    this.schedule = new SnapSchedule({ snapCount, snapSizeBytes: options.snapSizeBytes ?? snapSizeBytesDefault }, options.random);
    this.lastLoggedZxid = lastLoggedZxid;
    this.durableZxid = lastLoggedZxid;
  }

  /** What the operator does before the first start: `echo <sid> > myid`. */
  static format(disk: Disk, sid: number): void {
    assert(!disk.exists(myidPath), 'format an empty dataDir');
    disk.write(myidPath, encodeMyid(sid), 0);
    disk.flush(myidPath);
  }

  /**
   * Start: recover the server from what the disk holds (QuorumPeer.loadDataBase), then make
   * the writes ZooKeeper makes while loading. Throws DataDirError where ZooKeeper would not start.
   */
  static open(disk: Disk, options: DataDirStoreOptions): OpenedDataDir {
    const recovered = recover(readAll(disk), options);
    const store = new DataDirStore(disk, options, recovered.lastProcessedZxid);
    store.notes.push(...recovered.notes);
    store.applyRecovery(recovered.repairs);
    return { store, recovered };
  }

  /** ZKDatabase.truncateLog's reload: the database as the disk holds it now (no epoch files). */
  reload(): Database {
    const db = loadDatabase(readAll(this.disk), this.options);
    this.notes.push(...db.notes);
    this.applyRecovery(db.repairs);
    return db;
  }

  /**
   * DatadirCleanupManager's PurgeTask: PurgeTxnLog.purge keeping the `retainCount` newest valid
   * snapshots and the logs they need (engine/storage/purge.ts). Deletes are durable at once.
   */
  purge(retainCount: number): string[] {
    this.notes.push('Purge task started.');
    const plan = purgePlan(this.disk.list(), retainCount, (path) => {
      const size = this.disk.getSize(path);
      return sealedTail(size, this.disk.read(path, Math.max(0, size - snapshotSealBytes), snapshotSealBytes));
    });
    for (const path of plan.remove) {
      this.notes.push(`Removing file: ${path}`);
      this.disk.delete(path);
      const dirty = this.dirtyLogs.indexOf(path);
      if (dirty >= 0) this.dirtyLogs.splice(dirty, 1);
    }
    this.notes.push('Purge task completed.');
    return [...plan.remove];
  }

  /** Carries out `requests` in order; the completions, in order. */
  execute(requests: readonly StorageRequest[]): StorageEvent[] {
    assert(requests.length <= requestsPerExecuteMax, 'execute over requestsPerExecuteMax');
    const events: StorageEvent[] = [];
    for (const req of requests) {
      switch (req.type) {
        case 'appendTxns':
          this.append(req.entries, events);
          break;
        case 'flush':
          if (!(req.upToZxid <= this.lastLoggedZxid)) assert(false, `flush up to ${hex(req.upToZxid)} beyond the log's ${hex(this.lastLoggedZxid)}`);
          this.flushRequested = true;
          break;
        case 'writeEpoch':
          this.commit(events);
          this.writeEpoch(req.file, req.value);
          events.push({ type: 'epochWritten', file: req.file, value: req.value });
          break;
        case 'writeSnapshot':
          this.commit(events);
          events.push(this.writeSnapshotImage(req.snapshot));
          break;
        case 'truncateLog':
          this.commit(events);
          this.truncate(req.zxid);
          events.push({ type: 'truncated', zxid: req.zxid });
          break;
        case 'rollLog':
          this.rollLog();
          break;
        default:
          assertNever(req, 'storage request');
      }
    }
    this.commit(events);
    return events;
  }

  /** The last zxid appended to the log (durable or not). */
  lastLogged(): Zxid {
    return this.lastLoggedZxid;
  }

  /** The log is durable up to this zxid: at least what `persisted` reported, more after a roll. */
  lastDurable(): Zxid {
    return this.durableZxid;
  }

  private append(entries: readonly TxnEntry[], events: StorageEvent[]): void {
    assert(entries.length <= appendEntriesMax, 'appendTxns over appendEntriesMax');
    for (const entry of entries) {
      const record = encodeTxnRecordView(entry); // disk.write copies it
      const zxid = entry.hdr.zxid;
      if (zxid <= this.lastZxidSeen) this.notes.push(`Current zxid ${zxid} is <= ${this.lastZxidSeen} for ${entry.txn.type}`);
      else this.lastZxidSeen = zxid;
      if (this.currentLog === null) this.openLog(zxid);
      this.disk.write(this.currentLog!, record, 'append');
      if (!this.dirtyLogs.includes(this.currentLog!)) this.dirtyLogs.push(this.currentLog!);
      assert(this.dirtyLogs.length <= dirtyLogsMax, 'over dirtyLogsMax log files waiting for a flush');
      this.lastLoggedZxid = zxid;
      if (this.schedule.onAppend(record.length)) this.snapshotDue(events);
    }
  }

  /** SyncRequestProcessor: resetSnapshotStats, rollLog, then the snapshot thread. */
  private snapshotDue(events: StorageEvent[]): void {
    this.schedule.resetSnapshotStats();
    this.rollLog();
    if (this.options.takeSnapshot === undefined) return;
    events.push(this.writeSnapshot(this.options.takeSnapshot()));
  }

  private openLog(zxid: Zxid): void {
    const path = logPath(zxid);
    this.notes.push(`Creating new log file: ${path.slice(path.lastIndexOf('/') + 1)}`);
    if (this.disk.exists(path)) this.disk.truncate(path, 0);
    this.disk.write(path, encodeLogHeader(), 0);
    this.currentLog = path;
  }

  /**
   * FileTxnLog.rollLog. ZooKeeper only pushes its stream buffer to the OS here and fsyncs the
   * old file with the new one at the next commit; we fsync the old file now, so no crash can
   * keep records of the new file while losing earlier ones of the old (a hole in the history).
   */
  private rollLog(): void {
    const old = this.currentLog;
    if (old !== null && this.dirtyLogs.includes(old)) {
      this.disk.flush(old);
      this.dirtyLogs.splice(this.dirtyLogs.indexOf(old), 1);
      this.durableZxid = this.lastLoggedZxid;
    }
    this.currentLog = null;
    this.schedule.onRoll();
  }

  /** The group commit: one fsync of every log written since the last one, one `persisted`. */
  private commit(events: StorageEvent[]): void {
    if (!this.flushRequested) return;
    for (const path of this.dirtyLogs) if (this.disk.exists(path)) this.disk.flush(path);
    this.dirtyLogs.length = 0;
    this.flushRequested = false;
    this.durableZxid = this.lastLoggedZxid;
    events.push({ type: 'persisted', zxid: this.lastLoggedZxid });
  }

  private writeEpoch(file: EpochFile, value: number): void {
    this.writeAtomically(epochPath(file), epochTmpPath(file), encodeEpoch(value));
    assert(parseEpoch(this.disk.read(epochPath(file)), epochPath(file)) === value, `${file} reads back as written`);
  }

  private writeSnapshotImage(image: SnapshotImage): StorageEvent {
    return this.writeSnapshot({ zxid: image.zxid, bytes: encodeSnapshotFile(image) });
  }

  private writeSnapshot({ zxid, bytes }: EncodedSnapshot): StorageEvent {
    const path = snapshotPath(zxid);
    this.notes.push(`Snapshotting: ${hex(zxid)} to ${path}`);
    this.writeAtomically(path, path + tmpExtension, bytes);
    // the file as long as written and sealed (decoding it back, as this once did, doubled the
    // memory a snapshot of a big tree takes: 100,000 znodes are ~40 MB and 100,000 objects)
    const size = this.disk.getSize(path);
    assert(size === bytes.length && sealedTail(size, this.disk.read(path, size - snapshotSealBytes, snapshotSealBytes)), `${path} reads back whole`);
    return { type: 'snapshotWritten', zxid };
  }

  /** AtomicFileOutputStream: write the tmp file, fsync it, rename it over the target. */
  private writeAtomically(path: string, tmp: string, bytes: Uint8Array): void {
    if (this.disk.exists(tmp)) this.disk.truncate(tmp, 0);
    this.disk.write(tmp, bytes, 0);
    this.disk.flush(tmp);
    this.disk.rename(tmp, path);
  }

  /** FileTxnSnapLog.truncateLog: close the log, truncate, reopen (the next append opens a file). */
  private truncate(zxid: Zxid): void {
    const plan = truncateLog(readAll(this.disk), zxid);
    for (const op of plan.ops) {
      if (op.type === 'delete') {
        this.disk.delete(op.path);
        continue;
      }
      this.disk.truncate(op.path, op.size);
      this.disk.flush(op.path);
    }
    this.currentLog = null;
    const deleted = new Set(plan.ops.filter((op) => op.type === 'delete').map((op) => op.path));
    const kept = this.dirtyLogs.filter((p) => !deleted.has(p));
    this.dirtyLogs.splice(0, this.dirtyLogs.length, ...kept);
    this.lastLoggedZxid = plan.lastKeptZxid;
    this.durableZxid = plan.lastKeptZxid;
    this.lastZxidSeen = 0n; // truncateLog opens a new FileTxnLog
    this.notes.push(`Truncated the log to ${hex(zxid)}; last record kept ${hex(plan.lastKeptZxid)}`);
  }

  private applyRecovery(repairs: Recovery): void {
    for (const path of repairs.deleteFiles) this.disk.delete(path);
    if (repairs.writeSnapshot !== null) this.writeSnapshotImage(repairs.writeSnapshot);
    for (const w of repairs.writeEpochs) this.writeEpoch(w.file, w.value);
  }
}
