/**
 * OpfsDisk: a server's dataDir in the browser's Origin Private File System, written from the
 * server's worker through a FileSystemSyncAccessHandle, where `flush()` is fsync (DESIGN.md 8).
 *
 * Why one journal file per server and not one OPFS file per dataDir file: the Disk contract is
 * synchronous (the engine's storage runs to completion inside one task), and OPFS can only
 * open or create files, rename or delete asynchronously; only an already-open sync access
 * handle is synchronous. So the dataDir is kept as an image in memory (a MemoryDisk) plus an
 * append-only journal of the operations on it in one OPFS file, `<root>/server-<sid>/dataDir.journal`,
 * opened once when the worker starts:
 *
 *   record = u32 payloadLength | payload | u32 crc32(payload)
 *   payload = u8 op | u16 pathLength | path (UTF-8) | op fields
 *     op 1 write    f64 at (-1: append) | bytes
 *     op 2 truncate f64 size
 *     op 3 rename   u16 toLength | to
 *     op 4 delete
 *
 * Durability is the Disk contract's: `write`/`truncate` only reach the journal at the next
 * `flush` (then one handle.write + handle.flush for everything buffered: a killed worker loses
 * exactly what was not flushed); `rename`/`delete` are journaled and flushed before they
 * return. Recovery replays the journal up to the first torn or corrupt record and cuts the
 * file there. A flush makes every buffered operation durable, not only that file's: a valid
 * crash outcome (an OS may write back any file at any time).
 *
 * Missing: compaction (the journal grows with every write; a playground session writes MBs).
 */
import { assert } from '../../engine/util/assert.ts';
import { crc32 } from '../../engine/util/sha1.ts';
import { utf8Decode, utf8Encode } from '../../engine/util/bytes.ts';
import type { Disk } from './disk.ts';
import { MemoryDisk } from './memory-disk.ts';

/** The part of FileSystemSyncAccessHandle OpfsDisk uses (a fake implements it in Node tests). */
export interface SyncFile {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

/** A bound on one journal (1 GiB). */
export const journalBytesMax = 1 << 30;
const opWrite = 1;
const opTruncate = 2;
const opRename = 3;
const opDelete = 4;

export class OpfsDisk implements Disk {
  private readonly image = new MemoryDisk();
  private pending: Uint8Array[] = [];
  private size: number;
  /** records replayed at open, and bytes cut off as torn */
  readonly recovered: { readonly records: number; readonly tornBytes: number };

  constructor(private readonly file: SyncFile) {
    this.size = file.getSize();
    assert(this.size <= journalBytesMax, 'journal over journalBytesMax');
    const bytes = new Uint8Array(this.size);
    if (this.size > 0) file.read(bytes, { at: 0 });
    const { records, end } = this.replay(bytes);
    if (end < this.size) {
      file.truncate(end);
      file.flush();
    }
    this.recovered = { records, tornBytes: this.size - end };
    this.size = end;
  }

  private replay(bytes: Uint8Array): { records: number; end: number } {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    let records = 0;
    while (at + 8 <= bytes.length) {
      const len = view.getUint32(at);
      if (at + 8 + len > bytes.length) break;
      const payload = bytes.subarray(at + 4, at + 4 + len);
      if (view.getUint32(at + 4 + len) !== crc32(payload) >>> 0) break;
      this.apply(payload);
      at += 8 + len;
      records++;
    }
    return { records, end: at };
  }

  private apply(payload: Uint8Array): void {
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const op = payload[0];
    const pathLen = view.getUint16(1);
    const path = utf8Decode(payload.subarray(3, 3 + pathLen));
    let at = 3 + pathLen;
    switch (op) {
      case opWrite: {
        const where = view.getFloat64(at);
        at += 8;
        this.image.write(path, payload.slice(at), where < 0 ? 'append' : where);
        break;
      }
      case opTruncate: this.image.truncate(path, view.getFloat64(at)); break;
      case opRename: {
        const toLen = view.getUint16(at);
        this.image.rename(path, utf8Decode(payload.subarray(at + 2, at + 2 + toLen)));
        break;
      }
      case opDelete: this.image.delete(path); break;
      default: assert(false, `journal op ${op}`);
    }
  }

  private record(op: number, path: string, extra: Uint8Array): void {
    const p = utf8Encode(path);
    const payload = new Uint8Array(3 + p.length + extra.length);
    const view = new DataView(payload.buffer);
    payload[0] = op;
    view.setUint16(1, p.length);
    payload.set(p, 3);
    payload.set(extra, 3 + p.length);
    const rec = new Uint8Array(8 + payload.length);
    const rv = new DataView(rec.buffer);
    rv.setUint32(0, payload.length);
    rec.set(payload, 4);
    rv.setUint32(4 + payload.length, crc32(payload) >>> 0);
    this.pending.push(rec);
  }

  private commit(): void {
    if (this.pending.length === 0) return;
    let total = 0;
    for (const r of this.pending) total += r.length;
    const buf = new Uint8Array(total);
    let at = 0;
    for (const r of this.pending) {
      buf.set(r, at);
      at += r.length;
    }
    assert(this.size + total <= journalBytesMax, 'journal over journalBytesMax');
    const n = this.file.write(buf, { at: this.size });
    assert(n === total, `journal write of ${total} bytes wrote ${n}`);
    this.file.flush();
    this.size += total;
    this.pending = [];
  }

  list(): string[] {
    return this.image.list();
  }

  exists(path: string): boolean {
    return this.image.exists(path);
  }

  getSize(path: string): number {
    return this.image.getSize(path);
  }

  read(path: string, at?: number, length?: number): Uint8Array {
    return this.image.read(path, at, length);
  }

  write(path: string, bytes: Uint8Array, at: number | 'append'): void {
    this.image.write(path, bytes, at);
    const extra = new Uint8Array(8 + bytes.length);
    new DataView(extra.buffer).setFloat64(0, at === 'append' ? -1 : at);
    extra.set(bytes, 8);
    this.record(opWrite, path, extra);
  }

  truncate(path: string, size: number): void {
    this.image.truncate(path, size);
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setFloat64(0, size);
    this.record(opTruncate, path, extra);
  }

  flush(path: string): void {
    assert(this.image.exists(path), `flush of missing ${path}`);
    this.commit();
  }

  rename(from: string, to: string): void {
    this.image.rename(from, to);
    const t = utf8Encode(to);
    const extra = new Uint8Array(2 + t.length);
    new DataView(extra.buffer).setUint16(0, t.length);
    extra.set(t, 2);
    this.record(opRename, from, extra);
    this.commit();
  }

  delete(path: string): void {
    this.image.delete(path);
    this.record(opDelete, path, new Uint8Array());
    this.commit();
  }

  /** Bytes in the journal file (durable). */
  journalBytes(): number {
    return this.size;
  }

  close(): void {
    this.file.close();
  }
}

/** Tries to get a dataDir's sync access handle, 50 ms apart (another tab or a dying worker holds it). */
export const openAttemptsMax = 100;

/** The OPFS directory that holds every server's dataDir (live runs: they survive reloads). */
export const opfsRootName = 'zk-playground';
/** Lockstep runs start from empty dataDirs each time: their own directory, apart from live's. */
export const opfsLockstepRootName = 'zk-playground-lockstep';

/** Opens (creating) server `sid`'s journal: call from its dedicated worker. */
export async function openOpfsDisk(sid: number, rootName = opfsRootName): Promise<OpfsDisk> {
  const root = await navigator.storage.getDirectory();
  const dir = await (await root.getDirectoryHandle(rootName, { create: true })).getDirectoryHandle(`server-${sid}`, { create: true });
  const fh = await dir.getFileHandle('dataDir.journal', { create: true });
  // A worker of the page before a reload may still hold the handle for a moment.
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await (fh as unknown as { createSyncAccessHandle(): Promise<SyncFile> }).createSyncAccessHandle();
      return new OpfsDisk(handle);
    } catch (e) {
      if (attempt >= openAttemptsMax) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Removes every server's dataDir. A terminated worker releases its sync access handle a moment
 * later, so a locked dataDir is retried (openAttemptsMax times, 50 ms apart).
 */
export async function wipeOpfs(rootName = opfsRootName): Promise<void> {
  const root = await navigator.storage.getDirectory();
  for (let attempt = 0; ; attempt++) {
    try {
      await root.removeEntry(rootName, { recursive: true });
      return;
    } catch (e) {
      if (e instanceof DOMException && e.name === 'NotFoundError') return;
      if (attempt >= openAttemptsMax) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
