/**
 * The iteration order of java.util.concurrent.ConcurrentHashMap (JDK 17), single-threaded.
 *
 * ZooKeeper leaks this order in two places the playground reproduces: java.util.Properties is
 * a ConcurrentHashMap since JDK 9, so zoo.cfg keys are processed (and their errors reported) in
 * this order, not file order; and `mntr` prints every metric map in this order.
 *
 * Theory of operation (ConcurrentHashMap.java):
 *   bin    = (n - 1) & spread(hashCode), spread(h) = (h ^ (h >>> 16)) & 0x7fffffff
 *   put    : a new key is appended to its bin's list (a tree bin, >= 8 keys in a table of
 *            >= 64, takes new keys at the head of its list);
 *   resize : after a put, while size >= sizeCtl (0.75 n), the table doubles. Each bin splits
 *            into bin i and bin i + n: the last run of keys that go to the same half keeps its
 *            order, the keys before it are pushed onto the front of their half one by one
 *            (so they come out reversed);
 *   a bin that reaches 9 keys while n < 64 makes the table grow instead (tryPresize);
 *   remove : unlinks the key; nothing shrinks;
 *   iterate: bins 0 .. n-1, each bin front to back.
 */
import { assert } from '../util/assert.ts';
import { javaStringHash } from '../util/java-hash.ts';

const treeifyThreshold = 8;
const untreeifyThreshold = 6;
const minTreeifyCapacity = 64;
const defaultCapacity = 16;
/** A bound on the table, far above any map ZooKeeper builds here (a Properties file, metrics). */
export const chmCapacityMax = 1 << 24;

export interface ChmKey {
  /** identity of the key (equals) */
  readonly id: string;
  /** hashCode() */
  readonly hash: number;
}

interface ChmBin {
  keys: ChmKey[];
  tree: boolean;
}

export interface ChmModel {
  table: ChmBin[] | null;
  /** 0 before the table exists (then 16 is used), or the initial capacity; then the resize threshold */
  sizeCtl: number;
  size: number;
}

/** `new ConcurrentHashMap<>()`, or `new ConcurrentHashMap<>(initialCapacity)`. */
export function chmCreate(initialCapacity?: number): ChmModel {
  if (initialCapacity === undefined) return { table: null, sizeCtl: 0, size: 0 };
  assert(initialCapacity >= 0, 'negative initial capacity');
  // JDK 17: cap = tableSizeFor((long)(1.0 + (long)initialCapacity / 0.75f))
  const size = Math.floor(1.0 + Math.fround(initialCapacity / Math.fround(0.75)));
  return { table: null, sizeCtl: tableSizeFor(size), size: 0 };
}

export function stringKey(s: string): ChmKey {
  return { id: s, hash: javaStringHash(s) };
}

function tableSizeFor(c: number): number {
  let n = 1;
  while (n < c && n < chmCapacityMax) n *= 2;
  return n;
}

function spread(h: number): number {
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

function initTable(m: ChmModel): ChmBin[] {
  const n = m.sizeCtl > 0 ? m.sizeCtl : defaultCapacity;
  const table: ChmBin[] = [];
  for (let i = 0; i < n; i++) table.push({ keys: [], tree: false });
  m.table = table;
  m.sizeCtl = n - (n >>> 2);
  return table;
}

/** put / putIfAbsent / computeIfAbsent of a key: a present key keeps its place. */
export function chmPut(m: ChmModel, key: ChmKey): void {
  const table = m.table ?? initTable(m);
  const n = table.length;
  const bin = table[(n - 1) & spread(key.hash)];
  if (bin.keys.some((k) => k.id === key.id)) return;
  let binCount = 0;
  if (bin.keys.length === 0) {
    bin.keys.push(key);
  } else if (bin.tree) {
    bin.keys.unshift(key);
    binCount = 2;
  } else {
    binCount = bin.keys.length;
    bin.keys.push(key);
    if (binCount >= treeifyThreshold) treeifyBin(m, (n - 1) & spread(key.hash));
  }
  m.size++;
  addCount(m);
  assert(m.size <= chmCapacityMax, 'ConcurrentHashMap model over chmCapacityMax');
}

export function chmRemove(m: ChmModel, id: string): void {
  if (!m.table) return;
  for (const bin of m.table) {
    const i = bin.keys.findIndex((k) => k.id === id);
    if (i < 0) continue;
    bin.keys.splice(i, 1);
    if (bin.tree && bin.keys.length <= untreeifyThreshold) bin.tree = false;
    m.size--;
    return;
  }
}

export function chmKeys(m: ChmModel): string[] {
  const out: string[] = [];
  for (const bin of m.table ?? []) for (const k of bin.keys) out.push(k.id);
  return out;
}

/** The iteration order of a map built by putting `keys` in this order into `new ConcurrentHashMap<>()`. */
export function chmOrder(keys: readonly string[], initialCapacity?: number): string[] {
  const m = chmCreate(initialCapacity);
  for (const k of keys) chmPut(m, stringKey(k));
  return chmKeys(m);
}

function addCount(m: ChmModel): void {
  for (let guard = 0; guard < 32; guard++) {
    const table = m.table!;
    if (m.size < m.sizeCtl || table.length >= chmCapacityMax) return;
    transfer(m);
  }
  assert(false, 'ConcurrentHashMap model: too many resizes');
}

function treeifyBin(m: ChmModel, index: number): void {
  const table = m.table!;
  if (table.length < minTreeifyCapacity) {
    tryPresize(m, table.length << 1);
  } else {
    table[index].tree = true;
  }
}

function tryPresize(m: ChmModel, size: number): void {
  const c = tableSizeFor(size + (size >>> 1) + 1);
  for (let guard = 0; guard < 32; guard++) {
    if (c <= m.sizeCtl || m.table!.length >= chmCapacityMax) return;
    transfer(m);
  }
  assert(false, 'ConcurrentHashMap model: too many presizes');
}

function transfer(m: ChmModel): void {
  const old = m.table!;
  const n = old.length;
  const next: ChmBin[] = [];
  for (let i = 0; i < 2 * n; i++) next.push({ keys: [], tree: false });
  for (let i = 0; i < n; i++) {
    const bin = old[i];
    if (bin.keys.length === 0) continue;
    const [lo, hi] = bin.tree ? splitTree(bin.keys, n) : splitList(bin.keys, n);
    next[i] = { keys: lo, tree: bin.tree && lo.length > untreeifyThreshold };
    next[i + n] = { keys: hi, tree: bin.tree && hi.length > untreeifyThreshold };
  }
  m.table = next;
  m.sizeCtl = 2 * n - (n >>> 1);
}

function splitTree(keys: readonly ChmKey[], n: number): [ChmKey[], ChmKey[]] {
  const lo = keys.filter((k) => (spread(k.hash) & n) === 0);
  const hi = keys.filter((k) => (spread(k.hash) & n) !== 0);
  return [lo, hi];
}

/** ConcurrentHashMap.transfer for a list bin: keep the last run, prepend the rest one by one. */
function splitList(keys: readonly ChmKey[], n: number): [ChmKey[], ChmKey[]] {
  const bit = (k: ChmKey): number => spread(k.hash) & n;
  let runBit = bit(keys[0]);
  let lastRun = 0;
  for (let p = 1; p < keys.length; p++) {
    const b = bit(keys[p]);
    if (b !== runBit) {
      runBit = b;
      lastRun = p;
    }
  }
  const run = keys.slice(lastRun);
  let lo: ChmKey[] = runBit === 0 ? run : [];
  let hi: ChmKey[] = runBit === 0 ? [] : run;
  for (let p = 0; p < lastRun; p++) {
    if (bit(keys[p]) === 0) lo = [keys[p], ...lo];
    else hi = [keys[p], ...hi];
  }
  return [lo, hi];
}
