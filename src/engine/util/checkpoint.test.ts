import { describe, expect, it } from 'vitest';
import { CheckpointRegistry, checkpointGraph, methodRef, restoreGraph } from './checkpoint.ts';

class Counter {
  n = 0;
  readonly seen = new Map<string, Set<number>>();
  bump(by: number): number {
    this.n += by;
    return this.n;
  }
}

class Holder {
  constructor(readonly counter: Counter, readonly add: (by: number) => number) {}
}

const empty = Object.freeze({ empty: true });
const registry = new CheckpointRegistry().classes({ Counter, Holder }).constants({ empty });

describe('checkpoint graph codec', () => {
  it('rebuilds classes, shared references, cycles, Map/Set order, bigints and typed arrays', () => {
    const counter = new Counter();
    counter.seen.set('z', new Set([3, 1, 2]));
    counter.seen.set('a', new Set());
    const buf = new Uint8Array([1, 2, 3, 4]);
    const root = { counter, again: counter, zxid: 0x100000003n, bytes: buf, tail: buf.subarray(2), self: null as unknown, empty, list: [1, 'x', undefined, null] };
    root.self = root;
    // the image survives structured clone (what a worker's postMessage does)
    const image = structuredClone(checkpointGraph(root, registry));
    const r = restoreGraph<typeof root>(image, registry);
    expect(r.counter).toBeInstanceOf(Counter);
    expect(r.again).toBe(r.counter);
    expect(r.self).toBe(r);
    expect(r.empty).toBe(empty);
    expect(r.zxid).toBe(0x100000003n);
    expect([...r.counter.seen.keys()]).toEqual(['z', 'a']);
    expect([...r.counter.seen.get('z')!]).toEqual([3, 1, 2]);
    expect([...r.bytes]).toEqual([1, 2, 3, 4]);
    r.bytes[3] = 9;
    expect([...r.tail]).toEqual([3, 9]);
    expect(buf[3]).toBe(4);
    expect(r.list).toEqual([1, 'x', undefined, null]);
  });

  it('carries method refs (bound to the restored target) and restores one image many times', () => {
    const counter = new Counter();
    const holder = new Holder(counter, methodRef(counter, 'bump'));
    holder.add(5);
    const image = checkpointGraph(holder, registry);
    const a = restoreGraph<Holder>(image, registry);
    const b = restoreGraph<Holder>(image, registry);
    expect(a.add(1)).toBe(6);
    expect(a.counter.n).toBe(6);
    expect(b.counter.n).toBe(5);
    expect(counter.n).toBe(5);
    // a restored object checkpoints again
    const c = restoreGraph<Holder>(checkpointGraph(a, registry), registry);
    expect(c.add(1)).toBe(7);
  });

  it('refuses what it cannot rebuild, naming where it is', () => {
    class Stranger {}
    expect(() => checkpointGraph({ x: [new Stranger()] }, registry)).toThrow(/unregistered class Stranger at \$\.x\[0\]/);
    let n = 0;
    expect(() => checkpointGraph({ cb: () => n++ }, registry)).toThrow(/a closure at \$\.cb/);
    expect(() => checkpointGraph({ m: new Map([[1, new WeakMap()]]) }, registry)).toThrow(/unregistered class WeakMap/);
  });

  it('names externals instead of copying them', () => {
    const disk = { files: 1 };
    const image = checkpointGraph({ disk }, registry, new Map([[disk, 'disk']]));
    const other = { files: 2 };
    expect(restoreGraph<{ disk: object }>(image, registry, { disk: other }).disk).toBe(other);
  });
});
