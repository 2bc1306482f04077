/**
 * The state a SNAP carries: every znode (with its persisted stat) and the sessions with their
 * timeouts, as plain data (structured-clone safe). Restoring rebuilds the indexes (ephemerals,
 * containers, TTLs, quota roots) from the nodes, as DataTree.deserialize does.
 */
import { DataTree, noChildren, type Znode } from '../datatree/data-tree.ts';
import type { SessionId } from '../protocol/ids.ts';
import { ephemeralKind } from '../protocol/txn.ts';

export interface TreeSnapshot {
  readonly nodes: readonly (readonly [string, Omit<Znode, 'children'> & { children: string[] }])[];
  readonly sessions: readonly { readonly id: SessionId; readonly timeout: number }[];
  readonly lastProcessedZxid: bigint;
}

export function snapshotTree(tree: DataTree, sessions: readonly { id: SessionId; timeout: number }[]): TreeSnapshot {
  const nodes: [string, Omit<Znode, 'children'> & { children: string[] }][] = [];
  for (const [path, n] of tree.nodes) {
    nodes.push([path, { ...n, data: n.data === null ? null : n.data.slice(), acl: [...n.acl], children: [...n.children] }]);
  }
  return { nodes, sessions: sessions.map((s) => ({ id: s.id, timeout: s.timeout })), lastProcessedZxid: tree.lastProcessedZxid };
}

export function restoreTree(data: unknown, extendedTypesEnabled: boolean): { tree: DataTree; sessions: readonly { id: SessionId; timeout: number }[] } {
  const snap = data as TreeSnapshot;
  const tree = new DataTree(extendedTypesEnabled);
  tree.nodes.clear();
  for (const [path, n] of snap.nodes) {
    tree.nodes.set(path, { ...n, data: n.data === null ? null : n.data.slice(), acl: [...n.acl], children: n.children.length === 0 ? noChildren : new Set(n.children) });
    const kind = ephemeralKind(n.ephemeralOwner, extendedTypesEnabled);
    if (kind === 'container') tree.containers.add(path);
    else if (kind === 'ttl') tree.ttls.add(path);
    else if (kind === 'ephemeral') {
      const set = tree.ephemerals.get(n.ephemeralOwner) ?? new Set<string>();
      set.add(path);
      tree.ephemerals.set(n.ephemeralOwner, set);
    }
    if (path.startsWith('/zookeeper/quota/') && path.endsWith('/zookeeper_limits')) {
      tree.quotaRoots.add(path.slice('/zookeeper/quota'.length, -'/zookeeper_limits'.length));
    }
  }
  tree.recomputeDigest();
  tree.lastProcessedZxid = snap.lastProcessedZxid;
  return { tree, sessions: snap.sessions };
}
