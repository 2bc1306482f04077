import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, unifiedDiff, visible, type DiffOp } from './diff.ts';

/** Length of a longest common subsequence, by dynamic programming (the reference). */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  return t[0][0];
}

function replay(a: string[], b: string[], ops: DiffOp[]): { a: string[]; b: string[] } {
  const ra: string[] = [];
  const rb: string[] = [];
  for (const o of ops) {
    if (o.op === 'equal') {
      expect(a[o.a]).toBe(b[o.b]);
      ra.push(a[o.a]);
      rb.push(b[o.b]);
    } else if (o.op === 'delete') ra.push(a[o.a]);
    else rb.push(b[o.b]);
  }
  return { a: ra, b: rb };
}

/** A small deterministic PRNG for the property test. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('diffLines', () => {
  it('handles empty and identical inputs', () => {
    expect(diffLines([], [])).toEqual([]);
    expect(diffLines(['a'], [])).toEqual([{ op: 'delete', a: 0 }]);
    expect(diffLines([], ['b'])).toEqual([{ op: 'insert', b: 0 }]);
    expect(diffLines(['a', 'b'], ['a', 'b'])).toEqual([
      { op: 'equal', a: 0, b: 0 },
      { op: 'equal', a: 1, b: 1 },
    ]);
  });

  it('finds a shortest edit script (checked against LCS on random inputs)', () => {
    const rnd = lcg(42);
    for (let round = 0; round < 300; round++) {
      const alphabet = 1 + Math.floor(rnd() * 5);
      const mk = () => Array.from({ length: Math.floor(rnd() * 14) }, () => String.fromCharCode(97 + Math.floor(rnd() * alphabet)));
      const a = mk();
      const b = mk();
      const ops = diffLines(a, b);
      expect(replay(a, b, ops)).toEqual({ a, b });
      expect(ops.filter((o) => o.op === 'equal').length).toBe(lcs(a, b));
      // indices advance monotonically
      let ia = -1;
      let ib = -1;
      for (const o of ops) {
        if (o.op !== 'insert') expect(o.a).toBe(++ia);
        if (o.op !== 'delete') expect(o.b).toBe(++ib);
      }
    }
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    const t = splitLines('a\nb\n');
    expect(unifiedDiff({ expected: t, actual: t, expectedLabel: 'e', actualLabel: 'a' })).toBe('');
  });

  it('compares keys but shows lines', () => {
    const e = splitLines('x 1\ny\n');
    const a = splitLines('x 2\ny\n');
    expect(unifiedDiff({ expected: e, actual: a, expectedKeys: ['x', 'y'], actualKeys: ['x', 'y'], expectedLabel: 'e', actualLabel: 'a' })).toBe('');
    expect(unifiedDiff({ expected: e, actual: a, expectedLabel: 'e', actualLabel: 'a' })).toBe('--- e\n+++ a\n@@ -1,2 +1,2 @@\n-x 1\n+x 2\n y');
  });

  it('marks a missing newline at the end', () => {
    const d = unifiedDiff({ expected: splitLines('a\n[zk: 1] '), actual: splitLines('a\n[zk: 1] \n'), expectedLabel: 'e', actualLabel: 'a' });
    expect(d).toBe('--- e\n+++ a\n@@ -1,2 +1,2 @@\n a\n-[zk: 1] \n\\ No newline at end of file\n+[zk: 1] ');
  });

  it('shows insertions at the very start, with a zero-length range when there is no context', () => {
    const e = splitLines('b\n');
    const a = splitLines('a\nb\n');
    expect(unifiedDiff({ expected: e, actual: a, expectedLabel: 'e', actualLabel: 'a' })).toBe('--- e\n+++ a\n@@ -1,1 +1,2 @@\n+a\n b');
    expect(unifiedDiff({ expected: e, actual: a, expectedLabel: 'e', actualLabel: 'a', context: 0 })).toBe('--- e\n+++ a\n@@ -0,0 +1,1 @@\n+a');
  });

  it('makes control characters visible', () => {
    expect(visible('a\u0000b\u0001\r\u007f\tc')).toBe('a\\x00b\\x01\\r\\x7f\tc');
  });

  it('cuts long diffs short and says how much is missing', () => {
    const e = splitLines(Array.from({ length: 100 }, (_, i) => `e${i}`).join('\n'));
    const a = splitLines(Array.from({ length: 100 }, (_, i) => `a${i}`).join('\n'));
    const d = unifiedDiff({ expected: e, actual: a, expectedLabel: 'e', actualLabel: 'a', maxLines: 10 });
    const lines = d.split('\n');
    expect(lines.length).toBeLessThanOrEqual(14);
    expect(lines[lines.length - 1]).toBe('... diff cut short: 190 more changed line(s) not shown');
  });
});
