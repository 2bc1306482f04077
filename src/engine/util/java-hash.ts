/**
 * Java's HashSet<String> iteration order, which ZooKeeper leaks to clients: getChildren
 * returns a DataNode's children in HashSet order (zkCli sorts `ls`, but `ls -R`, deleteall and
 * getEphemerals print the server's order). To be faithful we reproduce it.
 *
 * A HashMap iterates bucket by bucket; bucket = spread(hashCode) & (capacity - 1), with
 * spread(h) = h ^ (h >>> 16); within a bucket, entries keep insertion order (resizes split
 * buckets but keep relative order). Capacity only grows: it doubles when size exceeds
 * 0.75 * capacity, and never shrinks on removal.
 */

/** String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export function javaBucket(s: string, capacity: number): number {
  const h = javaStringHash(s);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

/** `items` in insertion order (a JS Set's order) -> the order a Java HashSet iterates them. */
export function javaHashSetOrder(items: Iterable<string>, capacity: number): string[] {
  const list = [...items];
  const n = list.length;
  if (n < 2) return list;
  const bucket = new Int32Array(n);
  for (let i = 0; i < n; i++) bucket[i] = javaBucket(list[i], capacity);
  const out = new Array<string>(n);
  if (capacity > 4 * n + 64) {
    // a set that grew and then shrank: sort the few items rather than count over the table
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((x, y) => bucket[x] - bucket[y] || x - y);
    for (let i = 0; i < n; i++) out[i] = list[order[i]];
    return out;
  }
  // a stable counting sort by bucket: the snapshot walk and getChildren of a node with 100,000
  // children (a comparison sort of {s, i, b} records was most of the snapshot walk's time)
  const start = new Int32Array(capacity + 1);
  for (let i = 0; i < n; i++) start[bucket[i] + 1]++;
  for (let b = 0; b < capacity; b++) start[b + 1] += start[b];
  for (let i = 0; i < n; i++) out[start[bucket[i]]++] = list[i];
  return out;
}

/** Capacity after growing from `capacity` to hold `size` entries (resize when size > 0.75 cap). */
export function grownCapacity(capacity: number, size: number): number {
  let cap = capacity;
  for (let i = 0; i < 40 && size > cap * 0.75; i++) cap *= 2;
  return cap;
}

/** HashMap.tableSizeFor(size / 0.75f + 1): the capacity of `new HashSet<>(collection)` / clone(). */
export function copyCapacity(size: number): number {
  if (size === 0) return 16;
  const t = Math.floor(Math.fround(size / 0.75) + 1);
  let cap = 1;
  while (cap < t) cap *= 2;
  return cap;
}
