import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.ts';
import { checkpointGraph, restoreGraph, CheckpointRegistry } from './checkpoint.ts';

describe('Fifo', () => {
  it('keeps first-in first-out order across compactions, as an array with shift would', () => {
    const q = new Fifo<number>();
    const model: number[] = [];
    let next = 0;
    // a queue that grows to a few thousand, drains, grows again: every compaction path
    for (let step = 0; step < 20_000; step++) {
      const push = step % 7000 < 4000 ? step % 3 !== 0 : step % 3 === 0;
      if (push) {
        q.push(next);
        model.push(next++);
      } else {
        expect(q.shift()).toBe(model.shift());
      }
      expect(q.length).toBe(model.length);
      expect(q.first()).toBe(model[0]);
      expect(q.last()).toBe(model[model.length - 1]);
      if (step % 997 === 0) {
        expect(q.toArray()).toEqual(model);
        expect([...q]).toEqual(model);
        const i = Math.floor(model.length / 2);
        expect(q.at(i)).toBe(model[i]);
        expect(q.find((x) => x % 5 === 4)).toBe(model.find((x) => x % 5 === 4));
      }
    }
    expect(q.at(-1)).toBeUndefined();
    expect(q.at(q.length)).toBeUndefined();
    q.clear();
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
    expect(q.first()).toBeUndefined();
  });

  it('comes back from a checkpoint the same queue', () => {
    const q = new Fifo<{ n: number }>();
    for (let i = 0; i < 3000; i++) q.push({ n: i });
    for (let i = 0; i < 1500; i++) q.shift();
    const registry = new CheckpointRegistry().classes({ Fifo });
    const r = restoreGraph<Fifo<{ n: number }>>(checkpointGraph(q, registry), registry);
    expect(r).toBeInstanceOf(Fifo);
    expect(r.toArray()).toEqual(q.toArray());
    for (let i = 0; i < 2000; i++) r.push({ n: 3000 + i });
    expect(r.shift()).toEqual({ n: 1500 });
    expect(r.length).toBe(3499);
  });

  it('lets go of what it gave out', () => {
    const q = new Fifo<object>();
    for (let i = 0; i < 10; i++) q.push({ i });
    q.shift();
    q.shift();
    expect((q as unknown as { items: unknown[] }).items.filter((x) => x !== undefined)).toHaveLength(8);
  });
});
