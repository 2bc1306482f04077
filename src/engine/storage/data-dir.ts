/**
 * The layout of one server's dataDir, as ZooKeeper 3.8 lays it out (dataDir = dataLogDir):
 *
 *   myid                          the server id, decimal text (written by the operator)
 *   version-2/acceptedEpoch       decimal text, QuorumPeer.writeLongToFile (tmp + fsync + rename)
 *   version-2/currentEpoch        idem; a crash between fsync and rename leaves currentEpoch.tmp
 *   version-2/log.<hex zxid>      txn log; named after the first zxid it holds (Util.makeLogName)
 *   version-2/snapshot.<hex zxid> fuzzy snapshot: tree + sessions, named after the tree's
 *                                 lastProcessedZxid when the snapshot started (makeSnapshotName)
 *
 * Paths are relative to the dataDir and use '/'. Names and their parsing follow
 * persistence/Util.java: `getZxidFromName` splits on '.', so `snapshot.1a.tmp` still names
 * zxid 0x1a, and a name that does not parse is -1 (ignored by the file pickers).
 */
import { zxidEpoch, type Epoch, type Sid, type Zxid } from '../protocol/ids.ts';
import { assert } from '../util/assert.ts';
import { utf8Decode, utf8Encode } from '../util/bytes.ts';

export const versionDir = 'version-2';
export const myidPath = 'myid';
export const logPrefix = 'log';
export const snapshotPrefix = 'snapshot';
/** AtomicFileOutputStream.TMP_EXTENSION */
export const tmpExtension = '.tmp';

export type EpochFile = 'acceptedEpoch' | 'currentEpoch';

/** A bound on the files one dataDir may hold; beyond it is a bug (nothing purges old logs). */
export const dataDirFilesMax = 100_000;
/** An epoch file is one decimal long; anything longer is not ours. */
export const epochFileBytesMax = 64;

/**
 * What ZooKeeper would throw as an IOException while loading or changing its dataDir. The
 * message is ZooKeeper's. The runtime turns it into a crashed server (STYLE.md 13).
 */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** Long.toHexString: lowercase, no prefix, two's complement for negatives. */
export function toHexString(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16);
}

export function epochPath(file: EpochFile): string {
  return `${versionDir}/${file}`;
}

export function epochTmpPath(file: EpochFile): string {
  return `${versionDir}/${file}${tmpExtension}`;
}

/** Util.makeLogName */
export function logPath(zxid: Zxid): string {
  assert(zxid >= 0n, `log file named after a negative zxid ${zxid}`);
  return `${versionDir}/${logPrefix}.${toHexString(zxid)}`;
}

/** Util.makeSnapshotName (CHECKED stream mode: no extension) */
export function snapshotPath(zxid: Zxid): string {
  assert(zxid >= 0n, `snapshot named after a negative zxid ${zxid}`);
  return `${versionDir}/${snapshotPrefix}.${toHexString(zxid)}`;
}

/** The file name without its directory. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Util.getZxidFromName: `prefix.<hex>[.anything]` -> the zxid, else -1. Java's
 * Long.parseLong(s, 16) takes an optional sign and at most a signed 64-bit value.
 */
export function zxidFromName(name: string, prefix: string): Zxid {
  const parts = name.split('.');
  if (parts.length < 2 || parts[0] !== prefix) return -1n;
  const m = /^([+-]?)([0-9a-fA-F]{1,16})$/.exec(parts[1]);
  if (m === null) return -1n;
  const magnitude = BigInt(`0x${m[2]}`);
  const v = m[1] === '-' ? -magnitude : magnitude;
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) return -1n;
  return v;
}

/** The files of `prefix` directly under version-2, sorted by the zxid in their name (Util.sortDataDir). */
export function sortDataDir(paths: Iterable<string>, prefix: string, ascending: boolean): string[] {
  const named: { path: string; zxid: Zxid }[] = [];
  for (const path of paths) {
    assert(named.length < dataDirFilesMax, 'dataDir over dataDirFilesMax');
    if (!path.startsWith(`${versionDir}/`) || path.indexOf('/', versionDir.length + 1) >= 0) continue;
    if (!baseName(path).startsWith(`${prefix}.`)) continue;
    named.push({ path, zxid: zxidFromName(baseName(path), prefix) });
  }
  // Collections.sort is stable; break zxid ties on the name so the order never depends on listing order
  named.sort((a, b) => cmp(a.zxid, b.zxid) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!ascending) named.reverse();
  return named.map((n) => n.path);
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * FileTxnLog.getLogFiles: the log files that may hold txns after `snapshotZxid` — the newest
 * log that starts at or before it, and every log that starts after it — in ascending order.
 */
export function getLogFiles(paths: Iterable<string>, snapshotZxid: Zxid): string[] {
  const files = sortDataDir(paths, logPrefix, true);
  let logZxid = 0n;
  for (const f of files) {
    const fzxid = zxidFromName(baseName(f), logPrefix);
    if (fzxid > snapshotZxid) break;
    if (fzxid > logZxid) logZxid = fzxid;
  }
  return files.filter((f) => zxidFromName(baseName(f), logPrefix) >= logZxid);
}

/** What writeLongToFile writes: `Long.toString(value)`, no newline. */
export function encodeEpoch(value: Epoch): Uint8Array {
  assert(Number.isSafeInteger(value), `epoch is an integer, got ${value}`);
  assert(value >= 0, `a persisted epoch is never negative, got ${value}`);
  const bytes = utf8Encode(String(value));
  assert(parseEpoch(bytes, 'check') === value, 'epoch text reads back as the same value');
  return bytes;
}

/**
 * QuorumPeer.readLongFromFile: the first line, through Long.parseLong; a failure is
 * IOException("Found <line> in <file>") (an empty file reads as the line `null`).
 */
export function parseEpoch(bytes: Uint8Array, path: string): Epoch {
  const line = firstLine(bytes);
  const value = line === null ? null : parseJavaLong(line);
  if (value === null) throw new DataDirError(`Found ${line ?? 'null'} in ${path}`);
  if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DataDirError(`Found ${line} in ${path}: epoch beyond what this server can hold`);
  }
  return Number(value);
}

/** myid as QuorumPeerConfig reads it: the first line, Long.parseLong. */
export function parseMyid(bytes: Uint8Array): Sid {
  const line = firstLine(bytes);
  const value = line === null ? null : parseJavaLong(line);
  if (value === null) throw new DataDirError(`serverid ${line ?? 'null'} is not a number`);
  // session ids hold the sid in their top byte (SessionTrackerImpl.initializeNextSessionId)
  if (value < 0n || value > 255n) throw new DataDirError(`serverid ${line} is outside 0..255`);
  return Number(value);
}

export function encodeMyid(sid: Sid): Uint8Array {
  assert(Number.isInteger(sid) && sid >= 0 && sid <= 255, `myid is 0..255, got ${sid}`);
  return utf8Encode(`${sid}\n`);
}

/** BufferedReader.readLine: up to \n, \r or \r\n; null at end of input. */
function firstLine(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  // a Java long is at most 20 characters: a longer first line is invalid however it ends
  const text = utf8Decode(bytes.subarray(0, Math.min(bytes.length, epochFileBytesMax)));
  const end = text.search(/[\r\n]/);
  return end < 0 ? text : text.slice(0, end);
}

/** Long.parseLong(s, 10): optional sign, ASCII digits, within a signed 64-bit range; else null. */
export function parseJavaLong(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) return null;
  return v;
}

/** The epoch a zxid belongs to, as a Java long (ZxidUtils.getEpochFromZxid). */
export function epochOfZxid(zxid: Zxid): Epoch {
  return zxidEpoch(zxid);
}
