/** describeTree: one line per znode (pre-order, children sorted), with the client-visible Stat. */
import { describeData } from '../protocol/describe.ts';
import { hex } from '../protocol/ids.ts';
import type { DataTree } from './data-tree.ts';

/**
 * `userOnly` leaves out /zookeeper and below, as ZooKeeper's tree digest does: each server
 * stamps /zookeeper/config with its own clock, so replicas legitimately differ there.
 */
export function describeTree(tree: DataTree, root = '/', opts: { userOnly?: boolean } = {}): string {
  const lines: string[] = [];
  const visit = (path: string, depth: number): void => {
    const node = tree.get(path);
    if (!node || depth > 1000) return;
    if (opts.userOnly && (path === '/zookeeper' || path.startsWith('/zookeeper/'))) return;
    const s = tree.statOf(path);
    lines.push(`${path} ${describeData(node.data)} czxid=${hex(s.czxid)} mzxid=${hex(s.mzxid)} pzxid=${hex(s.pzxid)} ` +
      `ctime=${s.ctime} mtime=${s.mtime} version=${s.version} cversion=${s.cversion} aversion=${s.aversion} ` +
      `owner=${hex(s.ephemeralOwner)} dataLength=${s.dataLength} numChildren=${s.numChildren}`);
    for (const child of [...node.children].sort()) visit(path === '/' ? `/${child}` : `${path}/${child}`, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}
