import { describe, expect, it } from 'vitest';
import { copyCapacity, grownCapacity, javaHashSetOrder, javaStringHash } from './java-hash.ts';

describe('java HashSet order', () => {
  it('String.hashCode matches Java', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('a')).toBe(97);
    expect(javaStringHash('zookeeper')).toBe(1600681804);
    expect(javaStringHash('hello world')).toBe(1794106052);
  });
  it('reproduces getEphemerals order from the golden corpus (create_variants.out)', () => {
    const order = javaHashSetOrder(['/eph', '/eph2', '/ephseq-0000000009', '/ephseq-0000000010'], copyCapacity(4));
    expect(order).toEqual(['/eph', '/ephseq-0000000010', '/eph2', '/ephseq-0000000009']);
  });
  it('capacity grows past 0.75 load and copies use tableSizeFor(n/0.75+1)', () => {
    expect(grownCapacity(8, 6)).toBe(8);
    expect(grownCapacity(8, 7)).toBe(16);
    expect(grownCapacity(8, 13)).toBe(32);
    expect(copyCapacity(4)).toBe(8);
    expect(copyCapacity(12)).toBe(32);
  });
});
