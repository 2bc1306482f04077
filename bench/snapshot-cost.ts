/**
 * What a server's snapshot costs (issue 6 §2, bench/README.md fix 30): a tree of N znodes of
 * 100 bytes (the bench's pipelined creates: /bench-<i> under the root), then the three parts of
 * DataDirStore.writeSnapshot that run on the server's thread between two steps: walking the tree
 * into an image (snapshotOf), encoding the file (encodeSnapshotFile), and the disk write
 * (MemoryDisk here; OPFS in the browser adds its own write and flush). Median of `rounds`.
 *
 *   npx tsx bench/snapshot-cost.ts [znodes=100000] [rounds=5]
 */
import { DataTree } from '../src/engine/datatree/data-tree.ts';
import { encodeSnapshotFile, snapshotOf } from '../src/engine/storage/snapshot.ts';
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
let bytes = 0;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  const image = snapshotOf(tree, [{ id: session, timeout: 30_000 }]);
  const t1 = performance.now();
  const file = encodeSnapshotFile(image);
  const t2 = performance.now();
  walk.push(t1 - t0);
  encode.push(t2 - t1);
  bytes = file.length;
}
console.log(JSON.stringify({ znodes: tree.nodeCount(), fileBytes: bytes, walkMs: median(walk), encodeMs: median(encode), walkAll: walk.map(Math.round), encodeAll: encode.map(Math.round) }));
