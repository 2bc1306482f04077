/**
 * The one printer of linearizability verdicts: a failure report a person can act on.
 *
 * Theory of operation
 *   A verdict of 'illegal' means that no order of the operations fits both real time and the
 *   model. The most useful evidence is the longest prefix the search could linearize, replayed
 *   through the model so each line shows the state it led to, and the operation that could not
 *   follow it (it returned, so it must have taken effect, but no pending candidate, itself
 *   included, was accepted after that prefix). Operations concurrent with the stuck one are
 *   listed too: they are the candidates the search tried.
 */
import { assert } from '../../../engine/util/assert.ts';
import type { CheckResult, PartitionCheck } from './checker.ts';
import type { Model, Operation } from './model.ts';

/** Lines printed per list before eliding the middle. */
export const describeLinesMax = 40;

export function describeCheck<State, Input, Output>(
  model: Model<State, Input, Output>,
  check: CheckResult<Input, Output>,
): string {
  const total = check.partitions.length;
  const lines = [
    `linearizability: ${check.result} (${check.operations.length} operations, ` +
      `${total} partition${total === 1 ? '' : 's'}, ${check.steps} steps)`,
  ];
  check.partitions.forEach((partition, p) => {
    if (partition.result === 'ok' || partition.result === 'unchecked') return;
    lines.push(...describePartition(model, check, partition, `partition ${p + 1} of ${total}`));
  });
  return lines.join('\n');
}

function describePartition<State, Input, Output>(
  model: Model<State, Input, Output>,
  check: CheckResult<Input, Output>,
  partition: PartitionCheck,
  title: string,
): string[] {
  const lines = [
    `${title}: ${partition.result}, ${partition.operations.length} operations, ${partition.steps} steps`,
    `  longest linearizable prefix: ${partition.longestPrefix.length} operations`,
  ];
  let state = model.init();
  lines.push(`     initial state ${model.describeState(state)}`);
  const prefix = partition.longestPrefix;
  prefix.forEach((index, k) => {
    const op = check.operations[index];
    const [accepted, next] = model.step(state, op.input, op.output);
    assert(accepted, `the longest prefix does not replay at operation ${index}`);
    state = next;
    if (elided(k, prefix.length)) return;
    lines.push(`  ${String(k + 1).padStart(3)}. ${describeOp(model, check, index)}  → ${model.describeState(state)}`);
  });
  if (prefix.length > describeLinesMax) lines.push(`       (${prefix.length - describeLinesMax} lines elided)`);
  const stuck = partition.stuckOperation;
  if (stuck === null) return lines;
  lines.push(`  stuck at: ${describeOp(model, check, stuck)}`);
  lines.push('    it returned, so it took effect by then, but after the prefix neither it nor any');
  lines.push('    operation concurrent with it can be linearized; concurrent and not in the prefix:');
  const inPrefix = new Set(prefix);
  const concurrent = partition.operations.filter(
    (i) => i !== stuck && !inPrefix.has(i) && overlaps(check.operations[i], check.operations[stuck]),
  );
  concurrent.slice(0, describeLinesMax).forEach((i) => lines.push(`      ${describeOp(model, check, i)}`));
  if (concurrent.length > describeLinesMax) lines.push(`      (${concurrent.length - describeLinesMax} more)`);
  return lines;
}

function elided(k: number, length: number): boolean {
  const half = describeLinesMax / 2;
  return length > describeLinesMax && k >= half && k < length - half;
}

function describeOp<State, Input, Output>(
  model: Model<State, Input, Output>,
  check: CheckResult<Input, Output>,
  index: number,
): string {
  const op = check.operations[index];
  const id = check.eventIds === null ? `#${index}` : `event ${check.eventIds[index]}`;
  const ret = op.return === null || op.return === Infinity ? '∞' : String(op.return);
  return `${id} client ${op.clientId} [${op.call}, ${ret}] ${model.describeOperation(op.input, op.output)}`;
}

function overlaps(a: Operation<unknown, unknown>, b: Operation<unknown, unknown>): boolean {
  const aReturn = a.return ?? Infinity;
  const bReturn = b.return ?? Infinity;
  return a.call <= bReturn && b.call <= aReturn;
}
