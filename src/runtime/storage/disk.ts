/**
 * A server's dataDir as the storage layer sees it: files by relative path ('myid',
 * 'version-2/log.1'), synchronous, small — the shape of OPFS's FileSystemSyncAccessHandle
 * (read/write at an offset, getSize, truncate, flush) plus the few directory operations a
 * dataDir needs (list, rename, delete).
 *
 * Durability: `write` and `truncate` are buffered; only `flush(path)` (fsync) makes a file's
 * content durable. `rename` and `delete` are durable when they return (a journaled file
 * system's metadata; ZooKeeper's AtomicFileOutputStream relies on rename the same way).
 * Creating a file by writing to it makes the (empty) file durable at once; its bytes are not.
 *
 * An IO failure throws; the runtime turns it into a crashed server (STYLE.md 13).
 */
export interface Disk {
  /** every file's path, sorted */
  list(): string[];
  exists(path: string): boolean;
  getSize(path: string): number;
  /** `length` bytes from `at` (default: all of it); reading past the end returns fewer */
  read(path: string, at?: number, length?: number): Uint8Array;
  /** writes `bytes` at byte offset `at`, or at the end; creates the file if missing. The bytes are copied: the caller may reuse its buffer */
  write(path: string, bytes: Uint8Array, at: number | 'append'): void;
  /** shortens (or zero-extends) the file to `size` bytes */
  truncate(path: string, size: number): void;
  /** fsync: everything written to this file so far survives a crash */
  flush(path: string): void;
  /** atomically replaces `to` with `from` */
  rename(from: string, to: string): void;
  delete(path: string): void;
}

/** A bound on the files of one dataDir; beyond it is a bug (nothing purges logs). */
export const diskFilesMax = 100_000;

/** Every file's current content by path: what `recover` reads. */
export function readAll(disk: Disk): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const paths = disk.list();
  if (paths.length > diskFilesMax) throw new Error(`dataDir holds ${paths.length} files, over diskFilesMax`);
  for (const path of paths) out.set(path, disk.read(path));
  return out;
}
