/**
 * `dump`, `wchs`, `wchc`, `wchp`: DumpCommand and WatchCommand of ZooKeeper 3.8.0.
 *
 * Java orders reproduced here:
 * - ExpiryQueue.dump sorts its buckets by time and prints every bucket, empty ones too (a
 *   bucket stays until its time passes);
 * - LearnerSessionTracker prints global sessions sorted as signed longs (TreeSet<Long>);
 * - DataTree.ephemerals is a ConcurrentHashMap<Long, HashSet<String>>;
 * - WatchManager.watchTable is a HashMap<String, …>, and each watcher's paths a HashSet<String>;
 *   watchers themselves hash by identity, so they keep the order they were added in.
 */
import { chmCreate, chmKeys, chmPut } from '../config/java-concurrent-hash-map.ts';
import { javaLongHash, javaLongHex } from '../config/java-lang.ts';
import type { SessionId } from '../protocol/ids.ts';
import { formatJavaDate } from '../util/java-date.ts';
import { grownCapacity, javaHashSetOrder } from '../util/java-hash.ts';
import type { ExpiryBucket, ServerStatusSnapshot, WatchStatus } from './status-snapshot.ts';

const hexId = (id: SessionId): string => `0x${javaLongHex(id)}`;

/** ExpiryQueue.dump after its caller's prefix: `Sets (buckets)/(elements):` then each bucket. */
export function expiryQueueText<T>(buckets: readonly ExpiryBucket<T>[], member: (m: T) => string): string {
  const elements = buckets.reduce((n, b) => n + b.members.length, 0);
  let out = `Sets (${buckets.length})/(${elements}):\n`;
  const sorted = [...buckets].sort((a, b) => a.expireAtEpochMs - b.expireAtEpochMs);
  for (const b of sorted) {
    out += `${b.members.length} expire at ${formatJavaDate(b.expireAtEpochMs)}:\n`;
    for (const m of b.members) out += `\t${member(m)}\n`;
  }
  return out;
}

function sessionTrackerText(s: ServerStatusSnapshot): string {
  const t = s.sessionTracker;
  let out = '';
  if (t.local) out += 'Local Session ' + expiryQueueText(t.local, hexId);
  if (t.kind === 'expiry') {
    return out + (t.local ? 'Global ' : '') + 'Session ' + expiryQueueText(t.buckets, hexId);
  }
  out += `Global Sessions(${t.sessions.length}):\n`;
  const sorted = [...t.sessions].sort((a, b) => {
    const x = BigInt.asIntN(64, a.sessionId);
    const y = BigInt.asIntN(64, b.sessionId);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const e of sorted) out += `${hexId(e.sessionId)}\t${e.timeoutMs}ms\n`;
  return out;
}

/** DataTree.dumpEphemerals. */
export function ephemeralsText(s: ServerStatusSnapshot): string {
  const m = chmCreate();
  const bySession = new Map<string, readonly string[]>();
  for (const e of s.ephemerals) {
    const id = javaLongHex(e.sessionId);
    chmPut(m, { id, hash: javaLongHash(e.sessionId) });
    bySession.set(id, e.paths);
  }
  let out = `Sessions with Ephemerals (${bySession.size}):\n`;
  for (const id of chmKeys(m)) {
    const paths = bySession.get(id)!;
    out += `0x${id}:\n`;
    for (const p of javaHashSetOrder(paths, grownCapacity(16, paths.length))) out += `\t${p}\n`;
  }
  return out;
}

/** DumpCommand. */
export function dumpText(s: ServerStatusSnapshot): string {
  const cnxn = (i: number): string => {
    const c = s.connections[i];
    return `ip: ${c.remoteAddress} sessionId: ${hexId(c.sessionId)}`;
  };
  return (
    'SessionTracker dump:\n' +
    sessionTrackerText(s) +
    'ephemeral nodes dump:\n' +
    ephemeralsText(s) +
    'Connections dump:\n' +
    'Connections ' +
    expiryQueueText(s.connectionExpiry, cnxn)
  );
}

interface WatchTables {
  /** watchTable: path -> watchers (session ids), paths in HashMap order */
  readonly byPath: Array<[string, SessionId[]]>;
  /** watch2Paths: watcher -> paths in HashSet order, watchers in the order they first watched */
  readonly byWatcher: Array<[SessionId, string[]]>;
  readonly total: number;
}

function watchTables(watches: readonly WatchStatus[]): WatchTables {
  const byPath = new Map<string, Map<number, SessionId>>();
  const byWatcher = new Map<number, { sessionId: SessionId; paths: Set<string> }>();
  for (const w of watches) {
    const watchers = byPath.get(w.path) ?? new Map<number, SessionId>();
    watchers.set(w.connection, w.sessionId);
    byPath.set(w.path, watchers);
    const entry = byWatcher.get(w.connection) ?? { sessionId: w.sessionId, paths: new Set<string>() };
    entry.paths.add(w.path);
    byWatcher.set(w.connection, entry);
  }
  const paths = javaHashSetOrder(byPath.keys(), grownCapacity(16, byPath.size));
  let total = 0;
  const watchers: Array<[SessionId, string[]]> = [];
  for (const { sessionId, paths: ps } of byWatcher.values()) {
    total += ps.size;
    watchers.push([sessionId, javaHashSetOrder(ps, grownCapacity(16, ps.size))]);
  }
  return { byPath: paths.map((p) => [p, [...byPath.get(p)!.values()]]), byWatcher: watchers, total };
}

/** WatchManager.toString + WatchCommand's newline. */
export function wchsText(s: ServerStatusSnapshot): string {
  const t = watchTables(s.dataWatches);
  return `${t.byWatcher.length} connections watching ${t.byPath.length} paths\nTotal watches:${t.total}\n`;
}

/** WatchManager.dumpWatches(byPath = false) + newline. */
export function wchcText(s: ServerStatusSnapshot): string {
  let out = '';
  for (const [sessionId, paths] of watchTables(s.dataWatches).byWatcher) {
    out += `${hexId(sessionId)}\n`;
    for (const p of paths) out += `\t${p}\n`;
  }
  return out + '\n';
}

/** WatchManager.dumpWatches(byPath = true) + newline. */
export function wchpText(s: ServerStatusSnapshot): string {
  let out = '';
  for (const [path, sessions] of watchTables(s.dataWatches).byPath) {
    out += `${path}\n`;
    for (const id of sessions) out += `\t${hexId(id)}\n`;
  }
  return out + '\n';
}
