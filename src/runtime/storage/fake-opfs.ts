/**
 * A fake Origin Private File System for Node tests and measurements of OpfsDisk: directories,
 * files, sync access handles with OPFS's locking (one handle per file; a locked file cannot be
 * removed), and crash injection.
 *
 * Crash model: a file's bytes are what was written through a handle (a killed worker does not
 * take back what reached the OS). `crashAt(n)` makes the n-th mutating call from now (write,
 * truncate, flush, creating a file or directory, removing one) the worker's last: a write is cut
 * to half its bytes, then it and every later call throw FakeCrash. `restart()` is the new
 * worker: every handle of the old one is released, and every call the old one still makes
 * (its handles, its directory handles) throws FakeCrash.
 */
import type { OpfsDirEntry, OpfsFileEntry, SyncFile } from './opfs-disk.ts';

export class FakeCrash extends Error {
  constructor() {
    super('fake OPFS: the worker was killed');
    this.name = 'FakeCrash';
  }
}

class DomError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface FileNode {
  readonly kind: 'file';
  bytes: Uint8Array;
  lock: number | null;
}

interface DirNode {
  readonly kind: 'directory';
  readonly children: Map<string, FileNode | DirNode>;
}

export class FakeOpfs {
  readonly top: DirNode = { kind: 'directory', children: new Map() };
  /** mutating calls made so far */
  steps = 0;
  private crashStep = Infinity;
  dead = false;
  /**
   * Bytes all files may hold; a write past it fails as Chromium's does when its OPFS is full:
   * nothing written, the count returned is 2^32 - 8 (FILE_ERROR_NO_SPACE, unsigned).
   */
  quotaBytes = Infinity;
  /** the current worker's incarnation; handles of older ones are dead */
  private epoch = 1;
  private nextLock = 1;

  /** The root handle, as navigator.storage.getDirectory() gives it. */
  root(): OpfsDirEntry {
    return this.dirEntry(this.top, this.epoch);
  }

  crashAt(stepsFromNow: number): void {
    this.crashStep = this.steps + stepsFromNow;
  }

  restart(): void {
    this.dead = false;
    this.crashStep = Infinity;
    this.epoch++;
    const release = (d: DirNode): void => {
      for (const c of d.children.values()) {
        if (c.kind === 'file') c.lock = null;
        else release(c);
      }
    };
    release(this.top);
  }

  /** Every file under `path` ('a/b'), relative path -> bytes, sorted. */
  files(path: string): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    const d = this.dirAt(path);
    if (d === null) return out;
    const walk = (dir: DirNode, prefix: string): void => {
      for (const [name, c] of [...dir.children].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const p = prefix === '' ? name : `${prefix}/${name}`;
        if (c.kind === 'file') out.set(p, c.bytes.slice());
        else walk(c, p);
      }
    };
    walk(d, '');
    return out;
  }

  /** Bytes held by every file (what a real OPFS would store). */
  totalBytes(): number {
    let n = 0;
    const walk = (d: DirNode): void => {
      for (const c of d.children.values()) {
        if (c.kind === 'file') n += c.bytes.length;
        else walk(c);
      }
    };
    walk(this.top);
    return n;
  }

  private dirAt(path: string): DirNode | null {
    let d: DirNode = this.top;
    for (const part of path.split('/').filter((x) => x !== '')) {
      const c = d.children.get(part);
      if (c === undefined || c.kind !== 'directory') return null;
      d = c;
    }
    return d;
  }

  /** A call from a killed worker (or any call after the crash) fails. */
  private alive(epoch: number): void {
    if (this.dead || epoch !== this.epoch) throw new FakeCrash();
  }

  /** One mutating call; true when it is the one the worker dies in. */
  private step(): boolean {
    this.steps++;
    if (this.steps >= this.crashStep) {
      this.dead = true;
      return true;
    }
    return false;
  }

  private dirEntry(d: DirNode, epoch: number): OpfsDirEntry {
    return {
      kind: 'directory',
      getDirectoryHandle: async (name, options) => {
        this.alive(epoch);
        let c = d.children.get(name);
        if (c === undefined) {
          if (options?.create !== true) throw new DomError('NotFoundError', `no directory ${name}`);
          if (this.step()) throw new FakeCrash();
          c = { kind: 'directory', children: new Map() };
          d.children.set(name, c);
        }
        if (c.kind !== 'directory') throw new DomError('TypeMismatchError', `${name} is a file`);
        return this.dirEntry(c, epoch);
      },
      getFileHandle: async (name, options) => {
        this.alive(epoch);
        let c = d.children.get(name);
        if (c === undefined) {
          if (options?.create !== true) throw new DomError('NotFoundError', `no file ${name}`);
          if (this.step()) throw new FakeCrash();
          c = { kind: 'file', bytes: new Uint8Array(0), lock: null };
          d.children.set(name, c);
        }
        if (c.kind !== 'file') throw new DomError('TypeMismatchError', `${name} is a directory`);
        return this.fileEntry(c, epoch);
      },
      removeEntry: async (name, options) => {
        this.alive(epoch);
        const c = d.children.get(name);
        if (c === undefined) throw new DomError('NotFoundError', `no entry ${name}`);
        if (c.kind === 'file' && c.lock !== null) throw new DomError('NoModificationAllowedError', `${name} is locked`);
        if (c.kind === 'directory' && c.children.size > 0 && options?.recursive !== true) throw new DomError('InvalidModificationError', `${name} is not empty`);
        if (this.step()) throw new FakeCrash();
        d.children.delete(name);
      },
      entries: () => this.entries(d, epoch),
    };
  }

  private async *entries(d: DirNode, epoch: number): AsyncIterable<[string, OpfsDirEntry | OpfsFileEntry]> {
    this.alive(epoch);
    for (const [name, c] of [...d.children]) yield [name, c.kind === 'file' ? this.fileEntry(c, epoch) : this.dirEntry(c, epoch)];
  }

  private fileEntry(f: FileNode, epoch: number): OpfsFileEntry {
    return {
      kind: 'file',
      createSyncAccessHandle: async () => {
        this.alive(epoch);
        if (f.lock !== null) throw new DomError('NoModificationAllowedError', 'the file has an open access handle');
        const lock = this.nextLock++;
        f.lock = lock;
        return this.handle(f, lock, epoch);
      },
    };
  }

  private handle(f: FileNode, lock: number, epoch: number): SyncFile {
    const usable = (): void => {
      this.alive(epoch);
      if (epoch !== this.epoch || f.lock !== lock) throw new DomError('InvalidStateError', 'the access handle is closed');
    };
    const put = (buf: Uint8Array, at: number): void => {
      const next = new Uint8Array(Math.max(f.bytes.length, at + buf.length));
      next.set(f.bytes);
      next.set(buf, at);
      f.bytes = next;
    };
    return {
      read: (buf, o) => {
        usable();
        const at = o?.at ?? 0;
        const part = f.bytes.subarray(at, at + buf.length);
        buf.set(part);
        return part.length;
      },
      write: (buf, o) => {
        usable();
        const at = o?.at ?? 0;
        if (this.totalBytes() - f.bytes.length + Math.max(f.bytes.length, at + buf.length) > this.quotaBytes) return 2 ** 32 - 8;
        if (this.step()) {
          put(buf.subarray(0, buf.length >> 1), at); // torn
          throw new FakeCrash();
        }
        put(buf, at);
        return buf.length;
      },
      truncate: (size) => {
        usable();
        if (this.step()) throw new FakeCrash();
        if (size <= f.bytes.length) f.bytes = f.bytes.slice(0, size);
        else put(new Uint8Array(size - f.bytes.length), f.bytes.length);
      },
      getSize: () => {
        usable();
        return f.bytes.length;
      },
      flush: () => {
        usable();
        if (this.step()) throw new FakeCrash();
      },
      close: () => {
        if (epoch === this.epoch && f.lock === lock) f.lock = null;
      },
    };
  }
}
