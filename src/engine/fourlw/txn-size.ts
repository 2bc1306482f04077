/**
 * The size of a proposal as the leader measures it for `Proposal sizes last/min/max` and
 * zk_*_proposal_size: SerializeUtils.serializeRequest writes the TxnHeader, the txn record and
 * the TxnDigest (digests are on by default in 3.8), all in jute's binary format:
 * int 4, long 8, boolean 1, string and buffer 4 + bytes (null: 4), vector 4 + elements.
 *
 * Checked against the golden leader: a createSession proposal is 48 bytes and an ephemeral
 * create of /app/lock-0000000001 with world:anyone is 104.
 */
import type { ACL } from '../protocol/records.ts';
import { containerEphemeralOwner, ephemeralKind, type MultiSubTxn, type Txn } from '../protocol/txn.ts';
import { utf8Encode } from '../util/bytes.ts';

/** TxnHeader: clientId, cxid, zxid, time, type */
export const txnHeaderBytes = 8 + 4 + 8 + 8 + 4;
/** TxnDigest: version, treeDigest */
export const txnDigestBytes = 4 + 8;

const juteString = (s: string): number => 4 + utf8Encode(s).length;
const juteBuffer = (b: Uint8Array | null): number => 4 + (b === null ? 0 : b.length);
const juteAcl = (acl: readonly ACL[]): number => 4 + acl.reduce((n, a) => n + 4 + juteString(a.id.scheme) + juteString(a.id.id), 0);

/** The serialized txn record (without header and digest). */
export function txnRecordBytes(txn: Txn | MultiSubTxn, extendedTypesEnabled: boolean): number {
  switch (txn.type) {
    case 'create': {
      const base = juteString(txn.path) + juteBuffer(txn.data) + juteAcl(txn.acl) + 4;
      if (txn.ephemeralOwner === containerEphemeralOwner) return base; // CreateContainerTxn
      if (ephemeralKind(txn.ephemeralOwner, extendedTypesEnabled) === 'ttl') return base + 8; // CreateTTLTxn
      return base + 1; // CreateTxn's ephemeral flag
    }
    case 'delete': return juteString(txn.path);
    case 'setData': return juteString(txn.path) + juteBuffer(txn.data) + 4;
    case 'check': return juteString(txn.path) + 4;
    case 'error': return 4;
    case 'setACL': return juteString(txn.path) + juteAcl(txn.acl) + 4;
    case 'createSession': return 4;
    case 'closeSession': return 4 + txn.paths2Delete.reduce((n, p) => n + juteString(p), 0);
    case 'reconfig': return juteString('/zookeeper/config') + juteBuffer(txn.data) + 4;
    case 'multi': return 4 + txn.txns.reduce((n, t) => n + 4 + 4 + txnRecordBytes(t, extendedTypesEnabled), 0);
  }
}

/** What the leader's proposal for this txn measures. */
export function proposalBytes(txn: Txn, extendedTypesEnabled: boolean): number {
  return txnHeaderBytes + txnRecordBytes(txn, extendedTypesEnabled) + txnDigestBytes;
}
