/**
 * WatchManager: one table of watches by path, as ZooKeeper keeps one for data watches and one
 * for child watches (server/watch/WatchManager.java, 3.8.0).
 *
 * A watcher is a client connection (ZooKeeper's ServerCnxn); here it is the connection id.
 * Each (watcher, path) has exactly one mode, and setting a watch overwrites the mode, as in
 * 3.8.0 (so a standard watch set after a persistent one on the same path downgrades it; fixed
 * upstream only in 3.9 by ZOOKEEPER-4466).
 *
 * trigger(path, type) walks the path and, when any recursive watch exists, its ancestors:
 *   - recursive watches fire for every event type except NodeChildrenChanged, at the path or
 *     below it, and stay;
 *   - standard and persistent watches fire only at the exact path; standard ones are removed.
 *
 * With a journal (the server's tables), every registration and every removal that is not a
 * firing is recorded in order, so the server can trace "watch registered" and "watch removed"
 * (removeWatches, or the connection closing: WatchManager.removeWatcher(cnxn)). A standard watch
 * that fires leaves the table as part of firing and is not journaled as removed.
 */
import { EventType } from '../protocol/records.ts';
import { assert } from '../util/assert.ts';

export type WatcherMode = 'standard' | 'persistent' | 'persistentRecursive';
export type ConnId = number;

/** A bound on the number of watches one table holds; exceeding it is a bug in the host. */
export const watchesPerTableMax = 10_000_000;

/** One journaled change of a table: a watch added (or its mode changed), or removed unfired. */
export interface WatchChange {
  readonly what: 'added' | 'removed';
  readonly path: string;
  readonly watcher: ConnId;
  readonly mode: WatcherMode;
  readonly table: WatchTable;
}

/** The journal is drained by the server after each input; more than this means nobody drains it. */
export const watchJournalLengthMax = 10_000_000;

export class WatchManager {
  /** path -> watcher -> mode; Map keeps insertion order so firing order is deterministic. */
  private readonly table = new Map<string, Map<ConnId, WatcherMode>>();
  private readonly byWatcher = new Map<ConnId, Set<string>>();
  private recursiveCount = 0;
  private size = 0;
  private readonly journal: WatchChange[] | null;
  private readonly tableName: WatchTable;

  /**
   * `journal`: an array, owned and drained by the caller (both tables of a server share one, so
   * changes keep their order across tables); `table`: which table this is, for the journal.
   */
  constructor(options: { readonly journal?: WatchChange[]; readonly table?: WatchTable } = {}) {
    this.journal = options.journal ?? null;
    this.tableName = options.table ?? 'data';
  }

  add(path: string, watcher: ConnId, mode: WatcherMode): void {
    let watchers = this.table.get(path);
    if (!watchers) {
      watchers = new Map();
      this.table.set(path, watchers);
    }
    const old = watchers.get(watcher);
    if (old === undefined) this.size++;
    assert(this.size <= watchesPerTableMax, 'watch table over watchesPerTableMax');
    if (old === 'persistentRecursive') this.recursiveCount--;
    if (mode === 'persistentRecursive') this.recursiveCount++;
    watchers.set(watcher, mode);
    if (old !== mode) this.record({ what: 'added', path, watcher, mode, table: this.tableName });
    let paths = this.byWatcher.get(watcher);
    if (!paths) {
      paths = new Set();
      this.byWatcher.set(watcher, paths);
    }
    paths.add(path);
  }

  /** Fires the watches for one event; returns the watchers to notify, in order. */
  trigger(path: string, type: EventType, suppress?: ReadonlySet<ConnId>): ConnId[] {
    const fired: ConnId[] = [];
    const seen = new Set<ConnId>();
    const paths = this.recursiveCount > 0 ? pathAndAncestors(path) : [path];
    for (let i = 0; i < paths.length; i++) {
      const localPath = paths[i];
      const atParent = i > 0;
      const watchers = this.table.get(localPath);
      if (!watchers) continue;
      for (const [watcher, mode] of [...watchers]) {
        if (mode === 'persistentRecursive') {
          if (type !== EventType.NodeChildrenChanged && !seen.has(watcher)) {
            seen.add(watcher);
            fired.push(watcher);
          }
        } else if (!atParent) {
          if (!seen.has(watcher)) {
            seen.add(watcher);
            fired.push(watcher);
          }
          if (mode === 'standard') this.removeOne(localPath, watcher);
        }
      }
    }
    return suppress ? fired.filter((w) => !suppress.has(w)) : fired;
  }

  /** Removes a watcher's watch on path; with `modes`, only watches of those modes. */
  remove(path: string, watcher: ConnId, modes?: readonly WatcherMode[]): boolean {
    const mode = this.table.get(path)?.get(watcher);
    if (mode === undefined) return false;
    if (modes && !modes.includes(mode)) return false;
    this.removeOne(path, watcher);
    this.record({ what: 'removed', path, watcher, mode, table: this.tableName });
    return true;
  }

  has(path: string, watcher: ConnId, modes?: readonly WatcherMode[]): boolean {
    const mode = this.table.get(path)?.get(watcher);
    if (mode === undefined) return false;
    return !modes || modes.includes(mode);
  }

  modeOf(path: string, watcher: ConnId): WatcherMode | undefined {
    return this.table.get(path)?.get(watcher);
  }

  /** Drops every watch of a connection (ServerCnxn closed). */
  removeWatcher(watcher: ConnId): void {
    const paths = this.byWatcher.get(watcher);
    if (!paths) return;
    for (const path of [...paths]) {
      const mode = this.table.get(path)?.get(watcher);
      this.removeOne(path, watcher);
      if (mode !== undefined) this.record({ what: 'removed', path, watcher, mode, table: this.tableName });
    }
    this.byWatcher.delete(watcher);
  }

  /** wchp: path -> watchers */
  byPath(): ReadonlyMap<string, ReadonlyMap<ConnId, WatcherMode>> {
    return this.table;
  }

  /** wchc: watcher -> paths */
  pathsOf(watcher: ConnId): readonly string[] {
    return [...(this.byWatcher.get(watcher) ?? [])];
  }

  watchers(): ConnId[] {
    return [...this.byWatcher.keys()];
  }

  count(): number {
    return this.size;
  }

  private record(change: WatchChange): void {
    if (this.journal === null) return;
    assert(this.journal.length < watchJournalLengthMax, 'watch journal over watchJournalLengthMax: never drained');
    this.journal.push(change);
  }

  private removeOne(path: string, watcher: ConnId): void {
    const watchers = this.table.get(path);
    if (!watchers) return;
    const mode = watchers.get(watcher);
    if (mode === undefined) return;
    if (mode === 'persistentRecursive') this.recursiveCount--;
    watchers.delete(watcher);
    this.size--;
    if (watchers.size === 0) this.table.delete(path);
    const paths = this.byWatcher.get(watcher);
    if (paths) {
      paths.delete(path);
      if (paths.size === 0) this.byWatcher.delete(watcher);
    }
    assert(this.size >= 0, 'watch count below zero');
  }
}

/** "/a/b" -> ["/a/b", "/a", "/"] (PathParentIterator). */
export function pathAndAncestors(path: string): string[] {
  const out = [path];
  let p = path;
  for (let depth = 0; p !== '/' && depth < 10_000; depth++) {
    const i = p.lastIndexOf('/');
    p = i <= 0 ? '/' : p.slice(0, i);
    out.push(p);
  }
  return out;
}

/** Which of the server's two tables a watch is in (DataTree.dataWatches / childWatches). */
export type WatchTable = 'data' | 'child';

/** Why a watch left its table without firing. */
export type WatchRemovalCause =
  /** the client's removeWatches request (zkCli `removewatches`, with -c / -d / -a) */
  | 'removeWatches'
  /** the connection closed (client gone, server closed it, role change): removeWatcher(cnxn) */
  | 'connectionClosed'
  /** closeSession committed (the client closed it, or it expired): its connection is closed */
  | 'sessionEnded';

/** "data", "child", "persistent data", "persistent recursive child" */
export function describeWatchKind(table: WatchTable, mode: WatcherMode): string {
  switch (mode) {
    case 'standard': return table;
    case 'persistent': return `persistent ${table}`;
    case 'persistentRecursive': return `persistent recursive ${table}`;
  }
}

/** "data watch on /a removed: removeWatches" */
export function describeWatchRemoval(table: WatchTable, mode: WatcherMode, path: string, cause: WatchRemovalCause, sessionIdHex: string): string {
  const why = cause === 'removeWatches' ? `removeWatches by session ${sessionIdHex}`
    : cause === 'sessionEnded' ? `session ${sessionIdHex} ended (closeSession)`
      : `connection of session ${sessionIdHex} closed`;
  return `${describeWatchKind(table, mode)} watch on ${path} removed: ${why}`;
}
