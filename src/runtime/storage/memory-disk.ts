/**
 * An in-memory Disk for Node and the simulator that keeps *written* and *flushed* bytes apart
 * (DESIGN.md 8, STYLE.md 11 SimDisk).
 *
 * Each file has a durable image (what survived the last flush) and the list of writes and
 * truncations made since, in order. `crash()` throws the buffered operations away — or, given
 * a seeded generator, keeps a prefix of them in order, the last one possibly cut short: a torn
 * write. That is exactly what makes a torn tail record possible in a txn log. Files are
 * visited in path order, so the same generator state gives the same crash.
 *
 * How long a flush takes is the host's business: MemoryDisk flushes at once.
 */
import { assert } from '../../engine/util/assert.ts';
import type { Disk } from './disk.ts';
import { diskFilesMax } from './disk.ts';

type Pending =
  | { readonly type: 'write'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly type: 'truncate'; readonly size: number };

/**
 * A file's bytes: `length` valid bytes of `buf`. The durable image and the current one share
 * `buf` after a flush (copy on write), so appends and flushes cost what they add, not the
 * file's size.
 */
interface Image {
  buf: Uint8Array;
  length: number;
}

interface MemFile {
  durable: Image;
  current: Image;
  pending: Pending[];
}

/** Buffered operations per file between two flushes; beyond it the host forgot to flush. */
export const pendingOpsPerFileMax = 1_000_000;
/** One file's size; 1 GiB. */
export const fileBytesMax = 1 << 30;

/** What a crash did to one file. */
export interface CrashEffect {
  readonly path: string;
  /** buffered operations before the crash, and how many survived (the last maybe torn) */
  readonly pendingOps: number;
  readonly keptOps: number;
  /** bytes of the first lost write that still made it to disk, or 0 */
  readonly tornBytes: number;
}

export class MemoryDisk implements Disk {
  private readonly files = new Map<string, MemFile>();

  list(): string[] {
    return [...this.files.keys()].sort();
  }

  exists(path: string): boolean {
    return this.files.has(path);
  }

  getSize(path: string): number {
    return this.file(path).current.length;
  }

  read(path: string, at = 0, length?: number): Uint8Array {
    const cur = this.file(path).current;
    assert(Number.isInteger(at) && at >= 0, `read offset ${at}`);
    const end = length === undefined ? cur.length : Math.min(cur.length, at + length);
    return cur.buf.slice(Math.min(at, cur.length), end);
  }

  write(path: string, bytes: Uint8Array, at: number | 'append'): void {
    let f = this.files.get(path);
    if (f === undefined) {
      assert(this.files.size < diskFilesMax, 'MemoryDisk over diskFilesMax files');
      const empty = { buf: new Uint8Array(0), length: 0 };
      f = { durable: empty, current: { ...empty }, pending: [] };
      this.files.set(path, f);
    }
    const offset = at === 'append' ? f.current.length : at;
    assert(Number.isInteger(offset) && offset >= 0, `write offset ${offset}`);
    this.buffer(f, { type: 'write', at: offset, bytes: bytes.slice() });
  }

  truncate(path: string, size: number): void {
    assert(Number.isInteger(size) && size >= 0, `truncate size ${size}`);
    this.buffer(this.file(path), { type: 'truncate', size });
  }

  flush(path: string): void {
    const f = this.file(path);
    f.durable = { buf: f.current.buf, length: f.current.length };
    f.pending = [];
  }

  rename(from: string, to: string): void {
    const f = this.file(from);
    this.files.delete(from);
    this.files.set(to, f);
  }

  delete(path: string): void {
    this.file(path);
    this.files.delete(path);
  }

  /** Bytes and operations written to `path` and not flushed yet. */
  unflushedOps(path: string): number {
    return this.file(path).pending.length;
  }

  /** What a crash right now would keep, with no torn writes: every file's durable bytes. */
  durableFiles(): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    for (const path of this.list()) {
      const d = this.files.get(path)!.durable;
      out.set(path, d.buf.slice(0, d.length));
    }
    return out;
  }

  /**
   * The machine loses power: every file falls back to its durable bytes plus, when `random`
   * is given, a prefix of its buffered operations (the last kept write maybe torn).
   */
  crash(random?: () => number): CrashEffect[] {
    const effects: CrashEffect[] = [];
    for (const path of this.list()) {
      const f = this.files.get(path)!;
      if (f.pending.length === 0) continue;
      const effect = crashFile(path, f, random);
      effects.push(effect);
      assert(f.pending.length === 0, 'a crashed file has nothing buffered');
      assert(f.current.length === f.durable.length, 'a crashed file is its durable image');
    }
    return effects;
  }

  private file(path: string): MemFile {
    const f = this.files.get(path);
    if (f === undefined) throw new Error(`ENOENT: no such file ${path}`);
    return f;
  }

  private buffer(f: MemFile, op: Pending): void {
    assert(f.pending.length < pendingOpsPerFileMax, 'file over pendingOpsPerFileMax buffered operations');
    applyOp(f.current, op, f.durable);
    f.pending.push(op);
  }
}

function crashFile(path: string, f: MemFile, random: (() => number) | undefined): CrashEffect {
  const n = f.pending.length;
  const keptOps = random === undefined ? 0 : Math.min(n, Math.floor(random() * (n + 1)));
  const image: Image = { buf: f.durable.buf.slice(0, f.durable.length), length: f.durable.length };
  for (let i = 0; i < keptOps; i++) applyOp(image, f.pending[i], null);
  let tornBytes = 0;
  const lost = f.pending[keptOps];
  if (random !== undefined && lost !== undefined && lost.type === 'write') {
    tornBytes = Math.floor(random() * lost.bytes.length);
    if (tornBytes > 0) applyOp(image, { type: 'write', at: lost.at, bytes: lost.bytes.subarray(0, tornBytes) }, null);
  }
  f.durable = image;
  f.current = { buf: image.buf, length: image.length };
  f.pending = [];
  return { path, pendingOps: n, keptOps, tornBytes };
}

/**
 * Applies one buffered operation to `image` in place. `shared` is an image that may share
 * `image.buf`: bytes it holds are copied before being overwritten.
 */
function applyOp(image: Image, op: Pending, shared: Image | null): void {
  const end = op.type === 'write' ? op.at + op.bytes.length : op.size;
  assert(end <= fileBytesMax, 'file over fileBytesMax');
  if (op.type === 'truncate' && op.size <= image.length) {
    image.length = op.size; // the bytes past it stay in buf, unseen: a later write overwrites them
    return;
  }
  const touchedFrom = op.type === 'write' ? Math.min(op.at, image.length) : image.length;
  const mustCopy = shared !== null && shared.buf === image.buf && touchedFrom < shared.length;
  if (end > image.buf.length || mustCopy) {
    const next = new Uint8Array(Math.max(end, image.buf.length < end ? Math.max(64, image.buf.length * 2) : image.buf.length));
    next.set(image.buf.subarray(0, image.length));
    image.buf = next;
  }
  if (image.length < end) image.buf.fill(0, image.length, op.type === 'write' ? op.at : end);
  if (op.type === 'write') image.buf.set(op.bytes, op.at);
  image.length = Math.max(image.length, end);
}
