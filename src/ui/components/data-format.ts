/** Pure helpers of the data view: the flattened tree rows and data as text / JSON / hex. */
import type { ZnodeView } from '../../runtime/playground/api.ts';

export type DataFormat = 'text' | 'json' | 'hex';

export interface TreeRow {
  readonly path: string;
  readonly name: string;
  readonly depth: number;
  readonly hasChildren: boolean;
  readonly owner: bigint;
}

/** Pre-order rows of the expanded part of the tree; children sorted by name. */
/** A directory's child names, sorted, once per fetched ZnodeView (the Data view flattens on every cache change: sorting 100,000 names each time cost most of a scroll frame). */
const sortedNames = new WeakMap<ZnodeView, readonly string[]>();

function sortedChildren(node: ZnodeView): readonly string[] {
  let names = sortedNames.get(node);
  if (!names) {
    names = [...node.children].sort();
    sortedNames.set(node, names);
  }
  return names;
}

export function flattenTree(cache: ReadonlyMap<string, ZnodeView | null>, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const root = cache.get('/');
  if (!root) return rows;
  rows.push({ path: '/', name: '/', depth: 0, hasChildren: root.children.length > 0, owner: 0n });
  const visit = (path: string, depth: number): void => {
    const node = cache.get(path);
    if (!node || !expanded.has(path)) return;
    const names = sortedChildren(node);
    for (const name of names) {
      const child = path === '/' ? `/${name}` : `${path}/${name}`;
      const c = cache.get(child);
      rows.push({ path: child, name, depth, hasChildren: c ? c.children.length > 0 : true, owner: c?.ephemeralOwner ?? 0n });
      visit(child, depth + 1);
    }
  };
  visit('/', 1);
  return rows;
}

export function formatData(data: Uint8Array, format: DataFormat, emptyText: string, notJsonText: string): string {
  if (data.length === 0) return emptyText;
  if (format === 'hex') {
    const lines: string[] = [];
    for (let i = 0; i < data.length && i < 4096; i += 16) {
      const chunk = [...data.slice(i, i + 16)];
      lines.push(`${i.toString(16).padStart(6, '0')}  ${chunk.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(48)}  ${chunk.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')}`);
    }
    return lines.join('\n');
  }
  const text = new TextDecoder().decode(data);
  if (format === 'text') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return `${notJsonText}\n${text}`;
  }
}
