import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { checkEvents, checkOperations, type CheckResult } from './checker.ts';
import { describeCheck } from './describe-check.ts';
import { kvModel, type KvInput, type KvOutput } from './kv-model.ts';
import type { HistoryEvent, Model, Operation } from './model.ts';
import { registerModel, type RegisterInput, type RegisterOutput } from './register-model.ts';

// Porcupine's first test model: a register holding an int, starting at 0, with put and get.
type PutGet = { put: true; value: number } | { put: false };
type PutGetOut = number | 'unknown' | null;

const putGetModel: Model<number, PutGet, PutGetOut> = {
  init: () => 0,
  step: (state, input, output) => (input.put ? [true, input.value] : [output === 'unknown' || output === state, state]),
  equal: (a, b) => a === b,
  hash: (s) => String(s),
  describeOperation: (input, output) => (input.put ? `put(${input.value})` : `get() -> ${String(output)}`),
  describeState: (s) => String(s),
};

const put = (value: number): PutGet => ({ put: true, value });
const get: PutGet = { put: false };

function op<I, O>(clientId: number, input: I, call: number, output: O, ret: number | null): Operation<I, O> {
  return { clientId, input, call, output, return: ret };
}

/** The witness respects real time and replays through the model. */
function expectValidWitness<S, I, O>(model: Model<S, I, O>, check: CheckResult<I, O>): void {
  for (const partition of check.partitions) {
    const order = partition.linearization!;
    let state = model.init();
    order.forEach((index, k) => {
      const current = check.operations[index];
      const [accepted, next] = model.step(state, current.input, current.output);
      expect(accepted).toBe(true);
      state = next;
      for (const later of order.slice(k + 1)) {
        const laterReturn = check.operations[later].return ?? Infinity;
        expect(laterReturn < current.call).toBe(false);
      }
    });
    const missing = partition.operations.filter((i) => !order.includes(i));
    for (const i of missing) expect(check.operations[i].return ?? Infinity).toBe(Infinity);
  }
}

describe('checker: Porcupine register cases (6.824 2017 quiz II, section VII)', () => {
  it('accepts a linearizable history, as operations and as events', () => {
    const ops = [op(0, put(100), 0, null, 100), op(1, get, 25, 100, 75), op(2, get, 30, 0, 60)];
    const check = checkOperations(putGetModel, ops);
    expect(check.result).toBe('ok');
    expectValidWitness(putGetModel, check);
    const events: HistoryEvent<PutGet, PutGetOut>[] = [
      { clientId: 0, kind: 'call', value: put(100), id: 0 },
      { clientId: 1, kind: 'call', value: get, id: 1 },
      { clientId: 2, kind: 'call', value: get, id: 2 },
      { clientId: 2, kind: 'return', value: 0, id: 2 },
      { clientId: 1, kind: 'return', value: 100, id: 1 },
      { clientId: 0, kind: 'return', value: null, id: 0 },
    ];
    expect(checkEvents(putGetModel, events).result).toBe('ok');
  });

  it('rejects a read of the old value after a read of the new one', () => {
    const ops = [op(0, put(200), 0, null, 100), op(1, get, 10, 200, 30), op(2, get, 40, 0, 90)];
    const check = checkOperations(putGetModel, ops);
    expect(check.result).toBe('illegal');
    expect(check.partitions[0].stuckOperation).toBe(2);
    expect(describeCheck(putGetModel, check)).toContain('stuck at: #2 client 2 [40, 90] get() -> 0');
    const events: HistoryEvent<PutGet, PutGetOut>[] = [
      { clientId: 0, kind: 'call', value: put(200), id: 0 },
      { clientId: 1, kind: 'call', value: get, id: 1 },
      { clientId: 1, kind: 'return', value: 200, id: 1 },
      { clientId: 2, kind: 'call', value: get, id: 2 },
      { clientId: 2, kind: 'return', value: 0, id: 2 },
      { clientId: 0, kind: 'return', value: null, id: 0 },
    ];
    const eventCheck = checkEvents(putGetModel, events);
    expect(eventCheck.result).toBe('illegal');
    expect(describeCheck(putGetModel, eventCheck)).toContain('stuck at: event 2');
  });

  it('treats intervals as closed: operations sharing an instant are concurrent', () => {
    const ok = [op(0, put(100), 0, null, 100), op(1, get, 25, 100, 75), op(2, get, 30, 0, 30), op(3, get, 30, 0, 30)];
    expect(checkOperations(putGetModel, ok).result).toBe('ok');
    const bad = [op(0, put(200), 0, null, 100), op(1, get, 10, 200, 10), op(2, get, 10, 200, 10), op(3, get, 40, 0, 90)];
    expect(checkOperations(putGetModel, bad).result).toBe('illegal');
    const touching = [op(0, put(1), 0, null, 10), op(1, get, 10, 0, 20)];
    expect(checkOperations(putGetModel, touching).result).toBe('ok');
    const apart = [op(0, put(1), 0, null, 9), op(1, get, 10, 0, 20)];
    expect(checkOperations(putGetModel, apart).result).toBe('illegal');
  });

  it('accepts empty histories and reports no partitions for them', () => {
    const check = checkOperations(putGetModel, []);
    expect(check.result).toBe('ok');
    expect(check.partitions).toEqual([]);
  });
});

describe('checker: operations that never returned (info)', () => {
  const unknown = 'unknown' as const;

  it('lets a pending write take effect at any point after its call', () => {
    const ops = [op(0, put(1), 0, unknown, null), op(1, get, 5, 0, 10), op(1, get, 20, 1, 30), op(2, get, 40, 1, 50)];
    const check = checkOperations(putGetModel, ops);
    expect(check.result).toBe('ok');
    expectValidWitness(putGetModel, check);
  });

  it('lets a pending write never take effect', () => {
    const ops = [op(0, put(1), 0, unknown, null), op(1, get, 5, 0, 10), op(1, get, 1000, 0, 1010)];
    const check = checkOperations(putGetModel, ops);
    expect(check.result).toBe('ok');
    expect(check.partitions[0].linearization).toEqual([1, 2]);
  });

  it('does not let a pending write take effect before its call, nor be undone', () => {
    const early = [op(1, get, 0, 1, 5), op(0, put(1), 10, unknown, null)];
    expect(checkOperations(putGetModel, early).result).toBe('illegal');
    const undone = [op(0, put(1), 0, unknown, null), op(1, get, 5, 1, 10), op(1, get, 20, 0, 30)];
    expect(checkOperations(putGetModel, undone).result).toBe('illegal');
  });

  it('accepts a history of pending operations only', () => {
    const ops = [op(0, put(1), 0, unknown, null), op(1, put(2), 0, unknown, Infinity)];
    expect(checkOperations(putGetModel, ops).result).toBe('ok');
  });

  it('takes calls without a return event as pending, given unknownOutput', () => {
    const events: HistoryEvent<PutGet, PutGetOut>[] = [
      { clientId: 0, kind: 'call', value: put(7), id: 10 },
      { clientId: 1, kind: 'call', value: get, id: 11 },
      { clientId: 1, kind: 'return', value: 7, id: 11 },
    ];
    expect(() => checkEvents(putGetModel, events)).toThrow(/unknownOutput/);
    const check = checkEvents(putGetModel, events, { unknownOutput: unknown });
    expect(check.result).toBe('ok');
    expect(check.eventIds).toEqual([10, 11]);
    expect(check.operations[0].return).toBeNull();
  });
});

describe('checker: budget, partitions, explanations', () => {
  const kvOps: Operation<KvInput, KvOutput>[] = [
    op(0, { type: 'put', key: 'x', value: 'a' }, 0, { type: 'ok' }, 10),
    op(1, { type: 'put', key: 'y', value: 'b' }, 0, { type: 'ok' }, 10),
    op(2, { type: 'get', key: 'x' }, 20, { type: 'ok', value: 'a' }, 30),
    op(2, { type: 'get', key: 'y' }, 40, { type: 'ok', value: '' }, 50),
    op(0, { type: 'append', key: 'z', value: 'c' }, 60, { type: 'ok' }, 70),
  ];

  it('names the illegal partition and leaves later ones unchecked', () => {
    const check = checkOperations(kvModel, kvOps);
    expect(check.result).toBe('illegal');
    expect(check.partitions.map((p) => p.result)).toEqual(['ok', 'illegal', 'unchecked']);
    expect(check.partitions[1].operations).toEqual([1, 3]);
    expect(check.partitions[1].longestPrefix).toEqual([1]);
    expect(check.partitions[1].stuckOperation).toBe(3);
    const text = describeCheck(kvModel, check);
    expect(text).toContain('partition 2 of 3: illegal');
    expect(text).toContain("put('y', 'b')");
    expect(text).toContain("stuck at: #3 client 2 [40, 50] get('y') -> ''");
  });

  it('answers unknown when the step budget runs out, deterministically', () => {
    const ops = Array.from({ length: 12 }, (_v, i) => op<PutGet, PutGetOut>(i, put(i), 0, null, 100));
    ops.push(op(99, get, 200, 42, 300));
    const a = checkOperations(putGetModel, ops, { stepsMax: 500 });
    const b = checkOperations(putGetModel, ops, { stepsMax: 500 });
    expect(a.result).toBe('unknown');
    expect(a.steps).toBe(500);
    expect(b).toEqual(a);
    expect(checkOperations(putGetModel, ops).result).toBe('illegal');
  });

  it('computes Porcupine-style partial linearizations on request', () => {
    const ops = [op(0, put(200), 0, null, 100), op(1, get, 10, 200, 30), op(2, get, 40, 0, 90)];
    const check = checkOperations(putGetModel, ops, { computePartial: true });
    const partials = check.partitions[0].partialLinearizations!;
    expect(partials.length).toBeGreaterThan(0);
    expect(partials).toContainEqual([0, 1]);
    expect(checkOperations(putGetModel, ops).partitions[0].partialLinearizations).toBeNull();
  });

  it('rejects a partition function that loses or invents operations', () => {
    const lossy: Model<number, PutGet, PutGetOut> = { ...putGetModel, partition: (h) => [h.slice(1)] };
    expect(() => checkOperations(lossy, [op(0, put(1), 0, null, 1), op(1, get, 2, 1, 3)])).toThrow(/dropped/);
    const inventing: Model<number, PutGet, PutGetOut> = { ...putGetModel, partition: (h) => [h.map((o) => ({ ...o }))] };
    expect(() => checkOperations(inventing, [op(0, put(1), 0, null, 1)])).toThrow(/not in the history/);
  });

  it('rejects malformed histories', () => {
    expect(() => checkOperations(putGetModel, [op(0, get, 10, 0, 5)])).toThrow(/precedes/);
    const shared = op(0, get, 0, 0, 1);
    expect(() => checkOperations({ ...putGetModel, partition: (h) => [[...h]] }, [shared, shared])).toThrow(/twice/);
  });
});

// Cross-check against a brute-force search over every order and every subset of pending ops.
describe('checker agrees with brute force on small random register histories', () => {
  function randomHistory(rng: Rng): Operation<RegisterInput, RegisterOutput>[] {
    const n = rng.int(1, 6);
    return Array.from({ length: n }, (_v, clientId) => {
      const call = rng.int(0, 12);
      const pending = rng.chance(0.15);
      const ret = pending ? null : call + rng.int(0, 8);
      const kind = rng.int(0, 2);
      const value = (): number | null => (rng.chance(0.2) ? null : rng.int(0, 2));
      if (kind === 0) {
        return op(clientId, { type: 'read' }, call, pending ? { type: 'unknown' } : { type: 'ok', value: value() }, ret);
      }
      if (kind === 1) return op(clientId, { type: 'write', value: rng.int(0, 2) }, call, pending ? { type: 'unknown' } : { type: 'ok' }, ret);
      const output: RegisterOutput = pending ? { type: 'unknown' } : { type: rng.chance(0.5) ? 'ok' : 'fail' };
      return op(clientId, { type: 'cas', from: rng.int(0, 2), to: rng.int(0, 2) }, call, output, ret);
    });
  }

  it('on 3000 seeded histories', () => {
    const rng = new Rng(20240601);
    const verdicts = { ok: 0, illegal: 0 };
    for (let trial = 0; trial < 3000; trial++) {
      const history = randomHistory(rng);
      const expected = bruteForceLinearizable(registerModel, history) ? 'ok' : 'illegal';
      const check = checkOperations(registerModel, history);
      expect(check.result, JSON.stringify(history)).toBe(expected);
      if (expected === 'ok') expectValidWitness(registerModel, check);
      verdicts[expected]++;
    }
    expect(verdicts.ok).toBeGreaterThan(300);
    expect(verdicts.illegal).toBeGreaterThan(300);
  });
});

/** Every subset of pending ops × every permutation (iteratively, by next permutation). */
function bruteForceLinearizable<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[]): boolean {
  const pending = history.map((o, i) => (o.return === null ? i : -1)).filter((i) => i >= 0);
  for (let mask = 0; mask < 1 << pending.length; mask++) {
    const chosen = history.map((_o, i) => i).filter((i) => !pending.includes(i) || (mask & (1 << pending.indexOf(i))) !== 0);
    const order = [...chosen];
    for (let more = true; more; more = nextPermutation(order)) {
      if (acceptsOrder(model, history, order)) return true;
    }
  }
  return false;
}

function acceptsOrder<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[], order: readonly number[]): boolean {
  for (let a = 0; a < order.length; a++) {
    for (let b = a + 1; b < order.length; b++) {
      if ((history[order[b]].return ?? Infinity) < history[order[a]].call) return false;
    }
  }
  let state = model.init();
  for (const i of order) {
    const [accepted, next] = model.step(state, history[i].input, history[i].output);
    if (!accepted) return false;
    state = next;
  }
  return true;
}

function nextPermutation(a: number[]): boolean {
  let i = a.length - 2;
  while (i >= 0 && a[i] >= a[i + 1]) i--;
  if (i < 0) return false;
  let j = a.length - 1;
  while (a[j] <= a[i]) j--;
  [a[i], a[j]] = [a[j], a[i]];
  for (let l = i + 1, r = a.length - 1; l < r; l++, r--) [a[l], a[r]] = [a[r], a[l]];
  return true;
}
