import { describe, expect, it } from 'vitest';
import { buildTreeRows, childPath, parentPath, sortedNames, type TreeRow } from './tree-rows.ts';

/** The obvious listing, one object per row: what buildTreeRows must equal. */
function naive(children: ReadonlyMap<string, readonly string[]>, expanded: ReadonlySet<string>): TreeRow[] {
  if (!children.has('/')) return [];
  const rows: TreeRow[] = [{ path: '/', name: '/', depth: 0 }];
  const visit = (dir: string, depth: number): void => {
    const names = children.get(dir);
    if (!names || !expanded.has(dir)) return;
    for (const name of names) {
      rows.push({ path: childPath(dir, name), name, depth });
      visit(childPath(dir, name), depth + 1);
    }
  };
  visit('/', 1);
  return rows;
}

function all(rows: ReturnType<typeof buildTreeRows>): TreeRow[] {
  return Array.from({ length: rows.count }, (_, i) => rows.rowAt(i));
}

const tree = new Map<string, readonly string[]>([
  ['/', ['a', 'b', 'zookeeper']],
  ['/a', ['x', 'y', 'z']],
  ['/a/y', ['deep']],
  ['/b', []],
  ['/zookeeper', ['config', 'quota']],
]);

describe('buildTreeRows: the Data view listing from children lists', () => {
  it('equals the pre-order listing for any set of expanded directories', () => {
    const dirs = ['/', '/a', '/a/y', '/b', '/zookeeper', '/missing', '/a/x'];
    for (let mask = 0; mask < 1 << dirs.length; mask++) {
      const expanded = new Set(dirs.filter((_, i) => mask & (1 << i)));
      const rows = buildTreeRows(tree, expanded);
      const want = naive(tree, expanded);
      expect(all(rows)).toEqual(want);
      want.forEach((r, i) => expect(rows.indexOf(r.path)).toBe(i));
    }
  });

  it('lists nothing before the root is fetched, and only the root while it is collapsed', () => {
    expect(buildTreeRows(new Map(), new Set(['/'])).count).toBe(0);
    expect(all(buildTreeRows(tree, new Set()))).toEqual([{ path: '/', name: '/', depth: 0 }]);
    // an expanded directory whose children are not fetched yet shows as one closed row
    expect(all(buildTreeRows(new Map([['/', ['q']]]), new Set(['/', '/q'])))).toEqual([{ path: '/', name: '/', depth: 0 }, { path: '/q', name: 'q', depth: 1 }]);
  });

  it('serves 100,000 children as one run: rows anywhere, an open child in the middle, indexOf', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `n${String(i).padStart(7, '0')}`);
    const children = new Map<string, readonly string[]>([['/', ['bulk', 'zookeeper']], ['/bulk', names], ['/bulk/n0050000', ['inner']]]);
    const rows = buildTreeRows(children, new Set(['/', '/bulk', '/bulk/n0050000']));
    expect(rows.count).toBe(1 + 2 + 100_000 + 1);
    expect(rows.rowAt(2)).toEqual({ path: '/bulk/n0000000', name: 'n0000000', depth: 2 });
    expect(rows.rowAt(2 + 50_000)).toEqual({ path: '/bulk/n0050000', name: 'n0050000', depth: 2 });
    expect(rows.rowAt(3 + 50_000)).toEqual({ path: '/bulk/n0050000/inner', name: 'inner', depth: 3 });
    expect(rows.rowAt(4 + 50_000)).toEqual({ path: '/bulk/n0050001', name: 'n0050001', depth: 2 });
    expect(rows.rowAt(rows.count - 2)).toEqual({ path: '/bulk/n0099999', name: 'n0099999', depth: 2 });
    expect(rows.rowAt(rows.count - 1)).toEqual({ path: '/zookeeper', name: 'zookeeper', depth: 1 });
    expect(rows.indexOf('/bulk/n0099999')).toBe(rows.count - 2);
    expect(rows.indexOf('/bulk/nope')).toBe(-1);
    expect(() => rows.rowAt(rows.count)).toThrow(RangeError);
    expect(() => rows.rowAt(-1)).toThrow(RangeError);
  });

  it('sortedNames keeps a sorted list as it is and sorts one that is not', () => {
    const sorted = ['a', 'b', 'c'];
    expect(sortedNames(sorted)).toBe(sorted);
    expect(sortedNames(['b', 'a', 'B'])).toEqual(['B', 'a', 'b']);
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/a')).toBe('/');
  });
});
