/**
 * Rebuilding a server from its dataDir, as ZooKeeper 3.8 does at startup and after TRUNC:
 *
 *   ZKDatabase.loadDataBase -> FileTxnSnapLog.restore
 *     1. FileSnap.deserialize: the newest of (at most 100) snapshots that end with the seal,
 *        trying older ones while they fail to read; none readable -> "Not able to find valid
 *        snapshots in <dir>"; none at all -> an empty database, unless a log file exists
 *        ("No snapshot found, but there are log entries. Something is broken!"). A new empty
 *        database is saved at once as snapshot.0 (autoCreateDB).
 *     2. fastForwardFromEdits: every txn logged after the snapshot's zxid is applied —
 *        committed or not, ZooKeeper cannot tell — with createSession/closeSession kept in the
 *        session table, NONODE/NODEEXISTS from the fuzzy snapshot ignored, and each txn added
 *        to committedLog (the DIFF window). A torn tail ends the file it is in.
 *   QuorumPeer.loadDataBase
 *     3. currentEpoch: missing -> the epoch of lastProcessedZxid (and written); if that epoch
 *        is newer, use currentEpoch.tmp if present (and write it), else fail. acceptedEpoch:
 *        missing -> the same default (and written); acceptedEpoch < currentEpoch fails.
 *
 * Pure: `files` is the dataDir's durable content by relative path; the writes ZooKeeper does
 * while loading come back as `repairs` for the host to carry out before starting the server.
 */
import { DataTree } from '../datatree/data-tree.ts';
import { zxidEpoch, type Epoch, type SessionId, type Sid, type Zxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import { assert } from '../util/assert.ts';
import {
  baseName, DataDirError, epochPath, epochTmpPath, getLogFiles, myidPath, parseEpoch, parseMyid, snapshotPrefix,
  sortDataDir, toHexString, versionDir, zxidFromName, type EpochFile,
} from './data-dir.ts';
import { decodeSnapshotFile, hasSeal, restoreSnapshot, snapshotOf, type SnapshotImage } from './snapshot.ts';
import { emptyTailLog, LogIterator, logRecordsReadMax, type LogStop } from './txn-log.ts';

/** zookeeper.commitLogCount: default and minimum 500 (ZKDatabase). */
export const commitLogCountDefault = 500;
/** FileSnap.deserialize looks at this many snapshots, newest first. */
export const snapshotsTriedMax = 100;

export interface RecoverOptions {
  /** zookeeper.extendedTypesEnabled (TTL nodes) */
  readonly extendedTypesEnabled: boolean;
  /** zookeeper.commitLogCount; below 500 it is 500, as in ZooKeeper */
  readonly commitLogCount?: number;
}

export interface Recovery {
  /** the writes ZooKeeper makes while loading, in its order */
  readonly deleteFiles: readonly string[];
  readonly writeSnapshot: SnapshotImage | null;
  readonly writeEpochs: readonly { readonly file: EpochFile; readonly value: Epoch }[];
}

/** What ZKDatabase holds after loadDataBase. */
export interface Database {
  readonly tree: DataTree;
  /** sessionsWithTimeouts: session id -> timeout (ms) */
  readonly sessions: Map<SessionId, number>;
  readonly lastProcessedZxid: Zxid;
  /** the last commitLogCount(+1, as ZooKeeper keeps it) txns replayed from the log */
  readonly committedLog: TxnEntry[];
  /** every txn replayed from the log after the snapshot, in replay order */
  readonly logTail: TxnEntry[];
  /** the zxid of the snapshot the tree was loaded from (0 for a new database) */
  readonly snapshotZxid: Zxid;
  readonly repairs: Recovery;
  /** what ZooKeeper would log while loading, one line each */
  readonly notes: string[];
}

/** What QuorumPeer holds after its loadDataBase: the database and the two epochs. */
export interface Recovered extends Database {
  readonly myid: Sid | null;
  readonly acceptedEpoch: Epoch;
  readonly currentEpoch: Epoch;
}

interface Loaded {
  readonly tree: DataTree;
  readonly sessions: Map<SessionId, number>;
  readonly committedLog: TxnEntry[];
  readonly logTail: TxnEntry[];
  readonly snapshotZxid: Zxid;
  readonly writeSnapshot: SnapshotImage | null;
  readonly deleteFiles: string[];
}

export function recover(files: ReadonlyMap<string, Uint8Array>, options: RecoverOptions): Recovered {
  const myidBytes = files.get(myidPath);
  const myid = myidBytes === undefined ? null : parseMyid(myidBytes);
  const db = loadDatabase(files, options);
  const notes = [...db.notes];
  const epochs = loadEpochs(files, db.lastProcessedZxid, notes);
  assert(epochs.acceptedEpoch >= epochs.currentEpoch, 'recovered acceptedEpoch >= currentEpoch');
  return {
    ...db,
    myid,
    acceptedEpoch: epochs.acceptedEpoch,
    currentEpoch: epochs.currentEpoch,
    repairs: { ...db.repairs, writeEpochs: epochs.writes },
    notes,
  };
}

/**
 * ZKDatabase.loadDataBase alone (no epoch files): what a server reloads after TRUNC
 * (ZKDatabase.truncateLog), and the first half of a start.
 */
export function loadDatabase(files: ReadonlyMap<string, Uint8Array>, options: RecoverOptions): Database {
  const notes: string[] = [];
  const loaded = restore(files, options, notes);
  const lastProcessedZxid = loaded.tree.lastProcessedZxid;
  assert(lastProcessedZxid >= loaded.snapshotZxid, 'the database is at or after its snapshot');
  assert(loaded.logTail.length === 0 || loaded.logTail[0].hdr.zxid > loaded.snapshotZxid, 'replay starts after the snapshot');
  return {
    tree: loaded.tree,
    sessions: loaded.sessions,
    lastProcessedZxid,
    committedLog: loaded.committedLog,
    logTail: loaded.logTail,
    snapshotZxid: loaded.snapshotZxid,
    repairs: { deleteFiles: loaded.deleteFiles, writeSnapshot: loaded.writeSnapshot, writeEpochs: [] },
    notes,
  };
}

/** FileTxnSnapLog.restore, with ZOOKEEPER-2332's fix (3.9.3): a log file cut off inside its header is deleted. */
function restore(files: ReadonlyMap<string, Uint8Array>, options: RecoverOptions, notes: string[]): Loaded {
  const deleteFiles: string[] = [];
  const emptyTail = emptyTailLog(files);
  const live = new Map(files);
  if (emptyTail !== null) {
    notes.push(`Delete empty tail log file to recover from corruption file: ${baseName(emptyTail)}`);
    deleteFiles.push(emptyTail);
    live.delete(emptyTail);
  }
  const image = findSnapshot(live, notes);
  if (image === null) {
    if (getLogFiles(live.keys(), 0n).length > 0) {
      throw new DataDirError('No snapshot found, but there are log entries. Something is broken!');
    }
    const tree = new DataTree(options.extendedTypesEnabled);
    const empty = snapshotOf(tree, []);
    notes.push(`Snapshotting: 0x0 to ${versionDir}/snapshot.0`);
    return { tree, sessions: new Map(), committedLog: [], logTail: [], snapshotZxid: 0n, writeSnapshot: empty, deleteFiles };
  }
  const { tree, sessions } = restoreSnapshot(image, options.extendedTypesEnabled);
  const commitLogCount = Math.max(commitLogCountDefault, options.commitLogCount ?? commitLogCountDefault);
  const replayed = fastForwardFromEdits(live, tree, sessions, commitLogCount, notes);
  return { tree, sessions, ...replayed, snapshotZxid: image.zxid, writeSnapshot: null, deleteFiles };
}

/** FileSnap.deserialize: newest first, the first one that reads back whole. */
function findSnapshot(files: ReadonlyMap<string, Uint8Array>, notes: string[]): SnapshotImage | null {
  const candidates: string[] = [];
  for (const path of sortDataDir(files.keys(), snapshotPrefix, false)) {
    if (candidates.length === snapshotsTriedMax) break;
    if (zxidFromName(baseName(path), snapshotPrefix) === -1n) continue;
    if (hasSeal(files.get(path)!)) candidates.push(path);
    else notes.push(`Invalid snapshot ${baseName(path)}`);
  }
  if (candidates.length === 0) return null;
  for (const path of candidates) {
    notes.push(`Reading snapshot ${path}`);
    const read = decodeSnapshotFile(files.get(path)!, zxidFromName(baseName(path), snapshotPrefix));
    if (!('invalid' in read)) return read;
    notes.push(`problem reading snap file ${path}: ${read.invalid}`);
  }
  throw new DataDirError(`Not able to find valid snapshots in ${versionDir}`);
}

/** FileTxnSnapLog.fastForwardFromEdits + processTransaction + the commitProposalPlaybackListener. */
function fastForwardFromEdits(
  files: ReadonlyMap<string, Uint8Array>, tree: DataTree, sessions: Map<SessionId, number>,
  commitLogCount: number, notes: string[],
): Pick<Loaded, 'committedLog' | 'logTail'> {
  const committedLog: TxnEntry[] = [];
  const logTail: TxnEntry[] = [];
  const from = tree.lastProcessedZxid + 1n;
  const it = new LogIterator(files, from);
  let highestZxid = tree.lastProcessedZxid;
  let rec = it.seek(from);
  for (let i = 0; rec !== null; i++) {
    assert(i < logRecordsReadMax, 'replay over logRecordsReadMax');
    const { hdr, txn } = rec.entry;
    if (hdr.zxid < highestZxid && highestZxid !== 0n) {
      notes.push(`${highestZxid}(highestZxid) > ${hdr.zxid}(next log) for type ${txn.type}`);
    } else {
      highestZxid = hdr.zxid;
    }
    if (txn.type === 'createSession') sessions.set(hdr.clientId, txn.timeOut);
    if (txn.type === 'closeSession') sessions.delete(hdr.clientId);
    applyReplayed(tree, rec.entry);
    addCommittedProposal(committedLog, rec.entry, commitLogCount);
    logTail.push(rec.entry);
    rec = it.next();
  }
  for (const t of it.torn) notes.push(describeTorn(t.path, t.stop));
  notes.push(`${logTail.length} txns loaded`);
  return { committedLog, logTail };
}

/**
 * DataTree.processTxn never moves lastProcessedZxid backwards but applies a txn logged out
 * of order anyway; our DataTree asserts order, so step around it for this one replay case.
 */
function applyReplayed(tree: DataTree, entry: TxnEntry): void {
  const before = tree.lastProcessedZxid;
  if (entry.hdr.zxid < before) tree.lastProcessedZxid = entry.hdr.zxid;
  tree.applyTxn(entry.hdr, entry.txn); // errors are ignored on replay (fuzzy snapshot)
  if (tree.lastProcessedZxid < before) tree.lastProcessedZxid = before;
  assert(tree.lastProcessedZxid >= before, 'replay never moves lastProcessedZxid back');
}

function describeTorn(path: string, stop: LogStop): string {
  assert(stop.kind !== 'end' && stop.kind !== 'corrupt', 'only torn stops are described');
  const why = stop.kind === 'eor' ? 'Last transaction was partial.' : stop.kind === 'padding' ? 'Zero padding.' : 'EOF inside a record.';
  return `${why} Dropped ${stop.droppedBytes} bytes at offset ${stop.offset} of ${path}`;
}

/**
 * ZKDatabase.addCommittedProposal: the oldest entry is dropped *before* adding when the queue
 * already holds more than commitLogCount, so it settles at commitLogCount + 1 entries.
 */
export function addCommittedProposal(committedLog: TxnEntry[], entry: TxnEntry, commitLogCount: number): void {
  assert(commitLogCount >= 1, 'commitLogCount is positive');
  if (committedLog.length > commitLogCount) committedLog.shift();
  committedLog.push(entry);
  assert(committedLog.length <= commitLogCount + 1, 'committedLog within commitLogCount + 1');
}

interface Epochs {
  readonly acceptedEpoch: Epoch;
  readonly currentEpoch: Epoch;
  readonly writes: { readonly file: EpochFile; readonly value: Epoch }[];
}

/** QuorumPeer.loadDataBase, after zkDb.loadDataBase. */
function loadEpochs(files: ReadonlyMap<string, Uint8Array>, lastProcessedZxid: Zxid, notes: string[]): Epochs {
  const writes: { file: EpochFile; value: Epoch }[] = [];
  const epochOfZxid = zxidEpoch(lastProcessedZxid);
  const readOrDefault = (file: EpochFile): Epoch => {
    const bytes = files.get(epochPath(file));
    if (bytes !== undefined) return parseEpoch(bytes, epochPath(file));
    notes.push(`${file} not found! Creating with a reasonable default of ${epochOfZxid}. ` +
      'This should only happen when you are upgrading your installation');
    writes.push({ file, value: epochOfZxid });
    return epochOfZxid;
  };
  let currentEpoch = readOrDefault('currentEpoch');
  if (epochOfZxid > currentEpoch) {
    const tmp = files.get(epochTmpPath('currentEpoch'));
    if (tmp === undefined) {
      throw new DataDirError(`The current epoch, ${toHexString(BigInt(currentEpoch))}, is older than the last zxid, ${lastProcessedZxid}`);
    }
    currentEpoch = parseEpoch(tmp, epochTmpPath('currentEpoch'));
    notes.push(`${epochTmpPath('currentEpoch')} found. Setting current epoch to ${currentEpoch}.`);
    writes.push({ file: 'currentEpoch', value: currentEpoch });
  }
  const acceptedEpoch = readOrDefault('acceptedEpoch');
  if (acceptedEpoch < currentEpoch) {
    throw new DataDirError(`The accepted epoch, ${toHexString(BigInt(acceptedEpoch))} is less than the current epoch, ` +
      toHexString(BigInt(currentEpoch)));
  }
  return { acceptedEpoch, currentEpoch, writes };
}
