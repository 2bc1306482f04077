/**
 * A server's checkpoint: its ServerHost (the QuorumPeer, its election, sessions, watches,
 * outstanding changes, data tree, the PeerHost and DataDirStore, its links' bookkeeping) as a
 * GraphImage, plus the bytes of its dataDir. Restored over an empty Disk and stepped with the
 * same inputs, it gives exactly the outputs of the server it was taken from.
 *
 * The dataDir is recorded as its files' current bytes. A lockstep server completes every
 * flush inside handle() (deferFlush off), so between two handle() calls what is written is
 * what is durable; the checkpoint asserts that where the Disk can tell (MemoryDisk).
 */
import { assert } from '../../engine/util/assert.ts';
import { checkpointGraph, restoreGraph, type GraphImage } from '../../engine/util/checkpoint.ts';
import { readAll, type Disk } from '../storage/disk.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';
import type { ServerHost } from '../worker/server-host.ts';
import { checkpointRegistry } from './checkpoint-registry.ts';

/** A dataDir's files, path and bytes, in path order. */
export type DataDirFiles = readonly (readonly [string, Uint8Array])[];

export interface ServerCheckpoint {
  readonly host: GraphImage;
  readonly files: DataDirFiles;
}

/** The disk's files now (every one flushed, where the Disk can tell). */
export function dataDirFiles(disk: Disk): DataDirFiles {
  if (disk instanceof MemoryDisk) for (const path of disk.list()) assert(disk.unflushedOps(path) === 0, `checkpoint: ${path} has unflushed writes`);
  return [...readAll(disk)];
}

/** Makes `disk` hold exactly `files`, each flushed. */
export function writeDataDir(disk: Disk, files: DataDirFiles): void {
  for (const path of disk.list()) disk.delete(path);
  for (const [path, bytes] of files) {
    disk.write(path, bytes.slice(), 0);
    disk.flush(path);
  }
}

export function checkpointServer(host: ServerHost, disk: Disk): ServerCheckpoint {
  const image = checkpointGraph(host, checkpointRegistry(), new Map([[disk as object, 'disk']]));
  return { host: image, files: dataDirFiles(disk) };
}

/** The server of `cp`, over `disk` (which is made to hold the checkpoint's dataDir). */
export function restoreServer(cp: ServerCheckpoint, disk: Disk): ServerHost {
  writeDataDir(disk, cp.files);
  return restoreGraph<ServerHost>(cp.host, checkpointRegistry(), { disk });
}
