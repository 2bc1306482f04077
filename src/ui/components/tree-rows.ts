/**
 * The Data view's rows: the pre-order listing of the expanded part of a server's tree, built
 * from the children lists of the expanded directories alone, without one object per row.
 *
 * A directory of 100,000 children is one run of rows, not 100,000 row objects: the listing is a
 * short array of runs (a directory's sorted names from..to at one depth), split where an
 * expanded child's own rows go in. `rowAt(i)` finds the run by binary search and makes the one
 * row asked for, so the virtualizer (which renders ~60 rows) costs O(rows on screen · log runs)
 * per frame, and building the listing costs O(expanded directories · log children), however
 * many znodes there are. Per-row details (badges, whether a row has children) are looked up at
 * render from a separate cache, so fetching them does not rebuild the listing.
 */

export interface TreeRow {
  readonly path: string;
  readonly name: string;
  readonly depth: number;
}

export interface TreeRows {
  readonly count: number;
  rowAt(index: number): TreeRow;
  /** the row index of `path`, or -1 when it is not listed (a parent collapsed or not fetched) */
  indexOf(path: string): number;
}

/** One run of consecutive rows: names[from..to) of directory `dir`, at `depth`, from row `offset`. */
interface Run {
  readonly offset: number;
  readonly dir: string;
  readonly names: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly depth: number;
}

/** Directory nesting followed when building (deeper expanded directories are not listed). */
export const treeDepthMax = 1000;

export function childPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** First index in sorted `names` whose name is >= `name` (code-unit order, as Array.sort). */
function lowerBound(names: readonly string[], name: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid] < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `names` sorted in code-unit order (a copy only when they were not: the runtime sends them sorted). */
export function sortedNames(names: readonly string[]): readonly string[] {
  for (let i = 1; i < names.length; i++) if (names[i - 1] > names[i]) return [...names].sort();
  return names;
}

/**
 * The rows of the expanded part of the tree. `children` holds the sorted child names of the
 * directories fetched so far; a directory is listed open when it is in `expanded` and its
 * children are known. The root row is there when the root's children are known.
 */
export function buildTreeRows(children: ReadonlyMap<string, readonly string[]>, expanded: ReadonlySet<string>): TreeRows {
  const runs: Run[] = [];
  const root = children.get('/');
  if (root === undefined) return { count: 0, rowAt: () => { throw new RangeError('no rows'); }, indexOf: () => -1 };
  // expanded directories by parent, so each directory finds its open children without a scan
  const openByParent = new Map<string, string[]>();
  for (const p of expanded) {
    if (p === '/' || !children.has(p)) continue;
    const parent = parentPath(p);
    const list = openByParent.get(parent) ?? [];
    list.push(p);
    openByParent.set(parent, list);
  }
  let count = 1; // the root row
  const visit = (dir: string, depth: number): void => {
    const names = children.get(dir);
    if (names === undefined || !expanded.has(dir) || depth > treeDepthMax) return;
    const open: number[] = [];
    for (const p of openByParent.get(dir) ?? []) {
      const name = p.slice(p.lastIndexOf('/') + 1);
      const i = lowerBound(names, name);
      if (i < names.length && names[i] === name) open.push(i);
    }
    open.sort((a, b) => a - b);
    let from = 0;
    for (const i of open) {
      runs.push({ offset: count, dir, names, from, to: i + 1, depth });
      count += i + 1 - from;
      from = i + 1;
      visit(childPath(dir, names[i]), depth + 1);
    }
    if (from < names.length) {
      runs.push({ offset: count, dir, names, from, to: names.length, depth });
      count += names.length - from;
    }
  };
  visit('/', 1);
  const total = count;
  const rowAt = (index: number): TreeRow => {
    if (!Number.isInteger(index) || index < 0 || index >= total) throw new RangeError(`row ${index} of ${total}`);
    if (index === 0) return { path: '/', name: '/', depth: 0 };
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (runs[mid].offset <= index) lo = mid;
      else hi = mid - 1;
    }
    const run = runs[lo];
    const name = run.names[run.from + index - run.offset];
    return { path: childPath(run.dir, name), name, depth: run.depth };
  };
  const indexOf = (path: string): number => {
    if (path === '/') return 0;
    const dir = parentPath(path);
    const name = path.slice(path.lastIndexOf('/') + 1);
    for (const run of runs) {
      if (run.dir !== dir) continue;
      const i = lowerBound(run.names, name);
      if (i >= run.from && i < run.to && run.names[i] === name) return run.offset + i - run.from;
    }
    return -1;
  };
  return { count: total, rowAt, indexOf };
}
