/**
 * Random concurrent histories that are linearizable by construction, for testing the checker
 * (and anything that consumes histories) without a cluster.
 *
 * Theory of operation
 *   Virtual time advances one tick at a time. Clients take turns in a seeded random order;
 *   each client is in one of three phases:
 *
 *       idle ──invoke (call = now)──▶ invoked ──apply──▶ applied ──return (= now)──▶ idle
 *
 *   `apply` runs the sequential implementation at that instant: the order of applies is the
 *   linearization, and each apply lies inside its operation's interval, so the history is
 *   linearizable. Some invocations are marked pending (the client "timed out"): they never
 *   return, their output is the unknown one, they may apply later or never, and their client
 *   is retired for a fresh id, as Jepsen does.
 */
import { assert } from '../../../engine/util/assert.ts';
import type { Rng } from '../rng.ts';
import type { Operation } from './model.ts';

/** A bound on generator ticks; beyond it the options cannot finish (a bug). */
export const generatorTicksMax = 10_000_000;

export interface SequentialSpec<State, Input, Output> {
  init(): State;
  /** the output and next state; deterministic */
  apply(state: State, input: Input): readonly [Output, State];
  readonly unknownOutput: Output;
}

export interface GeneratorOptions<Input> {
  readonly clients: number;
  readonly operations: number;
  /** the next input of a client */
  readonly input: (rng: Rng, clientId: number) => Input;
  /** per client per tick, in [0, 1] */
  readonly invokeChance?: number;
  readonly applyChance?: number;
  readonly returnChance?: number;
  /** chance that an invocation never returns */
  readonly pendingChance?: number;
}

interface InFlight<Input, Output> {
  readonly index: number;
  readonly pending: boolean;
  applied: boolean;
  output?: Output;
  input: Input;
}

export function generateHistory<State, Input, Output>(
  spec: SequentialSpec<State, Input, Output>,
  rng: Rng,
  options: GeneratorOptions<Input>,
): Operation<Input, Output>[] {
  assert(options.clients > 0 && options.operations >= 0, 'generator needs clients');
  const ops: { clientId: number; input: Input; call: number; output: Output; return: number | null }[] = [];
  const clientIds = Array.from({ length: options.clients }, (_v, i) => i);
  const inFlight = new Map<number, InFlight<Input, Output>>();
  let nextClientId = options.clients;
  let state = spec.init();
  let done = 0;
  for (let now = 0; done < options.operations || inFlight.size > 0; now++) {
    assert(now < generatorTicksMax, 'history generator did not finish');
    for (const slot of shuffled(rng, clientIds.length)) {
      const clientId = clientIds[slot];
      const op = inFlight.get(clientId);
      if (op === undefined) {
        if (ops.length >= options.operations || !rng.chance(options.invokeChance ?? 0.3)) continue;
        const input = options.input(rng, clientId);
        const pending = rng.chance(options.pendingChance ?? 0);
        inFlight.set(clientId, { index: ops.length, pending, applied: false, input });
        ops.push({ clientId, input, call: now, output: spec.unknownOutput, return: null });
      } else if (!op.applied) {
        if (!rng.chance(options.applyChance ?? 0.4)) continue;
        [op.output, state] = spec.apply(state, op.input);
        op.applied = true;
      } else if (op.pending) {
        inFlight.delete(clientId);
        clientIds[slot] = nextClientId++;
        done++;
      } else if (rng.chance(options.returnChance ?? 0.4)) {
        ops[op.index].output = op.output as Output;
        ops[op.index].return = now;
        inFlight.delete(clientId);
        done++;
      }
    }
    retireUnapplied(rng, ops.length >= options.operations, inFlight, clientIds, () => {
      done++;
      return nextClientId++;
    });
  }
  return ops;
}

/**
 * Once every operation is invoked, a pending operation that has not applied may give up for
 * good (it never takes effect), so that the generator terminates.
 */
function retireUnapplied<Input, Output>(
  rng: Rng,
  allInvoked: boolean,
  inFlight: Map<number, InFlight<Input, Output>>,
  clientIds: number[],
  retire: () => number,
): void {
  if (!allInvoked) return;
  for (let slot = 0; slot < clientIds.length; slot++) {
    const op = inFlight.get(clientIds[slot]);
    if (op === undefined || !op.pending || op.applied || !rng.chance(0.5)) continue;
    inFlight.delete(clientIds[slot]);
    clientIds[slot] = retire();
  }
}

/** A seeded Fisher–Yates permutation of 0..n-1. */
function shuffled(rng: Rng, n: number): number[] {
  const order = Array.from({ length: n }, (_v, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
