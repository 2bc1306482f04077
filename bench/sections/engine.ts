/**
 * Section "engine": the data tree and the standalone request pipeline in Node.
 *
 * data-tree   create / setData / getData / getChildren on a tree of 100,000 znodes, through
 *             DataTree.applyTxn (writes, as a replica applies committed txns) and the read
 *             accessors FinalRequestProcessor uses (get + statOf, childrenOf).
 * pipeline    ZkServer (prep -> persist -> persisted -> apply -> reply) driven by a sans-IO loop:
 *             one connection with `pipelineDepth` requests outstanding; the host "persists" by
 *             handing back `persisted` for the last zxid of each Ready (an instant disk).
 * baseline    a plain JS Map doing the equivalent puts and gets, interleaved with each figure.
 */
import type { DataTree } from '../../src/engine/datatree/data-tree.ts';
import { ZkServer } from '../../src/engine/server/zk-server.ts';
import { defaultServerConfig } from '../../src/engine/server/server-config.ts';
import type { Op, ServerPacket } from '../../src/engine/protocol/client-protocol.ts';
import { openAclUnsafe } from '../../src/engine/protocol/records.ts';
import { atLeast, type Figure, type Section, type SectionOptions } from '../lib/figure.ts';
import { median, now } from '../lib/stats.ts';
import {
  createTxn, dirPaths, leafPaths, payload, shapeFor, shuffled, startTimeMs, treeWithDirs, TxnSource,
  type MapNode, type TreeShape,
} from '../lib/tree-fixture.ts';

const section = 'engine';
export const dataTreeOpsMin = 200_000;
const znodes = 100_000;

interface TreeRun {
  create: number;
  setData: number;
  getData: number;
  getChildren: number;
  mixed: number;
}

function rate(ops: number, ms: number): number {
  return (ops * 1000) / Math.max(ms, 1e-6);
}

/** One full pass over the data tree: build 100k leaves, then set/get/getChildren over them. */
export function dataTreeRun(shape: TreeShape, leaves: string[], order: string[], dirs: string[]): TreeRun {
  const src = new TxnSource();
  const tree: DataTree = treeWithDirs(shape, src);
  let t = now();
  for (let i = 0; i < leaves.length; i++) tree.applyTxn(src.hdr(), createTxn(leaves[i], i));
  const create = rate(leaves.length, now() - t);
  const data = payload(7);
  t = now();
  for (const p of order) tree.applyTxn(src.hdr(), { type: 'setData', path: p, data, version: 1 });
  const setData = rate(order.length, now() - t);
  let sink = 0;
  t = now();
  for (const p of order) {
    const node = tree.get(p)!;
    sink += tree.statOf(p).version + (node.data?.length ?? 0);
  }
  const getData = rate(order.length, now() - t);
  // getChildren over a mix like a real workload: mostly leaves, every 100th a 1000-child dir
  t = now();
  for (let i = 0; i < order.length; i++) {
    const p = i % 100 === 0 ? dirs[(i / 100) % dirs.length] : order[i];
    sink += tree.childrenOf(p).length + tree.statOf(p).numChildren;
  }
  const getChildren = rate(order.length, now() - t);
  if (sink === -1) console.log('unreachable');
  const mixed = 4 / (1 / create + 1 / setData + 1 / getData + 1 / getChildren);
  return { create, setData, getData, getChildren, mixed };
}

/** The same operations on a Map of plain objects: the floor of what JS costs here. */
function mapRun(shape: TreeShape, leaves: string[], order: string[], dirs: string[]): TreeRun {
  const map = new Map<string, MapNode>();
  map.set('/bench', { data: payload(0), version: 0, mzxid: 0n, children: new Set() });
  for (const d of dirs) {
    map.set(d, { data: payload(0), version: 0, mzxid: 0n, children: new Set() });
    map.get('/bench')!.children.add(d.slice(7));
  }
  let zxid = 0n;
  let t = now();
  for (let i = 0; i < leaves.length; i++) {
    const p = leaves[i];
    const cut = p.lastIndexOf('/');
    map.get(p.slice(0, cut))!.children.add(p.slice(cut + 1));
    map.set(p, { data: payload(i), version: 0, mzxid: ++zxid, children: new Set() });
  }
  const create = rate(leaves.length, now() - t);
  const data = payload(7);
  t = now();
  for (const p of order) {
    const n = map.get(p)!;
    n.data = data;
    n.version++;
    n.mzxid = ++zxid;
  }
  const setData = rate(order.length, now() - t);
  let sink = 0;
  t = now();
  for (const p of order) sink += map.get(p)!.data.length;
  const getData = rate(order.length, now() - t);
  t = now();
  for (let i = 0; i < order.length; i++) {
    const p = i % 100 === 0 ? dirs[(i / 100) % dirs.length] : order[i];
    sink += [...map.get(p)!.children].length;
  }
  const getChildren = rate(order.length, now() - t);
  if (sink === -1) console.log('unreachable');
  void shape;
  const mixed = 4 / (1 / create + 1 / setData + 1 / getData + 1 / getChildren);
  return { create, setData, getData, getChildren, mixed };
}

/** A standalone server, one connected session, and a loop that pipelines `ops`. */
export class PipelineHost {
  readonly server: ZkServer;
  private readonly connId = 1;
  private xid = 1;
  replies = 0;
  errors = 0;
  /** the host's "disk": how many txns it was asked to persist */
  persisted = 0;

  constructor() {
    this.server = new ZkServer(defaultServerConfig({ maxClientCnxns: 0 }), startTimeMs);
    this.server.step({ type: 'clientConnected', connId: this.connId, remoteAddress: '127.0.0.1' });
    this.server.step({
      type: 'clientPacket', connId: this.connId, size: 48,
      packet: { type: 'connect', req: { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30_000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false } },
    });
    this.drain();
  }

  /** Submits every op with `depth` outstanding at most; returns when all are answered. */
  run(ops: readonly Op[], depth: number): void {
    const target = this.replies + ops.length;
    let next = 0;
    for (let guard = 0; this.replies < target && guard < 10_000_000; guard++) {
      while (next < ops.length && next - (ops.length - (target - this.replies)) < depth) {
        this.server.step({ type: 'clientPacket', connId: this.connId, size: 150, packet: { type: 'request', xid: this.xid++, op: ops[next++] } });
      }
      this.drain();
    }
  }

  /** Carries out Ready: persist (instant fsync: answer `persisted` for the last zxid) and count replies. */
  drain(): void {
    for (let round = 0; round < 1000 && this.server.hasReady(); round++) {
      const r = this.server.ready();
      for (const o of r.clientOutput) if (o.type === 'packet') this.count(o.packet);
      if (r.persist.length > 0) {
        this.persisted += r.persist.length;
        this.server.step({ type: 'persisted', zxid: r.persist[r.persist.length - 1].hdr.zxid });
      }
    }
  }

  private count(p: ServerPacket): void {
    if (p.type !== 'reply') return;
    this.replies++;
    if (p.err !== 0) this.errors++;
  }
}

interface PipelineRun {
  create: number;
  setData: number;
  getData: number;
}

export const pipelineDepth = 1000;

function pipelineRun(count: number): PipelineRun {
  const host = new PipelineHost();
  host.run([{ type: 'create', path: '/p', data: null, acl: openAclUnsafe, mode: 0, ttl: -1 }], 1);
  const creates: Op[] = Array.from({ length: count }, (_, i) => ({ type: 'create', path: `/p/n${i}`, data: payload(i), acl: openAclUnsafe, mode: 0, ttl: -1 }));
  const sets: Op[] = Array.from({ length: count }, (_, i) => ({ type: 'setData', path: `/p/n${(i * 7919) % count}`, data: payload(i), version: -1 }));
  const gets: Op[] = Array.from({ length: count }, (_, i) => ({ type: 'getData', path: `/p/n${(i * 7919) % count}`, watch: false }));
  let t = now();
  host.run(creates, pipelineDepth);
  const create = rate(count, now() - t);
  t = now();
  host.run(sets, pipelineDepth);
  const setData = rate(count, now() - t);
  t = now();
  host.run(gets, pipelineDepth);
  const getData = rate(count, now() - t);
  if (host.errors > 0) throw new Error(`pipeline: ${host.errors} error replies`);
  return { create, setData, getData };
}

/** Baseline for the pipeline: Map put per create/set, Map get per read, same counts. */
function pipelineBaseline(count: number): PipelineRun {
  const map = new Map<string, MapNode>();
  let t = now();
  for (let i = 0; i < count; i++) map.set(`/p/n${i}`, { data: payload(i), version: 0, mzxid: BigInt(i), children: new Set() });
  const create = rate(count, now() - t);
  t = now();
  for (let i = 0; i < count; i++) {
    const n = map.get(`/p/n${(i * 7919) % count}`)!;
    n.data = payload(i);
    n.version++;
  }
  const setData = rate(count, now() - t);
  let sink = 0;
  t = now();
  for (let i = 0; i < count; i++) sink += map.get(`/p/n${(i * 7919) % count}`)!.data.length;
  const getData = rate(count, now() - t);
  if (sink === -1) console.log('unreachable');
  return { create, setData, getData };
}

function pick<T extends object>(runs: readonly T[], key: keyof T): number[] {
  return runs.map((r) => r[key] as number);
}

function row(name: string, key: string, fig: readonly object[], base: readonly object[], target?: number, note?: string): Figure {
  const samples = pick(fig as Record<string, number>[], key);
  const value = median(samples);
  const b = median(pick(base as Record<string, number>[], key));
  return {
    section, name, value, unit: 'ops/s', samples,
    baseline: { name: `Map ${key}`, value: b, unit: 'ops/s' },
    target: target === undefined ? undefined : `>= ${target.toLocaleString('en-US')} ops/s`,
    status: target === undefined ? 'info' : atLeast(value, target),
    note,
  };
}

export const engineSection: Section = {
  name: 'engine',
  title: 'Engine in Node (data tree, standalone pipeline)',
  async run(opts: SectionOptions): Promise<Figure[]> {
    const rounds = opts.quick ? 2 : 7;
    const shape = shapeFor(znodes);
    const leaves = leafPaths(shape);
    const order = shuffled(leaves);
    const dirs = dirPaths(shape);
    // warm up the JIT on both sides before measuring
    const warm = shapeFor(20_000);
    dataTreeRun(warm, leafPaths(warm), shuffled(leafPaths(warm)), dirPaths(warm));
    mapRun(warm, leafPaths(warm), shuffled(leafPaths(warm)), dirPaths(warm));
    const treeRuns: TreeRun[] = [];
    const mapRuns: TreeRun[] = [];
    for (let i = 0; i < rounds; i++) {
      mapRuns.push(mapRun(shape, leaves, order, dirs));
      treeRuns.push(dataTreeRun(shape, leaves, order, dirs));
    }
    const pipeCount = opts.quick ? 10_000 : 50_000;
    pipelineRun(5_000);
    const pipeRuns: PipelineRun[] = [];
    const pipeBase: PipelineRun[] = [];
    for (let i = 0; i < rounds; i++) {
      pipeBase.push(pipelineBaseline(pipeCount));
      pipeRuns.push(pipelineRun(pipeCount));
    }
    const treeNote = `${leaves.length + dirs.length + 1} znodes, 100-byte data, median of ${rounds}`;
    return [
      row('data tree: create (applyTxn)', 'create', treeRuns, mapRuns, dataTreeOpsMin, treeNote),
      row('data tree: setData (applyTxn)', 'setData', treeRuns, mapRuns, dataTreeOpsMin),
      row('data tree: getData (get + statOf)', 'getData', treeRuns, mapRuns, dataTreeOpsMin),
      row('data tree: getChildren (1% 1000-child dirs)', 'getChildren', treeRuns, mapRuns, dataTreeOpsMin),
      row('data tree: mix of the four (harmonic)', 'mixed', treeRuns, mapRuns, dataTreeOpsMin),
      row('ZkServer pipeline: create 100 B', 'create', pipeRuns, pipeBase, undefined, `${pipeCount} ops, ${pipelineDepth} outstanding, instant fsync`),
      row('ZkServer pipeline: setData 100 B', 'setData', pipeRuns, pipeBase),
      row('ZkServer pipeline: getData', 'getData', pipeRuns, pipeBase),
    ];
  },
};
