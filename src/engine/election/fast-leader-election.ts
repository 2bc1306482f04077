/**
 * Fast Leader Election (FastLeaderElection.java, ZooKeeper 3.8; reference §1) as a sans-IO
 * state machine: no clock, timer, thread or callback. The host hands in notifications and
 * virtual time, and takes what to send, whether the election decided, and log lines from
 * `ready()`.
 *
 * Theory of operation
 *
 * Java runs FLE on three threads: the QuorumPeer thread loops in `lookForLeader`, a
 * WorkerReceiver answers some messages at once and queues the rest, and a WorkerSender
 * writes to the QuorumCnxManager. Here one call does what those threads do for one input:
 * `onNotification` first runs the receiver's logic (§1.5), then, while LOOKING, one turn of
 * the `lookForLeader` loop (§1.4). The loop's blocking `poll(timeout)` becomes a named
 * Timeout that restarts after every notification, as each `poll` does.
 *
 *   phase        state                    what happens
 *   waiting      LOOKING                  not inside lookForLeader yet: notifications queue
 *   polling      LOOKING                  votes are exchanged; notTimeout (200 ms, doubling to
 *                                         60 s) re-sends the proposal, or asks for connectAll
 *   finalizing   LOOKING                  a quorum of this round's votes equals my proposal:
 *                                         decide unless a better vote comes within 200 ms
 *   decided      LEADING | FOLLOWING |    lookForLeader returned; LOOKING peers get my
 *                OBSERVING                current vote back (how late joiners find the leader)
 *
 * Transitions are `electionTransitions` below (data, so the UI can draw them).
 *
 * A round: `startElection` increments `logicalclock`, proposes (myid, lastLoggedZxid,
 * currentEpoch) and sends it to every voter, itself included — QuorumCnxManager loops a
 * message to self into the receive queue, so a server counts its own vote when its own
 * notification comes back. The host must deliver `to === myid` messages back locally. Votes
 * rank by `totalOrderPredicate` (peerEpoch, then zxid, then sid). A higher round from a
 * LOOKING peer clears the round's votes (`recvset`) and restarts from the better of that
 * vote and my own initial vote; a lower round is dropped (the receiver has already answered
 * it with my proposal). FOLLOWING/LEADING notifications are counted in `recvset` when they
 * carry my round and always in `outofelection`: a quorum following a leader that itself says
 * LEADING (`checkLeader`) ends the election at once (ZOOKEEPER-1732: joining an established
 * ensemble).
 *
 * Dynamic reconfig: the host swaps the config in (setQuorumVerifier) when a reconfig commits
 * or a LOOKING server hears of a newer one (restartElection); a server outside the config is
 * a non-voting participant (proposes no one, follows what a quorum of voters says); a
 * reconfig's designated leader becomes the vote without a round (adoptVote).
 * Not modelled: QuorumOracleMaj (2-server ensembles) and the leader's `reportLookingSid`.
 */
import type { Epoch, Sid, Zxid } from '../protocol/ids.ts';
import { assert, assertNever } from '../util/assert.ts';
import {
  createTimeout, describeTimeout, timeoutBackoff, timeoutDeadlineMs, timeoutReset, timeoutStart, timeoutStop,
  timeoutTick, timeoutFired, type Timeout,
} from './election-util.ts';
import {
  describeProposal, describeSid, epochNoVote, makeVote, notificationVersionCurrent, serverStateOf, serverStateOrdinal,
  sidNone, sidNoVote, totalOrderPredicate, zxidNoVote,
  type DecidedState, type Notification, type Proposal, type ServerState, type Vote,
} from './notification.ts';
import {
  describeQuorumVerifier, half, isObservingMember, isVotingMember, tallyVotes, weight, type QuorumVerifier, type VoteTally,
} from './quorum-verifier.ts';

/** `FastLeaderElection.finalizeWait`: how long a quorum must stay unchallenged (a constant in Java). */
export const finalizeWaitMs = 200;
/** `zookeeper.fastleader.minNotificationInterval` default (= finalizeWait). */
export const minNotificationIntervalMsDefault = 200;
/** `zookeeper.fastleader.maxNotificationInterval` default. */
export const maxNotificationIntervalMsDefault = 60_000;
/** QuorumCnxManager.RECV_CAPACITY: notifications held before lookForLeader runs (oldest dropped). */
export const recvQueueLengthMax = 100;
/** Messages and log lines one Ready may hold; the host drains `ready()` after every input. */
export const outboxSendLengthMax = 4096;
export const outboxLogLinesMax = 4096;

export type ElectionPhase = 'waiting' | 'polling' | 'finalizing' | 'decided';

export interface ElectionTransition {
  readonly from: ElectionPhase;
  readonly to: ElectionPhase;
  readonly on: string;
  /** where FastLeaderElection.java / QuorumPeer.java does it */
  readonly java: string;
}

export const electionTransitions: readonly ElectionTransition[] = [
  { from: 'decided', to: 'waiting', on: 'becomeLooking: the role ended', java: 'QuorumPeer.setPeerState(LOOKING)' },
  { from: 'waiting', to: 'polling', on: 'startElection: logicalclock++, propose own vote, send to all voters', java: 'lookForLeader (start)' },
  { from: 'polling', to: 'polling', on: 'notification timeout: send again (or connectAll), double the wait', java: 'lookForLeader: n == null' },
  { from: 'polling', to: 'polling', on: 'LOOKING vote: higher round -> adopt round; better vote -> adopt, send', java: 'lookForLeader: case LOOKING' },
  { from: 'polling', to: 'finalizing', on: 'a quorum of this round equals my proposal', java: 'voteSet.hasAllQuorums()' },
  { from: 'finalizing', to: 'finalizing', on: 'a vote not better than mine: discarded, wait restarts', java: 'recvqueue.poll(finalizeWait)' },
  { from: 'finalizing', to: 'polling', on: 'a better vote: back to the loop with it', java: 'recvqueue.put(n); break' },
  { from: 'finalizing', to: 'decided', on: '200 ms without a better vote', java: 'if (n == null) setPeerState' },
  { from: 'polling', to: 'decided', on: 'a quorum follows a leader that says LEADING (checkLeader)', java: 'receivedFollowingNotification' },
  { from: 'decided', to: 'decided', on: 'LOOKING peer: reply with current vote', java: 'WorkerReceiver: not LOOKING' },
];

export type LearnerType = 'PARTICIPANT' | 'OBSERVER';

export interface ElectionConfig {
  /** `myid` */
  readonly myid: Sid;
  /** PARTICIPANT for a voter, OBSERVER for `server.N=...:observer` */
  readonly learnerType: LearnerType;
  readonly quorumVerifier: QuorumVerifier;
  /** ms; `zookeeper.fastleader.minNotificationInterval` */
  readonly minNotificationIntervalMs: number;
  /** ms; `zookeeper.fastleader.maxNotificationInterval` */
  readonly maxNotificationIntervalMs: number;
}

export function electionConfig(myid: Sid, quorumVerifier: QuorumVerifier, overrides: Partial<ElectionConfig> = {}): ElectionConfig {
  const learnerType: LearnerType = isObservingMember(quorumVerifier, myid) ? 'OBSERVER' : 'PARTICIPANT';
  return {
    myid, learnerType, quorumVerifier,
    minNotificationIntervalMs: minNotificationIntervalMsDefault, maxNotificationIntervalMs: maxNotificationIntervalMsDefault,
    ...overrides,
  };
}

/** What the server's storage says when an election starts. */
export interface ElectionDisk {
  /** last zxid in the txn log (logged, committed or not) */
  readonly lastLoggedZxid: Zxid;
  /** the `currentEpoch` file */
  readonly currentEpoch: Epoch;
}

export interface Outgoing {
  readonly to: Sid;
  readonly msg: Notification;
}

export interface ElectionDecision {
  readonly state: DecidedState;
  /** the vote lookForLeader returned; it becomes `currentVote` */
  readonly vote: Vote;
  /** "LEADER ELECTION TOOK - N MS" */
  readonly electionTimeMs: number;
}

export interface ElectionReady {
  readonly send: readonly Outgoing[];
  /** on a timeout with no peer queue drained: (re)connect to every peer (`manager.connectAll()`) */
  readonly connectAll: boolean;
  readonly decided: ElectionDecision | null;
  readonly log: readonly string[];
}

/** What the host's connection manager knows, handed in on every tick. */
export interface ElectionTransport {
  /** `QuorumCnxManager.haveDelivered()`: some peer's send queue is empty */
  readonly haveDelivered: boolean;
}

export interface ElectionCounters {
  received: number;
  sent: number;
  ignored: number;
  discarded: number;
  timeouts: number;
  elections: number;
}

export interface Election {
  /** replaced only by setQuorumVerifier (a committed reconfig) */
  config: ElectionConfig;
  /** `QuorumPeer.getPeerState()` */
  state: ServerState;
  phase: ElectionPhase;
  logicalclock: number;
  /** proposedLeader / proposedZxid / proposedEpoch */
  proposal: Proposal;
  /** getInitId / getInitLastLoggedZxid / getPeerEpoch of the running round */
  initProposal: Proposal;
  /** `QuorumPeer.currentVote`: what this server answers LOOKING peers with once decided */
  currentVote: Vote;
  recvset: Map<Sid, Vote>;
  outofelection: Map<Sid, Vote>;
  /** notifications that arrived while LOOKING but before lookForLeader ran */
  recvqueue: Notification[];
  /** Java's `notTimeout`, the poll of the main loop */
  notificationTimeout: Timeout;
  /** Java's `finalizeWait` poll */
  finalizeTimeout: Timeout;
  startMs: number;
  nowMs: number;
  counters: ElectionCounters;
  outbox: { send: Outgoing[]; connectAll: boolean; decided: ElectionDecision | null; log: string[] };
}

export function createElection(config: ElectionConfig, disk: ElectionDisk, nowMs: number): Election {
  const qv = config.quorumVerifier;
  // a participant outside the config (left out by a reconfig) is a non-voting participant
  assert(config.learnerType === 'PARTICIPANT' || isObservingMember(qv, config.myid), `observer ${config.myid} is not in the config`);
  assert((config.learnerType === 'OBSERVER') === isObservingMember(qv, config.myid), `learnerType ${config.learnerType} disagrees with the config`);
  assert(config.minNotificationIntervalMs > 0, 'minNotificationInterval must be positive');
  assert(config.minNotificationIntervalMs <= config.maxNotificationIntervalMs, 'minNotificationInterval > maxNotificationInterval');
  const unset: Proposal = { leader: sidNone, zxid: -1n, peerEpoch: 0 };
  return {
    config, state: 'LOOKING', phase: 'waiting', logicalclock: 0, proposal: unset, initProposal: unset,
    // QuorumPeer.startLeaderElection: the vote before any round, myid even for an observer.
    currentVote: makeVote(config.myid, disk.lastLoggedZxid, -1, disk.currentEpoch),
    recvset: new Map(), outofelection: new Map(), recvqueue: [],
    notificationTimeout: createTimeout('notTimeout', config.minNotificationIntervalMs),
    finalizeTimeout: createTimeout('finalizeWait', finalizeWaitMs),
    startMs: nowMs, nowMs,
    counters: { received: 0, sent: 0, ignored: 0, discarded: 0, timeouts: 0, elections: 0 },
    outbox: { send: [], connectAll: false, decided: null, log: [] },
  };
}

// ----- host API --------------------------------------------------------------------------

/** The role ended (or the server booted): LOOKING, but lookForLeader has not started yet. */
export function becomeLooking(e: Election, nowMs: number): void {
  advanceTime(e, nowMs);
  assert(e.phase === 'decided' || e.phase === 'waiting', `becomeLooking while ${e.phase}`);
  if (e.phase === 'decided') log(e, `LOOKING: left ${e.state}`);
  e.state = 'LOOKING';
  e.phase = 'waiting';
}

/** `lookForLeader()`: a new round with this server's own vote. */
export function startElection(e: Election, disk: ElectionDisk, nowMs: number): void {
  if (e.state !== 'LOOKING') becomeLooking(e, nowMs);
  advanceTime(e, nowMs);
  assert(e.phase === 'waiting', `startElection while ${e.phase}`);
  e.phase = 'polling';
  e.startMs = nowMs;
  e.recvset = new Map();
  e.outofelection = new Map();
  e.counters.elections++;
  e.logicalclock += 1;
  e.initProposal = initialProposal(e.config, disk);
  e.proposal = e.initProposal;
  e.notificationTimeout.afterMs = e.config.minNotificationIntervalMs;
  log(e, `new election: my id = ${e.config.myid}, proposing ${describeProposal(e.proposal)}`);
  sendNotifications(e);
  timeoutStart(e.notificationTimeout, nowMs);
  const queued = e.recvqueue;
  e.recvqueue = [];
  assert(queued.length <= recvQueueLengthMax, `recvqueue ${queued.length} > ${recvQueueLengthMax}`);
  for (const n of queued) {
    if (hasDecided(e)) break; // leaveInstance clears the rest
    pollNotification(e, n, serverStateOf(n.state)!, nowMs);
  }
}

/** A notification from peer `from`, in any state (WorkerReceiver.run, then the loop). */
export function onNotification(e: Election, n: Notification, from: Sid, nowMs: number): void {
  assert(n.type === 'Notification', `onNotification got ${String(n.type)}`);
  assert(n.sid === from, `notification says sid ${n.sid} but came from ${from}`);
  advanceTime(e, nowMs);
  e.counters.received++;
  if (!isVotingMember(e.config.quorumVerifier, from)) return replyToNonVoter(e, n);
  const state = serverStateOf(n.state);
  if (state === null) return ignore(e, n, `unknown state ordinal ${n.state}`);
  if (e.state !== 'LOOKING') return replyIfLooking(e, n, state);
  if (state === 'LOOKING' && n.electionEpoch < e.logicalclock) replyToLaggard(e, n);
  if (e.phase === 'waiting') return enqueue(e, n);
  pollNotification(e, n, state, nowMs);
}

/** Virtual time passed; fires whichever election timeout is due (one table, STYLE.md 6). */
export function tick(e: Election, nowMs: number, transport: ElectionTransport): void {
  advanceTime(e, nowMs);
  const timeouts: readonly { timeout: Timeout; phase: ElectionPhase; onFired: (e: Election, nowMs: number, transport: ElectionTransport) => void }[] = [
    { timeout: e.finalizeTimeout, phase: 'finalizing', onFired: onFinalizeTimeout },
    { timeout: e.notificationTimeout, phase: 'polling', onFired: onNotificationTimeout },
  ];
  for (const entry of timeouts) {
    if (e.phase !== entry.phase) continue;
    timeoutTick(entry.timeout, nowMs);
    if (timeoutFired(entry.timeout)) entry.onFired(e, nowMs, transport);
  }
}

/** `QuorumPeer.updateElectionVote`: after sync the reported vote carries the new epoch. */
export function updateElectionVote(e: Election, newEpoch: Epoch): void {
  assert(e.state !== 'LOOKING', 'updateElectionVote while LOOKING');
  assert(Number.isInteger(newEpoch) && newEpoch >= 0, `bad epoch ${newEpoch}`);
  const v = e.currentVote;
  e.currentVote = makeVote(v.id, v.zxid, v.electionEpoch, newEpoch, v.state);
  log(e, `current vote now ${describeProposal({ leader: v.id, zxid: v.zxid, peerEpoch: newEpoch })}: updateElectionVote`);
}

/**
 * QuorumPeer.setQuorumVerifier after a reconfig commits: later rounds count the new voters.
 * A server the new config leaves out is a non-voting participant: it proposes no one
 * (getInitId = Long.MIN_VALUE) and follows the leader a quorum of the voters names.
 */
export function setQuorumVerifier(e: Election, qv: QuorumVerifier): void {
  e.config = electionConfig(e.config.myid, qv, {
    minNotificationIntervalMs: e.config.minNotificationIntervalMs, maxNotificationIntervalMs: e.config.maxNotificationIntervalMs,
  });
  log(e, `quorum config now ${describeQuorumVerifier(qv)}`);
}

/** QuorumPeer.updateVote(designatedLeader, zxid): the vote a reconfig hands over, no round. */
export function adoptVote(e: Election, leader: Sid, zxid: Zxid, state: DecidedState): void {
  assert(e.phase === 'decided' || e.phase === 'waiting', `adoptVote while ${e.phase}`);
  const v = e.currentVote;
  e.currentVote = makeVote(leader, zxid, v.electionEpoch, v.peerEpoch, state);
  e.state = state;
  e.phase = 'decided';
  log(e, `current vote now ${describeProposal({ leader, zxid, peerEpoch: v.peerEpoch })}: designated by a reconfig`);
}

/**
 * The election restarts with a newer config (FastLeaderElection's receiver adopted a higher
 * config version while LOOKING: shuttingDownLE, then a new lookForLeader round).
 */
export function restartElection(e: Election, disk: ElectionDisk, nowMs: number): void {
  assert(e.state === 'LOOKING', `restartElection while ${e.state}`);
  timeoutStop(e.notificationTimeout);
  timeoutStop(e.finalizeTimeout);
  e.phase = 'waiting';
  startElection(e, disk, nowMs);
}

export function hasReady(e: Election): boolean {
  const o = e.outbox;
  return o.send.length > 0 || o.connectAll || o.decided !== null || o.log.length > 0;
}

/** Takes everything produced since the last call. */
export function ready(e: Election): ElectionReady {
  const out = e.outbox;
  e.outbox = { send: [], connectAll: false, decided: null, log: [] };
  return out;
}

/** When `tick` has something to do next, or null. */
export function nextDeadlineMs(e: Election): number | null {
  if (e.phase === 'finalizing') return timeoutDeadlineMs(e.finalizeTimeout);
  if (e.phase === 'polling') return timeoutDeadlineMs(e.notificationTimeout);
  return null;
}

// ----- receiver thread (§1.5) ------------------------------------------------------------

/** A non-voter (observer) gets my current vote, my round and my state straight back. */
function replyToNonVoter(e: Election, n: Notification): void {
  const v = e.currentVote;
  send(e, n.sid, e.state, { leader: v.id, zxid: v.zxid, peerEpoch: v.peerEpoch }, e.logicalclock);
  log(e, `replied to non-voter ${describeSid(n.sid)} with ${e.state} ${describeProposal({ leader: v.id, zxid: v.zxid, peerEpoch: v.peerEpoch })} round ${e.logicalclock}`);
}

/** Out of the election, a LOOKING peer learns who leads; anything else is dropped. */
function replyIfLooking(e: Election, n: Notification, state: ServerState): void {
  if (state !== 'LOOKING') return ignore(e, n, `${state} and I am ${e.state}`);
  const v = e.currentVote;
  const p = { leader: v.id, zxid: v.zxid, peerEpoch: v.peerEpoch };
  send(e, n.sid, e.state, p, v.electionEpoch);
  log(e, `replied to LOOKING ${n.sid} with ${e.state} ${describeProposal(p)} round ${v.electionEpoch}`);
}

/** A LOOKING peer in an older round gets my proposal and round at once, to catch up. */
function replyToLaggard(e: Election, n: Notification): void {
  send(e, n.sid, 'LOOKING', e.proposal, e.logicalclock);
  log(e, `replied to ${n.sid} with ${describeProposal(e.proposal)}: its round ${n.electionEpoch} < ${e.logicalclock}`);
}

function enqueue(e: Election, n: Notification): void {
  if (e.recvqueue.length >= recvQueueLengthMax) {
    const dropped = e.recvqueue.shift()!;
    ignore(e, dropped, `receive queue full (${recvQueueLengthMax})`);
  }
  e.recvqueue.push(n);
}

// ----- lookForLeader loop (§1.4) ---------------------------------------------------------

/** One notification taken off the receive queue by lookForLeader. */
function pollNotification(e: Election, n: Notification, state: ServerState, nowMs: number): void {
  assert(e.state === 'LOOKING', `polling while ${e.state}`);
  if (e.phase === 'finalizing') {
    if (!isBetter(e, n, e.proposal)) {
      e.counters.discarded++;
      log(e, `discarded notification from ${n.sid} while finalizing: ${describeProposal(n)} is not better than ${describeProposal(e.proposal)}`);
      timeoutReset(e.finalizeTimeout, nowMs);
      return;
    }
    log(e, `stopped finalizing: ${describeProposal(n)} from ${n.sid} is better than ${describeProposal(e.proposal)}`);
    timeoutStop(e.finalizeTimeout);
    e.phase = 'polling';
  }
  assert(e.phase === 'polling', `poll while ${e.phase}`);
  handleNotification(e, n, state, nowMs);
  // The loop polls again: a fresh notTimeout wait (its length is not reset).
  if (e.phase === 'polling') timeoutStart(e.notificationTimeout, nowMs);
}

function handleNotification(e: Election, n: Notification, state: ServerState, nowMs: number): void {
  const qv = e.config.quorumVerifier;
  if (!isVotingMember(qv, n.leader)) return ignore(e, n, `leader ${describeSid(n.leader)} is not a voter`);
  switch (state) {
    case 'LOOKING': return onLookingNotification(e, n, nowMs);
    case 'OBSERVING': return ignore(e, n, 'it is OBSERVING');
    case 'FOLLOWING':
    case 'LEADING': return onFollowingNotification(e, n, state, nowMs);
    default: assertNever(state, 'server state');
  }
}

function onLookingNotification(e: Election, n: Notification, nowMs: number): void {
  if (e.initProposal.zxid === -1n) return ignore(e, n, 'my zxid is -1');
  if (n.zxid === -1n) return ignore(e, n, 'its zxid is -1');
  if (n.electionEpoch < e.logicalclock) return ignore(e, n, `round ${n.electionEpoch} < ${e.logicalclock}`);
  if (n.electionEpoch > e.logicalclock) {
    const before = e.logicalclock;
    e.logicalclock = n.electionEpoch;
    e.recvset.clear();
    e.proposal = isBetter(e, n, e.initProposal) ? proposalOf(n) : e.initProposal;
    log(e, `caught up from round ${before} with ${n.sid}: proposing ${describeProposal(e.proposal)}`);
    sendNotifications(e);
  } else if (isBetter(e, n, e.proposal)) {
    const before = e.proposal;
    e.proposal = proposalOf(n);
    log(e, `adopted ${describeProposal(n)} from ${n.sid}: better than ${describeProposal(before)}`);
    sendNotifications(e);
  }
  assert(n.electionEpoch === e.logicalclock, `recording round ${n.electionEpoch} in round ${e.logicalclock}`);
  assert(!isBetter(e, e.initProposal, e.proposal), 'the proposal fell below my own initial vote');
  e.recvset.set(n.sid, makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch));
  const p = e.proposal;
  const tally = tallyVotes(e.config.quorumVerifier, e.recvset, makeVote(p.leader, p.zxid, e.logicalclock, p.peerEpoch));
  const agree = `votes for ${describeProposal(p)} from ${describeAckset(tally)}`;
  if (!tally.hasAllQuorums) {
    log(e, `recorded vote of ${n.sid} for ${describeProposal(n)}; ${agree}: no quorum (${half(e.config.quorumVerifier) + 1} needed)`);
    return;
  }
  log(e, `recorded vote of ${n.sid} for ${describeProposal(n)}; ${agree}: a quorum, waiting ${finalizeWaitMs} ms for a better vote`);
  e.phase = 'finalizing';
  timeoutStop(e.notificationTimeout);
  timeoutStart(e.finalizeTimeout, nowMs);
}

/** receivedFollowingNotification (and receivedLeadingNotification: QuorumMaj needs no oracle). */
function onFollowingNotification(e: Election, n: Notification, state: DecidedState, nowMs: number): void {
  const qv = e.config.quorumVerifier;
  assert(state === 'FOLLOWING' || state === 'LEADING', `onFollowingNotification for ${state}`);
  assert(e.phase === 'polling', `onFollowingNotification while ${e.phase}`);
  const vote = makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch, state, n.version);
  if (n.electionEpoch === e.logicalclock) {
    // Vote(leader, zxid, electionEpoch, peerEpoch, state): version 0, as Java records it here.
    e.recvset.set(n.sid, makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch, state));
    const tally = tallyVotes(qv, e.recvset, vote);
    if (tally.hasAllQuorums && checkLeader(e, e.recvset, n.leader, n.electionEpoch)) {
      const reason = `${describeAckset(tally)} are with leader ${n.leader} in my round, ${leaderConfirmation(e, n.leader)}`;
      return becomeDecided(e, roleFor(e, n.leader), makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch), reason, nowMs);
    }
  }
  e.outofelection.set(n.sid, vote);
  const tally = tallyVotes(qv, e.outofelection, vote);
  if (tally.hasAllQuorums && checkLeader(e, e.outofelection, n.leader, n.electionEpoch)) {
    const reason = `joined the established ensemble: ${describeAckset(tally)} are with leader ${n.leader} (round ${n.electionEpoch}), ${leaderConfirmation(e, n.leader)}`;
    e.logicalclock = n.electionEpoch;
    return becomeDecided(e, roleFor(e, n.leader), makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch), reason, nowMs);
  }
  const why = tally.hasAllQuorums ? `leader ${n.leader} has not said it is LEADING` : `no quorum (${half(qv) + 1} needed)`;
  log(e, `recorded ${state} vote of ${n.sid} for leader ${n.leader} round ${n.electionEpoch}; with that leader: ${describeAckset(tally)}: ${why}`);
}

/** `checkLeader`: a leader other than me must have said LEADING; if it is me, in my round. */
function checkLeader(e: Election, votes: ReadonlyMap<Sid, Vote>, leader: Sid, electionEpoch: number): boolean {
  if (leader !== e.config.myid) return votes.get(leader)?.state === 'LEADING';
  return e.logicalclock === electionEpoch;
}

function leaderConfirmation(e: Election, leader: Sid): string {
  return leader === e.config.myid ? 'and that leader is me' : `and ${leader} says LEADING`;
}

function onFinalizeTimeout(e: Election, nowMs: number): void {
  assert(e.phase === 'finalizing', `finalizeWait fired while ${e.phase}`);
  const p = e.proposal;
  const reason = `no better vote within ${finalizeWaitMs} ms`;
  becomeDecided(e, roleFor(e, p.leader), makeVote(p.leader, p.zxid, e.logicalclock, p.peerEpoch), reason, nowMs);
}

function onNotificationTimeout(e: Election, nowMs: number, transport: ElectionTransport): void {
  assert(e.phase === 'polling', `notification timeout while ${e.phase}`);
  if (transport.haveDelivered) sendNotifications(e);
  else e.outbox.connectAll = true;
  timeoutBackoff(e.notificationTimeout, e.config.maxNotificationIntervalMs);
  e.counters.timeouts++;
  const action = transport.haveDelivered ? `sent ${describeProposal(e.proposal)} again` : 'no peer queue drained, connecting to all';
  log(e, `notification time out: ${action}; next wait ${e.notificationTimeout.afterMs} ms`);
  timeoutStart(e.notificationTimeout, nowMs);
}

/** setPeerState + leaveInstance + QuorumPeer.setCurrentVote: the only way out of LOOKING (STYLE.md 7). */
function becomeDecided(e: Election, state: DecidedState, vote: Vote, reason: string, nowMs: number): void {
  assert(e.state === 'LOOKING', `becomeDecided while ${e.state}`);
  assert(e.phase === 'polling' || e.phase === 'finalizing', `becomeDecided while ${e.phase}`);
  assert((state === 'LEADING') === (vote.id === e.config.myid), `decided ${state} for leader ${vote.id}`);
  assert(e.config.learnerType === 'PARTICIPANT' || state === 'OBSERVING', `an observer decided ${state}`);
  assert(isVotingMember(e.config.quorumVerifier, vote.id), `decided for non-voter ${vote.id}`);
  e.state = state;
  e.phase = 'decided';
  e.currentVote = vote;
  e.recvqueue = [];
  e.recvset = new Map();
  e.outofelection = new Map();
  timeoutStop(e.notificationTimeout);
  timeoutStop(e.finalizeTimeout);
  const electionTimeMs = nowMs - e.startMs;
  e.outbox.decided = { state, vote, electionTimeMs };
  log(e, `decided ${state}, leader ${vote.id} ${describeProposal({ leader: vote.id, zxid: vote.zxid, peerEpoch: vote.peerEpoch })}: ${reason}; election took ${electionTimeMs} ms`);
}

// ----- leaves ----------------------------------------------------------------------------

function initialProposal(config: ElectionConfig, disk: ElectionDisk): Proposal {
  assert(Number.isInteger(disk.currentEpoch) && disk.currentEpoch >= 0, `bad currentEpoch ${disk.currentEpoch}`);
  if (config.learnerType === 'OBSERVER' || !isVotingMember(config.quorumVerifier, config.myid)) return { leader: sidNoVote, zxid: zxidNoVote, peerEpoch: epochNoVote };
  return { leader: config.myid, zxid: disk.lastLoggedZxid, peerEpoch: disk.currentEpoch };
}

function hasDecided(e: Election): boolean {
  return e.phase === 'decided';
}

function roleFor(e: Election, leader: Sid): DecidedState {
  if (leader === e.config.myid) return 'LEADING';
  return e.config.learnerType === 'PARTICIPANT' ? 'FOLLOWING' : 'OBSERVING';
}

function isBetter(e: Election, next: Proposal, cur: Proposal): boolean {
  return totalOrderPredicate(next, cur, weight(e.config.quorumVerifier, next.leader));
}

function proposalOf(n: Notification): Proposal {
  return { leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch };
}

/** To every voter of the config, myself included (the loopback counts my own vote). */
function sendNotifications(e: Election): void {
  assert(e.state === 'LOOKING', `sendNotifications while ${e.state}`);
  assert(e.phase === 'polling' || e.phase === 'finalizing', `sendNotifications while ${e.phase}`);
  for (const sid of e.config.quorumVerifier.votingMembers) send(e, sid, 'LOOKING', e.proposal, e.logicalclock);
}

function send(e: Election, to: Sid, state: ServerState, p: Proposal, electionEpoch: number): void {
  assert(e.outbox.send.length < outboxSendLengthMax, `outbox holds ${outboxSendLengthMax} messages: the host must drain ready()`);
  const msg: Notification = {
    type: 'Notification', version: notificationVersionCurrent, state: serverStateOrdinal(state),
    leader: p.leader, zxid: p.zxid, electionEpoch, peerEpoch: p.peerEpoch, sid: e.config.myid,
    configVersion: e.config.quorumVerifier.version,
  };
  e.outbox.send.push({ to, msg });
  e.counters.sent++;
}

function ignore(e: Election, n: Notification, reason: string): void {
  e.counters.ignored++;
  log(e, `ignored notification from ${describeSid(n.sid)}: ${reason}`);
}

function log(e: Election, text: string): void {
  assert(e.outbox.log.length < outboxLogLinesMax, `outbox holds ${outboxLogLinesMax} log lines: the host must drain ready()`);
  e.outbox.log.push(`${e.config.myid} [round ${e.logicalclock}] ${text}`);
}

function advanceTime(e: Election, nowMs: number): void {
  assert(Number.isFinite(nowMs), `time ${nowMs} is not finite`);
  assert(nowMs >= e.nowMs, `time went back from ${e.nowMs} to ${nowMs}`);
  e.nowMs = nowMs;
}

function describeAckset(tally: VoteTally): string {
  return tally.ackset.length === 0 ? 'nobody' : tally.ackset.join(',');
}

// ----- invariants and printing -----------------------------------------------------------

/** Run after every input in tests and the simulator (STYLE.md 12). */
export function checkInvariants(e: Election): void {
  const qv = e.config.quorumVerifier;
  assert((e.phase === 'decided') === (e.state !== 'LOOKING'), `phase ${e.phase} with state ${e.state}`);
  assert(e.notificationTimeout.ticking === (e.phase === 'polling'), `notTimeout ticking=${e.notificationTimeout.ticking} in ${e.phase}`);
  assert(e.finalizeTimeout.ticking === (e.phase === 'finalizing'), `finalizeWait ticking=${e.finalizeTimeout.ticking} in ${e.phase}`);
  assert(e.recvqueue.length <= recvQueueLengthMax, `recvqueue ${e.recvqueue.length} > ${recvQueueLengthMax}`);
  assert(e.recvqueue.length === 0 || e.phase === 'waiting', `recvqueue not empty while ${e.phase}`);
  const t = e.notificationTimeout.afterMs;
  assert(t >= e.config.minNotificationIntervalMs && t <= e.config.maxNotificationIntervalMs, `notTimeout ${t} out of bounds`);
  for (const [sid, v] of e.recvset) assert(v.electionEpoch === e.logicalclock, `recvset vote of ${sid} from round ${v.electionEpoch} in round ${e.logicalclock}`);
  if (e.phase === 'polling' || e.phase === 'finalizing') {
    const p = e.proposal;
    assert(isVotingMember(qv, p.leader) || (p.leader === sidNoVote && !isVotingMember(qv, e.config.myid)), `proposal for ${p.leader}`);
  }
  assert(e.state !== 'LEADING' || e.currentVote.id === e.config.myid, 'LEADING for someone else');
  assert(e.config.learnerType === 'PARTICIPANT' || e.state === 'LOOKING' || e.state === 'OBSERVING', `observer ${e.state}`);
  assert(e.outbox.send.length <= outboxSendLengthMax && e.outbox.log.length <= outboxLogLinesMax, 'outbox over its bound');
}

function describeVotes(votes: ReadonlyMap<Sid, Vote>, withRound: boolean): string {
  const entries = [...votes].sort(([a], [b]) => a - b).map(([sid, v]) => {
    const state = v.state === 'LOOKING' ? '' : v.state;
    const round = withRound ? `@${v.electionEpoch}` : '';
    return `${sid}:${state}${describeProposal({ leader: v.id, zxid: v.zxid, peerEpoch: v.peerEpoch })}${round}`;
  });
  return `{${entries.join(' ')}}`;
}

/** One line: who, state, phase, round, and what the phase is made of. */
export function describeElection(e: Election): string {
  const head = `${e.config.myid} ${e.state} ${e.phase} round=${e.logicalclock}`;
  const v = e.currentVote;
  const vote = `vote=${describeProposal({ leader: v.id, zxid: v.zxid, peerEpoch: v.peerEpoch })}@${v.electionEpoch}`;
  switch (e.phase) {
    case 'waiting': return `${head} ${vote} queued=${e.recvqueue.length}`;
    case 'decided': return `${head} ${vote}`;
    case 'polling':
    case 'finalizing': {
      const timer = e.phase === 'polling' ? e.notificationTimeout : e.finalizeTimeout;
      return `${head} proposal=${describeProposal(e.proposal)} recvset=${describeVotes(e.recvset, false)} outofelection=${describeVotes(e.outofelection, true)} ${describeTimeout(timer)}`;
    }
    default: return assertNever(e.phase, 'election phase');
  }
}

