/**
 * org.apache.zookeeper.ZKUtil, the tree walks behind `ls -R`, `setAcl -R` and `deleteall`.
 *
 * - visitSubTreeDFS: getData(root) first (so a missing root throws NoNode and `-w` sets a data
 *   watch on it), then per node getChildren, sorted, visiting all children of a node before
 *   descending (that is why `ls -R /` prints /a /e /zookeeper before /a/b). A node that vanishes
 *   under the walk is skipped.
 * - deleteRecursive: a BFS listing (in the server's child order), then multi() batches of deletes,
 *   leaves first.
 */
import { validatePath } from '../engine/datatree/path.ts';
import { Code } from '../engine/protocol/errors.ts';
import type { MultiSubOp } from '../engine/protocol/client-protocol.ts';
import { IllegalArgumentException, KeeperException, getChildren, getData, multiRc, type ZkRun } from './zk-api.ts';

/** A visitor, as ZKUtil's StringCallback: it may itself make calls. */
export type PathVisitor = (path: string) => ZkRun<void>;

/** Bound on the nodes a walk visits (the data tree is finite; a loop here is a bug). */
const subtreeNodesMax = 1_000_000;
/** ZKUtil.deleteInBatch: at most this many multi() calls outstanding (its Semaphore). */
const deleteBatchesOutstandingMax = 10;

function* checkedPath(path: string): ZkRun<void> {
  const problem = validatePath(path);
  if (problem !== null) throw new IllegalArgumentException(problem);
}

export function* visitSubTreeDFS(path: string, watch: boolean, visit: PathVisitor): ZkRun<void> {
  yield* checkedPath(path);
  yield* getData(path, watch);
  yield* visit(path);
  yield* visitSubTreeDFSHelper(path, watch, visit, { visited: 0 });
}

function* visitSubTreeDFSHelper(path: string, watch: boolean, visit: PathVisitor, count: { visited: number }): ZkRun<void> {
  const isRoot = path.length === 1;
  let children: string[];
  try {
    children = (yield* getChildren(path, watch)).children.sort();
  } catch (e) {
    if (e instanceof KeeperException && e.code === Code.NONODE) return;
    throw e;
  }
  const childPath = (child: string): string => (isRoot ? path : `${path}/`) + child;
  for (const child of children) yield* visit(childPath(child));
  for (const child of children) {
    count.visited++;
    if (count.visited > subtreeNodesMax) throw new Error(`visitSubTreeDFS: more than ${subtreeNodesMax} nodes`);
    try {
      yield* visitSubTreeDFSHelper(childPath(child), watch, visit, count);
    } catch (e) {
      // Java's catch of NoNodeException wraps the whole body, loops included.
      if (e instanceof KeeperException && e.code === Code.NONODE) return;
      throw e;
    }
  }
}

export function* listSubTreeBFS(pathRoot: string): ZkRun<string[]> {
  const queue: string[] = [pathRoot];
  const tree: string[] = [pathRoot];
  for (let head = 0; head < queue.length; head++) {
    if (head >= subtreeNodesMax) throw new Error(`listSubTreeBFS: more than ${subtreeNodesMax} nodes`);
    const node = queue[head];
    const { children } = yield* getChildren(node, false);
    for (const child of children) {
      const childPath = (node === '/' ? '' : node) + '/' + child;
      queue.push(childPath);
      tree.push(childPath);
    }
  }
  return tree;
}

/** ZKUtil.deleteRecursive(zk, path, batchSize): true when every batch succeeded. */
export function* deleteRecursive(pathRoot: string, batchSize: number): ZkRun<boolean> {
  yield* checkedPath(pathRoot);
  const tree = yield* listSubTreeBFS(pathRoot);
  return yield* deleteInBatch(tree, batchSize);
}

/**
 * Java sends the batches asynchronously, up to ten in flight, and stops early ("fail fast") only
 * when a failure has already been called back. Our calls are synchronous, so we model what Java
 * could have seen: before batch k it has waited for batch k-10's reply (to get a permit), so the
 * replies of batches 0..k-11 are known for sure.
 */
function* deleteInBatch(tree: readonly string[], batchSize: number): ZkRun<boolean> {
  const rcs: Code[] = [];
  let ops: MultiSubOp[] = [];
  for (let i = tree.length - 1; i >= 0; --i) {
    ops.push({ type: 'delete', path: tree[i], version: -1 });
    if (ops.length === batchSize || i === 0) {
      const known = rcs.slice(0, Math.max(0, rcs.length - deleteBatchesOutstandingMax));
      if (known.some((rc) => rc !== Code.OK)) break;
      rcs.push(yield* multiRc(ops));
      ops = [];
    }
  }
  return rcs.every((rc) => rc === Code.OK);
}
