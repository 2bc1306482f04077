import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { checkOperations } from './checker.ts';
import { generateHistory } from './history-generator.ts';
import {
  exportJepsenJson,
  fromJepsenEvents,
  importJepsenJson,
  parseJepsen,
  registerJepsenCodec,
  stringifyJepsen,
  toJepsenEvents,
  zkJepsenCodec,
  type JepsenCodec,
  type JepsenEvent,
} from './jepsen-export.ts';
import type { Operation } from './model.ts';
import { registerModel, type RegisterInput, type RegisterOutput } from './register-model.ts';
import { applyZk, initialZkState, zkModel, type ZkInput, type ZkOutput } from './zk-model.ts';

type RegOp = Operation<RegisterInput, RegisterOutput>;

/** Same operations, compared in invocation order (the order an import gives). */
function byCall<I, O>(history: readonly Operation<I, O>[]): Operation<I, O>[] {
  return history.map((op, i) => ({ op, i })).sort((a, b) => a.op.call - b.op.call || a.i - b.i).map((x) => x.op);
}

describe('jepsen export: event shape', () => {
  const history: RegOp[] = [
    { clientId: 0, input: { type: 'write', value: 3 }, call: 0, output: { type: 'ok' }, return: 10 },
    { clientId: 1, input: { type: 'read' }, call: 5, output: { type: 'ok', value: 3 }, return: 10 },
    { clientId: 0, input: { type: 'cas', from: 1, to: 2 }, call: 10, output: { type: 'fail' }, return: 12 },
    { clientId: 2, input: { type: 'write', value: 4 }, call: 11, output: { type: 'unknown' }, return: null },
    { clientId: 1, input: { type: 'read' }, call: 20, output: { type: 'ok', value: null }, return: 25 },
  ];

  it('writes Jepsen events in time order: at equal times info, then ok/fail, then invoke', () => {
    expect(toJepsenEvents(history, registerJepsenCodec)).toEqual([
      { process: 0, type: 'invoke', f: 'write', value: 3, time: 0 },
      { process: 1, type: 'invoke', f: 'read', value: null, time: 5 },
      { process: 0, type: 'ok', f: 'write', value: 3, time: 10 },
      { process: 1, type: 'ok', f: 'read', value: 3, time: 10 },
      { process: 0, type: 'invoke', f: 'cas', value: [1, 2], time: 10 },
      { process: 2, type: 'invoke', f: 'write', value: 4, time: 11 },
      { process: 0, type: 'fail', f: 'cas', value: [1, 2], time: 12 },
      { process: 1, type: 'invoke', f: 'read', value: null, time: 20 },
      { process: 2, type: 'info', f: 'write', value: null, time: 25 },
      { process: 1, type: 'ok', f: 'read', value: null, time: 25 },
    ]);
  });

  it('round-trips through JSON, keeping verdicts', () => {
    const text = exportJepsenJson(history, registerJepsenCodec);
    expect(text.split('\n')[1]).toBe('{"process":0,"type":"invoke","f":"write","value":3,"time":0},');
    const back = importJepsenJson(text, registerJepsenCodec);
    expect(back).toEqual(byCall(history));
    expect(checkOperations(registerModel, back).result).toBe(checkOperations(registerModel, history).result);
  });

  it('pairs by process, retires a process on info, and skips a nemesis', () => {
    const events = [
      { process: 0, type: 'invoke', f: 'write', value: 1, time: 0 },
      { process: Number.NaN, type: 'info', f: 'start-partition', value: null, time: 1 },
      { process: 1, type: 'invoke', f: 'read', value: null, time: 2 },
      { process: 0, type: 'info', f: 'write', value: 1, time: 3 },
      { process: 1, type: 'ok', f: 'read', value: 1, time: 4 },
      { process: 5, type: 'invoke', f: 'read', value: null, time: 6 },
    ] satisfies JepsenEvent[];
    expect(fromJepsenEvents(events, registerJepsenCodec)).toEqual([
      { clientId: 0, input: { type: 'write', value: 1 }, call: 0, output: { type: 'unknown' }, return: null },
      { clientId: 1, input: { type: 'read' }, call: 2, output: { type: 'ok', value: 1 }, return: 4 },
      { clientId: 5, input: { type: 'read' }, call: 6, output: { type: 'unknown' }, return: null },
    ]);
  });

  it('uses event positions as times when events have none', () => {
    const text = '[{"process":0,"type":"invoke","f":"read","value":null},{"process":0,"type":"ok","f":"read","value":7}]';
    expect(importJepsenJson(text, registerJepsenCodec)).toEqual([
      { clientId: 0, input: { type: 'read' }, call: 0, output: { type: 'ok', value: 7 }, return: 1 },
    ]);
  });
});

describe('jepsen export: bigint-safe JSON', () => {
  it('encodes bigints as n-suffixed strings and escapes look-alike strings', () => {
    const events: JepsenEvent[] = [
      {
        process: 0, type: 'ok', f: 'get', time: 1,
        value: { zxid: 0x100000003n, session: -5n, text: '12n', tricky: '~12n', plain: 'n', list: [1n, '~~3n'] },
      },
    ];
    const text = stringifyJepsen(events);
    expect(text).toContain('"zxid":"4294967299n"');
    expect(text).toContain('"text":"~12n"');
    expect(text).toContain('"tricky":"~~12n"');
    expect(parseJepsen(text)).toEqual(events);
    expect(stringifyJepsen([])).toBe('[]\n');
  });

  it('rejects what is not a Jepsen history', () => {
    expect(() => parseJepsen('{}')).toThrow(/array/);
    expect(() => parseJepsen('[{"process":0,"type":"nope","f":"x"}]')).toThrow(/type/);
  });

  it('carries bigint inputs and outputs through a custom codec', () => {
    type In = { sessionId: bigint };
    type Out = { zxid: bigint } | null;
    const codec: JepsenCodec<In, Out> = {
      f: () => 'touch',
      invokeValue: (input) => input.sessionId,
      completion: (_input, output) => (output === null ? { type: 'info', value: null } : { type: 'ok', value: output.zxid }),
      input: (_f, value) => ({ sessionId: value as bigint }),
      output: (_input, c) => (c.type === 'info' ? null : { zxid: c.value as bigint }),
    };
    const history: Operation<In, Out>[] = [
      { clientId: 3, input: { sessionId: 0x10000a0b0c0001n }, call: 1, output: { zxid: 0x200000001n }, return: 4 },
      { clientId: 4, input: { sessionId: 2n ** 63n - 1n }, call: 2, output: null, return: null },
    ];
    expect(importJepsenJson(exportJepsenJson(history, codec), codec)).toEqual(history);
  });
});

describe('jepsen export: ZooKeeper histories', () => {
  it('round-trips random zk histories, errors as fail with the KeeperException code', () => {
    const rng = new Rng(99);
    for (let trial = 0; trial < 20; trial++) {
      let serial = 0;
      const history = generateHistory({ init: initialZkState, apply: applyZk, unknownOutput: { type: 'unknown' } as ZkOutput }, rng, {
        clients: 4,
        operations: 60,
        pendingChance: 0.05,
        input: (r): ZkInput => {
          const path = r.pick(['/a', '/a/b', '/c']);
          const kind = r.int(0, 3);
          if (kind === 0) return { type: 'create', path, data: `d${serial++}`, sequential: r.chance(0.3) };
          if (kind === 1) return { type: 'setData', path, data: null, version: r.int(-1, 1) };
          if (kind === 2) return { type: 'delete', path, version: -1 };
          return { type: 'getData', path };
        },
      });
      const events = toJepsenEvents(history, zkJepsenCodec);
      const failures = events.filter((e) => e.type === 'fail');
      for (const e of failures) expect(['NoNode', 'NodeExists', 'BadVersion', 'NotEmpty']).toContain(e.error);
      const back = importJepsenJson(stringifyJepsen(events), zkJepsenCodec);
      expect(back).toEqual(byCall(history));
      expect(checkOperations(zkModel, back).result).toBe('ok');
    }
  });
});
