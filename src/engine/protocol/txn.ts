/**
 * Transactions as ZooKeeper logs them (zookeeper.jute, module org.apache.zookeeper.txn), as plain
 * data. The leader (or a standalone server) turns a write request into exactly one txn in
 * PrepRequestProcessor; every replica applies the same txn to its DataTree.
 *
 * Unlike the Java CreateTxn (which carries an `ephemeral` flag and leaves the owner to be computed
 * from the header at apply time), our create txn carries the final ephemeralOwner value, including
 * the internal markers for containers and TTL nodes (EphemeralType): the result is identical.
 */
import type { Code } from './errors.ts';
import type { SessionId, Zxid } from './ids.ts';
import type { ACL } from './records.ts';
import type { Data } from './client-protocol.ts';

export type CreateTxn = {
  readonly type: 'create';
  readonly path: string;
  readonly data: Data;
  readonly acl: readonly ACL[];
  readonly ephemeralOwner: bigint;
  readonly parentCVersion: number;
};
export type DeleteTxn = { readonly type: 'delete'; readonly path: string };
export type SetDataTxn = { readonly type: 'setData'; readonly path: string; readonly data: Data; readonly version: number };
export type CheckTxn = { readonly type: 'check'; readonly path: string; readonly version: number };
export type ErrorTxn = { readonly type: 'error'; readonly err: Code };

/** What a multi may hold: its sub-txns (and error txns for failed ones). */
export type MultiSubTxn = CreateTxn | DeleteTxn | SetDataTxn | CheckTxn | ErrorTxn;

export type Txn =
  | CreateTxn
  | DeleteTxn
  | SetDataTxn
  | CheckTxn
  | ErrorTxn
  | { readonly type: 'setACL'; readonly path: string; readonly acl: readonly ACL[]; readonly version: number }
  | { readonly type: 'multi'; readonly txns: readonly MultiSubTxn[] }
  | { readonly type: 'createSession'; readonly timeOut: number }
  | { readonly type: 'closeSession'; readonly paths2Delete: readonly string[] }
  /** reconfig is a setData of /zookeeper/config carrying the new dynamic config text. */
  | { readonly type: 'reconfig'; readonly data: Data; readonly version: number };

/** TxnHeader: clientId = session id (0 for the server's own txns), time = leader wall clock. */
export interface TxnHeader {
  readonly clientId: SessionId;
  readonly cxid: number;
  readonly zxid: Zxid;
  readonly time: number;
}

export interface TxnEntry {
  readonly hdr: TxnHeader;
  readonly txn: Txn;
}

/** EphemeralType markers stored in ephemeralOwner. */
export const containerEphemeralOwner: bigint = -(1n << 63n); // Long.MIN_VALUE
const ttlMarkerMask = 0xff00000000000000n;
export const ttlMax = 0xffffffffff; // 2^40 - 1 ms

export function ttlEphemeralOwner(ttlMs: number): bigint {
  // 0xFF << 56 as a signed long is negative; keep the signed representation.
  return BigInt.asIntN(64, ttlMarkerMask | BigInt(ttlMs));
}

export type EphemeralKind = 'normal' | 'ephemeral' | 'container' | 'ttl';

export function ephemeralKind(owner: bigint, extendedTypesEnabled: boolean): EphemeralKind {
  if (owner === 0n) return 'normal';
  if (owner === containerEphemeralOwner) return 'container';
  if (extendedTypesEnabled && (BigInt.asUintN(64, owner) & ttlMarkerMask) === ttlMarkerMask) return 'ttl';
  return 'ephemeral';
}

export function ttlOf(owner: bigint): number {
  return Number(BigInt.asUintN(64, owner) & 0xffffffffffn);
}
