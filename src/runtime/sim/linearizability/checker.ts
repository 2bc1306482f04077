/**
 * A linearizability checker: Porcupine's algorithm (Wing & Gong 1993 search, Lowe 2017
 * memoisation, Horn & Kroening 2015 P-compositionality), in TypeScript, deterministic.
 *
 * Theory of operation
 *   1. Partition. `model.partition` splits the history into independent sub-histories; each
 *      is checked from `model.init()`. The history is linearizable exactly when every
 *      partition is. Partitions are searched round-robin in doubling slices of steps (Porcupine
 *      runs them in parallel), so an easy illegal one is found behind a hard legal one.
 *   2. Entry list (`entry-list.ts`). Each operation becomes a call entry and a return entry,
 *      sorted by time (calls first at equal times), linked behind a sentinel head.
 *   3. Search, iterative, with an explicit stack of (call node, state before it):
 *
 *        entry = head.next
 *        loop while some operation that returned is not linearized:
 *          call entry   → step the model; if it accepts and the node (linearized set ∪ {op},
 *                         new state) is not in the memo cache: add it to the cache, push,
 *                         lift the op's entries, entry = head.next (restart).
 *                         Otherwise entry = entry.next (try the next concurrent call).
 *          return entry → this op should have taken effect by now and no candidate works:
 *                         stack empty → illegal; else pop, restore state, unlift,
 *                         entry = popped.next (try the next alternative).
 *        → ok; the stack, bottom to top, is a witness linearization.
 *
 *      Only calls before the first remaining return are ever tried: that is the real-time
 *      order ("an operation that returned before another was invoked comes first").
 *   4. Pending operations (`return: null`/`Infinity`, Jepsen's `:info`) have their return
 *      entries after every real one, so they never force a backtrack. They may be linearized
 *      anywhere after their call; once every operation that did return is linearized, the
 *      search stops, and pending operations not linearized never took effect (a history with
 *      pending operations is linearizable when some completion of it is; Herlihy & Wing 1990).
 *      Since a pending operation may always be left out, a node (R ∪ Q, s) — R returned and Q
 *      pending operations linearized, state s — can reach success only if (R ∪ Q', s) can for
 *      any Q' ⊆ Q: every completion of the former is one of the latter. So the memo cache is
 *      keyed by (R, s) and holds the minimal Q's seen; a node is pruned when some cached Q' is
 *      a subset of its Q (exact matches included). Without pending operations this is
 *      Lowe's cache exactly; with them it cuts the 2^pending blow-up of info-heavy histories.
 *   5. Budget. The problem is NP-complete, so the search counts its steps (one per entry
 *      visited) against `stepsMax`, shared by all partitions, and answers 'unknown' when it
 *      runs out. No wall clock: the same history and budget always give the same answer
 *      and the same witness.
 *   6. Explanation. Every time the search backtracks it remembers the deepest stack it has
 *      seen (the longest linearizable prefix) and the operation whose return forced the
 *      backtrack; `describeCheck` prints them. `computePartial` also keeps Porcupine's
 *      per-operation longest partial linearizations, for a visualiser.
 *
 *   Reference: anishathalye/porcupine `checker.go` (Go, MIT), re-expressed in TypeScript.
 */
import { assert } from '../../../engine/util/assert.ts';
import { hashText32, LinearizedSet } from './bitset.ts';
import { EntryList, head, nil } from './entry-list.ts';
import type { HistoryEvent, Model, Operation } from './model.ts';

/**
 * Default search budget: steps (entries visited), summed over partitions. About a second of
 * search per million steps; the memo cache grows by at most one entry per step.
 */
export const stepsMaxDefault = 10_000_000;
/** The first round's slice of steps per partition (see `schedule`). */
export const sliceStepsMin = 4_096;
/** Slices double each round, so 64 rounds cover any safe-integer budget. */
const roundsMax = 64;

export type CheckVerdict = 'ok' | 'illegal' | 'unknown';
/**
 * 'unknown': the budget ran out before this partition was decided; 'unchecked': another
 * partition was found illegal first, so this one was left undecided.
 */
export type PartitionVerdict = CheckVerdict | 'unchecked';

export interface CheckOptions {
  /** search budget in steps, shared by all partitions; beyond it the answer is 'unknown' */
  readonly stepsMax?: number;
  /** keep Porcupine's per-operation longest partial linearizations (costs time on backtracks) */
  readonly computePartial?: boolean;
}

export interface EventCheckOptions<Output> extends CheckOptions {
  /** the output given to an operation whose call has no return event */
  readonly unknownOutput?: Output;
}

/** Operations are referred to by their index in `CheckResult.operations`. */
export interface PartitionCheck {
  readonly result: PartitionVerdict;
  /** this partition's operations, in history order */
  readonly operations: readonly number[];
  /** when ok: a witness order; operations left out never returned and never took effect */
  readonly linearization: readonly number[] | null;
  /** the longest prefix the search could linearize so far (when ok: the linearization) */
  readonly longestPrefix: readonly number[];
  /** the operation whose return ended the longest prefix: nothing could be linearized next */
  readonly stuckOperation: number | null;
  /** with `computePartial`: distinct maximal partial linearizations (Porcupine's format) */
  readonly partialLinearizations: readonly (readonly number[])[] | null;
  readonly steps: number;
}

export interface CheckResult<Input, Output> {
  readonly result: CheckVerdict;
  /** the operations checked; for `checkEvents`, built from the events */
  readonly operations: readonly Operation<Input, Output>[];
  /** for `checkEvents`: the event id of each operation */
  readonly eventIds: readonly number[] | null;
  readonly partitions: readonly PartitionCheck[];
  readonly steps: number;
}

/** Checks a history of operations with virtual call/return times. */
export function checkOperations<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
  options: CheckOptions = {},
): CheckResult<Input, Output> {
  const stepsMax = options.stepsMax ?? stepsMaxDefault;
  assert(Number.isSafeInteger(stepsMax) && stepsMax >= 0, `stepsMax ${stepsMax}`);
  const parts = splitHistory(model, history);
  const computePartial = options.computePartial ?? false;
  const searches = parts.map((indices) => new PartitionSearch(model, indices.map((i) => history[i]), computePartial));
  const verdicts = schedule(searches, stepsMax);
  const steps = searches.reduce((sum, search) => sum + search.steps, 0);
  assert(steps <= stepsMax, `search overran its budget: ${steps} > ${stepsMax}`);
  const partitions = parts.map((indices, p) => partitionCheck(searches[p], indices, verdicts[p]));
  const result = verdicts.includes('illegal') ? 'illegal' : verdicts.includes('unknown') ? 'unknown' : 'ok';
  return { result, operations: history, eventIds: null, partitions, steps };
}

/**
 * Runs the partitions' searches round-robin, each round granting every undecided partition
 * a slice of steps twice the last round's, until one is illegal, all are decided, or the
 * budget is spent. Porcupine checks partitions in parallel and stops at the first illegal
 * one; this is the deterministic equivalent: an easy illegal partition is found quickly even
 * behind a hard linearizable one.
 */
function schedule(searches: readonly PartitionSearch<unknown, unknown, unknown>[], stepsMax: number): PartitionVerdict[] {
  const verdicts: (PartitionVerdict | null)[] = searches.map(() => null);
  let spent = 0;
  let slice = sliceStepsMin;
  for (let round = 0; round < roundsMax; round++) {
    for (let p = 0; p < searches.length; p++) {
      if (verdicts[p] !== null) continue;
      const before = searches[p].steps;
      const outcome = searches[p].run(Math.min(slice, stepsMax - spent));
      spent += searches[p].steps - before;
      if (outcome === 'paused') continue;
      verdicts[p] = outcome;
      if (outcome === 'illegal') return verdicts.map((v) => v ?? 'unchecked');
    }
    if (!verdicts.includes(null)) return verdicts as PartitionVerdict[];
    if (spent >= stepsMax) return verdicts.map((v) => v ?? 'unknown');
    slice *= 2;
  }
  return assert(false, 'the partition schedule ran out of rounds') as never;
}

/**
 * Checks an event-style history: calls and returns in the order they happened, matched by
 * id. An event's position is its time.
 */
export function checkEvents<State, Input, Output>(
  model: Model<State, Input, Output>,
  events: readonly HistoryEvent<Input, Output>[],
  options: EventCheckOptions<Output> = {},
): CheckResult<Input, Output> {
  const { operations, eventIds } = eventsToOperations(events, options);
  const check = checkOperations(model, operations, options);
  return { ...check, eventIds };
}

/** Event positions become times; a call without a return gets `unknownOutput`, return null. */
export function eventsToOperations<Input, Output>(
  events: readonly HistoryEvent<Input, Output>[],
  options: { readonly unknownOutput?: Output } = {},
): { operations: Operation<Input, Output>[]; eventIds: number[] } {
  const indexOfId = new Map<number, number>();
  const calls: { clientId: number; input: Input; call: number }[] = [];
  const returns: ({ output: Output; ret: number } | null)[] = [];
  const eventIds: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.kind === 'call') {
      assert(!indexOfId.has(event.id), `event id ${event.id} is called twice`);
      indexOfId.set(event.id, calls.length);
      calls.push({ clientId: event.clientId, input: event.value, call: i });
      returns.push(null);
      eventIds.push(event.id);
    } else {
      const index = indexOfId.get(event.id);
      assert(index !== undefined, `return event ${event.id} has no call before it`);
      assert(returns[index] === null, `event id ${event.id} returns twice`);
      returns[index] = { output: event.value, ret: i };
    }
  }
  const operations = calls.map((c, index): Operation<Input, Output> => {
    const r = returns[index];
    if (r !== null) return { clientId: c.clientId, input: c.input, call: c.call, output: r.output, return: r.ret };
    assert('unknownOutput' in options, `event ${eventIds[index]} never returned: pass unknownOutput`);
    return { clientId: c.clientId, input: c.input, call: c.call, output: options.unknownOutput as Output, return: null };
  });
  return { operations, eventIds };
}

/** Partitions as lists of history indices, via `model.partition` and operation identity. */
function splitHistory<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
): number[][] {
  const all = history.map((_op, i) => i);
  if (!model.partition) return history.length === 0 ? [] : [all];
  const indexOf = new Map<Operation<Input, Output>, number>();
  history.forEach((op, i) => indexOf.set(op, i));
  assert(indexOf.size === history.length, 'the history holds the same operation object twice');
  const seen = new Uint8Array(history.length);
  const parts: number[][] = [];
  let total = 0;
  for (const part of model.partition(history)) {
    const indices = part.map((op) => {
      const index = indexOf.get(op);
      assert(index !== undefined, 'partition() returned an operation that is not in the history');
      assert(seen[index] === 0, `partition() returned operation ${index} twice`);
      seen[index] = 1;
      return index;
    });
    total += indices.length;
    if (indices.length > 0) parts.push(indices.sort((a, b) => a - b));
  }
  assert(total === history.length, `partition() dropped ${history.length - total} operations`);
  return parts;
}

function partitionCheck(
  search: PartitionSearch<unknown, unknown, unknown>,
  indices: readonly number[],
  result: PartitionVerdict,
): PartitionCheck {
  const global = (local: readonly number[]): number[] => local.map((i) => indices[i]);
  const witness = result === 'ok' ? search.stackOps() : null;
  const stuck = result === 'ok' || search.stuckOp === nil ? null : indices[search.stuckOp];
  return {
    result,
    operations: indices,
    linearization: witness === null ? null : global(witness),
    longestPrefix: global(witness ?? search.longestPrefix),
    stuckOperation: stuck,
    partialLinearizations: search.computePartial ? search.partialLinearizations(result).map(global) : null,
    steps: search.steps,
  };
}

interface Frame<State> {
  readonly node: number;
  readonly state: State;
}

/**
 * One (linearized returned operations, state) pair, with the sets of linearized pending
 * operations it was reached with: an antichain, since a superset is subsumed (header, 4).
 */
interface CacheEntry<State> {
  readonly returned: Uint32Array;
  readonly state: State;
  pendingSets: Uint32Array[];
}

/** One partition's search (see the header, step 3). */
class PartitionSearch<State, Input, Output> {
  steps = 0;
  longestPrefix: number[] = [];
  stuckOp = nil;
  readonly computePartial: boolean;
  private readonly list: EntryList;
  /** linearized operations that returned: the memo cache's key */
  private readonly returnedSet: LinearizedSet;
  /** linearized operations that never returned: compared by inclusion within a cache entry */
  private readonly pendingSet: LinearizedSet;
  private readonly cache = new Map<number, CacheEntry<State>[]>();
  private readonly stack: Frame<State>[] = [];
  private readonly pending: Uint8Array;
  private readonly longestByOp: (number[] | undefined)[] | null;
  private state: State;
  /** the entry to visit next; kept between slices so the search can pause and resume */
  private node: number;
  private returnedLeft = 0;
  private decided = false;

  constructor(
    private readonly model: Model<State, Input, Output>,
    private readonly ops: readonly Operation<Input, Output>[],
    computePartial: boolean,
  ) {
    const times = ops.map((op) => ({ call: op.call, ret: op.return ?? Infinity }));
    this.list = new EntryList(times);
    this.returnedSet = new LinearizedSet(ops.length);
    this.pendingSet = new LinearizedSet(ops.length);
    this.pending = new Uint8Array(ops.length);
    times.forEach((t, i) => {
      if (t.ret === Infinity) this.pending[i] = 1;
      else this.returnedLeft++;
    });
    this.computePartial = computePartial;
    this.longestByOp = computePartial ? new Array<number[] | undefined>(ops.length) : null;
    this.state = model.init();
    this.node = this.list.next[head];
  }

  /** Searches for up to `stepsAllowed` more steps. */
  run(stepsAllowed: number): 'ok' | 'illegal' | 'paused' {
    assert(!this.decided, 'run() after the partition was decided');
    const list = this.list;
    const stepsStop = this.steps + stepsAllowed;
    let node = this.node;
    while (this.returnedLeft > 0) {
      if (this.steps >= stepsStop) {
        this.node = node;
        return 'paused';
      }
      this.steps++;
      assert(node !== nil, 'the search walked off the end of the entry list');
      if (list.isCall(node)) {
        node = this.tryLinearize(node);
      } else if (this.stack.length > 0) {
        node = this.backtrack(node);
      } else {
        this.noteBacktrack(node);
        this.decided = true;
        return 'illegal';
      }
    }
    this.decided = true;
    return 'ok';
  }

  stackOps(): number[] {
    return this.stack.map((frame) => this.list.op[frame.node]);
  }

  /** Linearizes the call's operation now if the model accepts it; returns the next entry. */
  private tryLinearize(node: number): number {
    const list = this.list;
    const op = list.op[node];
    const { input, output } = this.ops[op];
    const [accepted, next] = this.model.step(this.state, input, output);
    if (!accepted) return list.next[node];
    const set = this.pending[op] === 0 ? this.returnedSet : this.pendingSet;
    set.add(op);
    if (!this.cacheInsert(next)) {
      set.remove(op);
      return list.next[node];
    }
    this.stack.push({ node, state: this.state });
    this.state = next;
    list.lift(node);
    if (this.pending[op] === 0) this.returnedLeft--;
    return list.next[head];
  }

  /** Undoes the most recent linearization; returns the entry after the undone call. */
  private backtrack(returnNode: number): number {
    this.noteBacktrack(returnNode);
    const frame = this.stack.pop()!;
    const op = this.list.op[frame.node];
    this.state = frame.state;
    (this.pending[op] === 0 ? this.returnedSet : this.pendingSet).remove(op);
    this.list.unlift(frame.node);
    if (this.pending[op] === 0) this.returnedLeft++;
    return this.list.next[frame.node];
  }

  /**
   * True when the search has not been at (linearized set, state) before, nor at a node that
   * subsumes it: the same returned operations and state with fewer pending ones linearized.
   * Then remembers it.
   */
  private cacheInsert(state: State): boolean {
    const key = this.returnedSet.cacheKey(hashText32(this.model.hash(state)));
    let bucket = this.cache.get(key);
    if (bucket === undefined) {
      bucket = [];
      this.cache.set(key, bucket);
    }
    const pendingSet = this.pendingSet;
    for (const entry of bucket) {
      if (!this.returnedSet.equalsSnapshot(entry.returned) || !this.model.equal(state, entry.state)) continue;
      if (entry.pendingSets.some((visited) => pendingSet.includesSnapshot(visited))) return false;
      entry.pendingSets = entry.pendingSets.filter((visited) => !pendingSet.isIncludedInSnapshot(visited));
      entry.pendingSets.push(pendingSet.snapshot());
      return true;
    }
    bucket.push({ returned: this.returnedSet.snapshot(), state, pendingSets: [pendingSet.snapshot()] });
    return true;
  }

  /** Remembers the deepest prefix seen, and Porcupine's per-operation longest prefixes. */
  private noteBacktrack(returnNode: number): void {
    const depth = this.stack.length;
    if (depth > this.longestPrefix.length || this.stuckOp === nil) {
      this.longestPrefix = this.stackOps();
      this.stuckOp = this.list.op[returnNode];
    }
    const longestByOp = this.longestByOp;
    if (longestByOp === null || depth === 0) return;
    let prefix: number[] | null = null;
    for (const frame of this.stack) {
      const op = this.list.op[frame.node];
      const known = longestByOp[op];
      if (known === undefined || depth > known.length) {
        prefix ??= this.stackOps();
        longestByOp[op] = prefix;
      }
    }
  }

  /** Distinct prefixes, in order of first use by an operation (deterministic). */
  partialLinearizations(result: PartitionVerdict): number[][] {
    if (result === 'ok') return [this.stackOps()];
    const distinct = new Set<number[]>();
    for (const prefix of this.longestByOp ?? []) if (prefix !== undefined) distinct.add(prefix);
    return [...distinct];
  }
}
