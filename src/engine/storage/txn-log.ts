/**
 * Txn log files (persistence/FileTxnLog.java), byte for byte in layout if not in payload:
 *
 *   file    := FileHeader record*
 *   header  := magic "ZKLG" (u32) | version 2 (u32) | dbId 0 (i64)          16 bytes
 *   record  := crc32(payload) (u32) | length (u32) | payload | 0x42 ('B', EOR)
 *   payload := value-codec(TxnEntry)
 *
 * ZooKeeper writes an Adler32 in a long; we write a CRC-32 in a u32. Reading follows
 * FileTxnIterator.next + Util.readTxnBytes exactly:
 *   - input ends inside a record             -> end of this file ("partial"), go to the next file
 *   - the EOR byte is not 'B'                -> "Last transaction was partial.", next file
 *   - length 0 (preallocated zero padding)   -> end of this file
 *   - a whole record whose checksum fails    -> IOException "CRC check failed": load fails
 * So a torn tail (a crash that kept only a prefix of the unflushed bytes) is dropped, while
 * a complete record with bad contents stops the server, as ZooKeeper's does.
 *
 * FileTxnIterator is lazy: a bad record is only an error when the iterator reaches it. We
 * parse a file up to its first bad record and defer the error to the moment it is read.
 */
import type { Zxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import { assert } from '../util/assert.ts';
import { crc32 } from '../util/sha1.ts';
import { baseName, DataDirError, getLogFiles, logPrefix, sortDataDir, toHexString, zxidFromName } from './data-dir.ts';
import { ByteReader, ByteWriter, CodecError, decodeValue, writeValue } from './value-codec.ts';

/** ByteBuffer.wrap("ZKLG".getBytes()).getInt() */
export const txnLogMagic = 0x5a4b4c47;
export const txnLogVersion = 2;
export const fileHeaderBytes = 16;
export const recordOverheadBytes = 9;
const eor = 0x42;
/** jute.maxbuffer is about 1 MiB per txn; a length beyond this is corruption. */
export const txnRecordBytesMax = 16 << 20;
/** Records in one log file, and records one iterator walks over; beyond it is a bug. */
export const logFileRecordsMax = 50_000_000;
export const logRecordsReadMax = 50_000_000;

export const noLogFilesToTruncate =
  'No log files found to truncate! This could happen if you still have snapshots from an old setup or ' +
  'log files were deleted accidentally or dataLogDir was changed in zoo.cfg.';

const txnTypes = new Set([
  'create', 'delete', 'setData', 'check', 'error', 'setACL', 'multi', 'createSession', 'closeSession', 'reconfig',
]);

/** The shape every txn entry has on both sides of the disk (STYLE.md 12). */
export function assertTxnEntry(value: unknown): asserts value is TxnEntry {
  assert(typeof value === 'object' && value !== null, 'txn entry is an object');
  const { hdr, txn } = value as { hdr?: Record<string, unknown>; txn?: Record<string, unknown> };
  assert(typeof hdr === 'object' && hdr !== null, 'txn entry has a header');
  assert(typeof hdr.zxid === 'bigint' && hdr.zxid >= 0n, 'txn header zxid is a non-negative bigint');
  assert(typeof hdr.clientId === 'bigint', 'txn header clientId is a bigint');
  assert(typeof hdr.cxid === 'number' && typeof hdr.time === 'number', 'txn header cxid and time are numbers');
  assert(typeof txn === 'object' && txn !== null, 'txn entry has a txn');
  if (!(typeof txn.type === 'string' && txnTypes.has(txn.type))) assert(false, `txn type is known, got ${String(txn.type)}`);
}

export function encodeLogHeader(): Uint8Array {
  const w = new ByteWriter();
  w.u32(txnLogMagic);
  w.u32(txnLogVersion);
  w.i64(0n);
  const out = w.finish();
  assert(out.length === fileHeaderBytes, 'log header is 16 bytes');
  return out;
}

/** One log record: what FileTxnLog.append writes for one txn. */
export function encodeTxnRecord(entry: TxnEntry): Uint8Array {
  return encodeTxnRecordView(entry).slice();
}

/**
 * encodeTxnRecord without the copy: a view of a buffer the next call overwrites, for a caller
 * that copies it at once (a Disk's `write` does).
 */
export function encodeTxnRecordView(entry: TxnEntry): Uint8Array {
  assertTxnEntry(entry);
  // one writer, reused: the payload goes in place after room for crc and length, which are
  // filled in once it is written
  const w = recordWriter.capacity() > recordWriterKeepBytes ? (recordWriter = new ByteWriter(recordWriterBytes)) : recordWriter;
  w.reset();
  w.u32(0);
  w.u32(0);
  writeValue(w, entry, 0);
  const length = w.length - 8;
  if (!(length > 0 && length <= txnRecordBytesMax)) assert(false, `txn record of ${length} bytes`);
  w.u32At(0, w.crc32From(8));
  w.u32At(4, length);
  w.u8(eor);
  const out = w.written();
  assert(out.length === length + recordOverheadBytes, 'record = crc + length + payload + EOR');
  return out;
}

/** The writer encodeTxnRecord reuses; one that grew past recordWriterKeepBytes is replaced. */
const recordWriterBytes = 1024;
const recordWriterKeepBytes = 64 << 10;
let recordWriter = new ByteWriter(recordWriterBytes);

export interface LogRecord {
  readonly entry: TxnEntry;
  readonly path: string;
  /** offset of the record's first byte, and just after its EOR byte */
  readonly start: number;
  readonly end: number;
}

/** Why reading a file stopped: a clean or torn end is an end; `corrupt` fails the load when reached. */
export type LogStop =
  | { readonly kind: 'end' }
  | { readonly kind: 'partial' | 'eor' | 'padding'; readonly offset: number; readonly droppedBytes: number }
  | { readonly kind: 'corrupt'; readonly offset: number; readonly message: string };

export interface LogFile {
  readonly path: string;
  /** the 16-byte header is incomplete: a crash right after the file was created */
  readonly headerIncomplete: boolean;
  readonly records: readonly LogRecord[];
  readonly stop: LogStop;
}

/** Parses one log file up to its first bad record. A bad magic number is an error at once. */
export function readLogFile(path: string, bytes: Uint8Array): LogFile {
  if (bytes.length < fileHeaderBytes) return { path, headerIncomplete: true, records: [], stop: { kind: 'end' } };
  const r = new ByteReader(bytes);
  const magic = r.i32();
  r.u32();
  r.i64();
  if (magic !== (txnLogMagic | 0)) {
    throw new DataDirError(`Transaction log: ${path} has invalid magic number ${magic} != ${txnLogMagic | 0}`);
  }
  const records: LogRecord[] = [];
  for (let i = 0; i < logFileRecordsMax; i++) {
    const start = r.offset;
    if (r.remaining() === 0) return { path, headerIncomplete: false, records, stop: { kind: 'end' } };
    const next = readRecord(r, path);
    if ('kind' in next) return { path, headerIncomplete: false, records, stop: next };
    records.push({ entry: next, path, start, end: r.offset });
  }
  assert(false, `log file ${path} over logFileRecordsMax records`);
}

/** Util.readTxnBytes + the CRC check of FileTxnIterator.next. */
function readRecord(r: ByteReader, path: string): TxnEntry | LogStop {
  const start = r.offset;
  const torn = (kind: 'partial' | 'eor' | 'padding'): LogStop =>
    ({ kind, offset: start, droppedBytes: r.buf.length - start });
  if (r.remaining() < 8) return torn('partial');
  const crc = r.u32();
  const length = r.u32();
  if (length === 0) return torn('padding');
  if (length > txnRecordBytesMax) return { kind: 'corrupt', offset: start, message: `Unreasonable length = ${length}` };
  if (r.remaining() < length + 1) return torn('partial');
  const payload = r.bytes(length);
  if (r.u8() !== eor) return torn('eor');
  if (crc32(payload) !== crc) return { kind: 'corrupt', offset: start, message: 'CRC check failed' };
  try {
    const entry = decodeValue(payload);
    assertTxnEntry(entry);
    return entry;
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    return { kind: 'corrupt', offset: start, message: `Failed to deserialize txn in ${path}: ${e.message}` };
  }
}

/**
 * FileTxnIterator over the log files from `zxid` on: it starts in the newest log that begins
 * before `zxid` and skips records below `zxid` (fastForward) — only at the start; after that
 * it returns every record, in file order.
 */
export class LogIterator {
  /** files still to read, ascending */
  private readonly pending: string[];
  private current: LogFile | null = null;
  private index = 0;
  /** the file holding the last record returned */
  lastPath: string | null = null;
  /** files the iterator left at a torn record (the bytes it dropped), in order */
  readonly torn: { readonly path: string; readonly stop: LogStop }[] = [];

  constructor(private readonly files: ReadonlyMap<string, Uint8Array>, zxid: Zxid) {
    const all = getLogFiles(files.keys(), 0n).reverse();
    const stored: string[] = [];
    for (const f of all) {
      const start = zxidFromName(baseName(f), logPrefix);
      stored.push(f);
      if (start < zxid) break;
    }
    this.pending = stored.reverse();
  }

  /** The first record with zxid >= `zxid` (fastForward), or null when the logs end before it. */
  seek(zxid: Zxid): LogRecord | null {
    for (let i = 0; i < logRecordsReadMax; i++) {
      const rec = this.next();
      if (rec === null || rec.entry.hdr.zxid >= zxid) return rec;
    }
    assert(false, 'log seek over logRecordsReadMax');
  }

  next(): LogRecord | null {
    for (let files = 0; files <= dataDirFilesBound(this.files); files++) {
      if (this.current !== null && this.index < this.current.records.length) {
        const rec = this.current.records[this.index++];
        this.lastPath = rec.path;
        return rec;
      }
      if (this.current !== null) this.leave(this.current);
      if (!this.openNext()) return null;
    }
    assert(false, 'log iterator over its file bound');
  }

  private leave(file: LogFile): void {
    if (file.stop.kind === 'corrupt') throw new DataDirError(file.stop.message);
    if (file.stop.kind !== 'end') this.torn.push({ path: file.path, stop: file.stop });
  }

  /** goToNextLog: the next file; an incomplete header is only tolerated on the last file. */
  private openNext(): boolean {
    const path = this.pending.shift();
    if (path === undefined) {
      this.current = null;
      return false;
    }
    const file = readLogFile(path, this.files.get(path)!);
    if (file.headerIncomplete && this.pending.length > 0) {
      throw new DataDirError(`java.io.EOFException: Failed to read the header of ${path}`);
    }
    this.current = file;
    this.index = 0;
    return true;
  }

  /** Files after the current one (FileTxnLog.truncate deletes them). */
  remainingFiles(): readonly string[] {
    return this.pending;
  }
}

function dataDirFilesBound(files: ReadonlyMap<string, Uint8Array>): number {
  return files.size + 1;
}

/** The log files whose header was never completely written, if the newest one is such. */
export function emptyTailLog(files: ReadonlyMap<string, Uint8Array>): string | null {
  const logs = sortDataDir(files.keys(), logPrefix, true);
  const last = logs[logs.length - 1];
  if (last === undefined) return null;
  return files.get(last)!.length < fileHeaderBytes ? last : null;
}

export type TruncateOp =
  | { readonly type: 'truncate'; readonly path: string; readonly size: number }
  | { readonly type: 'delete'; readonly path: string };

export interface TruncatePlan {
  readonly ops: readonly TruncateOp[];
  /** the last record kept: `zxid` itself, or the first record after it if the log skips it */
  readonly lastKeptZxid: Zxid;
}

/**
 * FileTxnLog.truncate(zxid): position the iterator on the first record >= zxid, cut its file
 * right after that record and delete every later log file. Fails with ZooKeeper's message when
 * no record >= zxid exists (the iterator ran off the end: its input stream is null).
 *
 * Two ZooKeeper facts this keeps: when the log has no record `zxid` (it jumps over it, e.g.
 * across an epoch), the first record after it survives; and the snapshots are not touched, so
 * a later load may come from a snapshot newer than `zxid` (recover reports that).
 */
export function truncateLog(files: ReadonlyMap<string, Uint8Array>, zxid: Zxid): TruncatePlan {
  const it = new LogIterator(files, zxid);
  const rec = it.seek(zxid);
  if (rec === null) throw new DataDirError(noLogFilesToTruncate);
  assert(rec.entry.hdr.zxid >= zxid, `truncate stops at or after 0x${toHexString(zxid)}`);
  const ops: TruncateOp[] = [{ type: 'truncate', path: rec.path, size: rec.end }];
  for (const path of it.remainingFiles()) ops.push({ type: 'delete', path });
  assert(ops.every((op) => op.type === 'truncate' || op.path !== rec.path), 'the cut file is not deleted');
  return { ops, lastKeptZxid: rec.entry.hdr.zxid };
}

/** The files after `plan` is carried out: what the disk holds once the host did it. */
export function applyTruncatePlan(files: ReadonlyMap<string, Uint8Array>, plan: TruncatePlan): Map<string, Uint8Array> {
  const out = new Map(files);
  for (const op of plan.ops) {
    const bytes = out.get(op.path);
    assert(bytes !== undefined, `truncate plan names a missing file ${op.path}`);
    if (op.type === 'delete') out.delete(op.path);
    else {
      assert(op.size <= bytes.length, 'truncation only shortens a file');
      out.set(op.path, bytes.slice(0, op.size));
    }
  }
  return out;
}
