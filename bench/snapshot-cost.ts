/**
 * What a server's snapshot costs (issue 6 §2, bench/README.md fix 30): a tree of N znodes of
 * 100 bytes (the bench's pipelined creates: /bench-<i> under the root), then the three parts of
 * DataDirStore.writeSnapshot that run on the server's thread between two steps: walking the tree
 * into an image (snapshotOf), encoding the file (encodeSnapshotFile), and the disk write
 * (MemoryDisk here; OPFS in the browser adds its own write and flush), and the two in one walk
 * (encodeTreeSnapshot, what the periodic snapshot runs since fix 32). Median of `rounds`.
 *
 *   node --expose-gc --import tsx bench/snapshot-cost.ts [znodes=100000] [rounds=5]
 *
 * (with --expose-gc each part starts after a full collection: otherwise the third pays for
 * collecting what the first two left)
 */
import { DataTree } from '../src/engine/datatree/data-tree.ts';
import { encodeSnapshotFile, encodeTreeSnapshot, snapshotOf } from '../src/engine/storage/snapshot.ts';
import { openAclUnsafe } from '../src/engine/protocol/records.ts';
import type { Txn } from '../src/engine/protocol/txn.ts';
import { median } from './lib/stats.ts';

const n = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 5);
const tree = new DataTree();
const data = new Uint8Array(100).fill(0x61);
const session = 0x1000001n;
for (let i = 0; i < n; i++) {
  const zxid = 0x100000000n + BigInt(i + 1);
  const txn: Txn = { type: 'create', path: `/bench-${i}`, data, acl: openAclUnsafe, ephemeralOwner: 0n, parentCVersion: i + 1 };
  tree.applyTxn({ clientId: session, cxid: i, zxid, time: 1_700_000_000_000 + i }, txn);
}
const walk: number[] = [];
const encode: number[] = [];
/** encodeTreeSnapshot: the walk and the encoding in one pass, what a server's periodic snapshot runs */
const oneWalk: number[] = [];
let bytes = 0;
/** between the measured parts: what one part left behind is not collected in the next (with --expose-gc) */
const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
for (let r = 0; r < rounds; r++) {
  collect();
  const t0 = performance.now();
  const image = snapshotOf(tree, [{ id: session, timeout: 30_000 }]);
  const t1 = performance.now();
  const file = encodeSnapshotFile(image);
  const t2 = performance.now();
  collect();
  const t2b = performance.now();
  const direct = encodeTreeSnapshot(tree, [{ id: session, timeout: 30_000 }]);
  const t3 = performance.now();
  walk.push(t1 - t0);
  encode.push(t2 - t1);
  oneWalk.push(t3 - t2b);
  bytes = file.length;
  if (direct.bytes.length !== bytes) throw new Error('encodeTreeSnapshot wrote another file');
}
console.log(JSON.stringify({
  znodes: tree.nodeCount(), fileBytes: bytes, walkMs: median(walk), encodeMs: median(encode), oneWalkMs: median(oneWalk),
  walkAll: walk.map(Math.round), encodeAll: encode.map(Math.round), oneWalkAll: oneWalk.map(Math.round),
}));
