/**
 * Sequential specifications and histories for the linearizability checker.
 *
 * Theory of operation
 *   A `Model` is a sequential specification of an object, written as a pure transition
 *   function: `step(state, input, output)` answers "could the object, in `state`, have
 *   answered `output` to `input`?" and gives the state after that. The checker
 *   (`checker.ts`) searches for an order of the operations of a concurrent history that
 *   respects real time and that the model accepts step by step (Herlihy & Wing 1990).
 *
 *   The model is the checker's only knowledge of the object, so it must be:
 *     - pure: `step` never mutates `state`, `input` or `output`; it returns a new state;
 *     - hashable: `equal(a, b)` implies `hash(a) === hash(b)`. The checker memoises
 *       (set of linearized operations, state) pairs (Lowe 2017), keyed by `hash`;
 *     - total on unknown outcomes: an operation whose outcome the client never learned
 *       (timeout, connection loss: Jepsen's `:info`) carries an "unknown" output that `step`
 *       must accept in every state, applying the operation's effect;
 *     - partitionable, optionally: when the object is a product of independent objects (a
 *       map whose operations each touch one key), `partition` splits a history into
 *       sub-histories that are linearizable together exactly when each one is
 *       (P-compositionality, Horn & Kroening 2015). Each sub-history is checked from
 *       `init()`, so `init` and `step` may model a single key.
 *
 *   A history is a list of `Operation`s with integer virtual times (closed intervals: two
 *   operations that share an instant are concurrent), or a list of `HistoryEvent`s (calls
 *   and returns in the order they happened, without times). An operation that never
 *   returned has `return: null` (or `Infinity`): it may take effect at any point after its
 *   call, or never.
 *
 *   Reference: anishathalye/porcupine `model.go` (Go, MIT), re-expressed in TypeScript.
 */

/** One call and its return. `call`/`return` are virtual times (ms in the simulator). */
export interface Operation<Input, Output> {
  readonly clientId: number;
  readonly input: Input;
  /** invocation time */
  readonly call: number;
  /** what the client saw; for an operation that never returned, the model's "unknown" output */
  readonly output: Output;
  /** response time; `null` or `Infinity` when the operation never returned */
  readonly return: number | null;
}

export type HistoryEventKind = 'call' | 'return';

/**
 * An element of an event-style history: a call or a return, matched by `id`. A call without a
 * return event is an operation that never returned; its `output` is taken from `unknownOutput`
 * given to `checkEvents`.
 */
export type HistoryEvent<Input, Output> =
  | { readonly clientId: number; readonly kind: 'call'; readonly id: number; readonly value: Input }
  | { readonly clientId: number; readonly kind: 'return'; readonly id: number; readonly value: Output };

export interface Model<State, Input, Output> {
  /** the initial state (of one partition, when `partition` is given) */
  init(): State;
  /** `[accepted, next state]`; must not mutate its arguments */
  step(state: State, input: Input, output: Output): readonly [boolean, State];
  equal(a: State, b: State): boolean;
  /** a canonical string; equal states must hash equal */
  hash(state: State): string;
  /**
   * Splits a history into independent sub-histories (P-compositionality). Must return the
   * same operation objects it was given (the checker maps them back by identity), each
   * exactly once. Omit it when operations are not independent.
   */
  partition?(history: readonly Operation<Input, Output>[]): Operation<Input, Output>[][];
  describeOperation(input: Input, output: Output): string;
  describeState(state: State): string;
}

/**
 * Groups operations by a key, keeping history order inside a group; groups come in order of
 * first appearance, so partitioning is deterministic.
 */
export function partitionByKey<Input, Output>(
  history: readonly Operation<Input, Output>[],
  keyOf: (input: Input) => string,
): Operation<Input, Output>[][] {
  const groups = new Map<string, Operation<Input, Output>[]>();
  for (const op of history) {
    const key = keyOf(op.input);
    const group = groups.get(key);
    if (group) group.push(op);
    else groups.set(key, [op]);
  }
  return [...groups.values()];
}

/** True when the operation never returned (its outcome is unknown). */
export function isPending(op: Operation<unknown, unknown>): boolean {
  return op.return === null || op.return === Infinity;
}
