/**
 * A tree of `dirs` x `perDir` znodes (/bench/d<i>/n<j>) with 100-byte data, built through
 * DataTree.applyTxn exactly as a replica applies committed txns, and the same shape as a plain
 * Map (the baseline: what the bare JS data structure costs on this machine, in this run).
 */
import { DataTree } from '../../src/engine/datatree/data-tree.ts';
import type { Txn, TxnHeader } from '../../src/engine/protocol/txn.ts';
import { openAclUnsafe } from '../../src/engine/protocol/records.ts';

export const dataBytes = 100;
export const startTimeMs = Date.UTC(2026, 10, 22, 13, 0, 0);

export function payload(i: number): Uint8Array {
  const b = new Uint8Array(dataBytes);
  b.fill(97 + (i % 26));
  return b;
}

export interface TreeShape {
  readonly dirs: number;
  readonly perDir: number;
}

export function shapeFor(znodes: number): TreeShape {
  const perDir = 1000;
  return { dirs: Math.max(1, Math.round(znodes / perDir)), perDir };
}

export function leafPaths(shape: TreeShape): string[] {
  const out: string[] = [];
  for (let d = 0; d < shape.dirs; d++) for (let n = 0; n < shape.perDir; n++) out.push(`/bench/d${d}/n${n}`);
  return out;
}

export function dirPaths(shape: TreeShape): string[] {
  return Array.from({ length: shape.dirs }, (_, d) => `/bench/d${d}`);
}

/** A fixed pseudo-random permutation (LCG), so every run touches the same paths in the same order. */
export function shuffled<T>(xs: readonly T[], seed = 12345): T[] {
  const out = [...xs];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export class TxnSource {
  private zxid = 0x100000000n;
  private readonly time = startTimeMs;

  hdr(): TxnHeader {
    this.zxid++;
    return { clientId: 0n, cxid: 0, zxid: this.zxid, time: this.time };
  }
}

export function createTxn(path: string, i: number): Txn {
  return { type: 'create', path, data: payload(i), acl: openAclUnsafe, ephemeralOwner: 0n, parentCVersion: -1 };
}

/** Builds /bench and its dirs; the leaves are created by the caller (that is what is timed). */
export function treeWithDirs(shape: TreeShape, src: TxnSource): DataTree {
  const tree = new DataTree();
  tree.applyTxn(src.hdr(), createTxn('/bench', 0));
  for (const d of dirPaths(shape)) tree.applyTxn(src.hdr(), createTxn(d, 0));
  return tree;
}

/** The baseline's node: the same fields a znode has, in a plain object. */
export interface MapNode {
  data: Uint8Array;
  version: number;
  mzxid: bigint;
  children: Set<string>;
}
