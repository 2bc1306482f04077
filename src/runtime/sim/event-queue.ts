/**
 * A priority queue of timed events ordered by (time, seq): the total order that makes a
 * simulated run reproducible (TigerBeetle's packet simulator; STYLE.md 11).
 */
export interface Timed<T> {
  readonly time: number;
  readonly seq: number;
  readonly value: T;
}

export class EventQueue<T> {
  private heap: Timed<T>[] = [];
  private seq = 0;

  push(time: number, value: T): void {
    const item = { time, seq: this.seq++, value };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  peek(): Timed<T> | undefined {
    return this.heap[0];
  }

  pop(): Timed<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Removes every event for which `drop` is true (e.g. packets of a broken connection). */
  filter(keep: (value: T) => boolean): void {
    const kept = this.heap.filter((e) => keep(e.value));
    this.heap = [];
    for (const e of kept.sort((a, b) => (before(a, b) ? -1 : 1))) this.heap.push(e);
  }
}

function before<T>(a: Timed<T>, b: Timed<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
