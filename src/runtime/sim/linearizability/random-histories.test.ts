// Histories generated from a sequential model with random overlapping intervals must check ok;
// the same histories with a mutation that no execution can explain must check illegal.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { checkOperations } from './checker.ts';
import { describeCheck } from './describe-check.ts';
import { generateHistory, type SequentialSpec } from './history-generator.ts';
import { kvModel, kvWholeModel, type KvInput, type KvOutput } from './kv-model.ts';
import type { Operation } from './model.ts';
import { registerModel, type RegisterInput, type RegisterOutput, type RegisterValue } from './register-model.ts';

type RegOp = Operation<RegisterInput, RegisterOutput>;
type KvOp = Operation<KvInput, KvOutput>;

const registerSpec: SequentialSpec<RegisterValue, RegisterInput, RegisterOutput> = {
  init: () => null,
  apply(state, input) {
    if (input.type === 'read') return [{ type: 'ok', value: state }, state];
    if (input.type === 'write') return [{ type: 'ok' }, input.value];
    return state === input.from ? [{ type: 'ok' }, input.to] : [{ type: 'fail' }, state];
  },
  unknownOutput: { type: 'unknown' },
};

function randomRegisterInput(rng: Rng): RegisterInput {
  const kind = rng.int(0, 2);
  if (kind === 0) return { type: 'read' };
  if (kind === 1) return { type: 'write', value: rng.int(0, 4) };
  return { type: 'cas', from: rng.int(0, 4), to: rng.int(0, 4) };
}

function registerHistory(rng: Rng): RegOp[] {
  return generateHistory(registerSpec, rng, {
    clients: rng.int(1, 8),
    operations: rng.int(1, 80),
    input: randomRegisterInput,
    pendingChance: 0.1,
  });
}

function endOf(history: readonly Operation<unknown, unknown>[]): number {
  return history.reduce((t, op) => Math.max(t, op.call, op.return ?? 0), 0);
}

describe('random register histories', () => {
  it('are linearizable by construction, with pending operations among them', () => {
    const rng = new Rng(1);
    let pending = 0;
    for (let trial = 0; trial < 300; trial++) {
      const history = registerHistory(rng);
      pending += history.filter((op) => op.return === null).length;
      const check = checkOperations(registerModel, history);
      expect(check.result, describeCheck(registerModel, check)).toBe('ok');
    }
    expect(pending).toBeGreaterThan(100);
  });

  it('become illegal when a read returns a value never written', () => {
    const rng = new Rng(2);
    let mutated = 0;
    for (let trial = 0; trial < 300; trial++) {
      const history = registerHistory(rng);
      const reads = history.map((op, i) => ({ op, i })).filter(({ op }) => op.input.type === 'read' && op.return !== null);
      if (reads.length === 0) continue;
      const { i } = rng.pick(reads);
      const bad = history.map((op, k): RegOp => (k === i ? { ...op, output: { type: 'ok', value: 99 } } : op));
      mutated++;
      expect(checkOperations(registerModel, bad).result).toBe('illegal');
    }
    expect(mutated).toBeGreaterThan(200);
  });

  it('become illegal when, in real time, a read sees a value already overwritten', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 200; trial++) {
      const history = registerHistory(rng);
      const t = endOf(history);
      // 100 and 101 are written once each, one after the other; no other write can produce 100.
      const tail: RegOp[] = [
        { clientId: 90, input: { type: 'write', value: 100 }, call: t + 1, output: { type: 'ok' }, return: t + 2 },
        { clientId: 91, input: { type: 'write', value: 101 }, call: t + 3, output: { type: 'ok' }, return: t + 4 },
        { clientId: 92, input: { type: 'read' }, call: t + 5, output: { type: 'ok', value: 100 }, return: t + 6 },
      ];
      expect(checkOperations(registerModel, [...history, ...tail]).result).toBe('illegal');
      const fine = [...history, ...tail.slice(0, 2), { ...tail[2], call: t + 2 }];
      expect(checkOperations(registerModel, fine).result).toBe('ok');
    }
  });
});

describe('random kv histories', () => {
  const kvSpec: SequentialSpec<ReadonlyMap<string, string>, KvInput, KvOutput> = {
    init: () => new Map(),
    apply(state, input) {
      const value = state.get(input.key) ?? '';
      if (input.type === 'get') return [{ type: 'ok', value }, state];
      const next = new Map(state);
      next.set(input.key, input.type === 'put' ? input.value : value + input.value);
      return [{ type: 'ok' }, next];
    },
    unknownOutput: { type: 'unknown' },
  };

  function kvHistory(rng: Rng): KvOp[] {
    let serial = 0;
    return generateHistory(kvSpec, rng, {
      clients: rng.int(1, 6),
      operations: rng.int(1, 60),
      pendingChance: 0.05,
      input: (r, clientId): KvInput => {
        const key = r.pick(['k0', 'k1', 'k2']);
        const kind = r.int(0, 2);
        if (kind === 0) return { type: 'get', key };
        return { type: kind === 1 ? 'put' : 'append', key, value: `x${clientId}.${serial++};` };
      },
    });
  }

  it('agree between the partitioned and the whole-store model: ok, then illegal after a mutation', () => {
    const rng = new Rng(4);
    let mutated = 0;
    for (let trial = 0; trial < 200; trial++) {
      const history = kvHistory(rng);
      expect(checkOperations(kvModel, history).result).toBe('ok');
      expect(checkOperations(kvWholeModel, history).result).toBe('ok');
      const gets = history.map((op, i) => ({ op, i })).filter(({ op }) => op.input.type === 'get' && op.return !== null);
      if (gets.length === 0) continue;
      const { i } = rng.pick(gets);
      const bad = history.map((op, k): KvOp => {
        if (k !== i || op.output.type !== 'ok') return op;
        return { ...op, output: { type: 'ok', value: `${op.output.value ?? ''}zz` } };
      });
      mutated++;
      expect(checkOperations(kvModel, bad).result).toBe('illegal');
      expect(checkOperations(kvWholeModel, bad).result).toBe('illegal');
    }
    expect(mutated).toBeGreaterThan(100);
  });
});
