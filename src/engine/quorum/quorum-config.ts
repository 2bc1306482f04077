/**
 * A quorum peer's view of the membership (QuorumPeer.quorumVerifier / lastSeenQuorumVerifier
 * in ZooKeeper): who votes, who observes, the config version, and the text that
 * /zookeeper/config holds. Pure values and functions; the peer keeps two of them, the last
 * committed config and the "last seen" one a reconfig proposal introduced (reference §2.8).
 *
 * Dynamic reconfig (ZooKeeper 3.5+, `reconfigEnabled=true`), as this module computes it:
 *
 *   reconfig request --(leader, PrepRequestProcessor)--> nextMembership(): a new QuorumMaj,
 *     version = the reconfig's zxid; BadArguments / BadVersion / NewConfigNoQuorum on the way
 *   PROPOSAL: every proposal made while lastSeen.version > committed.version needs a quorum
 *     of acks in BOTH configs (containsAllQuorums)
 *   COMMIT: the leader activates the new config and sends COMMITANDACTIVATE naming the
 *     designated leader (itself if it stays a voter, else an acked voter of the new config)
 */
import {
  membershipFromProperties, formatDynamicConfig, hashMapBySid, parseDynamicConfig, type QuorumMembership,
} from '../config/dynamic-config.ts';
import { loadProperties, propertiesEntries } from '../config/java-properties.ts';
import { javaParseLong } from '../config/java-lang.ts';
import { parseQuorumServer, type QuorumServerConfig } from '../config/quorum-server.ts';
import { Code } from '../protocol/errors.ts';
import type { Sid } from '../protocol/ids.ts';
import { assert } from '../util/assert.ts';

export interface QuorumConfig {
  /** participants, ascending */
  readonly voters: readonly Sid[];
  /** observers, ascending */
  readonly observers: readonly Sid[];
  /** the `version=` of the dynamic config: the zxid of the reconfig that made it (0: static) */
  readonly version: bigint;
  /** the `server.N=` lines, when known (ZooKeeper's members in HashMap order) */
  readonly membership: QuorumMembership | null;
}

/** A config built from bare sid lists (tests and hosts that give no server lines). */
export function quorumConfigOf(voters: readonly Sid[], observers: readonly Sid[], version = 0n): QuorumConfig {
  const asc = (a: Sid, b: Sid): number => a - b;
  return { voters: [...voters].sort(asc), observers: [...observers].sort(asc), version, membership: null };
}

export function quorumConfigFromMembership(m: QuorumMembership): QuorumConfig {
  const voters: Sid[] = [];
  const observers: Sid[] = [];
  for (const s of m.servers.values()) (s.type === 'observer' ? observers : voters).push(s.sid);
  const asc = (a: Sid, b: Sid): number => a - b;
  return { voters: voters.sort(asc), observers: observers.sort(asc), version: m.version, membership: m };
}

/** QuorumPeer.configFromString: the text of /zookeeper/config back into a config. */
export function quorumConfigFromText(text: string): QuorumConfig {
  const r = parseDynamicConfig(text);
  assert(r.ok, `unparseable quorum config: ${r.ok ? '' : r.error.message}`);
  return quorumConfigFromMembership(r.value);
}

/** QuorumMaj.toString, or null when the server lines are unknown. */
export function quorumConfigText(qc: QuorumConfig): string | null {
  return qc.membership === null ? null : formatDynamicConfig(qc.membership);
}

export function withVersion(qc: QuorumConfig, version: bigint): QuorumConfig {
  return { ...qc, version, membership: qc.membership === null ? null : { ...qc.membership, version } };
}

export function isVoter(qc: QuorumConfig, sid: Sid): boolean {
  return qc.voters.includes(sid);
}

export function isMember(qc: QuorumConfig, sid: Sid): boolean {
  return qc.voters.includes(sid) || qc.observers.includes(sid);
}

/** QuorumMaj.containsQuorum over the voters of `qc` among `sids`. */
export function containsQuorum(qc: QuorumConfig, sids: Iterable<Sid>): boolean {
  if (sids instanceof Set) {
    // the leader asks this on every ACK: count the voters in the set, each once, without a Set
    let n = 0;
    for (let i = 0; i < qc.voters.length; i++) if (sids.has(qc.voters[i]) && qc.voters.indexOf(qc.voters[i]) === i) n++;
    return n * 2 > qc.voters.length;
  }
  const seen = new Set<Sid>();
  for (const sid of sids) if (qc.voters.includes(sid)) seen.add(sid);
  return seen.size * 2 > qc.voters.length;
}

/** Two configs with the same members (QuorumMaj.equals ignores the version). */
export function sameMembers(a: QuorumConfig, b: QuorumConfig): boolean {
  return a.voters.join(',') === b.voters.join(',') && a.observers.join(',') === b.observers.join(',');
}

// ----- the leader's side of a reconfig request (PrepRequestProcessor, OpCode.reconfig) -----

/** A reconfig validation failure: the KeeperException code the client gets. */
export class ReconfigError {
  constructor(readonly code: Code, readonly reason: string) {}
}

export interface ReconfigRequest {
  readonly joiningServers: string | null;
  readonly leavingServers: string | null;
  readonly newMembers: string | null;
  readonly curConfigId: bigint;
}

export interface ReconfigContext {
  readonly committed: QuorumConfig;
  readonly lastSeen: QuorumConfig;
  /** zoo.cfg standaloneEnabled (default true): a new config needs 2 voters */
  readonly standaloneEnabled: boolean;
  /** Leader.isQuorumSynced: do the synced forwarding followers (and the leader) make a quorum of `qc`? */
  readonly isQuorumSynced: (qc: QuorumConfig) => boolean;
}

/**
 * The checks from "no reconfig in progress" to "a synced quorum of the new config", in
 * ZooKeeper's order; returns the new config (version = zxid) or throws a ReconfigError.
 * The session check comes before and the ACL check after (in prep-request).
 */
export function nextQuorumConfig(ctx: ReconfigContext, req: ReconfigRequest, zxid: bigint): QuorumConfig {
  if (ctx.lastSeen.version !== ctx.committed.version) throw new ReconfigError(Code.RECONFIGINPROGRESS, 'a reconfig is in progress');
  if (req.curConfigId !== -1n && req.curConfigId !== ctx.lastSeen.version) {
    throw new ReconfigError(Code.BADVERSION, `Reconfiguration from version ${req.curConfigId} failed -- last seen version is ${ctx.lastSeen.version}`);
  }
  const next = req.newMembers !== null ? nonIncremental(req.newMembers, zxid) : incremental(ctx.lastSeen, req, zxid);
  if (ctx.standaloneEnabled && next.voters.length < 2) {
    throw new ReconfigError(Code.BADARGUMENTS, 'Reconfig failed - new configuration must include at least 2 followers');
  }
  if (next.voters.length < 1) throw new ReconfigError(Code.BADARGUMENTS, 'Reconfig failed - new configuration must include at least 1 follower');
  if (!ctx.isQuorumSynced(next)) {
    throw new ReconfigError(Code.NEWCONFIGNOQUORUM, 'Reconfig failed - there must be a connected and synced quorum in new configuration');
  }
  return next;
}

/** `-members`: commas become newlines, then the text is a dynamic config file. */
function nonIncremental(newMembers: string, zxid: bigint): QuorumConfig {
  const load = loadProperties(newMembers.replaceAll(',', '\n'));
  if (!load.ok) throw new ReconfigError(Code.BADARGUMENTS, load.error);
  const wrap = (cause: { message: string }): never => {
    throw new ReconfigError(Code.BADARGUMENTS, cause.message);
  };
  const r = membershipFromProperties(propertiesEntries(load.entries), { backwardCompatibility: false }, wrap);
  if (!r.ok) throw new ReconfigError(Code.BADARGUMENTS, r.error.message);
  return quorumConfigFromMembership({ ...r.value, version: zxid });
}

/** `-add` / `-remove` against the last seen config (a QuorumMaj). */
function incremental(lastSeen: QuorumConfig, req: ReconfigRequest, zxid: bigint): QuorumConfig {
  assert(lastSeen.membership !== null, 'an incremental reconfig needs the server lines of the last seen config');
  const next = new Map<Sid, QuorumServerConfig>(lastSeen.membership.servers);
  for (const leaving of splitList(req.leavingServers)) {
    // Long.parseLong's NumberFormatException is not a KeeperException: pRequest turns it into
    // MarshallingError
    const sid = javaParseLong(leaving);
    if (!sid.ok) throw new ReconfigError(Code.MARSHALLINGERROR, sid.error);
    next.delete(Number(sid.value));
  }
  for (const joiner of splitList(req.joiningServers)) {
    const parts = splitList(joiner, '=');
    if (parts.length !== 2) throw new ReconfigError(Code.BADARGUMENTS, 'Wrong format of server string');
    const sid = javaParseLong(parts[0].slice(parts[0].lastIndexOf('.') + 1));
    if (!sid.ok) throw new ReconfigError(Code.MARSHALLINGERROR, sid.error);
    if (sid.value < 0n || sid.value > 255n) throw new ReconfigError(Code.BADARGUMENTS, 'Reconfiguration failed');
    const qs = parseQuorumServer(Number(sid.value), parts[1]);
    if (!qs.ok) throw new ReconfigError(Code.BADARGUMENTS, 'Reconfiguration failed');
    if (qs.value.clientPort === undefined) {
      throw new ReconfigError(Code.BADARGUMENTS, 'Wrong format of server string - each server should have 3 ports specified');
    }
    for (const other of next.values()) {
      if (other.sid !== qs.value.sid && duplicatesAddress(qs.value, other)) throw new ReconfigError(Code.BADARGUMENTS, 'Reconfiguration failed');
    }
    next.delete(qs.value.sid);
    next.set(qs.value.sid, qs.value);
  }
  return quorumConfigFromMembership({ servers: hashMapBySid([...next.values()]), version: zxid });
}

/** QuorumServer.checkAddressDuplicate: the same host:port for quorum or election. */
function duplicatesAddress(a: QuorumServerConfig, b: QuorumServerConfig): boolean {
  const mine = [`${a.host}:${a.quorumPort}`, `${a.host}:${a.electionPort}`];
  return mine.includes(`${b.host}:${b.quorumPort}`) || mine.includes(`${b.host}:${b.electionPort}`);
}

/** StringUtils.split(s, sep): split, trim, drop empty pieces. */
function splitList(s: string | null, sep = ','): string[] {
  if (s === null) return [];
  return s.split(sep).map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Leader.getDesignatedLeader: the leader itself while it stays a voter; otherwise the voter
 * of the new config that acked the reconfig (HashSet<Long> order: the lowest sid).
 */
export function designatedLeader(next: QuorumConfig, self: Sid, acks: Iterable<Sid>): Sid {
  if (isVoter(next, self)) return self;
  const candidates = [...acks].filter((sid) => sid !== self && isVoter(next, sid)).sort((a, b) => a - b);
  assert(candidates.length > 0, 'a committed reconfig has acks from a quorum of the new config');
  return candidates[0];
}
