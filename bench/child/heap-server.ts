/**
 * Child process of the memory section (run with --expose-gc): heap held by one server with
 * `znodes` znodes of 100 bytes, next to the heap of a plain Map holding the same paths and
 * bytes (the floor). Prints one JSON line of byte deltas after forced GC.
 */
import { openAclUnsafe } from '../../src/engine/protocol/records.ts';
import type { Op } from '../../src/engine/protocol/client-protocol.ts';
import { PipelineHost } from '../sections/engine.ts';
import { createTxn, dirPaths, leafPaths, payload, shapeFor, treeWithDirs, TxnSource } from '../lib/tree-fixture.ts';

const znodes = Number(process.argv[process.argv.indexOf('--znodes') + 1] || 100_000);
const gcFn = (globalThis as { gc?: () => void }).gc;
if (!gcFn) throw new Error('heap-server needs --expose-gc');
const heap = (): number => {
  gcFn();
  gcFn();
  return process.memoryUsage().heapUsed;
};
const shape = shapeFor(znodes);
const leaves = leafPaths(shape);

function mapHeap(): number {
  const h0 = heap();
  const map = new Map<string, Uint8Array>();
  for (let i = 0; i < leaves.length; i++) map.set(leaves[i], payload(i));
  const d = heap() - h0;
  if (map.size === -1) console.log('unreachable');
  return d;
}

function treeHeap(): number {
  const h0 = heap();
  const src = new TxnSource();
  const tree = treeWithDirs(shape, src);
  for (let i = 0; i < leaves.length; i++) tree.applyTxn(src.hdr(), createTxn(leaves[i], i));
  const d = heap() - h0;
  if (tree.nodeCount() === -1) console.log('unreachable');
  return d;
}

function serverHeap(): number {
  const h0 = heap();
  const host = new PipelineHost();
  const ops: Op[] = [{ type: 'create', path: '/bench', data: null, acl: openAclUnsafe, mode: 0, ttl: -1 }];
  for (const d of dirPaths(shape)) ops.push({ type: 'create', path: d, data: null, acl: openAclUnsafe, mode: 0, ttl: -1 });
  host.run(ops, 1);
  for (let from = 0; from < leaves.length; from += 10_000) {
    const batch: Op[] = [];
    for (let i = from; i < Math.min(leaves.length, from + 10_000); i++) batch.push({ type: 'create', path: leaves[i], data: payload(i), acl: openAclUnsafe, mode: 0, ttl: -1 });
    host.run(batch, 1000);
  }
  if (host.errors > 0) throw new Error(`${host.errors} errors`);
  const d = heap() - h0;
  if (host.server.tree.nodeCount() < znodes) throw new Error('tree too small');
  return d;
}

const out = { znodes: leaves.length, mapBytes: mapHeap(), treeBytes: treeHeap(), serverBytes: serverHeap() };
console.log(JSON.stringify(out));
