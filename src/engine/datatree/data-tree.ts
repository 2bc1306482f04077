/**
 * DataTree: the znode tree of one server and the only code that mutates it (`apply*`).
 * Mirrors server/DataTree.java of ZooKeeper 3.8.0.
 *
 * Theory of operation
 *   - Every replica applies the same txns in zxid order; `applyTxn` is deterministic and
 *     returns the client-visible result plus the watch triggers the txn caused, in the order
 *     ZooKeeper fires them (create: NodeCreated on the node, then NodeChildrenChanged on the
 *     parent; delete: NodeDeleted on the node's data and child watches, then
 *     NodeChildrenChanged on the parent; setData: NodeDataChanged).
 *   - Stat arithmetic (reference §6.2): cversion is *stored* as the number of child creates
 *     (the txn carries the parent's new value) and shown as 2*stored - numChildren; pzxid
 *     moves on child create and delete; setData bumps version, setACL bumps aversion, with
 *     ZOOKEEPER-4743's wrap rule.
 *   - Quotas: zookeeper_limits nodes under /zookeeper/quota register a quota root; the
 *     zookeeper_stats node of the longest matching root is updated in place (no version
 *     change) on every create/delete/setData below it, on every replica.
 *   - The tree never throws for client errors: PrepRequestProcessor validated the txn against
 *     the same state. A txn that cannot apply is a bug and fails an assertion, except where
 *     ZooKeeper itself tolerates it (replay during fuzzy-snapshot recovery).
 */
import type { Data, MultiResult, OpResult } from '../protocol/client-protocol.ts';
import { Code } from '../protocol/errors.ts';
import type { SessionId, Zxid } from '../protocol/ids.ts';
import { EventType, openAclUnsafe, Perms, readAclUnsafe, type ACL, type Stat } from '../protocol/records.ts';
import {
  ephemeralKind,
  type CreateTxn,
  type MultiSubTxn,
  type Txn,
  type TxnHeader,
} from '../protocol/txn.ts';
import { AssertionError, assert, assertNever } from '../util/assert.ts';
import { copyCapacity, grownCapacity, javaHashSetOrder } from '../util/java-hash.ts';
import { childName, parentPath } from './path.ts';
import { formatStatsTrack, parseStatsTrack, statsValue } from './stats-track.ts';
import { nodeDigest, TreeDigest } from './digest.ts';

export interface Znode {
  data: Data;
  acl: readonly ACL[];
  czxid: Zxid;
  mzxid: Zxid;
  pzxid: Zxid;
  ctime: number;
  mtime: number;
  version: number;
  /** stored cversion: number of child creates (see header) */
  cversion: number;
  aversion: number;
  /** session id, or the container/TTL markers of EphemeralType */
  ephemeralOwner: bigint;
  /**
   * child names in insertion order; read them in Java HashSet order with childrenOf(). A node
   * without children shares `noChildren`; add children with addChild() only.
   */
  children: Set<string>;
  /** capacity of the Java HashSet that holds the children (grows, never shrinks) */
  childCapacity: number;
  /**
   * this node's digest as the tree last counted it (DataNode.digest, digest.ts): what a change
   * or a delete takes out of the tree's digest without hashing the node again
   */
  digest: number;
}

export interface WatchTrigger {
  readonly path: string;
  readonly type: EventType;
  /** NodeDeleted on the child table is suppressed for watchers the data table already notified */
  readonly table: 'data' | 'child';
  /** the ACL a watcher needs READ on to receive the event (3.8.4+: CVE-2024-23944 fix) */
  readonly acl: readonly ACL[];
}

export interface ApplyResult {
  readonly err: Code;
  readonly result: OpResult | null;
  readonly triggers: WatchTrigger[];
}

export const quotaZookeeper = '/zookeeper/quota';
export const configZookeeper = '/zookeeper/config';
export const procZookeeper = '/zookeeper';
export const limitNode = 'zookeeper_limits';
export const statNode = 'zookeeper_stats';
/** Distinct ACL lists the tree shares between znodes (DataTree.internAcl). */
export const aclCacheMax = 10_000;
/** A bound on tree walks (getCounts, getAllChildrenNumber); beyond it is a bug. */
export const treeNodesMax = 50_000_000;

/** Java int arithmetic for version counters, with ZOOKEEPER-4743: never land on -1. */
export function nextVersion(version: number): number {
  const next = (version + 1) | 0;
  return next === -1 ? 0 : next;
}

export class DataTree {
  readonly nodes = new Map<string, Znode>();
  readonly ephemerals = new Map<SessionId, Set<string>>();
  readonly containers = new Set<string>();
  readonly ttls = new Set<string>();
  readonly quotaRoots = new Set<string>();
  lastProcessedZxid: Zxid = 0n;
  /** ZooKeeper's tree digest (digest.ts), kept current by every change below */
  private readonly treeDigest = new TreeDigest();

  constructor(readonly extendedTypesEnabled = false) {
    this.nodes.set('/', newZnode(new Uint8Array(0), openAclUnsafe));
    this.nodes.set(procZookeeper, newZnode(new Uint8Array(0), openAclUnsafe));
    this.nodes.set(quotaZookeeper, newZnode(new Uint8Array(0), openAclUnsafe));
    this.nodes.set(configZookeeper, newZnode(new Uint8Array(0), readAclUnsafe));
    // DataTree.addConfigNode: setACL(configZookeeper, READ_ACL_UNSAFE, -1) leaves aversion -1
    this.nodes.get(configZookeeper)!.aversion = -1;
    addChild(this.nodes.get('/')!, 'zookeeper');
    addChild(this.nodes.get(procZookeeper)!, 'quota');
    addChild(this.nodes.get(procZookeeper)!, 'config');
    this.recomputeDigest();
  }

  /** DataTree.getTreeDigest(): the sum of the node digests, as a Java long. */
  digest(): bigint {
    return this.treeDigest.value();
  }

  /** The digest as AdHash prints it (Long.toHexString). */
  digestHex(): string {
    return this.treeDigest.hex();
  }

  /** The digest from scratch, for code that fills `nodes` directly (snapshot and checkpoint restore). */
  recomputeDigest(): void {
    this.treeDigest.clear();
    for (const [path, node] of this.nodes) this.addDigest(path, node);
  }

  /**
   * A node enters the tree's digest (NodeHashMap.put, and postChange after a change in place:
   * its digest is taken again). removeDigest before a change or a delete (preChange, remove).
   */
  private addDigest(path: string, node: Znode): void {
    node.digest = nodeDigest(path, node);
    this.treeDigest.add(node.digest);
  }

  private removeDigest(node: Znode): void {
    this.treeDigest.remove(node.digest);
  }

  get(path: string): Znode | undefined {
    return this.nodes.get(path);
  }

  nodeCount(): number {
    return this.nodes.size;
  }

  /**
   * One shared array per distinct ACL list, as ZooKeeper's ReferenceCountedACLCache keeps one
   * entry per list: prep hands every create a fresh array, and 100,000 znodes each holding
   * their own copy cost ~18 MB of heap (bench/README.md). ACL lists are never mutated in place
   * (setACL replaces them), so sharing is safe. Unused lists are not purged; the cache stops
   * growing at aclCacheMax distinct lists.
   */
  private readonly aclCache = new Map<string, readonly ACL[]>();

  internAcl(acl: readonly ACL[]): readonly ACL[] {
    // the usual list, world:anyone:cdrwa, skips building its key (a create arriving from another
    // thread carries its own copy of the list)
    const key = isOpenAcl(acl) ? openAclKey : aclKey(acl);
    const cached = this.aclCache.get(key);
    if (cached !== undefined) return cached;
    if (this.aclCache.size < aclCacheMax) this.aclCache.set(key, acl);
    return acl;
  }

  /** The Stat a client sees (DataNode.copyStat). */
  statOf(path: string): Stat {
    const node = this.nodes.get(path);
    if (node === undefined) assert(false, `statOf missing node ${path}`);
    return clientStat(node, this.extendedTypesEnabled);
  }

  /** Applies one txn with its header; the txn was validated by Prep against the same state. */
  applyTxn(hdr: TxnHeader, txn: Txn): ApplyResult {
    assert(hdr.zxid >= this.lastProcessedZxid || txn.type === 'createSession' || txn.type === 'closeSession',
      `txn ${hdr.zxid} applied after ${this.lastProcessedZxid}`);
    const triggers: WatchTrigger[] = [];
    const out = this.applyOne(hdr, txn, triggers);
    if (hdr.zxid > this.lastProcessedZxid) this.lastProcessedZxid = hdr.zxid;
    // field by field: an object spread per applied txn showed in the data-tree profile
    return { err: out.err, result: out.result, triggers };
  }

  private applyOne(hdr: TxnHeader, txn: Txn, triggers: WatchTrigger[]): Omit<ApplyResult, 'triggers'> {
    switch (txn.type) {
      case 'create': {
        const err = this.createNode(txn, hdr, triggers);
        if (err !== Code.OK) return { err, result: null };
        return { err, result: { type: 'create', path: txn.path, stat: this.statOf(txn.path) } };
      }
      case 'delete': {
        const err = this.deleteNode(txn.path, hdr.zxid, triggers);
        return { err, result: err === Code.OK ? { type: 'delete' } : null };
      }
      case 'setData': {
        const err = this.setData(txn.path, txn.data, txn.version, hdr.zxid, hdr.time, triggers);
        return { err, result: err === Code.OK ? { type: 'setData', stat: this.statOf(txn.path) } : null };
      }
      case 'reconfig': {
        const err = this.setData(configZookeeper, txn.data, txn.version, hdr.zxid, hdr.time, triggers);
        return { err, result: err === Code.OK ? { type: 'reconfig', data: txn.data, stat: this.statOf(configZookeeper) } : null };
      }
      case 'setACL': {
        const node = this.nodes.get(txn.path);
        if (!node) return { err: Code.NONODE, result: null };
        this.removeDigest(node);
        node.acl = this.internAcl(txn.acl);
        node.aversion = txn.version;
        this.addDigest(txn.path, node);
        return { err: Code.OK, result: { type: 'setACL', stat: this.statOf(txn.path) } };
      }
      case 'check':
        return { err: Code.OK, result: { type: 'check' } };
      case 'error':
        return { err: txn.err, result: null };
      case 'multi':
        return this.applyMulti(hdr, txn.txns, triggers);
      case 'createSession':
        return { err: Code.OK, result: null };
      case 'closeSession':
        this.killSession(hdr.clientId, hdr.zxid, txn.paths2Delete, triggers);
        return { err: Code.OK, result: { type: 'closeSession' } };
      default:
        return assertNever(txn, 'txn');
    }
  }

  /** DataTree.processTxn for multi: if any sub-txn failed, nothing applies (reference §6.5). */
  private applyMulti(hdr: TxnHeader, txns: readonly MultiSubTxn[], triggers: WatchTrigger[]): Omit<ApplyResult, 'triggers'> {
    const failed = txns.some((t) => t.type === 'error');
    const results: MultiResult[] = [];
    let err: Code = Code.OK;
    let postFailed = false;
    for (const sub of txns) {
      let effective: MultiSubTxn = sub;
      if (sub.type === 'error') postFailed = true;
      if (failed && sub.type !== 'error') {
        effective = { type: 'error', err: postFailed ? Code.RUNTIMEINCONSISTENCY : Code.OK };
      }
      const r = this.applyOne(hdr, effective, triggers);
      if (effective.type === 'error') results.push({ type: 'error', err: effective.err });
      else results.push(multiResultOf(r.result));
      if (r.err !== Code.OK && err === Code.OK) err = r.err;
    }
    return { err, result: { type: 'multi', results } };
  }

  private createNode(txn: CreateTxn, hdr: TxnHeader, triggers: WatchTrigger[]): Code {
    const parentName = parentPath(txn.path);
    const parent = this.nodes.get(parentName);
    if (!parent) return Code.NONODE;
    const name = childName(txn.path);
    if (parent.children.has(name)) return Code.NODEEXISTS;
    let parentCVersion = txn.parentCVersion;
    if (parentCVersion === -1) parentCVersion = parent.cversion + 1;
    if (parentCVersion > parent.cversion) {
      this.removeDigest(parent);
      parent.cversion = parentCVersion;
      parent.pzxid = hdr.zxid;
      this.addDigest(parentName, parent);
    }
    const node = newZnode(txn.data, this.internAcl(txn.acl));
    node.czxid = node.mzxid = node.pzxid = hdr.zxid;
    node.ctime = node.mtime = hdr.time;
    node.ephemeralOwner = txn.ephemeralOwner;
    addChild(parent, name);
    parent.childCapacity = grownCapacity(parent.childCapacity, parent.children.size);
    this.nodes.set(txn.path, node);
    this.addDigest(txn.path, node);
    this.indexOwner(txn.path, txn.ephemeralOwner, true);
    this.afterCreateQuota(txn.path, parentName, name, txn.data);
    triggers.push({ path: txn.path, type: EventType.NodeCreated, table: 'data', acl: node.acl });
    triggers.push({ path: parentName, type: EventType.NodeChildrenChanged, table: 'child', acl: parent.acl });
    return Code.OK;
  }

  private deleteNode(path: string, zxid: Zxid, triggers: WatchTrigger[]): Code {
    const parentName = parentPath(path);
    const parent = this.nodes.get(parentName);
    if (!parent) return Code.NONODE;
    const name = childName(path);
    parent.children.delete(name);
    if (zxid > parent.pzxid) {
      this.removeDigest(parent);
      parent.pzxid = zxid;
      this.addDigest(parentName, parent);
    }
    const node = this.nodes.get(path);
    if (!node) return Code.NONODE;
    this.nodes.delete(path);
    this.removeDigest(node);
    this.indexOwner(path, node.ephemeralOwner, false);
    if (parentName.startsWith(procZookeeper) && name === limitNode) {
      this.quotaRoots.delete(trimQuotaPath(parentName));
    }
    const root = this.maxPrefixWithQuota(path);
    if (root !== null) this.updateQuotaStat(root, -(node.data?.length ?? 0), -1);
    triggers.push({ path, type: EventType.NodeDeleted, table: 'data', acl: node.acl });
    triggers.push({ path, type: EventType.NodeDeleted, table: 'child', acl: node.acl });
    triggers.push({ path: parentName, type: EventType.NodeChildrenChanged, table: 'child', acl: parent.acl });
    return Code.OK;
  }

  private setData(path: string, data: Data, version: number, zxid: Zxid, time: number, triggers: WatchTrigger[]): Code {
    const node = this.nodes.get(path);
    if (!node) return Code.NONODE;
    const lastLength = node.data?.length ?? 0;
    this.removeDigest(node);
    node.data = data;
    node.mtime = time;
    node.mzxid = zxid;
    node.version = version;
    this.addDigest(path, node);
    const root = this.maxPrefixWithQuota(path);
    if (root !== null) this.updateQuotaStat(root, (data?.length ?? 0) - lastLength, 0);
    triggers.push({ path, type: EventType.NodeDataChanged, table: 'data', acl: node.acl });
    return Code.OK;
  }

  /**
   * DataTree.killSession (closeSession txn, reference §4): delete the paths the txn lists, then
   * any other ephemeral this replica still holds for the session ("Unexpected extra paths
   * under session" in ZooKeeper's log), so every replica ends with none.
   */
  private killSession(session: SessionId, zxid: Zxid, paths2Delete: readonly string[], triggers: WatchTrigger[]): void {
    const local = new Set(this.ephemerals.get(session) ?? []);
    for (const path of paths2Delete) {
      local.delete(path);
      if (this.nodes.has(path)) this.deleteNode(path, zxid, triggers);
    }
    for (const path of local) if (this.nodes.has(path)) this.deleteNode(path, zxid, triggers);
    this.ephemerals.delete(session);
  }

  private indexOwner(path: string, owner: bigint, add: boolean): void {
    const kind = ephemeralKind(owner, this.extendedTypesEnabled);
    if (kind === 'container') {
      if (add) this.containers.add(path); else this.containers.delete(path);
    } else if (kind === 'ttl') {
      if (add) this.ttls.add(path); else this.ttls.delete(path);
    } else if (kind === 'ephemeral') {
      let set = this.ephemerals.get(owner);
      if (!set && add) {
        set = new Set();
        this.ephemerals.set(owner, set);
      }
      if (add) set!.add(path);
      else set?.delete(path);
    }
  }

  private afterCreateQuota(path: string, parentName: string, name: string, data: Data): void {
    if (parentName.startsWith(quotaZookeeper)) {
      if (name === limitNode) this.quotaRoots.add(trimQuotaPath(parentName));
      if (name === statNode) this.updateQuotaForPath(trimQuotaPath(parentName));
    }
    const root = this.maxPrefixWithQuota(path);
    if (root !== null) this.updateQuotaStat(root, data?.length ?? 0, 1);
  }

  /** The longest quota root that is a path-prefix of `path` (PathTrie.findMaxPrefix), never "/". */
  maxPrefixWithQuota(path: string): string | null {
    if (this.quotaRoots.size === 0) return null;
    let best: string | null = null;
    for (const root of this.quotaRoots) {
      if (root === '/' || root === '') continue;
      if ((path === root || path.startsWith(root + '/')) && (best === null || root.length > best.length)) best = root;
    }
    return best;
  }

  private updateQuotaStat(root: string, bytesDiff: number, countDiff: number): void {
    const stat = this.nodes.get(`${quotaZookeeper}${root}/${statNode}`);
    if (!stat) return;
    const track = parseStatsTrack(stat.data);
    track.set('count', statsValue(track, 'count') + countDiff);
    track.set('bytes', statsValue(track, 'bytes') + bytesDiff);
    stat.data = formatStatsTrack(track);
  }

  private updateQuotaForPath(root: string): void {
    let count = 0;
    let bytes = 0;
    this.walk(root, (_p, node) => {
      count++;
      bytes += node.data?.length ?? 0;
    });
    const stat = this.nodes.get(`${quotaZookeeper}${root}/${statNode}`);
    if (!stat) return;
    const track = new Map<string, number>([['count', count], ['bytes', bytes]]);
    stat.data = formatStatsTrack(track);
  }

  /** Pre-order walk of a subtree (children in insertion order); bounded by treeNodesMax. */
  walk(root: string, visit: (path: string, node: Znode) => void): void {
    const stack: string[] = [root];
    for (let steps = 0; stack.length > 0; steps++) {
      assert(steps < treeNodesMax, 'tree walk over treeNodesMax');
      const path = stack.pop()!;
      const node = this.nodes.get(path);
      if (!node) continue;
      visit(path, node);
      const kids = [...node.children];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(path === '/' ? `/${kids[i]}` : `${path}/${kids[i]}`);
    }
  }

  /** Children as ZooKeeper returns them: in its HashSet's iteration order. */
  childrenOf(path: string): string[] {
    const node = this.nodes.get(path);
    if (node === undefined) assert(false, `childrenOf missing node ${path}`);
    return childOrder(node);
  }

  /** getEphemerals order: a clone of the session's HashSet (DataTree.getEphemerals). */
  ephemeralsOf(session: SessionId): string[] {
    const set = this.ephemerals.get(session);
    if (!set) return [];
    // the clone iterates the source HashSet (capacity 16, grown) and re-buckets its entries
    const sourceOrder = javaHashSetOrder(set, grownCapacity(16, set.size));
    return javaHashSetOrder(sourceOrder, copyCapacity(set.size));
  }

  /** getAllChildrenNumber: all descendants, not counting the node itself. */
  allChildrenNumber(path: string): number {
    let count = -1;
    this.walk(path, () => count++);
    return Math.max(count, 0);
  }
}

/**
 * The children of every childless znode: one shared, always-empty set. A Set per leaf cost
 * ~200 bytes of heap per znode (bench/README.md). It refuses `add`, so a writer that bypasses
 * addChild() fails an assertion instead of giving every leaf a child.
 */
class NoChildren extends Set<string> {
  override add(name: string): this {
    throw new AssertionError(`add ${name} to the shared empty children set: use addChild()`);
  }
}
export const noChildren: Set<string> = new NoChildren();

function aclKey(acl: readonly ACL[]): string {
  let key = '';
  for (const a of acl) key += `${a.perms}|${a.id.scheme}|${a.id.id.length}:${a.id.id};`;
  return key;
}

const openAclKey = aclKey(openAclUnsafe);

function isOpenAcl(acl: readonly ACL[]): boolean {
  return acl.length === 1 && acl[0].perms === Perms.ALL && acl[0].id.scheme === 'world' && acl[0].id.id === 'anyone';
}

/** Adds a child name, giving the node its own set on its first child. */
export function addChild(node: Znode, name: string): void {
  if (node.children === noChildren) node.children = new Set();
  node.children.add(name);
  assert(node.children !== noChildren, 'addChild must not fill the shared empty set');
}

export function newZnode(data: Data, acl: readonly ACL[]): Znode {
  return {
    data, acl, czxid: 0n, mzxid: 0n, pzxid: 0n, ctime: 0, mtime: 0,
    version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, children: noChildren, childCapacity: 8, digest: 0,
  };
}

export function clientStat(node: Znode, extendedTypesEnabled: boolean): Stat {
  const kind = ephemeralKind(node.ephemeralOwner, extendedTypesEnabled);
  return {
    czxid: node.czxid,
    mzxid: node.mzxid,
    ctime: node.ctime,
    mtime: node.mtime,
    version: node.version,
    cversion: (node.cversion * 2 - node.children.size) | 0,
    aversion: node.aversion,
    ephemeralOwner: kind === 'ephemeral' ? node.ephemeralOwner : 0n,
    dataLength: node.data?.length ?? 0,
    numChildren: node.children.size,
    pzxid: node.pzxid,
  };
}

/** "/zookeeper/quota/a/b" -> "/a/b" (Quotas.trimQuotaPath) */
export function trimQuotaPath(quotaPath: string): string {
  return quotaPath.slice(quotaZookeeper.length);
}

function multiResultOf(result: OpResult | null): MultiResult {
  assert(result !== null, 'multi sub-op without result');
  switch (result.type) {
    case 'create': return { type: 'create', path: result.path, stat: result.stat };
    case 'delete': return { type: 'delete' };
    case 'setData': return { type: 'setData', stat: result.stat };
    case 'check': return { type: 'check' };
    default: throw new Error(`unexpected multi result ${result.type}`);
  }
}

/** A node's child names in its Java HashSet's iteration order (DataTree.getChildren, serializeNode). */
export function childOrder(node: Znode): string[] {
  return javaHashSetOrder(node.children, node.childCapacity);
}
