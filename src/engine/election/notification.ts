/**
 * FLE's plain-data types and the pure rules over them (reference §1.1-1.3):
 *
 * - `Notification`: the election message in ZooKeeper's wire form (`FastLeaderElection.buildMsg`
 *   and `WorkerReceiver.run`): state ordinal, leader, zxid, electionEpoch (the sender's
 *   `logicalclock`, "round"), peerEpoch, format version, and the sender's sid (which Java takes
 *   from the connection; the host fills it in from the link and `onNotification` checks it).
 * - `Vote` (`Vote.java`) and its `equals`, which compares all of (id, zxid, electionEpoch,
 *   peerEpoch) when either side is LOOKING, and only (id, peerEpoch) — or only id across format
 *   versions — between FOLLOWING/LEADING votes (ZOOKEEPER-1732/1805/1818).
 * - `totalOrderPredicate`: higher peerEpoch, then higher zxid, then higher sid wins.
 *
 * Java's longs: zxids are `bigint`; sids, epochs and rounds are `number` (ids.ts). The only
 * value outside the safe-integer range is Long.MIN_VALUE, the "no vote" of an observer, which
 * is exactly representable as a double (-2^63) and compares correctly.
 */
import { hex, type Epoch, type Sid, type Zxid } from '../protocol/ids.ts';
import { assert } from '../util/assert.ts';

/** `QuorumPeer.ServerState`, in ordinal order (the wire value is the index). */
export const serverStates = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'] as const;
export type ServerState = (typeof serverStates)[number];
export type ServerStateOrdinal = 0 | 1 | 2 | 3;
export type DecidedState = Exclude<ServerState, 'LOOKING'>;

export function serverStateOrdinal(state: ServerState): ServerStateOrdinal {
  const ordinal = serverStates.indexOf(state);
  assert(ordinal >= 0, `unknown server state ${state}`);
  return ordinal as ServerStateOrdinal;
}

/** The state a wire ordinal stands for, or null for an unknown one (Java skips the message). */
export function serverStateOf(ordinal: number): ServerState | null {
  return Number.isInteger(ordinal) && ordinal >= 0 && ordinal < serverStates.length ? serverStates[ordinal] : null;
}

/** `Notification.CURRENTVERSION`: the format with peerEpoch, version and config. */
export const notificationVersionCurrent = 0x2;

/** Long.MIN_VALUE: what a non-voting member proposes for leader, zxid and peerEpoch. */
export const sidNoVote: Sid = -(2 ** 63);
export const zxidNoVote: Zxid = -(1n << 63n);
export const epochNoVote: Epoch = -(2 ** 63);
/** `Vote.electionEpoch` of a vote that no round produced (`new Vote(id, zxid, peerEpoch)`). */
export const electionEpochNone = -1;
/** `proposedLeader` / `proposedZxid` before the first election (`FastLeaderElection.starter`). */
export const sidNone: Sid = -1;

export interface Notification {
  readonly type: 'Notification';
  /** message format version (0x2 today) */
  readonly version: number;
  /** the sender's ServerState ordinal */
  readonly state: ServerStateOrdinal;
  /** the sid the sender proposes, or believes is the leader */
  readonly leader: Sid;
  /** the last logged zxid of that leader, as the sender knows it */
  readonly zxid: Zxid;
  /** the sender's logicalclock; for a FOLLOWING/LEADING sender the round that elected its leader */
  readonly electionEpoch: number;
  /** the currentEpoch of the proposed leader */
  readonly peerEpoch: Epoch;
  /** the sender (Java: from the connection, not the payload) */
  readonly sid: Sid;
  /** version of the sender's quorum config (`QuorumVerifier.getVersion()`), when it sent one */
  readonly configVersion?: bigint;
  /** the sender's quorum config text (QuorumVerifier.toString()), sent with reconfigEnabled */
  readonly config?: string;
}

export interface Vote {
  /** Vote.version: 0 for votes FLE builds itself, the notification's version for outofelection */
  readonly version: number;
  readonly id: Sid;
  readonly zxid: Zxid;
  readonly electionEpoch: number;
  readonly peerEpoch: Epoch;
  readonly state: ServerState;
}

/** The (leader, zxid, peerEpoch) triple that `totalOrderPredicate` ranks. */
export interface Proposal {
  readonly leader: Sid;
  readonly zxid: Zxid;
  readonly peerEpoch: Epoch;
}

export function makeVote(id: Sid, zxid: Zxid, electionEpoch: number, peerEpoch: Epoch, state: ServerState = 'LOOKING', version = 0): Vote {
  return { version, id, zxid, electionEpoch, peerEpoch, state };
}

export function proposalOfVote(v: Vote): Proposal {
  return { leader: v.id, zxid: v.zxid, peerEpoch: v.peerEpoch };
}

/** `Vote.equals`. */
export function voteEquals(a: Vote, b: Vote): boolean {
  if (a.state === 'LOOKING' || b.state === 'LOOKING') {
    return a.id === b.id && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  // Out of election: zxid and electionEpoch may legitimately differ (updateElectionVote,
  // ZOOKEEPER-1805); across format versions even peerEpoch may (ZOOKEEPER-1732).
  if (a.version > 0 !== b.version > 0) return a.id === b.id;
  return a.id === b.id && a.peerEpoch === b.peerEpoch;
}

/**
 * `totalOrderPredicate(newId, newZxid, newEpoch, curId, curZxid, curEpoch)`: is `next` strictly
 * better than `cur`? `weightOfNext` is the quorum verifier's weight of next.leader; a
 * zero-weight candidate never wins (QuorumMaj gives every id weight 1).
 */
export function totalOrderPredicate(next: Proposal, cur: Proposal, weightOfNext: number): boolean {
  if (weightOfNext === 0) return false;
  if (next.peerEpoch !== cur.peerEpoch) return next.peerEpoch > cur.peerEpoch;
  if (next.zxid !== cur.zxid) return next.zxid > cur.zxid;
  return next.leader > cur.leader;
}

/** A sid as Java prints a long: exact even for Long.MIN_VALUE. */
export function describeSid(sid: Sid): string {
  return Number.isSafeInteger(sid) ? String(sid) : BigInt(sid).toString();
}

/** An epoch as ZooKeeper logs it (`Long.toHexString`). */
export function describeEpoch(epoch: Epoch): string {
  assert(Number.isInteger(epoch), `epoch ${epoch} is not an integer`);
  return hex(BigInt(epoch));
}

/** `(leader, zxid, peerEpoch)`, the shape of Java's `Vote.toString`. */
export function describeProposal(p: Proposal): string {
  return `(${describeSid(p.leader)}, ${hex(p.zxid)}, ${describeEpoch(p.peerEpoch)})`;
}

export function describeVote(v: Vote): string {
  const version = v.version === 0 ? '' : ` version=${hex(BigInt(v.version))}`;
  return `Vote leader=${describeSid(v.id)} zxid=${hex(v.zxid)} round=${v.electionEpoch} peerEpoch=${describeEpoch(v.peerEpoch)} state=${v.state}${version}`;
}

/** One line, in the field order of ZooKeeper's "Notification: ..." log line. */
export function describeNotification(n: Notification): string {
  const state = serverStateOf(n.state) ?? `?${n.state}`;
  const version = n.version === notificationVersionCurrent ? '' : ` version=${hex(BigInt(n.version))}`;
  // Version 0 (no dynamic reconfig) is left out to keep lines short; Java logs it as 0x0.
  const config = n.configVersion === undefined || n.configVersion === 0n ? '' : ` config=${hex(n.configVersion)}`;
  return `Notification sid=${describeSid(n.sid)} state=${state} leader=${describeSid(n.leader)} round=${n.electionEpoch} peerEpoch=${describeEpoch(n.peerEpoch)} zxid=${hex(n.zxid)}${version}${config}`;
}
