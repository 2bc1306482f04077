/**
 * Checkpoints of live objects: any object graph (class instances, plain objects, arrays, Maps,
 * Sets, typed arrays, bigints, shared references and cycles) exported as plain,
 * structured-clone-able data (`GraphImage`) and rebuilt from it, so that a rebuilt server,
 * stepped with the same inputs, gives exactly the outputs of the one it was taken from
 * (rewind = restore a checkpoint and replay, DESIGN.md decision 9).
 *
 * Why a graph codec rather than a hand-written `checkpoint()` per class: the state of a server
 * is spread over ~40 classes and their nested Maps; a field forgotten in one hand-written
 * exporter would make a rewound run diverge silently. The codec captures every own field, so
 * nothing can be forgotten, and it refuses (throws, naming the path) what it cannot rebuild:
 *
 *   - a class instance whose class is not in the `CheckpointRegistry` (by name, never by
 *     `constructor.name`, which a minifier renames);
 *   - a function, unless it is a `methodRef(target, method)` (a bound method; closures that hold
 *     state are refactored into classes or method refs) or a registered stateless function;
 *   - anything else that structured clone cannot carry (WeakMap, Promise, a DOM object, ...).
 *
 * Objects the state refers to by identity without owning them are named, not copied:
 *   - `registry.constants`: module-level singletons compared with `===` (e.g. the data tree's
 *     shared empty children set) come back as the same singleton;
 *   - `externals`: objects that live outside the checkpoint (a server's Disk, whose bytes a
 *     checkpoint records separately) are passed in again at restore.
 *
 * The image: `nodes[i]` is one object; every reference to an object is `{ r: i }` (one such
 * Ref per node, and one key list per object shape, shared: structured clone copies each once,
 * which halves the cost of cloning a big tree); primitives
 * (bigint included) are stored as they are. Own enumerable string keys are kept in insertion
 * order, Map and Set entries in iteration order, so iteration order after a restore is the
 * same. Typed arrays keep their sharing of ArrayBuffers (each buffer is copied once).
 */
import { assert } from './assert.ts';

export type Primitive = string | number | boolean | bigint | null | undefined;
export interface Ref { readonly r: number }
export type Val = Primitive | Ref;

export type Node =
  /** an object: c = registered class name, null for a plain object, '' for a null prototype */
  | { readonly k: 'o'; readonly c: string | null; readonly ks: string[]; readonly vs: Val[]; readonly z?: true }
  | { readonly k: 'a'; readonly c?: string; readonly vs: Val[]; readonly z?: true }
  | { readonly k: 'm'; readonly c?: string; readonly ks: Val[]; readonly vs: Val[] }
  | { readonly k: 's'; readonly c?: string; readonly vs: Val[] }
  | { readonly k: 'ab'; readonly bytes: ArrayBuffer }
  | { readonly k: 'ta'; readonly t: TypedArrayName; readonly buf: Ref; readonly off: number; readonly len: number }
  /** a bound method: target[m](...args) */
  | { readonly k: 'f'; readonly t: Val; readonly m: string }
  /** a registered stateless function, constant, or an external */
  | { readonly k: 'fn' | 'const' | 'x'; readonly n: string };

export interface GraphImage {
  readonly root: Val;
  readonly nodes: Node[];
}

type TypedArrayName = 'Uint8Array' | 'Int8Array' | 'Uint16Array' | 'Int16Array' | 'Uint32Array' | 'Int32Array' | 'Float64Array' | 'Float32Array' | 'BigInt64Array' | 'BigUint64Array';
const typedArrays: Record<TypedArrayName, new (b: ArrayBuffer, off: number, len: number) => ArrayBufferView> = {
  Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float64Array, Float32Array, BigInt64Array, BigUint64Array,
};

/** Objects in one checkpoint; beyond it the graph is not a server's state (a bug). */
export const checkpointNodesMax = 20_000_000;

const methodRefTag = Symbol('methodRef');
interface MethodRefInfo { readonly target: object; readonly method: string }

/**
 * `(...args) => target[method](...args)`, as a function a checkpoint can carry: use it instead
 * of a closure wherever an injected callback is part of an object's state.
 */
export function methodRef<T extends object, K extends keyof T & string>(target: T, method: K): T[K] {
  const fn = (...args: unknown[]): unknown => (target[method] as (...a: unknown[]) => unknown)(...args);
  (fn as unknown as Record<symbol, MethodRefInfo>)[methodRefTag] = { target, method };
  return fn as T[K];
}

/** The classes, stateless functions and singletons a checkpoint may name. */
export class CheckpointRegistry {
  private readonly byName = new Map<string, object>();
  private readonly nameOfProto = new Map<object, string>();
  private readonly fnByName = new Map<string, unknown>();
  private readonly nameOfFn = new Map<unknown, string>();
  private readonly constByName = new Map<string, object>();
  private readonly nameOfConst = new Map<object, string>();

  /** Registers classes under the given names (the keys). */
  classes(classes: Record<string, { readonly prototype: unknown }>): this {
    for (const [name, ctor] of Object.entries(classes)) {
      const proto = ctor.prototype as object;
      assert(!this.byName.has(name) || this.byName.get(name) === proto, `two classes named ${name}`);
      this.byName.set(name, proto);
      this.nameOfProto.set(proto, name);
    }
    return this;
  }

  functions(fns: Record<string, (...args: never[]) => unknown>): this {
    for (const [name, fn] of Object.entries(fns)) {
      this.fnByName.set(name, fn);
      this.nameOfFn.set(fn, name);
    }
    return this;
  }

  constants(values: Record<string, object>): this {
    for (const [name, v] of Object.entries(values)) {
      this.constByName.set(name, v);
      this.nameOfConst.set(v, name);
    }
    return this;
  }

  protoName(proto: object): string | undefined {
    return this.nameOfProto.get(proto);
  }

  proto(name: string): object {
    const p = this.byName.get(name);
    assert(p !== undefined, `checkpoint names an unknown class ${name}`);
    return p;
  }

  fnName(fn: unknown): string | undefined {
    return this.nameOfFn.get(fn);
  }

  fn(name: string): unknown {
    assert(this.fnByName.has(name), `checkpoint names an unknown function ${name}`);
    return this.fnByName.get(name);
  }

  constName(v: object): string | undefined {
    return this.nameOfConst.get(v);
  }

  constant(name: string): object {
    const v = this.constByName.get(name);
    assert(v !== undefined, `checkpoint names an unknown constant ${name}`);
    return v;
  }
}

/** Where an object sits: its parent's node and the key it sits under (paths are made only for errors). */
type Key = { readonly field: string } | { readonly index: number } | { readonly mapKey: unknown } | { readonly note: string };

class Encoder {
  readonly nodes: Node[] = [];
  private readonly ids = new Map<unknown, number>();
  private readonly objs: object[] = [];
  private readonly parents: { readonly parent: number; readonly key: Key }[] = [];
  /** classes whose instances were checked for accessor, symbol and hidden fields (the first instance) */
  private readonly checkedProtos = new Set<object | null>();
  /** the node being encoded (parent of the objects met in it) */
  private current = -1;
  /** one Ref per node, shared by every reference to it (structured clone copies it once) */
  private readonly refs: Ref[] = [];
  /** key lists by class and first key: one list per shape, shared by its objects (znodes all have the same) */
  private readonly shapes = new Map<string, string[][]>();

  constructor(private readonly registry: CheckpointRegistry, private readonly externals: ReadonlyMap<object, string>) {}

  encode(root: unknown): GraphImage {
    const r = this.val(root, { note: '$' });
    for (let i = 0; i < this.objs.length; i++) {
      assert(i < checkpointNodesMax, 'checkpoint over checkpointNodesMax');
      this.current = i;
      this.nodes[i] = this.node(this.objs[i]);
    }
    return { root: r, nodes: this.nodes };
  }

  /** The path of node `id` (or of `key` under it), for error messages. */
  private path(id: number, key?: Key): string {
    const parts: string[] = [];
    if (key) parts.push(describePathKey(key));
    for (let i = id, n = 0; i >= 0 && n < 1000; n++) {
      const p = this.parents[i];
      parts.push(describePathKey(p.key));
      i = p.parent;
    }
    return parts.reverse().join('');
  }

  private val(v: unknown, key: Key): Val {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      if (typeof v === 'symbol') assert(false, `checkpoint: a symbol at ${this.path(this.current, key)}`);
      return v as Primitive;
    }
    const known = this.ids.get(v);
    if (known !== undefined) return this.refs[known];
    const id = this.objs.length;
    this.ids.set(v, id);
    this.objs.push(v);
    this.parents.push({ parent: this.current, key });
    this.nodes.push({ k: 'x', n: '' }); // placeholder, filled in by encode()
    const ref = { r: id };
    this.refs.push(ref);
    return ref;
  }

  private here(): string {
    return this.path(this.current);
  }

  private node(obj: object): Node {
    const ext = this.externals.get(obj);
    if (ext !== undefined) return { k: 'x', n: ext };
    const constant = this.registry.constName(obj);
    if (constant !== undefined) return { k: 'const', n: constant };
    if (typeof obj === 'function') return this.fnNode(obj);
    if (obj instanceof ArrayBuffer) return { k: 'ab', bytes: obj.slice(0) };
    if (ArrayBuffer.isView(obj)) return this.typedArrayNode(obj);
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (obj instanceof Map) {
      const ks: Val[] = [];
      const vs: Val[] = [];
      for (const [k, v] of obj) {
        ks.push(this.val(k, { note: '.key' }));
        vs.push(this.val(v, { mapKey: k }));
      }
      return { k: 'm', ...this.subclass(proto, Map.prototype), ks, vs };
    }
    if (obj instanceof Set) {
      const vs: Val[] = [];
      for (const v of obj) vs.push(this.val(v, { note: '.item' }));
      return { k: 's', ...this.subclass(proto, Set.prototype), vs };
    }
    if (Array.isArray(obj)) {
      assert(Object.keys(obj).length === obj.length, `checkpoint: a sparse array or one with extra fields at ${this.here()}`);
      const vs: Val[] = new Array<Val>(obj.length);
      for (let i = 0; i < obj.length; i++) vs[i] = this.val(obj[i], { index: i });
      return { k: 'a', ...this.subclass(proto, Array.prototype), vs, ...(Object.isFrozen(obj) ? { z: true as const } : {}) };
    }
    return this.objectNode(obj, proto);
  }

  private objectNode(obj: object, proto: object | null): Node {
    let c: string | null;
    if (proto === Object.prototype) c = null;
    else if (proto === null) c = '';
    else {
      const name = this.registry.protoName(proto);
      assert(name !== undefined, `checkpoint: an instance of an unregistered class ${(proto.constructor as { name?: string } | undefined)?.name ?? '?'} at ${this.here()}`);
      c = name;
    }
    const ks = this.shapeOf(c, Object.keys(obj));
    if (!this.checkedProtos.has(proto)) {
      // fields of a class are plain data properties: checked on its first instance (speed)
      this.checkedProtos.add(proto);
      assert(Object.getOwnPropertySymbols(obj).length === 0, `checkpoint: symbol-keyed fields at ${this.here()}`);
      assert(Object.getOwnPropertyNames(obj).length === ks.length, `checkpoint: non-enumerable fields at ${this.here()}`);
      for (const k of ks) {
        const d = Object.getOwnPropertyDescriptor(obj, k)!;
        assert(!d.get && !d.set, `checkpoint: an accessor field ${k} at ${this.here()}`);
      }
    }
    const record = obj as Record<string, unknown>;
    const vs: Val[] = new Array<Val>(ks.length);
    for (let i = 0; i < ks.length; i++) {
      const v = record[ks[i]];
      vs[i] = v !== null && (typeof v === 'object' || typeof v === 'function') ? this.val(v, { field: ks[i] }) : (v as Primitive);
    }
    return { k: 'o', c, ks, vs, ...(ks.length > 0 && Object.isFrozen(obj) ? { z: true as const } : {}) };
  }

  /** The shared key list equal to `ks` (the first of its shape), or `ks` as a new shape. */
  private shapeOf(c: string | null, ks: string[]): string[] {
    const bucket = `${c ?? '{}'} ${ks.length} ${ks[0] ?? ''}`;
    const candidates = this.shapes.get(bucket);
    if (!candidates) {
      this.shapes.set(bucket, [ks]);
      return ks;
    }
    for (const cand of candidates) {
      let same = true;
      for (let i = 1; i < ks.length && same; i++) same = cand[i] === ks[i];
      if (same) return cand;
    }
    if (candidates.length < 16) candidates.push(ks);
    return ks;
  }

  private subclass(proto: object | null, base: object): { c?: string } {
    if (proto === base) return {};
    const name = proto === null ? undefined : this.registry.protoName(proto);
    assert(name !== undefined, `checkpoint: an unregistered subclass at ${this.here()}`);
    return { c: name };
  }

  private fnNode(fn: object): Node {
    const info = (fn as Record<symbol, MethodRefInfo | undefined>)[methodRefTag];
    if (info !== undefined) return { k: 'f', t: this.val(info.target, { note: '<target>' }), m: info.method };
    const name = this.registry.fnName(fn);
    assert(name !== undefined, `checkpoint: a closure at ${this.here()} (make it a methodRef or register it)`);
    return { k: 'fn', n: name };
  }

  private typedArrayNode(view: ArrayBufferView): Node {
    const t = view.constructor.name as TypedArrayName;
    assert(t in typedArrays, `checkpoint: a ${t} at ${this.here()}`);
    const buf = this.val(view.buffer, { note: '.buffer' }) as Ref;
    const len = (view as unknown as { length: number }).length;
    return { k: 'ta', t, buf, off: view.byteOffset, len };
  }
}

function describePathKey(key: Key): string {
  if ('field' in key) return `.${key.field}`;
  if ('index' in key) return `[${key.index}]`;
  if ('mapKey' in key) {
    const k = key.mapKey;
    return `.get(${typeof k === 'object' && k !== null ? '{…}' : String(k)})`;
  }
  return key.note;
}

/** Exports the graph under `root`; `externals` are named instead of copied. */
export function checkpointGraph(root: unknown, registry: CheckpointRegistry, externals: ReadonlyMap<object, string> = new Map()): GraphImage {
  return new Encoder(registry, externals).encode(root);
}

/**
 * Rebuilds a graph from its image: fresh objects throughout (the image is never aliased, so
 * one image can be restored many times), `externals` and registered constants by name.
 */
export function restoreGraph<T>(image: GraphImage, registry: CheckpointRegistry, externals: Readonly<Record<string, object>> = {}): T {
  const { nodes } = image;
  const objs: unknown[] = new Array<unknown>(nodes.length);
  const get = (v: Val): unknown => (v !== null && typeof v === 'object' ? objs[v.r] : v);
  // pass 1: an empty shell per node (so references, cycles included, resolve in pass 2)
  for (let i = 0; i < nodes.length; i++) objs[i] = shell(nodes[i], registry, externals, objs);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.k !== 'ta') continue;
    const buf = objs[n.buf.r] as ArrayBuffer;
    objs[i] = new typedArrays[n.t](buf, n.off, n.len);
  }
  // pass 2: fields and entries, in their original order
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const o = objs[i];
    switch (n.k) {
      case 'o': {
        const target = o as Record<string, unknown>;
        for (let j = 0; j < n.ks.length; j++) target[n.ks[j]] = get(n.vs[j]);
        break;
      }
      case 'a': {
        const a = o as unknown[];
        for (let j = 0; j < n.vs.length; j++) a[j] = get(n.vs[j]);
        break;
      }
      case 'm': {
        const m = o as Map<unknown, unknown>;
        for (let j = 0; j < n.ks.length; j++) Map.prototype.set.call(m, get(n.ks[j]), get(n.vs[j]));
        break;
      }
      case 's': {
        const s = o as Set<unknown>;
        for (const v of n.vs) Set.prototype.add.call(s, get(v));
        break;
      }
      default:
        break;
    }
  }
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if ((n.k === 'o' || n.k === 'a') && n.z === true) Object.freeze(objs[i]);
  }
  return get(image.root) as T;
}

function shell(n: Node, registry: CheckpointRegistry, externals: Readonly<Record<string, object>>, objs: unknown[]): unknown {
  switch (n.k) {
    case 'o': return Object.create(n.c === null ? Object.prototype : n.c === '' ? null : registry.proto(n.c)) as object;
    case 'a': return withProto([], n.c, registry);
    case 'm': return withProto(new Map(), n.c, registry);
    case 's': return withProto(new Set(), n.c, registry);
    case 'ab': return n.bytes.slice(0);
    case 'ta': return null; // made once its buffer exists
    case 'f': {
      const target = n.t;
      const method = n.m;
      const resolve = (): object => (target !== null && typeof target === 'object' ? objs[target.r] : target) as object;
      // a method ref again, so the restored object can be checkpointed in turn
      return lazyMethodRef(resolve, method);
    }
    case 'fn': return registry.fn(n.n);
    case 'const': return registry.constant(n.n);
    case 'x': {
      const e = externals[n.n];
      assert(e !== undefined, `checkpoint: external ${n.n} not given at restore`);
      return e;
    }
  }
}

function withProto<T extends object>(o: T, c: string | undefined, registry: CheckpointRegistry): T {
  if (c !== undefined) Object.setPrototypeOf(o, registry.proto(c));
  return o;
}

function lazyMethodRef(resolve: () => object, method: string): unknown {
  const fn = (...args: unknown[]): unknown => {
    const t = resolve() as Record<string, (...a: unknown[]) => unknown>;
    return t[method](...args);
  };
  Object.defineProperty(fn, methodRefTag, { get: () => ({ target: resolve(), method }) });
  return fn;
}
