import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { checkOperations } from './checker.ts';
import { describeCheck } from './describe-check.ts';
import { generateHistory, type SequentialSpec } from './history-generator.ts';
import type { Model, Operation } from './model.ts';
import {
  applyZk,
  describeZkOperation,
  describeZkState,
  initialZkState,
  zkModel,
  zkWritesOnly,
  type ZkInput,
  type ZkOutput,
  type ZkState,
} from './zk-model.ts';

type ZkOp = Operation<ZkInput, ZkOutput>;

const zkSpec: SequentialSpec<ZkState, ZkInput, ZkOutput> = {
  init: initialZkState,
  apply: applyZk,
  unknownOutput: { type: 'unknown' },
};

const unpartitioned: Model<ZkState, ZkInput, ZkOutput> = { ...zkModel, partition: undefined };

describe('zk model: sequential semantics (PrepRequestProcessor order)', () => {
  it('answers a script of operations as ZooKeeper 3.8 does', () => {
    const script: ZkInput[] = [
      { type: 'create', path: '/a/b', data: 'x' },
      { type: 'create', path: '/a', data: 'x' },
      { type: 'create', path: '/a', data: 'y' },
      { type: 'create', path: '/a/lock-', data: null, sequential: true },
      { type: 'create', path: '/a/lock-', data: null, sequential: true },
      { type: 'delete', path: '/a/lock-0000000000', version: -1 },
      { type: 'create', path: '/a/lock-', data: null, sequential: true },
      { type: 'getChildren', path: '/a' },
      { type: 'setData', path: '/a', data: 'z', version: 3 },
      { type: 'setData', path: '/a', data: 'z', version: 0 },
      { type: 'setData', path: '/a', data: 'w', version: -1 },
      { type: 'getData', path: '/a' },
      { type: 'exists', path: '/nope' },
      { type: 'delete', path: '/a', version: -1 },
      { type: 'delete', path: '/a/b/c', version: -1 },
      { type: 'delete', path: '/a/lock-0000000001', version: 1 },
      { type: 'getChildren', path: '/' },
      { type: 'create', path: '/q-', data: '', sequential: true },
    ];
    let state = initialZkState();
    const lines = script.map((input) => {
      const [output, next] = applyZk(state, input);
      state = next;
      return describeZkOperation(input, output);
    });
    expect(lines).toEqual([
      "create('/a/b', 'x') -> NoNode",
      "create('/a', 'x') -> '/a'",
      "create('/a', 'y') -> NodeExists",
      "create('/a/lock-', null, sequential) -> '/a/lock-0000000000'",
      "create('/a/lock-', null, sequential) -> '/a/lock-0000000001'",
      "delete('/a/lock-0000000000', -1) -> ok",
      // deletes do not bump the stored cversion: the counter keeps counting creates
      "create('/a/lock-', null, sequential) -> '/a/lock-0000000002'",
      "getChildren('/a') -> [lock-0000000001, lock-0000000002]",
      "setData('/a', 'z', 3) -> BadVersion",
      "setData('/a', 'z', 0) -> v1",
      "setData('/a', 'w', -1) -> v2",
      "getData('/a') -> 'w' v2",
      "exists('/nope') -> NoNode",
      "delete('/a', -1) -> NotEmpty",
      "delete('/a/b/c', -1) -> NoNode",
      "delete('/a/lock-0000000001', 1) -> BadVersion",
      "getChildren('/') -> [a, zookeeper]",
      // the root's counter counted the create of /a
      "create('/q-', '', sequential) -> '/q-0000000001'",
    ]);
    expect(describeZkState(state)).toBe(
      "{/a='w' v2, /a/lock-0000000001=null v0, /a/lock-0000000002=null v0, /q-0000000001='' v0}",
    );
  });

  it('accepts unknown outputs in every state, with their effect', () => {
    const input: ZkInput = { type: 'create', path: '/a', data: 'x' };
    const [accepted, next] = zkModel.step(initialZkState(), input, { type: 'unknown' });
    expect(accepted).toBe(true);
    expect(next.nodes.has('/a')).toBe(true);
    const [again] = zkModel.step(next, input, { type: 'unknown' });
    expect(again).toBe(true);
  });

  it('compares getChildren results as sets (ZooKeeper returns HashSet order)', () => {
    const [, s1] = applyZk(initialZkState(), { type: 'create', path: '/a', data: '' });
    const [accepted] = zkModel.step(s1, { type: 'getChildren', path: '/' }, { type: 'children', children: ['zookeeper', 'a'] });
    expect(accepted).toBe(true);
  });

  it('hashes equal states equally, whatever order they were built in', () => {
    let a = initialZkState();
    let b = initialZkState();
    for (const p of ['/x', '/y']) [, a] = applyZk(a, { type: 'create', path: p, data: '' });
    for (const p of ['/y', '/x']) [, b] = applyZk(b, { type: 'create', path: p, data: '' });
    expect(zkModel.hash(a)).toBe(zkModel.hash(b));
    expect(zkModel.equal(a, b)).toBe(true);
  });
});

describe('zk model: partitioning by top-level subtree', () => {
  const op = (input: ZkInput): ZkOp => ({ clientId: 0, input, call: 0, output: { type: 'unknown' }, return: null });

  it('splits by top-level name, keeping parents with their children', () => {
    const history = [
      op({ type: 'create', path: '/a', data: '' }),
      op({ type: 'create', path: '/b', data: '' }),
      op({ type: 'create', path: '/a/x', data: '' }),
      op({ type: 'create', path: '/a/s-', data: '', sequential: true }),
    ];
    const parts = zkModel.partition!(history);
    expect(parts.map((p) => p.map((o) => o.input.path))).toEqual([['/a', '/a/x', '/a/s-'], ['/b']]);
  });

  it('keeps the history whole when an operation observes the root', () => {
    for (const observer of [
      op({ type: 'getChildren', path: '/' }),
      op({ type: 'create', path: '/s-', data: '', sequential: true }),
      op({ type: 'exists', path: '/' }),
    ]) {
      const history = [op({ type: 'create', path: '/a', data: '' }), op({ type: 'create', path: '/b', data: '' }), observer];
      expect(zkModel.partition!(history)).toHaveLength(1);
    }
  });

  it('keeps reads out of zkWritesOnly', () => {
    const history = [op({ type: 'getData', path: '/a' }), op({ type: 'delete', path: '/a', version: -1 })];
    expect(zkWritesOnly(history).map((o) => o.input.type)).toEqual(['delete']);
  });
});

const topNames = ['a', 'b', 'c', 'd'];

function randomZkInput(rng: Rng, clientId: number, names: readonly string[], serial: { n: number }): ZkInput {
  const top = `/${rng.pick(names)}`;
  const path = rng.pick([top, top, `${top}/x`, `${top}/y`]);
  const data = `c${clientId}-${serial.n++}`;
  const version = rng.pick([-1, -1, 0, 1, 2]);
  switch (rng.int(0, 7)) {
    case 0:
      return { type: 'create', path, data };
    case 1:
      return { type: 'create', path: `${top}/s-`, data, sequential: true };
    case 2:
      return { type: 'setData', path, data, version };
    case 3:
      return { type: 'delete', path, version };
    case 4:
      return { type: 'exists', path };
    case 5:
      return { type: 'getChildren', path: top };
    default:
      return { type: 'getData', path };
  }
}

function randomZkHistory(rng: Rng, clients: number, operations: number, names = topNames, pendingChance = 0.05): ZkOp[] {
  const serial = { n: 0 };
  return generateHistory(zkSpec, rng, {
    clients,
    operations,
    input: (r, clientId) => randomZkInput(r, clientId, names, serial),
    pendingChance,
  });
}

/** Changes one returned operation's output to one no execution can produce; null if none fits. */
function mutateIllegally(rng: Rng, history: readonly ZkOp[]): ZkOp[] | null {
  const candidates = history
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.return !== null && ['data', 'stat', 'children', 'created'].includes(o.output.type));
  if (candidates.length === 0) return null;
  const { o, i } = rng.pick(candidates);
  const output = impossibleOutput(o);
  return history.map((x, k) => (k === i ? { ...x, output } : x));
}

function impossibleOutput(op: ZkOp): ZkOutput {
  const output = op.output;
  switch (output.type) {
    case 'data':
      return { type: 'data', data: 'never-written', version: output.version };
    case 'stat':
      return { type: 'stat', version: 999_999 };
    case 'children':
      return { type: 'children', children: [...output.children, 'never-created'] };
    case 'created':
      return { type: 'created', path: op.input.path + (op.input.type === 'create' && op.input.sequential ? '9999999999' : '-') };
    default:
      throw new Error(`no impossible output for ${output.type}`);
  }
}

describe('zk model: random histories', () => {
  it('accepts histories linearizable by construction, with and without partitioning', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 150; trial++) {
      const history = randomZkHistory(rng, rng.int(1, 6), rng.int(5, 40));
      const check = checkOperations(zkModel, history);
      expect(check.result, describeCheck(zkModel, check)).toBe('ok');
      expect(checkOperations(unpartitioned, history).result).toBe('ok');
    }
  });

  it('rejects the same histories with one impossible output, with and without partitioning', () => {
    const rng = new Rng(8);
    let mutated = 0;
    for (let trial = 0; trial < 150; trial++) {
      const history = mutateIllegally(rng, randomZkHistory(rng, rng.int(1, 6), rng.int(5, 40)));
      if (history === null) continue;
      mutated++;
      const check = checkOperations(zkModel, history);
      expect(check.result).toBe('illegal');
      expect(describeCheck(zkModel, check)).toContain('stuck at:');
      expect(checkOperations(unpartitioned, history).result).toBe('illegal');
    }
    expect(mutated).toBeGreaterThan(100);
  });

  it('rejects a stale read that real time forbids, and explains it', () => {
    const history: ZkOp[] = [
      { clientId: 1, input: { type: 'create', path: '/a', data: 'v1' }, call: 0, output: { type: 'created', path: '/a' }, return: 10 },
      { clientId: 1, input: { type: 'setData', path: '/a', data: 'v2', version: 0 }, call: 20, output: { type: 'stat', version: 1 }, return: 30 },
      { clientId: 2, input: { type: 'getData', path: '/a' }, call: 40, output: { type: 'data', data: 'v1', version: 0 }, return: 50 },
    ];
    const check = checkOperations(zkModel, history);
    expect(check.result).toBe('illegal');
    expect(describeCheck(zkModel, check)).toContain("stuck at: #2 client 2 [40, 50] getData('/a') -> 'v1' v0");
    // ZooKeeper's contract allows that stale read (reads are sequentially consistent), so the
    // write-only sub-history passes.
    expect(checkOperations(zkModel, zkWritesOnly(history)).result).toBe('ok');
  });

  it('checks a few thousand operations over many partitions well within the step budget', () => {
    const rng = new Rng(2024);
    const names = Array.from({ length: 120 }, (_v, i) => `n${i}`);
    const history = randomZkHistory(rng, 24, 4000, names, 0.02);
    const stepsMax = 2_000_000;
    const check = checkOperations(zkModel, history, { stepsMax });
    expect(check.result).toBe('ok');
    expect(check.partitions.length).toBe(120);
    expect(check.steps).toBeLessThan(stepsMax / 10);
    const bad = mutateIllegally(rng, history)!;
    expect(checkOperations(zkModel, bad, { stepsMax }).result).toBe('illegal');
  });
});
