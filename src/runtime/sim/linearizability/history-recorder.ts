/**
 * Records a client history while a simulation runs, for `checkOperations` afterwards.
 *
 * Theory of operation
 *   The host calls `invoke` when a client sends a request and `complete` when the reply
 *   arrives, both with the virtual time. A request whose outcome the client never learns
 *   (connection loss, session expiry, the run ended first) is simply never completed: it
 *   stays pending and `history()` gives it the model's unknown output and `return: null`,
 *   so it may have taken effect at any time after its call, or never.
 *
 *       invoke ──▶ in flight ──complete──▶ returned
 *                      └──── (never completed) ──▶ pending
 */
import { assert } from '../../../engine/util/assert.ts';
import type { Operation } from './model.ts';

/** A bound on recorded operations, so a runaway simulation fails loudly. */
export const recordedOperationsMax = 1_000_000;

export type RecordedOperationId = number;

export class HistoryRecorder<Input, Output> {
  private readonly ops: { clientId: number; input: Input; call: number; output?: Output; return: number | null }[] = [];

  invoke(clientId: number, input: Input, nowMs: number): RecordedOperationId {
    assert(this.ops.length < recordedOperationsMax, 'recordedOperationsMax exceeded');
    assert(Number.isFinite(nowMs), `invoke at time ${nowMs}`);
    this.ops.push({ clientId, input, call: nowMs, return: null });
    return this.ops.length - 1;
  }

  complete(id: RecordedOperationId, output: Output, nowMs: number): void {
    const op = this.ops[id];
    assert(op !== undefined, `no recorded operation ${id}`);
    assert(op.return === null, `operation ${id} completed twice`);
    assert(nowMs >= op.call, `operation ${id} returns at ${nowMs}, before its call at ${op.call}`);
    op.output = output;
    op.return = nowMs;
  }

  get size(): number {
    return this.ops.length;
  }

  /** The history so far; operations not completed get `unknownOutput` and `return: null`. */
  history(unknownOutput: Output): Operation<Input, Output>[] {
    return this.ops.map((op) => ({
      clientId: op.clientId,
      input: op.input,
      call: op.call,
      output: op.return === null ? unknownOutput : (op.output as Output),
      return: op.return,
    }));
  }
}
