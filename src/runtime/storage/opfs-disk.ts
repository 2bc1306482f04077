/**
 * OpfsDisk: a server's dataDir as real files in the browser's Origin Private File System,
 * written from the server's worker through FileSystemSyncAccessHandles, where `flush()` is
 * fsync (DESIGN.md 8). Devtools shows the dataDir ZooKeeper would have:
 *
 *   zk-playground/server-<sid>/myid
 *   zk-playground/server-<sid>/version-2/{acceptedEpoch, currentEpoch, log.<zxid>, snapshot.<zxid>}
 *   zk-playground/server-<sid>.meta/{journal, spare-<n> ...}   (this file's bookkeeping)
 *
 * The problem: the Disk contract (disk.ts) is synchronous — the engine's storage runs to
 * completion inside one task — while OPFS creates, opens, renames and deletes files only
 * asynchronously; only an already-open sync access handle is synchronous. So:
 *
 *   - Every file has its sync access handle open (all opened at worker start, before the engine
 *     runs). A file's bytes on OPFS are exactly its durable (flushed) bytes: `write`/`truncate`
 *     are kept in memory per file until `flush(path)` writes them to the handle and flushes it,
 *     so a killed worker loses exactly what was not flushed (a write to a handle survives the
 *     worker: it would not be "lost" otherwise). Only the unflushed operations live in memory.
 *   - A file is named logically (the Disk's path) and stored physically in a file that may not
 *     carry that name yet. Creating a file takes a pre-created empty spare (`spare-<n>`); a
 *     rename just moves the logical name to the other physical file; a delete drops the name.
 *     Each of these is one record in the metadata journal (`journal`, an open handle), written
 *     and flushed before the call returns: durable on return, as the contract asks.
 *   - In the background (async, between the engine's tasks) the directory is brought to match:
 *     for a name whose physical file is elsewhere, `<dataDir>/<name>` is created (or an orphan of
 *     that name reused), the durable bytes copied into it and flushed, then a `settle` record
 *     says the name lives at home; a physical file no name refers to is removed (a spare is
 *     emptied and returned to the pool); the pool is refilled; once nothing is left to do the
 *     journal is truncated to empty. It stays a few records long.
 *
 *   - A file created over one of the same name that was deleted (or renamed away) and not
 *     removed yet reuses it in place: emptied, then a `settle` record. Creating more new files
 *     in one synchronous run than the pool holds (a checkpoint's dataDir written back) needs
 *     `await reserve(n)` first; otherwise `write` throws (an IO failure: the server crashes).
 *
 *   record  = u32 payloadLength | payload | u32 crc32(payload)
 *   payload = u8 op | u16 pathLength | path (UTF-8) | [u16 argLength | arg]
 *     op 1 create  path -> spare `arg` (a new, empty file)
 *     op 2 rename  path -> `arg`, replacing it
 *     op 3 delete  path
 *     op 4 settle  path lives at <dataDir>/<path>
 *
 * Recovery (`openOpfsDisk`): every file under the dataDir is taken to live at home, then the
 * journal is replayed over that up to its first torn or corrupt record; a physical file no name
 * refers to is an orphan (removed; a spare is emptied). Replaying is idempotent: the background
 * only removes a file once no durable record refers to it, and only settles a name after its
 * home file holds the bytes, so every crash point recovers the logical dataDir as the last
 * journal record left it, with every flushed byte (opfs-disk.test.ts crashes at each step).
 *
 * An earlier version kept the whole dataDir in one journal, `server-<sid>/dataDir.journal`: a
 * start that finds one writes its files out into this layout, then removes it.
 *
 * Crash model: a `flush` that is cut short (a worker terminated inside it) may leave a prefix
 * of that file's buffered operations, the last one torn: the outcomes MemoryDisk.crash allows.
 *
 * Memory: the unflushed operations (one group commit's appends, a snapshot until its fsync)
 * and one copy buffer; reads go to the handles.
 */
import { assert } from '../../engine/util/assert.ts';
import { crc32 } from '../../engine/util/sha1.ts';
import { utf8Decode, utf8Encode } from '../../engine/util/bytes.ts';
import { diskFilesMax, type Disk } from './disk.ts';
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

/** The part of FileSystemFileHandle OpfsDisk uses. */
export interface OpfsFileEntry {
  readonly kind: 'file';
  createSyncAccessHandle(): Promise<SyncFile>;
}

/** The part of FileSystemDirectoryHandle OpfsDisk uses. */
export interface OpfsDirEntry {
  readonly kind: 'directory';
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<OpfsDirEntry>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<OpfsFileEntry>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  entries(): AsyncIterable<[string, OpfsDirEntry | OpfsFileEntry]>;
}

/** A bound on the journal (it is truncated whenever the directory has caught up). */
export const journalBytesMax = 64 << 20;
/** Empty spare files kept open for creating files synchronously (`reserve` asks for more). */
export const spareFilesTarget = 16;
/** A bound on the spares `reserve` may ask for. */
export const spareFilesMax = 10_000;
/** Bytes copied per read/write when a file moves to its home. */
export const copyChunkBytes = 1 << 20;
/** Buffered operations per file between two flushes. */
export const pendingOpsPerFileMax = 1_000_000;
/** One file's size; 1 GiB. */
export const fileBytesMax = 1 << 30;
/** Directory levels below the dataDir (version-2 is one). */
export const dirDepthMax = 4;
/** Background steps in one catch-up; more is a livelock (a bug). */
export const backgroundStepsMax = 1_000_000;

const opCreate = 1;
const opRename = 2;
const opDelete = 3;
const opSettle = 4;

/** The single-file dataDir of earlier versions: its files are moved out at the next start. */
export const legacyJournalName = 'dataDir.journal';
const journalName = 'journal';
const sparePrefix = 'spare-';

/** A file on OPFS: `d:<path>` in the dataDir, `s:<name>` a spare in the meta directory. */
interface Phys {
  readonly id: string;
  readonly dir: OpfsDirEntry;
  readonly name: string;
  readonly handle: SyncFile;
  /** bytes in the file (all of them durable: only flush writes to a handle) */
  size: number;
}

type Pending =
  /**
   * `bytes` is a view of the first bytes of `room`, a buffer of this file's own: a write that
   * starts where the last one ended goes on in the same buffer (a group commit's log appends
   * are one buffer and one handle write, without an allocation per record)
   */
  | { readonly type: 'write'; readonly at: number; bytes: Uint8Array; room: Uint8Array }
  | { readonly type: 'truncate'; readonly size: number };

interface LogicalFile {
  phys: Phys;
  pending: Pending[];
  /** the size with the pending operations applied */
  size: number;
}

/** What `openOpfsDisk` found, for the worker's log line and the tests. */
export interface OpfsRecovery {
  readonly journalRecords: number;
  readonly tornBytes: number;
  readonly orphansRemoved: number;
}

function homeId(path: string): string {
  return `d:${path}`;
}

export class OpfsDisk implements Disk {
  private readonly files = new Map<string, LogicalFile>();
  private readonly phys = new Map<string, Phys>();
  private readonly freeSpares: Phys[] = [];
  private journalSize = 0;
  private nextSpare = 0;
  private running: Promise<void> | null = null;
  /** spares `reserve` waits for */
  private sparesWanted = 0;
  private failure: unknown = null;
  /** the directory handles of the dataDir by relative path ('' is the dataDir itself) */
  private readonly dirs = new Map<string, OpfsDirEntry>();
  readonly recovered: OpfsRecovery;

  /**
   * Over the opened files (see openOpfsDisk): replays the journal. The caller then awaits
   * `idle()` so the directory matches before the engine runs.
   */
  constructor(
    private readonly journal: SyncFile,
    private readonly metaDir: OpfsDirEntry,
    dirs: ReadonlyMap<string, OpfsDirEntry>,
    home: readonly { readonly path: string; readonly handle: SyncFile }[],
    spares: readonly { readonly name: string; readonly handle: SyncFile }[],
  ) {
    for (const [p, d] of dirs) this.dirs.set(p, d);
    for (const f of home) {
      const slash = f.path.lastIndexOf('/');
      const dir = this.dirs.get(slash < 0 ? '' : f.path.slice(0, slash));
      assert(dir !== undefined, `directory of ${f.path}`);
      const ph: Phys = { id: homeId(f.path), dir, name: f.path.slice(slash + 1), handle: f.handle, size: f.handle.getSize() };
      this.phys.set(ph.id, ph);
      this.files.set(f.path, { phys: ph, pending: [], size: ph.size });
    }
    for (const s of spares) {
      const ph: Phys = { id: `s:${s.name}`, dir: metaDir, name: s.name, handle: s.handle, size: s.handle.getSize() };
      this.phys.set(ph.id, ph);
      const n = Number(s.name.slice(sparePrefix.length));
      if (Number.isInteger(n)) this.nextSpare = Math.max(this.nextSpare, n + 1);
    }
    const size = journal.getSize();
    assert(size <= journalBytesMax, 'journal over journalBytesMax');
    const bytes = new Uint8Array(size);
    if (size > 0) journal.read(bytes, { at: 0 });
    const { records, end } = this.replay(bytes);
    if (end < size) {
      journal.truncate(end);
      journal.flush();
    }
    this.journalSize = end;
    // spares no name refers to are empty and free; names whose file vanished are gone
    const used = this.referenced();
    for (const ph of this.phys.values()) {
      if (!ph.id.startsWith('s:') || used.has(ph)) continue;
      if (ph.size > 0) {
        ph.handle.truncate(0);
        ph.handle.flush();
        ph.size = 0;
      }
      this.freeSpares.push(ph);
    }
    this.freeSpares.sort((a, b) => (a.name < b.name ? -1 : 1));
    let orphans = 0;
    for (const ph of this.phys.values()) if (ph.id.startsWith('d:') && !used.has(ph)) orphans++;
    this.recovered = { journalRecords: records, tornBytes: size - end, orphansRemoved: orphans };
    this.kick();
  }

  // ----- the Disk ----------------------------------------------------------------------------

  list(): string[] {
    this.check();
    return [...this.files.keys()].sort();
  }

  exists(path: string): boolean {
    this.check();
    return this.files.has(path);
  }

  getSize(path: string): number {
    return this.file(path).size;
  }

  read(path: string, at = 0, length?: number): Uint8Array {
    const f = this.file(path);
    if (!(Number.isInteger(at) && at >= 0)) assert(false, `read offset ${at}`);
    const end = length === undefined ? f.size : Math.min(f.size, at + length);
    const from = Math.min(at, f.size);
    const out = new Uint8Array(Math.max(0, end - from));
    // the durable bytes, then the buffered operations over them in order
    let size = f.phys.size;
    const durableEnd = Math.min(end, size);
    if (durableEnd > from) {
      const n = f.phys.handle.read(out.subarray(0, durableEnd - from), { at: from });
      if (n !== durableEnd - from) assert(false, `read of ${path}: ${n} of ${durableEnd - from} bytes`);
    }
    for (const op of f.pending) {
      if (op.type === 'truncate') {
        if (op.size < size && op.size < end) out.fill(0, Math.max(0, op.size - from));
        size = op.size;
        continue;
      }
      const lo = Math.max(op.at, from);
      const hi = Math.min(op.at + op.bytes.length, end);
      if (hi > lo) out.set(op.bytes.subarray(lo - op.at, hi - op.at), lo - from);
      size = Math.max(size, op.at + op.bytes.length);
    }
    return out;
  }

  write(path: string, bytes: Uint8Array, at: number | 'append'): void {
    this.check();
    let f = this.files.get(path);
    if (f === undefined) f = this.create(path);
    const offset = at === 'append' ? f.size : at;
    if (!(Number.isInteger(offset) && offset >= 0)) assert(false, `write offset ${offset}`);
    assert(offset + bytes.length <= fileBytesMax, 'file over fileBytesMax');
    const last = f.pending.length > 0 ? f.pending[f.pending.length - 1] : null;
    if (last !== null && last.type === 'write' && last.at + last.bytes.length === offset) appendTo(last, bytes);
    else this.buffer(f, { type: 'write', at: offset, bytes: bytes.slice(), room: new Uint8Array(0) });
    f.size = Math.max(f.size, offset + bytes.length);
  }

  truncate(path: string, size: number): void {
    assert(Number.isInteger(size) && size >= 0 && size <= fileBytesMax, `truncate size ${size}`);
    const f = this.file(path);
    this.buffer(f, { type: 'truncate', size });
    f.size = size;
  }

  flush(path: string): void {
    const f = this.file(path);
    this.flushFile(f);
  }

  rename(from: string, to: string): void {
    const f = this.file(from);
    if (from === to) return;
    const old = this.files.get(to);
    this.appendRecord(opRename, from, to);
    this.files.delete(from);
    this.files.set(to, f);
    if (old !== undefined) this.release(old.phys);
    this.kick();
  }

  delete(path: string): void {
    const f = this.file(path);
    this.appendRecord(opDelete, path, null);
    this.files.delete(path);
    this.release(f.phys);
    this.kick();
  }

  // ----- for the worker and the tests --------------------------------------------------------

  /** Resolves once the directory matches the names (throws what the background hit). */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
    this.check();
  }

  /**
   * Resolves once `n` empty spares are ready: call before creating more than spareFilesTarget
   * files in one synchronous run (a checkpoint's dataDir written back).
   */
  async reserve(n: number): Promise<void> {
    assert(n <= spareFilesMax, `reserve of ${n} spares, over spareFilesMax`);
    this.sparesWanted = n;
    try {
      this.kick();
      await this.idle();
    } finally {
      this.sparesWanted = 0;
    }
  }

  /** Bytes in the metadata journal (0 once the directory has caught up). */
  journalBytes(): number {
    return this.journalSize;
  }

  /** Empty spare files ready for the next synchronous create. */
  freeSpareCount(): number {
    return this.freeSpares.length;
  }

  /** The physical file each name lives in (`d:<path>` at home, `s:<spare>` not yet moved). */
  placement(): Map<string, string> {
    return new Map([...this.files].map(([p, f]) => [p, f.phys.id]));
  }

  /** Releases every handle (the worker is going away). */
  close(): void {
    for (const ph of this.phys.values()) ph.handle.close();
    this.journal.close();
  }

  // ----- internals ---------------------------------------------------------------------------

  private check(): void {
    if (this.failure !== null) throw new Error(`OPFS dataDir failed: ${String(this.failure)}`);
  }

  private file(path: string): LogicalFile {
    this.check();
    const f = this.files.get(path);
    if (f === undefined) throw new Error(`ENOENT: no such file ${path}`);
    return f;
  }

  private create(path: string): LogicalFile {
    assert(this.files.size < diskFilesMax, 'OpfsDisk over diskFilesMax files');
    const home = this.phys.get(homeId(path));
    if (home !== undefined && !this.referenced().has(home)) {
      // a file of this name that no name refers to any more (deleted or renamed away, not
      // removed yet): emptied, it is the new file, at home at once
      if (home.size > 0) {
        home.handle.truncate(0);
        home.handle.flush();
        home.size = 0;
      }
      this.appendRecord(opSettle, path, null);
      const f: LogicalFile = { phys: home, pending: [], size: 0 };
      this.files.set(path, f);
      return f;
    }
    const spare = this.freeSpares.shift();
    // the background keeps spareFilesTarget of them: running out means more creates in one
    // task than that, or a background that cannot create files (IO failure: the server crashes)
    if (spare === undefined) throw new Error(`OPFS dataDir: no spare file left to create ${path}`);
    this.appendRecord(opCreate, path, spare.name);
    const f: LogicalFile = { phys: spare, pending: [], size: 0 };
    this.files.set(path, f);
    this.kick();
    return f;
  }

  private buffer(f: LogicalFile, op: Pending): void {
    assert(f.pending.length < pendingOpsPerFileMax, 'file over pendingOpsPerFileMax buffered operations');
    f.pending.push(op);
  }

  /** The buffered operations to the file's handle (adjacent writes as one), then fsync. */
  private flushFile(f: LogicalFile): void {
    const h = f.phys.handle;
    const ops = f.pending;
    f.pending = [];
    let size = f.phys.size;
    for (let i = 0; i < ops.length; ) {
      const op = ops[i];
      if (op.type === 'truncate') {
        h.truncate(op.size);
        size = op.size;
        i++;
        continue;
      }
      let j = i + 1;
      let end = op.at + op.bytes.length;
      let total = op.bytes.length;
      while (j < ops.length) {
        const next = ops[j];
        if (next.type !== 'write' || next.at !== end) break;
        end += next.bytes.length;
        total += next.bytes.length;
        j++;
      }
      let buf = op.bytes;
      if (j > i + 1) {
        buf = new Uint8Array(total);
        let at = 0;
        for (let k = i; k < j; k++) {
          const b = (ops[k] as { bytes: Uint8Array }).bytes;
          buf.set(b, at);
          at += b.length;
        }
      }
      // a write past the end leaves a hole: OPFS fills it with zeros, as the contract says
      writeFully(h, buf, op.at, f.phys.name);
      size = Math.max(size, end);
      i = j;
    }
    h.flush();
    f.phys.size = size;
    if (size !== f.size) assert(false, `flushed size ${size} is the file's ${f.size}`);
  }

  /** A physical file no name refers to any more: a spare goes back to the pool emptied. */
  private release(ph: Phys): void {
    for (const f of this.files.values()) if (f.phys === ph) return;
    if (!ph.id.startsWith('s:')) return; // a home file: the background removes (or reuses) it
    if (ph.size > 0) {
      ph.handle.truncate(0);
      ph.handle.flush();
      ph.size = 0;
    }
    this.freeSpares.push(ph);
  }

  private referenced(): Set<Phys> {
    const used = new Set<Phys>();
    for (const f of this.files.values()) used.add(f.phys);
    return used;
  }

  private appendRecord(op: number, path: string, arg: string | null): void {
    const p = utf8Encode(path);
    const a = arg === null ? null : utf8Encode(arg);
    const payloadLen = 3 + p.length + (a === null ? 0 : 2 + a.length);
    const rec = new Uint8Array(8 + payloadLen);
    const view = new DataView(rec.buffer);
    view.setUint32(0, payloadLen);
    rec[4] = op;
    view.setUint16(5, p.length);
    rec.set(p, 7);
    if (a !== null) {
      view.setUint16(7 + p.length, a.length);
      rec.set(a, 9 + p.length);
    }
    view.setUint32(4 + payloadLen, crc32(rec.subarray(4, 4 + payloadLen)) >>> 0);
    assert(this.journalSize + rec.length <= journalBytesMax, 'journal over journalBytesMax');
    writeFully(this.journal, rec, this.journalSize, journalName);
    this.journal.flush();
    this.journalSize += rec.length;
  }

  private replay(bytes: Uint8Array): { records: number; end: number } {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    let records = 0;
    while (at + 8 <= bytes.length) {
      const len = view.getUint32(at);
      if (len < 3 || at + 8 + len > bytes.length) break;
      const payload = bytes.subarray(at + 4, at + 4 + len);
      if (view.getUint32(at + 4 + len) !== crc32(payload) >>> 0) break;
      if (!this.apply(payload)) break;
      at += 8 + len;
      records++;
    }
    return { records, end: at };
  }

  /** One journal record onto the names; false for a record that cannot be (corrupt). */
  private apply(payload: Uint8Array): boolean {
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const op = payload[0];
    const pathLen = view.getUint16(1);
    if (3 + pathLen > payload.length) return false;
    const path = utf8Decode(payload.subarray(3, 3 + pathLen));
    let arg: string | null = null;
    if (op === opCreate || op === opRename) {
      const at = 3 + pathLen;
      if (at + 2 > payload.length) return false;
      const argLen = view.getUint16(at);
      if (at + 2 + argLen !== payload.length) return false;
      arg = utf8Decode(payload.subarray(at + 2, at + 2 + argLen));
    }
    switch (op) {
      case opCreate: {
        // the spare may be gone only if someone removed it by hand: the file is lost with it
        const ph = this.phys.get(`s:${arg!}`);
        if (ph === undefined) this.files.delete(path);
        else this.files.set(path, { phys: ph, pending: [], size: ph.size });
        return true;
      }
      case opRename: {
        const f = this.files.get(path);
        this.files.delete(path);
        // a missing source: its home file was removed after a later record moved the name on
        if (f === undefined) this.files.delete(arg!);
        else this.files.set(arg!, f);
        return true;
      }
      case opDelete:
        this.files.delete(path);
        return true;
      case opSettle: {
        const ph = this.phys.get(homeId(path));
        if (ph === undefined) this.files.delete(path);
        else this.files.set(path, { phys: ph, pending: [], size: ph.size });
        return true;
      }
      default:
        return false;
    }
  }

  // ----- the background: bring the directory to match the names -------------------------------

  private kick(): void {
    if (this.running !== null || this.failure !== null) return;
    // after the current task's synchronous work (never inside the engine's call)
    this.running = Promise.resolve().then(() => this.run());
  }

  private async run(): Promise<void> {
    try {
      for (let i = 0; ; i++) {
        assert(i < backgroundStepsMax, 'OpfsDisk background over backgroundStepsMax steps');
        const step = this.plan();
        if (step === null) break;
        await step();
      }
    } catch (e) {
      this.failure = e;
    } finally {
      this.running = null;
    }
  }

  /** The next thing to do, or null when the directory matches and the journal is empty. */
  private plan(): (() => Promise<void> | void) | null {
    const used = this.referenced();
    const away = [...this.files].filter(([p, f]) => f.phys.id !== homeId(p)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const [path] of away) {
      const home = this.phys.get(homeId(path));
      if (home === undefined) return () => this.createHome(path);
      if (!used.has(home)) return () => this.settle(path, home);
    }
    if (away.length > 0) {
      // every home file left is taken by another name (renames in a cycle): one of those
      // names moves to a spare first
      if (this.freeSpares.length === 0) return () => this.createSpare();
      const home = this.phys.get(homeId(away[0][0]))!;
      const holder = [...this.files].find(([, f]) => f.phys === home)!;
      return () => this.relocate(holder[0]);
    }
    for (const ph of this.phys.values()) if (ph.id.startsWith('d:') && !used.has(ph)) return () => this.removeOrphan(ph);
    if (this.freeSpares.length < Math.max(spareFilesTarget, this.sparesWanted)) return () => this.createSpare();
    if (this.journalSize > 0) {
      return () => {
        this.journal.truncate(0);
        this.journal.flush();
        this.journalSize = 0;
      };
    }
    return null;
  }

  private async createHome(path: string): Promise<void> {
    const parts = path.split('/');
    assert(parts.length - 1 <= dirDepthMax, `${path} is over dirDepthMax directories deep`);
    let dir = this.dirs.get('')!;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts.slice(0, i + 1).join('/');
      let d = this.dirs.get(key);
      if (d === undefined) {
        d = await dir.getDirectoryHandle(parts[i], { create: true });
        this.dirs.set(key, d);
      }
      dir = d;
    }
    const name = parts[parts.length - 1];
    const handle = await openHandle(await dir.getFileHandle(name, { create: true }));
    // an orphan for now: the next step copies the bytes in and settles the name
    this.phys.set(homeId(path), { id: homeId(path), dir, name, handle, size: handle.getSize() });
  }

  /** Copies the name's durable bytes into its home file, fsyncs it, then records `settle`. */
  private settle(path: string, home: Phys): void {
    const f = this.files.get(path)!;
    copyBytes(f.phys, home);
    this.appendRecord(opSettle, path, null);
    const old = f.phys;
    f.phys = home;
    this.release(old);
  }

  /** A name living in another name's home file moves to a spare (copied, fsynced, recorded). */
  private relocate(path: string): void {
    const f = this.files.get(path)!;
    const spare = this.freeSpares.shift()!;
    copyBytes(f.phys, spare);
    this.appendRecord(opCreate, path, spare.name);
    f.phys = spare;
  }

  private async removeOrphan(ph: Phys): Promise<void> {
    ph.handle.close();
    this.phys.delete(ph.id);
    // the lock of the handle just closed may take a moment to go
    for (let attempt = 0; ; attempt++) {
      try {
        await ph.dir.removeEntry(ph.name);
        return;
      } catch (e) {
        if (e instanceof Error && e.name === 'NotFoundError') return;
        if (!lockedError(e) || attempt >= openAttemptsMax) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private async createSpare(): Promise<void> {
    const name = `${sparePrefix}${this.nextSpare++}`;
    const handle = await openHandle(await this.metaDir.getFileHandle(name, { create: true }));
    if (handle.getSize() > 0) {
      handle.truncate(0);
      handle.flush();
    }
    const ph: Phys = { id: `s:${name}`, dir: this.metaDir, name, handle, size: 0 };
    this.phys.set(ph.id, ph);
    this.freeSpares.push(ph);
  }
}

/** Bytes a buffered write's room starts with once something is appended to it. */
export const appendRoomBytes = 16 << 10;

/** `bytes` written right after `op`'s: copied on in its room, which doubles when full. */
function appendTo(op: Extract<Pending, { type: 'write' }>, bytes: Uint8Array): void {
  const used = op.bytes.length;
  const need = used + bytes.length;
  assert(need <= fileBytesMax, 'buffered write over fileBytesMax');
  if (op.room.length < need) {
    let cap = Math.max(appendRoomBytes, op.room.length);
    while (cap < need) cap *= 2; // terminates: need <= fileBytesMax
    const room = new Uint8Array(cap);
    room.set(op.bytes);
    op.room = room;
  }
  op.room.set(bytes, used);
  op.bytes = op.room.subarray(0, need);
}

/**
 * base::File::Error names (Chromium's file errors). A sync access handle that fails a write
 * (the in-memory OPFS of an incognito/fresh context full, the disk full) returns the negative
 * error code as its unsigned byte count instead of throwing: 2^32 - 8 is FILE_ERROR_NO_SPACE.
 */
const fileErrors: Record<number, string> = {
  [-1]: 'FILE_ERROR_FAILED', [-2]: 'FILE_ERROR_IN_USE', [-3]: 'FILE_ERROR_EXISTS', [-4]: 'FILE_ERROR_NOT_FOUND',
  [-5]: 'FILE_ERROR_ACCESS_DENIED', [-6]: 'FILE_ERROR_TOO_MANY_OPENED', [-7]: 'FILE_ERROR_NO_MEMORY', [-8]: 'FILE_ERROR_NO_SPACE',
  [-9]: 'FILE_ERROR_NOT_A_DIRECTORY', [-10]: 'FILE_ERROR_INVALID_OPERATION', [-11]: 'FILE_ERROR_SECURITY', [-12]: 'FILE_ERROR_ABORT',
  [-13]: 'FILE_ERROR_NOT_A_FILE', [-14]: 'FILE_ERROR_NOT_EMPTY', [-15]: 'FILE_ERROR_INVALID_URL', [-16]: 'FILE_ERROR_IO',
};

/** What a short write means, in the words of the IOException ZooKeeper would get. */
export function writeFailure(wrote: number, asked: number, name: string): string {
  const code = wrote > asked && wrote >= 2 ** 31 ? wrote - 2 ** 32 : null;
  const what = code === -8 ? 'No space left on device' : 'Input/output error';
  const detail = code !== null ? `file error ${code}${fileErrors[code] !== undefined ? ` ${fileErrors[code]}` : ''}` : `wrote ${wrote} of ${asked} bytes`;
  return `java.io.IOException: ${what} (OPFS write of ${asked} bytes to ${name}: ${detail})`;
}

/** A write that must write every byte; a failed one is an IO error (the server crashes, STYLE.md 13). */
function writeFully(h: SyncFile, bytes: Uint8Array, at: number, name: string): void {
  const n = h.write(bytes, { at });
  if (n !== bytes.length) throw new Error(writeFailure(n, bytes.length, name));
}

/** `from`'s bytes replace `to`'s, fsynced. */
function copyBytes(from: Phys, to: Phys): void {
  to.handle.truncate(0);
  const buf = new Uint8Array(Math.min(copyChunkBytes, from.size));
  for (let at = 0; at < from.size; at += buf.length) {
    const part = buf.subarray(0, Math.min(buf.length, from.size - at));
    const r = from.handle.read(part, { at });
    assert(r === part.length, `copy read ${r} of ${part.length} bytes`);
    writeFully(to.handle, part, at, to.name);
  }
  to.handle.flush();
  to.size = from.size;
}

/** Tries to get a file's sync access handle, 50 ms apart (another tab or a dying worker holds it). */
export const openAttemptsMax = 100;

async function openHandle(fh: OpfsFileEntry): Promise<SyncFile> {
  // A worker of the page before a reload may still hold the handle for a moment.
  for (let attempt = 0; ; attempt++) {
    try {
      return await fh.createSyncAccessHandle();
    } catch (e) {
      if (!lockedError(e) || attempt >= openAttemptsMax) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** OPFS's answer while another handle holds the file (Chromium: NoModificationAllowedError). */
function lockedError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'NoModificationAllowedError' || name === 'InvalidModificationError' || name === 'InvalidStateError';
}

/** The OPFS directory that holds every server's dataDir (live runs: they survive reloads). */
export const opfsRootName = 'zk-playground';
/** Lockstep runs start from empty dataDirs each time: their own directory, apart from live's. */
export const opfsLockstepRootName = 'zk-playground-lockstep';

/** The dataDir directory of server `sid` under the root, and its bookkeeping next to it. */
export function dataDirName(sid: number): string {
  return `server-${sid}`;
}
export function metaDirName(sid: number): string {
  return `server-${sid}.meta`;
}

/**
 * Opens server `sid`'s dataDir (creating it): every file's sync access handle, the journal
 * replayed, the directory caught up. Call from the server's dedicated worker (or, in tests,
 * with a fake `top`, the OPFS root).
 */
export async function openOpfsDisk(sid: number, rootName = opfsRootName, top?: OpfsDirEntry): Promise<OpfsDisk> {
  const opfsTop = top ?? (await navigator.storage.getDirectory()) as unknown as OpfsDirEntry;
  const root = await opfsTop.getDirectoryHandle(rootName, { create: true });
  const dataDir = await root.getDirectoryHandle(dataDirName(sid), { create: true });
  const meta = await root.getDirectoryHandle(metaDirName(sid), { create: true });
  const dirs = new Map<string, OpfsDirEntry>([['', dataDir]]);
  const home: { path: string; handle: SyncFile }[] = [];
  let legacy: Uint8Array | null = null;
  const walk = async (dir: OpfsDirEntry, prefix: string, depth: number): Promise<void> => {
    for await (const [name, entry] of dir.entries()) {
      const path = prefix === '' ? name : `${prefix}/${name}`;
      if (entry.kind === 'directory') {
        if (depth >= dirDepthMax) continue;
        dirs.set(path, entry);
        await walk(entry, path, depth + 1);
        continue;
      }
      if (path === legacyJournalName) {
        // the one-file journal of earlier versions: its files are moved out below
        const h = await openHandle(entry);
        legacy = new Uint8Array(h.getSize());
        h.read(legacy, { at: 0 });
        h.close();
        continue;
      }
      assert(home.length < diskFilesMax, 'dataDir over diskFilesMax files');
      home.push({ path, handle: await openHandle(entry) });
    }
  };
  await walk(dataDir, '', 0);
  const spares: { name: string; handle: SyncFile }[] = [];
  let journal: SyncFile | null = null;
  for await (const [name, entry] of meta.entries()) {
    if (entry.kind !== 'file') continue;
    if (name === journalName) journal = await openHandle(entry);
    else if (name.startsWith(sparePrefix)) spares.push({ name, handle: await openHandle(entry) });
  }
  journal ??= await openHandle(await meta.getFileHandle(journalName, { create: true }));
  const disk = new OpfsDisk(journal, meta, dirs, home, spares);
  await disk.idle();
  if (legacy !== null) {
    // every file the old journal held, written and fsynced, then the journal goes; a crash
    // in between does it again (the journal is still there)
    for (const [path, bytes] of legacyFiles(legacy)) {
      if (disk.exists(path)) disk.truncate(path, 0);
      disk.write(path, bytes, 0);
      disk.flush(path);
      await disk.idle();
    }
    await removeLocked(dataDir, legacyJournalName);
  }
  return disk;
}

/** Removes a file whose handle was just closed (its lock may take a moment to go). */
async function removeLocked(dir: OpfsDirEntry, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await dir.removeEntry(name);
      return;
    } catch (e) {
      if (e instanceof Error && e.name === 'NotFoundError') return;
      if (!lockedError(e) || attempt >= openAttemptsMax) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * The files of an earlier version's dataDir journal (`server-<sid>/dataDir.journal`: records
 * u32 length | payload | u32 crc32, payload u8 op | u16 pathLength | path | fields, op 1 write
 * f64 at (-1 append) | bytes, 2 truncate f64 size, 3 rename u16 toLength | to, 4 delete; every
 * record in it was fsynced), replayed up to its first torn or corrupt record.
 */
export function legacyFiles(bytes: Uint8Array): Map<string, Uint8Array> {
  const image = new MemoryDisk();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 8 <= bytes.length; ) {
    const len = view.getUint32(at);
    if (len < 3 || at + 8 + len > bytes.length) break;
    const payload = bytes.subarray(at + 4, at + 4 + len);
    if (view.getUint32(at + 4 + len) !== crc32(payload) >>> 0) break;
    const pv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const pathLen = pv.getUint16(1);
    const path = utf8Decode(payload.subarray(3, 3 + pathLen));
    const rest = 3 + pathLen;
    try {
      switch (payload[0]) {
        case 1: {
          const where = pv.getFloat64(rest);
          image.write(path, payload.slice(rest + 8), where < 0 ? 'append' : where);
          break;
        }
        case 2: image.truncate(path, pv.getFloat64(rest)); break;
        case 3: image.rename(path, utf8Decode(payload.subarray(rest + 2, rest + 2 + pv.getUint16(rest)))); break;
        case 4: image.delete(path); break;
        default: return filesOf(image);
      }
    } catch {
      return filesOf(image); // a record that does not apply: the journal ends here
    }
    at += 8 + len;
  }
  return filesOf(image);
}

function filesOf(image: MemoryDisk): Map<string, Uint8Array> {
  return new Map(image.list().map((p) => [p, image.read(p)]));
}

/**
 * Removes every server's dataDir. A terminated worker releases its sync access handles a moment
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
