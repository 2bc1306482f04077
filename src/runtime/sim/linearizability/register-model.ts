/**
 * A compare-and-set register: the object of Jepsen's etcd and ZooKeeper tests (Knossos's
 * `cas-register`), used for the etcd fixtures and as the simplest example of a `Model`.
 *
 * Theory of operation
 *   State: the value, or null while the register is empty.
 *     read            → ok(value)  when value equals the state (null reads an empty register)
 *     write(v)        → ok         always; the state becomes v
 *     read, write     → fail       always, and nothing changes (Jepsen: it did not happen)
 *     cas(from, to)   → ok         exactly when the state equals from; the state becomes to
 *                     → fail       exactly when it differs; the state is unchanged
 *     any, unknown    → accepted in every state; a write or a matching cas takes effect
 *   `unknown` is the output of an operation whose completion was never seen (Jepsen `:info`,
 *   or a read that timed out).
 */
import { assertNever } from '../../../engine/util/assert.ts';
import type { Model } from './model.ts';

export type RegisterValue = number | null;

export type RegisterInput =
  | { readonly type: 'read' }
  | { readonly type: 'write'; readonly value: number }
  | { readonly type: 'cas'; readonly from: number; readonly to: number };

export type RegisterOutput =
  | { readonly type: 'ok'; readonly value?: RegisterValue }
  | { readonly type: 'fail' }
  | { readonly type: 'unknown' };

export const registerModel: Model<RegisterValue, RegisterInput, RegisterOutput> = {
  init: () => null,
  step(state, input, output) {
    const unknown = output.type === 'unknown';
    switch (input.type) {
      case 'read':
        return [output.type !== 'ok' || (output.value ?? null) === state, state];
      case 'write':
        return [true, output.type === 'fail' ? state : input.value];
      case 'cas': {
        const matches = state === input.from;
        const accepted = unknown || (matches ? output.type === 'ok' : output.type === 'fail');
        return [accepted, matches ? input.to : state];
      }
      default:
        return assertNever(input, 'register input');
    }
  },
  equal: (a, b) => a === b,
  hash: (state) => (state === null ? 'nil' : String(state)),
  describeOperation(input, output) {
    const result = output.type === 'ok' ? 'ok' : output.type;
    switch (input.type) {
      case 'read':
        return output.type === 'ok' ? `read() -> ${describeValue(output.value ?? null)}` : `read() -> ${result}`;
      case 'write':
        return `write(${input.value}) -> ${result}`;
      case 'cas':
        return `cas(${input.from}, ${input.to}) -> ${result}`;
      default:
        return assertNever(input, 'register input');
    }
  },
  describeState: describeValue,
};

function describeValue(value: RegisterValue): string {
  return value === null ? 'nil' : String(value);
}
