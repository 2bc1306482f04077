/**
 * A first-in first-out queue whose `shift` is O(1): an array and the index of its head, the
 * taken slots cleared (so what was taken can be collected) and cut off once they are more than
 * half of the array (OutstandingChanges keeps its queue the same way).
 *
 * Why not `Array.prototype.shift`: V8 moves an array's start in place only when it may (not in
 * large-object space, not while the GC is marking); otherwise it copies every element. In a
 * live profile of 20,000 pipelined creates those copies were ~7 % of the leader's samples
 * (the txn log, the proposals in flight and the client's request queue each shifted once per
 * write: bench/README.md, fix 24).
 */
export class Fifo<T> implements Iterable<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** Slots taken before the array is cut (and only when they are more than half of it). */
  static readonly compactAfter = 1024;

  get length(): number {
    return this.items.length - this.head;
  }

  /** The i-th element from the head (0: the next `shift`), undefined out of range. */
  at(i: number): T | undefined {
    return i < 0 || i >= this.length ? undefined : this.items[this.head + i];
  }

  first(): T | undefined {
    return this.at(0);
  }

  last(): T | undefined {
    return this.at(this.length - 1);
  }

  push(x: T): void {
    this.items.push(x);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > Fifo.compactAfter && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return x;
  }

  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }

  find(pred: (x: T) => boolean): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const x = this.items[i] as T;
      if (pred(x)) return x;
    }
    return undefined;
  }

  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}
