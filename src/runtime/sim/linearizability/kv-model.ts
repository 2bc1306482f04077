/**
 * A string key-value store with get, put and append (the model of Porcupine's kv test data),
 * in two forms: partitioned by key (one string of state per key), and whole (a map), which
 * must give the same verdicts, only slower.
 *
 * Theory of operation
 *   Every key starts as the empty string.
 *     get(k)         → ok(v)   when v equals the key's value
 *     put(k, v)      → ok      the key's value becomes v
 *     append(k, v)   → ok      the key's value becomes value + v
 *   `unknown` (never completed) is accepted in every state and applies the write.
 */
import { assertNever } from '../../../engine/util/assert.ts';
import { partitionByKey, type Model } from './model.ts';

export type KvInput =
  | { readonly type: 'get'; readonly key: string }
  | { readonly type: 'put'; readonly key: string; readonly value: string }
  | { readonly type: 'append'; readonly key: string; readonly value: string };

export type KvOutput =
  | { readonly type: 'ok'; readonly value?: string }
  | { readonly type: 'unknown' };

/** One key's value; `partition` splits the history by key. */
export const kvModel: Model<string, KvInput, KvOutput> = {
  init: () => '',
  step: (state, input, output) => stepValue(state, input, output),
  equal: (a, b) => a === b,
  hash: (state) => state,
  partition: (history) => partitionByKey(history, (input) => input.key),
  describeOperation: describeKvOperation,
  describeState: (state) => JSON.stringify(state),
};

/**
 * The whole store: values by key (a key holding '' is absent, since absent keys read as ''),
 * with a digest maintained incrementally so that hashing a state is O(1) even when appends
 * make values long: each key contributes mix(FNV(key) ^ FNV(value)) to an XOR, and an
 * append extends the value's FNV-1a over the appended text only.
 */
export interface KvMap {
  readonly values: ReadonlyMap<string, string>;
  readonly valueHashes: ReadonlyMap<string, number>;
  readonly digest: number;
}

/** The whole store as one object: no partitioning. */
export const kvWholeModel: Model<KvMap, KvInput, KvOutput> = {
  init: () => ({ values: new Map(), valueHashes: new Map(), digest: 0 }),
  step(state, input, output) {
    const before = state.values.get(input.key) ?? '';
    const [accepted, after] = stepValue(before, input, output);
    if (!accepted || after === before) return [accepted, state];
    return [true, withValue(state, input.key, after, input.type === 'append' ? input.value : null)];
  },
  equal: (a, b) => a.digest === b.digest && sameValues(a.values, b.values),
  hash: (state) => String(state.digest),
  describeOperation: describeKvOperation,
  describeState(state) {
    const keys = [...state.values.keys()].sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}=${JSON.stringify(state.values.get(k))}`).join(', ')}}`;
  },
};

function withValue(state: KvMap, key: string, value: string, appended: string | null): KvMap {
  const values = new Map(state.values);
  const valueHashes = new Map(state.valueHashes);
  let digest = state.digest;
  const oldHash = valueHashes.get(key);
  if (oldHash !== undefined) digest ^= pairHash(key, oldHash);
  if (value === '') {
    values.delete(key);
    valueHashes.delete(key);
    return { values, valueHashes, digest };
  }
  const newHash = appended !== null && oldHash !== undefined ? fnv1a(oldHash, appended) : fnv1a(fnvOffset, value);
  values.set(key, value);
  valueHashes.set(key, newHash);
  return { values, valueHashes, digest: digest ^ pairHash(key, newHash) };
}

function sameValues(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

const fnvOffset = 0x811c9dc5;

function fnv1a(seed: number, text: string): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function pairHash(key: string, valueHash: number): number {
  let z = fnv1a(fnvOffset, key) ^ Math.imul(valueHash, 0x9e3779b1);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function stepValue(state: string, input: KvInput, output: KvOutput): readonly [boolean, string] {
  switch (input.type) {
    case 'get':
      return [output.type === 'unknown' || (output.value ?? '') === state, state];
    case 'put':
      return [true, input.value];
    case 'append':
      return [true, state + input.value];
    default:
      return assertNever(input, 'kv input');
  }
}

function describeKvOperation(input: KvInput, output: KvOutput): string {
  const suffix = output.type === 'unknown' ? ' -> unknown' : '';
  switch (input.type) {
    case 'get':
      return output.type === 'ok' ? `get('${input.key}') -> '${output.value ?? ''}'` : `get('${input.key}')${suffix}`;
    case 'put':
      return `put('${input.key}', '${input.value}')${suffix}`;
    case 'append':
      return `append('${input.key}', '${input.value}')${suffix}`;
    default:
      return assertNever(input, 'kv input');
  }
}
