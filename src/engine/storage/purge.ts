/**
 * PurgeTxnLog.purge as ZooKeeper 3.8.0 runs it from DatadirCleanupManager's PurgeTask
 * (zoo.cfg `autopurge.purgeInterval` hours, `autopurge.snapRetainCount` snapshots, at least 3):
 *
 *   1. FileTxnSnapLog.findNValidSnapshots(n): the snapshots newest first (Util.sortDataDir),
 *      keeping those SnapStream.isValidSnapshot accepts (a name that parses and, in CHECKED
 *      mode, a sealed tail), until n are found;
 *   2. if there are any, the oldest of them names leastZxidToBeRetain;
 *   3. every `log.<zxid>` and `snapshot.<zxid>` with zxid < leastZxidToBeRetain is removed,
 *      except the logs getSnapshotLogs(leastZxidToBeRetain) returns (FileTxnLog.getLogFiles:
 *      the newest log starting at or before it and every later one), which may hold txns after
 *      the snapshot. The current log file is the newest one, so it is never removed.
 *
 * ZooKeeper prints each removal as `Removing file: <lastModified date>\t<path>`; a dataDir here
 * has no modification times, so the note carries the path only.
 */
import { baseName, getLogFiles, logPrefix, snapshotPrefix, sortDataDir, zxidFromName } from './data-dir.ts';
import type { Zxid } from '../protocol/ids.ts';

/** PurgeTxnLog's floor on the count (DatadirCleanupManager is given the config's, raised to 3). */
export const snapRetainCountMin = 3;

export interface PurgePlan {
  /** the oldest snapshot kept, or null: no valid snapshot, nothing is removed */
  readonly leastZxidToBeRetain: Zxid | null;
  /** files to delete: logs, then snapshots, each in ascending zxid order */
  readonly remove: readonly string[];
}

/**
 * What one purge removes from the dataDir holding `paths`. `isValidSnapshot(path)` is
 * SnapStream.isValidSnapshot (the caller reads the file's tail).
 */
export function purgePlan(paths: readonly string[], retainCount: number, isValidSnapshot: (path: string) => boolean): PurgePlan {
  const n = Math.max(snapRetainCountMin, Math.trunc(retainCount));
  const valid: string[] = [];
  for (const path of sortDataDir(paths, snapshotPrefix, false)) {
    if (zxidFromName(baseName(path), snapshotPrefix) === -1n || !isValidSnapshot(path)) continue;
    valid.push(path);
    if (valid.length === n) break;
  }
  if (valid.length === 0) return { leastZxidToBeRetain: null, remove: [] };
  const least = zxidFromName(baseName(valid[valid.length - 1]), snapshotPrefix);
  const retainedLogs = new Set(getLogFiles(paths, least));
  const older = (prefix: string) => (path: string): boolean => {
    const zxid = zxidFromName(baseName(path), prefix);
    return zxid < least && !retainedLogs.has(path);
  };
  const logs = sortDataDir(paths, logPrefix, true).filter(older(logPrefix));
  const snapshots = sortDataDir(paths, snapshotPrefix, true).filter(older(snapshotPrefix));
  return { leastZxidToBeRetain: least, remove: [...logs, ...snapshots] };
}
