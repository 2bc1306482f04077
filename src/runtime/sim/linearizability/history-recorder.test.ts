import { describe, expect, it } from 'vitest';
import { checkOperations } from './checker.ts';
import { HistoryRecorder } from './history-recorder.ts';
import { zkModel, type ZkInput, type ZkOutput } from './zk-model.ts';

describe('history recorder', () => {
  it('records calls and replies; requests never answered become pending', () => {
    const recorder = new HistoryRecorder<ZkInput, ZkOutput>();
    const create = recorder.invoke(1, { type: 'create', path: '/a', data: 'x' }, 100);
    const lost = recorder.invoke(2, { type: 'setData', path: '/a', data: 'y', version: -1 }, 105);
    recorder.complete(create, { type: 'created', path: '/a' }, 110);
    const read = recorder.invoke(3, { type: 'getData', path: '/a' }, 120);
    recorder.complete(read, { type: 'data', data: 'y', version: 1 }, 130);
    expect(recorder.size).toBe(3);
    const history = recorder.history({ type: 'unknown' });
    expect(history[lost]).toEqual({
      clientId: 2, input: { type: 'setData', path: '/a', data: 'y', version: -1 }, call: 105, output: { type: 'unknown' }, return: null,
    });
    // The lost setData took effect before the read: still linearizable.
    expect(checkOperations(zkModel, history).result).toBe('ok');
    expect(() => recorder.complete(create, { type: 'created', path: '/a' }, 140)).toThrow(/twice/);
    expect(() => recorder.complete(lost, { type: 'stat', version: 1 }, 50)).toThrow(/before its call/);
  });
});
