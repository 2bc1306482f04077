/**
 * The doubly linked list of call and return entries that the Wing & Gong search walks.
 *
 * Theory of operation
 *   Every operation becomes a call entry at its invocation time and a return entry at its
 *   response time. Entries are sorted by time, calls before returns at equal times (closed
 *   intervals: operations that share an instant are concurrent), and otherwise in history
 *   order, so the same history always gives the same list. A sentinel head (node 0) precedes
 *   them:
 *
 *       head ⇄ call#0 ⇄ call#1 ⇄ return#0 ⇄ call#2 ⇄ return#1 ⇄ return#2 → nil
 *
 *   The list is stored as parallel typed arrays indexed by node number (struct of arrays):
 *   `next`/`prev` links (-1 is nil), `op` (the operation's index in the partition), `matchOf`
 *   (for a call node, its return node; -1 for a return node).
 *
 *   `lift(call)` unlinks a call and its return when the search linearizes the operation;
 *   `unlift(call)` relinks them when the search backtracks. Lifted nodes keep their own links,
 *   and lifts are undone in LIFO order, so unlift restores the list exactly (Porcupine's
 *   `lift`/`unlift`, after Knuth's dancing links).
 */
import { assert } from '../../../engine/util/assert.ts';

export const nil = -1;
export const head = 0;

export interface EntryTimes {
  readonly call: number;
  /** Infinity for an operation that never returned */
  readonly ret: number;
}

export class EntryList {
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly op: Int32Array;
  readonly matchOf: Int32Array;

  constructor(ops: readonly EntryTimes[]) {
    const count = ops.length * 2 + 1;
    this.next = new Int32Array(count);
    this.prev = new Int32Array(count);
    this.op = new Int32Array(count).fill(nil);
    this.matchOf = new Int32Array(count).fill(nil);
    const order = sortedEntries(ops);
    const callNode = new Int32Array(ops.length).fill(nil);
    for (let k = 0; k < order.length; k++) {
      const node = k + 1;
      const entry = order[k];
      const op = entry >> 1;
      this.op[node] = op;
      if ((entry & 1) === 0) {
        callNode[op] = node;
      } else {
        assert(callNode[op] !== nil, `return of operation ${op} sorted before its call`);
        this.matchOf[callNode[op]] = node;
      }
    }
    for (let node = 0; node < count; node++) {
      this.next[node] = node + 1 < count ? node + 1 : nil;
      this.prev[node] = node - 1;
    }
  }

  isCall(node: number): boolean {
    return this.matchOf[node] !== nil;
  }

  isEmpty(): boolean {
    return this.next[head] === nil;
  }

  lift(call: number): void {
    const { next, prev } = this;
    const ret = this.matchOf[call];
    assert(ret !== nil, `lift of a return node ${call}`);
    // A call is always followed by its own return, so next[call] is never nil.
    next[prev[call]] = next[call];
    prev[next[call]] = prev[call];
    next[prev[ret]] = next[ret];
    if (next[ret] !== nil) prev[next[ret]] = prev[ret];
  }

  unlift(call: number): void {
    const { next, prev } = this;
    const ret = this.matchOf[call];
    assert(ret !== nil, `unlift of a return node ${call}`);
    next[prev[ret]] = ret;
    if (next[ret] !== nil) prev[next[ret]] = ret;
    next[prev[call]] = call;
    prev[next[call]] = call;
  }
}

/**
 * Entries encoded as `op * 2 + kind` (kind 0 = call, 1 = return), sorted by time, calls
 * first at equal times, then by encoding (history order). `Array.prototype.sort` is stable,
 * and the comparator never subtracts times, since two Infinity returns would give NaN.
 *
 * The call of an operation that never returned is placed later among calls: just before the
 * first return at or after its call time. Its position relative to every return is the same,
 * so the real-time order and the candidates the search may pick are unchanged; only the order
 * of trying changes. Trying pending operations last means the search first reaches nodes with
 * fewer pending operations linearized, which then subsume the nodes with more (checker.ts).
 */
function sortedEntries(ops: readonly EntryTimes[]): number[] {
  const returnTimes: number[] = [];
  for (let op = 0; op < ops.length; op++) {
    const { call, ret } = ops[op];
    assert(Number.isFinite(call), `operation ${op}: call time ${call} is not finite`);
    assert(!Number.isNaN(ret) && ret >= call, `operation ${op}: return ${ret} precedes call ${call}`);
    if (ret !== Infinity) returnTimes.push(ret);
  }
  returnTimes.sort((a, b) => a - b);
  const keyTime: number[] = [];
  const keyRank: number[] = [];
  const entries: number[] = [];
  for (let op = 0; op < ops.length; op++) {
    const { call, ret } = ops[op];
    const pending = ret === Infinity;
    entries.push(op * 2, op * 2 + 1);
    keyTime.push(pending ? firstAtOrAfter(returnTimes, call) : call, ret);
    keyRank.push(pending ? 1 : 0, 2);
  }
  entries.sort((a, b) => {
    const ta = keyTime[a];
    const tb = keyTime[b];
    if (ta !== tb) return ta < tb ? -1 : 1;
    if (keyRank[a] !== keyRank[b]) return keyRank[a] - keyRank[b];
    return a - b;
  });
  return entries;
}

/** The first time in `sorted` at or after `t`, or Infinity. */
function firstAtOrAfter(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? sorted[lo] : Infinity;
}
