/**
 * Micro-benchmark of a live wire batch's crossing (bench/README.md, "Wire batches"): structured
 * clone of the Envelopes as they are, against packWires + structured clone with the buffer
 * transferred + unpackWires, for the batches of a pipelined create through a follower.
 *
 *   npx tsx bench/wire-codec-micro.ts [batch size]
 */
import { openAclUnsafe } from '../src/engine/protocol/records.ts';
import { packWires, unpackWires } from '../src/runtime/worker/wire-codec.ts';
import type { Envelope, Wire } from '../src/runtime/worker/wire.ts';

const n = Number(process.argv[2] ?? 100);
const data = new TextEncoder().encode('value-0123');
const stat = (z: bigint) => ({ czxid: z, mzxid: z, ctime: 1.78e12, mtime: 1.78e12, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 10, numChildren: 0, pzxid: z });
const zx = (i: number): bigint => (5n << 32n) + BigInt(i);
const env = (i: number, wire: Wire): Envelope => ({ id: 2 ** 36 + i, from: 2, to: 1, sentAt: 1.78e12 + i, wire });
const path = (i: number): string => `/bench/n${String(i).padStart(7, '0')}`;
const batches: Record<string, Envelope[]> = {
  'client requests': Array.from({ length: n }, (_, i) => env(i, { type: 'clientPacket', conn: 3, size: 60, packet: { type: 'request', xid: i, op: { type: 'create', path: path(i), data, acl: openAclUnsafe, mode: 0, ttl: -1 } } })),
  'REQUEST': Array.from({ length: n }, (_, i) => env(i, { type: 'packet', conn: 3, packet: { type: 'Request', sessionId: 0x100000001n, cxid: i, op: { type: 'create', path: path(i), data, acl: openAclUnsafe, mode: 0, ttl: -1 }, authInfo: [], owner: 2 } })),
  'PROPOSAL': Array.from({ length: n }, (_, i) => env(i, { type: 'packet', conn: 3, packet: { type: 'Proposal', zxid: zx(i), entry: { hdr: { clientId: 0x100000001n, cxid: i, zxid: zx(i), time: 1.78e12 }, txn: { type: 'create', path: path(i), data, acl: openAclUnsafe, ephemeralOwner: 0n, parentCVersion: i + 1 } } } })),
  'ACK': Array.from({ length: n }, (_, i) => env(i, { type: 'packet', conn: 3, packet: { type: 'Ack', zxid: zx(i) } })),
  'COMMIT': Array.from({ length: n }, (_, i) => env(i, { type: 'packet', conn: 3, packet: { type: 'Commit', zxid: zx(i) } })),
  'replies': Array.from({ length: n }, (_, i) => env(i, { type: 'serverPacket', conn: 3, packet: { type: 'reply', xid: i, zxid: zx(i), err: 0, result: { type: 'create', path: path(i), stat: stat(zx(i)) } } })),
};

function time(fn: () => void): number {
  for (let i = 0; i < 2000; i++) fn();
  const rounds = Math.max(2000, 200_000 / n);
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return ((performance.now() - t0) / rounds / n) * 1000;
}

console.log(`batch of ${n} envelopes: µs per envelope (serialize + deserialize, one thread)`);
for (const [name, envs] of Object.entries(batches)) {
  const clone = time(() => void structuredClone({ v: 5, type: 'wires', envs }));
  const both = time(() => {
    const p = packWires(envs);
    unpackWires(structuredClone({ v: 5, type: 'wires', ...p }, { transfer: [p.buf] }));
  });
  console.log(`${name.padEnd(16)} structured clone ${clone.toFixed(2)}  codec ${both.toFixed(2)} (${(clone / both).toFixed(1)}x)`);
}
