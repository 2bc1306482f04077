import { describe, expect, it } from 'vitest';
import { MemoryDisk } from './memory-disk.ts';
import { seededRandom } from '../../engine/storage/txn-fixtures.ts';

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('MemoryDisk: written is not flushed', () => {
  it('a crash keeps exactly what was flushed', () => {
    const d = new MemoryDisk();
    d.write('f', b(1, 2, 3), 'append');
    d.flush('f');
    d.write('f', b(4, 5), 'append');
    expect(d.read('f')).toEqual(b(1, 2, 3, 4, 5));
    expect(d.durableFiles().get('f')).toEqual(b(1, 2, 3));
    d.crash();
    expect(d.read('f')).toEqual(b(1, 2, 3));
    expect(d.unflushedOps('f')).toBe(0);
  });

  it('a created file survives a crash empty; rename and delete are durable at once', () => {
    const d = new MemoryDisk();
    d.write('new', b(9, 9), 0);
    d.write('t.tmp', b(7), 0);
    d.flush('t.tmp');
    d.rename('t.tmp', 't');
    d.write('gone', b(1), 0);
    d.flush('gone');
    d.delete('gone');
    d.crash();
    expect(d.list()).toEqual(['new', 't']);
    expect(d.getSize('new')).toBe(0);
    expect(d.read('t')).toEqual(b(7));
  });

  it('overwrites and truncations after a flush never leak into the durable image', () => {
    const d = new MemoryDisk();
    d.write('f', b(1, 2, 3, 4), 0);
    d.flush('f');
    d.write('f', b(9), 1);
    d.truncate('f', 2);
    d.truncate('f', 6);
    expect(d.read('f')).toEqual(b(1, 9, 0, 0, 0, 0));
    expect(d.durableFiles().get('f')).toEqual(b(1, 2, 3, 4));
    d.write('f', b(5, 5), 'append');
    d.flush('f');
    expect(d.durableFiles().get('f')).toEqual(b(1, 9, 0, 0, 0, 0, 5, 5));
    d.crash();
    expect(d.read('f')).toEqual(b(1, 9, 0, 0, 0, 0, 5, 5));
  });

  it('with a seeded generator a crash keeps a prefix of the buffered writes, the last maybe torn', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const d = new MemoryDisk();
      d.write('log', b(0), 0);
      d.flush('log');
      for (let i = 1; i <= 3; i++) d.write('log', b(i, i, i, i), 'append');
      const [effect] = d.crash(seededRandom(seed));
      const got = [...d.read('log')];
      const full = [0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3];
      expect(got).toEqual(full.slice(0, got.length)); // always a prefix, in order
      expect(got.length).toBe(1 + effect.keptOps * 4 + effect.tornBytes);
      seen.add(`${effect.keptOps}/${effect.tornBytes > 0}`);
    }
    expect(seen.has('0/false')).toBe(true);
    expect(seen.has('3/false')).toBe(true);
    expect(seen.has('1/true')).toBe(true); // a torn write
  });

  it('the same seed gives the same crash', () => {
    const run = (): number[] => {
      const d = new MemoryDisk();
      for (let i = 0; i < 50; i++) d.write(`f${i % 3}`, b(i, i), 'append');
      d.crash(seededRandom(42));
      return d.list().flatMap((p) => [...d.read(p)]);
    };
    expect(run()).toEqual(run());
  });
});
