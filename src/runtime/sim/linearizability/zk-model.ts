/**
 * A sequential model of ZooKeeper 3.8's client-visible znode semantics over a small key space,
 * for checking simulator histories with `checker.ts`.
 *
 * Theory of operation
 *   State: the znodes, path → { data, version, childCreates, numChildren }, plus a digest
 *   kept up to date on every change so hashing is O(1). `childCreates` is the parent's
 *   *stored* cversion, the number of children ever created under it (deletes do not bump
 *   it; the client-visible cversion is 2 × stored − numChildren), which is the counter that
 *   names sequential children ("%010d"). The initial tree is `/`, `/zookeeper`,
 *   `/zookeeper/quota` and `/zookeeper/config`, as a fresh ZooKeeper DataTree has them.
 *
 *   Each operation's result, with checks in PrepRequestProcessor's order:
 *     create(p, d[, seq])   parent missing → NoNode; name = seq ? p + %010d(parent.childCreates)
 *                           : p; name exists → NodeExists; else created(name), parent
 *                           childCreates + 1
 *     setData(p, d, v)      missing → NoNode; v ≠ -1 and v ≠ version → BadVersion;
 *                           else stat(version + 1)
 *     delete(p, v)          parent or node missing → NoNode; BadVersion as above; has
 *                           children → NotEmpty; else deleted
 *     getData(p)            missing → NoNode; else data(d, version)
 *     exists(p)             missing → NoNode (the wire reply; the Java API returns null);
 *                           else stat(version)
 *     getChildren(p)        missing → NoNode; else the child names, compared as a set
 *                           (ZooKeeper returns them in HashSet order)
 *     any op, unknown       (connection loss, timeout) accepted in every state, with its effect
 *
 *   Partitioning (P-compositionality): an operation on a path touches only that path, its
 *   parent's child count and, for sequential creates, the parent's counter. So operations in
 *   different top-level subtrees (`/a/...` vs `/b/...`) commute, except through the root's
 *   children and counter, which only operations on `/` itself, sequential creates directly
 *   under `/` and getChildren('/') observe. The history is split by top-level name unless one
 *   of those appears, in which case it is checked whole.
 *
 *   Reads: ZooKeeper promises linearizable writes but only sequentially consistent reads
 *   (a follower may serve a stale value; verification.md §4.1). A strict check of reads is
 *   right for reads after `sync` or served by the leader; otherwise check `zkWritesOnly`.
 *
 *   Not modelled: ephemeral nodes and sessions, multi, ACLs, TTL and container nodes, watches.
 */
import { assert, assertNever } from '../../../engine/util/assert.ts';
import { partitionByKey, type Model, type Operation } from './model.ts';

export type ZkData = string | null;

export type ZkInput =
  | { readonly type: 'create'; readonly path: string; readonly data: ZkData; readonly sequential?: boolean }
  | { readonly type: 'setData'; readonly path: string; readonly data: ZkData; readonly version: number }
  | { readonly type: 'delete'; readonly path: string; readonly version: number }
  | { readonly type: 'getData'; readonly path: string }
  | { readonly type: 'exists'; readonly path: string }
  | { readonly type: 'getChildren'; readonly path: string };

/** KeeperException codes the modelled operations can return. */
export type ZkErrorCode = 'NoNode' | 'NodeExists' | 'BadVersion' | 'NotEmpty';

export type ZkOutput =
  | { readonly type: 'created'; readonly path: string }
  | { readonly type: 'stat'; readonly version: number }
  | { readonly type: 'deleted' }
  | { readonly type: 'data'; readonly data: ZkData; readonly version: number }
  | { readonly type: 'children'; readonly children: readonly string[] }
  | { readonly type: 'error'; readonly code: ZkErrorCode }
  | { readonly type: 'unknown' };

export interface ZnodeModel {
  readonly data: ZkData;
  readonly version: number;
  /** stored cversion: children ever created here; names sequential children */
  readonly childCreates: number;
  readonly numChildren: number;
}

/**
 * Immutable: every change builds a new state. `digest` is the XOR of a 32-bit hash of each
 * znode, kept up to date by the (at most two) znodes a write changes, so hashing a state is
 * O(1) however many znodes it holds.
 */
export interface ZkState {
  readonly nodes: ReadonlyMap<string, ZnodeModel>;
  readonly digest: number;
}

/** A fresh DataTree: `/` and the system nodes under `/zookeeper`. */
export function initialZkState(): ZkState {
  const leaf = { data: '', version: 0, childCreates: 0, numChildren: 0 };
  const initial: [string, ZnodeModel][] = [
    ['/', { ...leaf, numChildren: 1 }],
    ['/zookeeper', { ...leaf, numChildren: 2 }],
    ['/zookeeper/quota', leaf],
    ['/zookeeper/config', leaf],
  ];
  const digest = initial.reduce((d, [path, node]) => d ^ znodeHash(path, node), 0);
  return { nodes: new Map(initial), digest };
}

export const zkModel: Model<ZkState, ZkInput, ZkOutput> = {
  init: initialZkState,
  step: stepZk,
  equal: (a, b) => a === b || (a.digest === b.digest && sameNodes(a.nodes, b.nodes)),
  hash: (state) => state.digest.toString(36),
  partition: partitionZk,
  describeOperation: describeZkOperation,
  describeState: describeZkState,
};

/** The result ZooKeeper gives `input` in `state`, and the state after it. */
export function applyZk(state: ZkState, input: ZkInput): readonly [ZkOutput, ZkState] {
  switch (input.type) {
    case 'create':
      return applyCreate(state, input.path, input.data, input.sequential ?? false);
    case 'setData': {
      const node = state.nodes.get(input.path);
      if (node === undefined) return [zkError('NoNode'), state];
      if (input.version !== -1 && input.version !== node.version) return [zkError('BadVersion'), state];
      const version = nextVersion(node.version);
      return [{ type: 'stat', version }, withChanges(state, [[input.path, { ...node, data: input.data, version }]])];
    }
    case 'delete':
      return applyDelete(state, input.path, input.version);
    case 'getData': {
      const node = state.nodes.get(input.path);
      if (node === undefined) return [zkError('NoNode'), state];
      return [{ type: 'data', data: node.data, version: node.version }, state];
    }
    case 'exists': {
      const node = state.nodes.get(input.path);
      return [node === undefined ? zkError('NoNode') : { type: 'stat', version: node.version }, state];
    }
    case 'getChildren':
      if (!state.nodes.has(input.path)) return [zkError('NoNode'), state];
      return [{ type: 'children', children: childrenOf(state, input.path) }, state];
    default:
      return assertNever(input, 'zk input');
  }
}

function stepZk(state: ZkState, input: ZkInput, output: ZkOutput): readonly [boolean, ZkState] {
  const [expected, next] = applyZk(state, input);
  if (output.type === 'unknown') return [true, next];
  return [sameOutput(expected, output), next];
}

function applyCreate(state: ZkState, path: string, data: ZkData, sequential: boolean): readonly [ZkOutput, ZkState] {
  const parentName = parentPath(path);
  const parent = state.nodes.get(parentName);
  if (parent === undefined) return [zkError('NoNode'), state];
  const name = sequential ? path + sequenceSuffix(parent.childCreates) : path;
  if (state.nodes.has(name)) return [zkError('NodeExists'), state];
  const next = withChanges(state, [
    [parentName, { ...parent, childCreates: (parent.childCreates + 1) | 0, numChildren: parent.numChildren + 1 }],
    [name, { data, version: 0, childCreates: 0, numChildren: 0 }],
  ]);
  return [{ type: 'created', path: name }, next];
}

function applyDelete(state: ZkState, path: string, version: number): readonly [ZkOutput, ZkState] {
  const parentName = parentPath(path);
  const parent = state.nodes.get(parentName);
  if (parent === undefined) return [zkError('NoNode'), state];
  const node = state.nodes.get(path);
  if (node === undefined) return [zkError('NoNode'), state];
  if (version !== -1 && version !== node.version) return [zkError('BadVersion'), state];
  if (node.numChildren > 0) return [zkError('NotEmpty'), state];
  const next = withChanges(state, [
    [parentName, { ...parent, numChildren: parent.numChildren - 1 }],
    [path, undefined],
  ]);
  return [{ type: 'deleted' }, next];
}

function sameOutput(expected: ZkOutput, actual: ZkOutput): boolean {
  switch (expected.type) {
    case 'created':
      return actual.type === 'created' && actual.path === expected.path;
    case 'stat':
      return actual.type === 'stat' && actual.version === expected.version;
    case 'deleted':
      return actual.type === 'deleted';
    case 'data':
      return actual.type === 'data' && actual.data === expected.data && actual.version === expected.version;
    case 'children':
      return actual.type === 'children' && sortedNames(actual.children) === sortedNames(expected.children);
    case 'error':
      return actual.type === 'error' && actual.code === expected.code;
    case 'unknown':
      return false; // applyZk never answers unknown
    default:
      return assertNever(expected, 'zk output');
  }
}

/** Splits by top-level name unless some operation observes the root (see the header). */
function partitionZk(history: readonly Operation<ZkInput, ZkOutput>[]): Operation<ZkInput, ZkOutput>[][] {
  if (history.some((op) => observesRoot(op.input))) return [[...history]];
  return partitionByKey(history, (input) => topLevelName(input.path));
}

function observesRoot(input: ZkInput): boolean {
  if (input.path === '/') return true;
  if (input.type === 'create' && input.sequential === true) return parentPath(input.path) === '/';
  return false;
}

function topLevelName(path: string): string {
  assert(path.startsWith('/') && path.length > 1, `not a znode path below the root: ${path}`);
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

/** Drops reads (getData, exists, getChildren): what remains must be linearizable in ZooKeeper. */
export function zkWritesOnly<T extends { readonly input: ZkInput }>(history: readonly T[]): T[] {
  return history.filter((op) => op.input.type === 'create' || op.input.type === 'setData' || op.input.type === 'delete');
}

export function parentPath(path: string): string {
  assert(path.startsWith('/') && path !== '/', `no parent for path ${path}`);
  const slash = path.lastIndexOf('/');
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** String.format("%010d", int); negative values keep their sign. */
export function sequenceSuffix(counter: number): string {
  return counter < 0 ? '-' + String(-counter).padStart(9, '0') : String(counter).padStart(10, '0');
}

/** Java int arithmetic for versions, never landing on -1 (ZOOKEEPER-4743), as the engine does. */
function nextVersion(version: number): number {
  const next = (version + 1) | 0;
  return next === -1 ? 0 : next;
}

function zkError(code: ZkErrorCode): ZkOutput {
  return { type: 'error', code };
}

/** A new state with znodes replaced (or removed, for `undefined`), digest updated. */
function withChanges(state: ZkState, changes: readonly (readonly [string, ZnodeModel | undefined])[]): ZkState {
  const nodes = new Map(state.nodes);
  let digest = state.digest;
  for (const [path, node] of changes) {
    const old = nodes.get(path);
    if (old !== undefined) digest ^= znodeHash(path, old);
    if (node === undefined) {
      nodes.delete(path);
    } else {
      nodes.set(path, node);
      digest ^= znodeHash(path, node);
    }
  }
  return { nodes, digest };
}

/** FNV-1a of the znode's fields, finished with splitmix32's mixer. */
function znodeHash(path: string, node: ZnodeModel): number {
  const text = `${path}\u0001${node.data === null ? '\u0000' : node.data}\u0001${node.version}\u0001${node.childCreates}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function sameNodes(a: ReadonlyMap<string, ZnodeModel>, b: ReadonlyMap<string, ZnodeModel>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, x] of a) {
    const y = b.get(path);
    if (y === undefined || x.data !== y.data || x.version !== y.version || x.childCreates !== y.childCreates) return false;
  }
  return true;
}

/** Child names of `path`, sorted; the key space is small, so a scan is cheap. */
export function childrenOf(state: ZkState, path: string): string[] {
  const prefix = path === '/' ? '/' : path + '/';
  const names: string[] = [];
  for (const key of state.nodes.keys()) {
    if (key.length > prefix.length && key.startsWith(prefix) && key.indexOf('/', prefix.length) === -1) {
      names.push(key.slice(prefix.length));
    }
  }
  return names.sort();
}

function sortedNames(names: readonly string[]): string {
  return JSON.stringify([...names].sort());
}

export function describeZkState(state: ZkState): string {
  const paths = [...state.nodes.keys()].filter((p) => p !== '/' && p !== '/zookeeper' && !p.startsWith('/zookeeper/'));
  const nodes = paths.sort().map((p) => `${p}=${describeData(state.nodes.get(p)!.data)} v${state.nodes.get(p)!.version}`);
  return `{${nodes.join(', ')}}`;
}

export function describeZkOperation(input: ZkInput, output: ZkOutput): string {
  return `${describeZkInput(input)} -> ${describeZkOutput(output)}`;
}

function describeZkInput(input: ZkInput): string {
  switch (input.type) {
    case 'create':
      return `create('${input.path}', ${describeData(input.data)}${input.sequential ? ', sequential' : ''})`;
    case 'setData':
      return `setData('${input.path}', ${describeData(input.data)}, ${input.version})`;
    case 'delete':
      return `delete('${input.path}', ${input.version})`;
    case 'getData':
    case 'exists':
    case 'getChildren':
      return `${input.type}('${input.path}')`;
    default:
      return assertNever(input, 'zk input');
  }
}

function describeZkOutput(output: ZkOutput): string {
  switch (output.type) {
    case 'created':
      return `'${output.path}'`;
    case 'stat':
      return `v${output.version}`;
    case 'deleted':
      return 'ok';
    case 'data':
      return `${describeData(output.data)} v${output.version}`;
    case 'children':
      return `[${[...output.children].sort().join(', ')}]`;
    case 'error':
      return output.code;
    case 'unknown':
      return 'unknown';
    default:
      return assertNever(output, 'zk output');
  }
}

function describeData(data: ZkData): string {
  return data === null ? 'null' : `'${data}'`;
}
