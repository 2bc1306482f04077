/**
 * View models: pure functions from the runtime's event stream and status snapshots to what the
 * views draw. No React, no runtime objects: `reduceEvents(model, events)` returns a new model,
 * so every view is testable as "these events in, this picture out" (STYLE.md 19-20).
 */
import { hex, type Sid } from '../../engine/protocol/ids.ts';
import type { InFlightMessage, MessageKind, PlaygroundEvent, ServerStatus, Vote } from '../../runtime/playground/api.ts';

export const timelineMessagesMax = 600;
export const zabRowsMax = 300;
/** zxids whose acks/commits/applies wait for their `proposed` event (ViewModel.zabEarly) */
export const zabEarlyMax = 1000;
export const watchRowsMax = 400;
export const logLinesMax = 400;

export interface TimelineMessage {
  readonly msgId: number;
  readonly from: Sid;
  readonly to: Sid;
  readonly kind: MessageKind;
  readonly text: string;
  readonly sentT: number;
  readonly sentSeq: number;
  doneT: number | null;
  dropped: boolean;
}

export interface TimelineMark {
  readonly t: number;
  readonly seq: number;
  readonly sid: Sid | null;
  readonly text: string;
  readonly kind: 'role' | 'fault';
  readonly role?: string;
}

export interface ElectionEntry {
  readonly sid: Sid;
  readonly vote: Vote;
  readonly recv: readonly { readonly from: Sid; readonly vote: Vote; readonly state: string }[];
  readonly text: string;
  readonly t: number;
}

export interface ZabRow {
  readonly zxid: bigint;
  readonly leader: Sid;
  readonly text: string;
  readonly proposedT: number;
  readonly acks: Sid[];
  quorumT: number | null;
  committedT: number | null;
  readonly applied: Record<number, number>;
}

/**
 * A watch as one server's table has it: `registered` while it is in the table, then `fired`
 * (a standard watch fires once and is gone) or `removed` (it left unfired: removeWatches, its
 * connection or session closing). Persistent watches stay `registered` and count their fires.
 */
export type WatchState = 'registered' | 'fired' | 'removed';
export interface WatchRow {
  readonly key: string;
  readonly sid: Sid;
  readonly sessionId: bigint;
  readonly path: string;
  readonly table: 'data' | 'child' | null;
  readonly mode: 'standard' | 'persistent' | 'persistentRecursive';
  state: WatchState;
  registeredT: number;
  /** when it fired last, or was removed */
  firedT: number | null;
  /** the WatchedEvent it fired with last, or why it was removed */
  firedText: string | null;
  /** how many times it fired (persistent watches fire many times) */
  fires: number;
  readonly kindText: string;
}

export interface LogLine {
  readonly seq: number;
  readonly t: number;
  readonly sid: Sid | null;
  readonly text: string;
}

/**
 * The Log tab's order: newest first by the time each line happened. The servers' workers report
 * concurrently, so the trace holds their lines in arrival order (one server's line can arrive
 * after a later one of another's). Equal times keep the trace's order.
 */
export function logNewestFirst(log: readonly LogLine[]): LogLine[] {
  return [...log].sort((a, b) => b.t - a.t || b.seq - a.seq);
}

export interface ViewModel {
  readonly lastSeq: number;
  readonly now: number;
  readonly startT: number | null;
  readonly inFlight: ReadonlyMap<number, InFlightMessage & { readonly sentSeq: number }>;
  readonly timeline: readonly TimelineMessage[];
  /** messages of the timeline's kinds (not pings or client traffic) sent so far: exact, where the timeline keeps the newest */
  readonly sentCount: number;
  readonly marks: readonly TimelineMark[];
  readonly election: Readonly<Record<number, ElectionEntry>>;
  readonly zab: readonly ZabRow[];
  /**
   * acks, commits and applies of a zxid newer than every row, held until its `proposed` event:
   * workers report concurrently, so a follower's `applied` can reach the page before the
   * leader's `proposed` (bounded: zabEarlyMax zxids, oldest dropped)
   */
  readonly zabEarly: ReadonlyMap<bigint, readonly ZabEvent[]>;
  readonly watches: readonly WatchRow[];
  readonly log: readonly LogLine[];
  readonly voters: number;
}

export function emptyViewModel(): ViewModel {
  return { lastSeq: -1, now: 0, startT: null, inFlight: new Map(), timeline: [], sentCount: 0, marks: [], election: {}, zab: [], zabEarly: new Map(), watches: [], log: [], voters: 0 };
}

function capTail<T>(xs: T[], max: number): T[] {
  return xs.length > max ? xs.slice(xs.length - max) : xs;
}

/** Folds a batch of events (in seq order) into a new model; events already seen are skipped. */
export function reduceEvents(model: ViewModel, events: readonly PlaygroundEvent[], status: readonly ServerStatus[] = []): ViewModel {
  const voters = status.length > 0 ? status.filter((s) => !s.observer).length : model.voters;
  if (events.length === 0) return voters === model.voters ? model : { ...model, voters };
  // Each collection is copied on its first change in this batch, and an unchanged one is handed
  // on as the same object: a view of it (the election cards, the watch table) does not re-render
  // when a batch brought it nothing (bench/README.md, UI fps). The model passed in is never changed.
  let inFlight = model.inFlight as Map<number, InFlightMessage & { readonly sentSeq: number }>;
  let inFlightOwn = false;
  const ownInFlight = (): Map<number, InFlightMessage & { readonly sentSeq: number }> => {
    if (!inFlightOwn) {
      inFlight = new Map(inFlight);
      inFlightOwn = true;
    }
    return inFlight;
  };
  // Under saturation a batch (a frame's events) sends more messages than the timeline keeps:
  // rows the cap below would drop at the end are never made (nor the old rows they push out),
  // and a message sent and delivered within the batch never becomes an in-flight entry. The
  // result is the same as folding the events one at a time (view-models.test.ts).
  let sends = 0;
  for (let i = 0, last = model.lastSeq; i < events.length; i++) {
    const ev = events[i];
    if (ev.seq <= last) continue;
    last = ev.seq;
    if (ev.type === 'messageSent' && ev.kind !== 'ping' && ev.kind !== 'client') sends++;
  }
  /** the first this many timeline sends of the batch are cut by the cap at the end */
  let doomedSends = Math.max(0, sends - timelineMessagesMax);
  const oldKept = Math.min(model.timeline.length, Math.max(0, timelineMessagesMax - sends));
  let timeline = (oldKept < model.timeline.length ? model.timeline.slice(model.timeline.length - oldKept) : model.timeline) as TimelineMessage[];
  let timelineOwn = timeline !== model.timeline;
  /** messages sent in this batch and not delivered or dropped yet (entered into inFlight at the end) */
  const sentHere = new Map<number, Extract<PlaygroundEvent, { type: 'messageSent' }>>();
  const ownTimeline = (): TimelineMessage[] => {
    if (!timelineOwn) {
      timeline = [...timeline];
      timelineOwn = true;
    }
    return timeline;
  };
  // where each message sits in the timeline: a delivery finds its row without a scan
  let timelineAt: Map<number, number> | null = null;
  const timelineIndex = (): Map<number, number> => {
    if (timelineAt === null) {
      timelineAt = new Map();
      for (let i = 0; i < timeline.length; i++) timelineAt.set(timeline[i].msgId, i);
    }
    return timelineAt;
  };
  let sentCount = model.sentCount;
  let marks = model.marks as TimelineMark[];
  let marksOwn = false;
  const ownMarks = (): TimelineMark[] => {
    if (!marksOwn) {
      marks = [...marks];
      marksOwn = true;
    }
    return marks;
  };
  let election = model.election as Record<number, ElectionEntry>;
  let electionOwn = false;
  const ownElection = (): Record<number, ElectionEntry> => {
    if (!electionOwn) {
      election = { ...election };
      electionOwn = true;
    }
    return election;
  };
  let zab = model.zab as ZabRow[];
  let zabOwn = false;
  const ownZab = (): ZabRow[] => {
    if (!zabOwn) {
      zab = [...zab];
      zabOwn = true;
    }
    return zab;
  };
  let zabEarly = model.zabEarly as Map<bigint, ZabEvent[]>;
  let zabEarlyOwn = false;
  const ownZabEarly = (): Map<bigint, ZabEvent[]> => {
    if (!zabEarlyOwn) {
      zabEarly = new Map(zabEarly);
      zabEarlyOwn = true;
    }
    return zabEarly;
  };
  let zabByZxid: Map<bigint, number> | null = null;
  const zabIndex = (): Map<bigint, number> => {
    if (zabByZxid === null) {
      zabByZxid = new Map();
      for (let i = 0; i < zab.length; i++) zabByZxid.set(zab[i].zxid, i);
    }
    return zabByZxid;
  };
  let watches = model.watches as WatchRow[];
  let watchByKey: Map<string, WatchRow> | null = null;
  const ownWatches = (): { watches: WatchRow[]; byKey: Map<string, WatchRow> } => {
    if (watchByKey === null) {
      watches = [...watches];
      watchByKey = new Map();
      for (const w of watches) if (w.state === 'registered') watchByKey.set(w.key, w);
    }
    return { watches, byKey: watchByKey };
  };
  let log = model.log as LogLine[];
  let logOwn = false;
  const ownLog = (): LogLine[] => {
    if (!logOwn) {
      log = [...log];
      logOwn = true;
    }
    return log;
  };
  // rows and messages made by this call: later events of the same batch update them in place
  // (under load most messages are sent and delivered, and most txns proposed, acked and
  // applied, within one batch)
  const mine = new Set<object>();
  /** per server: the first zab row that may still wait for that server's own log write (persisted) */
  const unlogged = new Map<Sid, number>();
  /** A message's fate: off the wire, and its timeline row closed. */
  const messageDone = (msgId: number, t: number, dropped: boolean): void => {
    if (!sentHere.delete(msgId) && inFlight.has(msgId)) ownInFlight().delete(msgId);
    const i = timelineIndex().get(msgId);
    if (i === undefined) return;
    const rows = ownTimeline();
    let m = rows[i];
    if (!mine.has(m)) {
      m = { ...m };
      rows[i] = m;
      mine.add(m);
    }
    m.doneT = t;
    m.dropped = dropped;
  };
  let lastSeq = model.lastSeq;
  let now = model.now;
  let startT = model.startT;
  for (const ev of events) {
    if (ev.seq <= lastSeq) continue;
    lastSeq = ev.seq;
    now = Math.max(now, ev.t);
    if (startT === null) startT = ev.t;
    switch (ev.type) {
      case 'messageSent': {
        sentHere.set(ev.msgId, ev);
        if (ev.kind !== 'ping' && ev.kind !== 'client') {
          sentCount++;
          if (doomedSends > 0) {
            doomedSends--;
            break;
          }
          const m: TimelineMessage = { msgId: ev.msgId, from: ev.from, to: ev.to, kind: ev.kind, text: ev.text, sentT: ev.t, sentSeq: ev.seq, doneT: null, dropped: false };
          const at = timelineIndex();
          const rows = ownTimeline();
          at.set(ev.msgId, rows.length);
          rows.push(m);
          mine.add(m);
        }
        break;
      }
      case 'messageDelivered':
        for (const msgId of ev.msgIds) messageDone(msgId, ev.t, false);
        break;
      case 'messageDropped':
        messageDone(ev.msgId, ev.t, true);
        break;
      case 'roleChanged':
        ownMarks().push({ t: ev.t, seq: ev.seq, sid: ev.sid, text: `${ev.role.toUpperCase()}${ev.phase && ev.role !== 'down' && ev.role !== 'looking' ? ` · ${ev.phase}` : ''}`, kind: 'role', role: ev.role });
        // only a crash forgets the vote: a server going LOOKING reports its new vote in the same batch, sometimes first
        if (ev.role === 'down') {
          if (election[ev.sid] !== undefined) delete ownElection()[ev.sid];
          const w = ownWatches();
          endWatchesOf(w.watches, w.byKey, ev.sid, ev.t);
        }
        break;
      case 'fault':
        ownMarks().push({ t: ev.t, seq: ev.seq, sid: null, text: ev.text, kind: 'fault' });
        ownLog().push({ seq: ev.seq, t: ev.t, sid: null, text: ev.text });
        break;
      case 'vote':
        ownElection()[ev.sid] = { sid: ev.sid, vote: ev.vote, recv: ev.recv, text: ev.text, t: ev.t };
        break;
      case 'proposed': {
        if (zabIndex().has(ev.zxid)) break;
        const row: ZabRow = { zxid: ev.zxid, leader: ev.sid, text: ev.text, proposedT: ev.t, acks: [], quorumT: null, committedT: null, applied: {} };
        const rows = ownZab();
        zabIndex().set(ev.zxid, rows.length);
        rows.push(row);
        mine.add(row);
        const early = zabEarly.get(ev.zxid);
        if (early !== undefined) {
          ownZabEarly().delete(ev.zxid);
          for (const e of early) reduceZab(rows, zabIndex(), mine, e, voters);
        }
        break;
      }
      case 'persisted':
        // the leader acks its own proposal once its log write is durable (ZooKeeper's
        // SyncRequestProcessor flushes, then AckRequestProcessor acks): only a flushed write
        // counts. Group commit: one persisted event covers every txn of the batch up to its
        // zxid, of the rows this server leads that its log write has not covered yet: those
        // start at `unlogged` (rows before it are another leader's or acked by their leader already)
        if (ev.what === 'txns' && ev.flushed) {
          let i = unlogged.get(ev.sid) ?? 0;
          while (i < zab.length && (zab[i].leader !== ev.sid || zab[i].acks.includes(ev.sid))) i++;
          unlogged.set(ev.sid, i);
          for (; i < zab.length; i++) {
            const r = zab[i];
            if (r.leader === ev.sid && r.zxid <= ev.zxid && !r.acks.includes(ev.sid)) reduceZab(ownZab(), zabIndex(), mine, { ...ev, zxid: r.zxid }, voters);
          }
        }
        break;
      case 'acked': case 'committed': case 'applied':
        if (zabIndex().has(ev.zxid)) reduceZab(ownZab(), zabIndex(), mine, ev, voters);
        else if (zab.length === 0 || ev.zxid > zab[zab.length - 1].zxid) {
          // before its proposal (another worker's report came first): held for its row
          const early = ownZabEarly();
          const list = early.get(ev.zxid);
          early.set(ev.zxid, list === undefined ? [ev] : [...list, ev]);
          if (early.size > zabEarlyMax) early.delete(early.keys().next().value!);
        }
        break;
      case 'watch': {
        const w = ownWatches();
        reduceWatch(w.watches, w.byKey, ev);
        break;
      }
      case 'log':
        ownLog().push({ seq: ev.seq, t: ev.t, sid: ev.sid, text: ev.text });
        break;
      case 'session':
        ownLog().push({ seq: ev.seq, t: ev.t, sid: ev.sid, text: `session ${hex(ev.sessionId)} ${ev.what}${ev.timeout ? ` (timeout ${ev.timeout} ms)` : ''}` });
        break;
      case 'connectionBroken':
        break;
    }
  }
  if (sentHere.size > 0) {
    const own = ownInFlight();
    for (const ev of sentHere.values()) own.set(ev.msgId, { msgId: ev.msgId, link: ev.link, kind: ev.kind, from: ev.from, to: ev.to, text: ev.text, sentAt: ev.t, sentSeq: ev.seq });
  }
  return {
    lastSeq, now, startT, inFlight, voters, sentCount,
    timeline: capTail(timeline, timelineMessagesMax), marks: capTail(marks, timelineMessagesMax), election,
    zab: capTail(zab, zabRowsMax), zabEarly, watches: capTail(watches, watchRowsMax), log: capTail(log, logLinesMax),
  };
}

type ZabEvent = Extract<PlaygroundEvent, { type: 'acked' | 'committed' | 'applied' | 'persisted' }>;

function reduceZab(zab: ZabRow[], byZxid: Map<bigint, number>, mine: Set<object>, ev: ZabEvent, voters: number): void {
  const at = byZxid.get(ev.zxid);
  if (at === undefined) return;
  const row = zab[at];
  // a row of the model passed in is copied once, then updated in place for the rest of the batch
  const copy: ZabRow = mine.has(row) ? row : { ...row, acks: [...row.acks], applied: { ...row.applied } };
  mine.add(copy);
  if (ev.type === 'acked' && !copy.acks.includes(ev.from)) copy.acks.push(ev.from);
  // the leader's own flushed log write counts as its ack (it acks itself once the write is durable)
  if (ev.type === 'persisted' && ev.what === 'txns' && ev.flushed && ev.sid === row.leader && !copy.acks.includes(ev.sid)) copy.acks.push(ev.sid);
  // the commit is the leader's: the earliest of every server's report (each follower's comes when
  // its COMMIT arrives, and one may reach the page before the leader's own)
  if (ev.type === 'committed' && (copy.committedT === null || ev.t < copy.committedT)) copy.committedT = ev.t;
  if (ev.type === 'applied' && copy.applied[ev.sid] === undefined) copy.applied[ev.sid] = ev.t;
  if (copy.quorumT === null && voters > 0 && copy.acks.length * 2 > voters) copy.quorumT = ev.t;
  zab[at] = copy;
}

function watchKey(sid: Sid, sessionId: bigint, table: string | null | undefined, path: string): string {
  return `${sid}|${sessionId}|${table ?? ''}|${path}`;
}

function reduceWatch(watches: WatchRow[], byKey: Map<string, WatchRow>, ev: Extract<PlaygroundEvent, { type: 'watch' }>): void {
  const key = watchKey(ev.sid, ev.sessionId, ev.table, ev.path);
  const replace = (row: WatchRow, copy: WatchRow): void => {
    watches[watches.indexOf(row)] = copy;
    if (copy.state === 'registered') byKey.set(copy.key, copy);
    else byKey.delete(copy.key);
  };
  if (ev.what === 'registered') {
    const mode = ev.mode ?? 'standard';
    const old = byKey.get(key);
    if (old && old.mode === mode) return;
    const row: WatchRow = { key, sid: ev.sid, sessionId: ev.sessionId, path: ev.path, table: ev.table ?? null, mode, state: 'registered', registeredT: ev.t, firedT: null, firedText: null, fires: 0, kindText: ev.text };
    // a new mode on the same (connection, path) overwrites the old one in the server's table
    if (old) replace(old, row);
    else watches.push(row);
    byKey.set(key, row);
    return;
  }
  const row = byKey.get(key) ?? (ev.what === 'fired' ? recursiveAbove(byKey, ev) : undefined);
  if (!row) {
    if (ev.what === 'fired') watches.push({ key, sid: ev.sid, sessionId: ev.sessionId, path: ev.path, table: ev.table ?? null, mode: 'standard', state: 'fired', registeredT: ev.t, firedT: ev.t, firedText: ev.text, fires: 1, kindText: '' });
    return;
  }
  const stays = ev.what === 'fired' && row.mode !== 'standard';
  replace(row, { ...row, state: stays ? 'registered' : ev.what, firedT: ev.t, firedText: ev.text, fires: row.fires + (ev.what === 'fired' ? 1 : 0) });
  // NodeDeleted from the data table also consumes the standard child watch of that connection
  // (WatchManager.triggerWatch's suppress set); the client's one event covers both
  if (ev.what === 'fired' && ev.table === 'data' && ev.text.includes('type:NodeDeleted ')) {
    const child = byKey.get(watchKey(ev.sid, ev.sessionId, 'child', ev.path));
    if (child && child.mode === 'standard') replace(child, { ...child, state: 'fired', firedT: ev.t, firedText: ev.text, fires: child.fires + 1 });
  }
}

/** A server that went down took its watch tables with it (they live in memory only). */
function endWatchesOf(watches: WatchRow[], byKey: Map<string, WatchRow>, sid: Sid, t: number): void {
  for (const [key, row] of [...byKey]) {
    if (row.sid !== sid) continue;
    watches[watches.indexOf(row)] = { ...row, state: 'removed', firedT: t, firedText: `server ${sid} went down: its watches are gone with it (the client sets them again on its next server)` };
    byKey.delete(key);
  }
}

/** The persistent recursive watch of this session at an ancestor of the event's path. */
function recursiveAbove(byKey: Map<string, WatchRow>, ev: Extract<PlaygroundEvent, { type: 'watch' }>): WatchRow | undefined {
  let p = ev.path;
  for (let depth = 0; p !== '/' && p !== '' && depth < 10_000; depth++) {
    const i = p.lastIndexOf('/');
    p = i <= 0 ? '/' : p.slice(0, i);
    const row = byKey.get(watchKey(ev.sid, ev.sessionId, ev.table, p));
    if (row && row.mode === 'persistentRecursive') return row;
  }
  return undefined;
}

// ----- election explanations -------------------------------------------------------------

/** FLE's totalOrderPredicate: higher peerEpoch, then higher zxid, then higher sid. */
export function compareVotes(a: Vote, b: Vote): number {
  if (a.peerEpoch !== b.peerEpoch) return a.peerEpoch > b.peerEpoch ? 1 : -1;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid ? 1 : -1;
  return a.leader - b.leader;
}

export type WinReason = 'epoch' | 'zxid' | 'sid' | 'same';

/** Why vote `a` beats vote `b`, as the first field of (epoch, zxid, sid) that differs. */
export function winReason(a: Vote, b: Vote): WinReason {
  if (a.peerEpoch !== b.peerEpoch) return 'epoch';
  if (a.zxid !== b.zxid) return 'zxid';
  if (a.leader !== b.leader) return 'sid';
  return 'same';
}

export interface ElectionSummary {
  readonly sid: Sid;
  readonly round: number;
  readonly vote: Vote;
  /** who each received vote (and this server itself) supports */
  readonly supporters: readonly Sid[];
  readonly quorum: boolean;
  readonly best: { readonly from: Sid; readonly vote: Vote } | null;
}

export function summarizeElection(e: ElectionEntry, voters: number): ElectionSummary {
  const supporters = [e.sid];
  let best: { from: Sid; vote: Vote } | null = null;
  for (const r of e.recv) {
    if (r.from === e.sid) continue;
    if (r.vote.leader === e.vote.leader) supporters.push(r.from);
    if (!best || compareVotes(r.vote, best.vote) > 0) best = { from: r.from, vote: r.vote };
  }
  supporters.sort((a, b) => a - b);
  return { sid: e.sid, round: e.vote.round, vote: e.vote, supporters, quorum: voters > 0 && supporters.length * 2 > voters, best };
}

export function voteTriple(v: Vote): string {
  return `(${v.peerEpoch}, ${hex(v.zxid)}, ${v.leader})`;
}

// ----- cluster helpers ---------------------------------------------------------------------

export function leaderOf(status: readonly ServerStatus[]): Sid | null {
  const l = status.find((s) => s.role === 'leading' && s.phase === 'broadcast');
  return l ? l.sid : null;
}

/**
 * Servers whose tree differs from the leader's (or the majority's, without a leader) now: a
 * follower cut off from the leader is marked until it catches up. ZooKeeper's tree digest is
 * current after every txn, so equal digests mean equal trees.
 *
 * `live`: a follower serving the leader (phase broadcast) at another committed zxid is not
 * compared: behind it, it is catching up (under a stream of writes every follower trails the
 * leader by a few txns at any instant); ahead of it, the leader's snapshot is older than the
 * follower's (each worker reports its status when it posts, so the snapshots are of different
 * instants). Either way the mark would flicker under load, and each flicker re-laid the cluster
 * view out. At the leader's zxid it is compared.
 */
export function divergentServers(status: readonly ServerStatus[], live = false): Set<Sid> {
  const up = status.filter((s) => s.role !== 'down' && s.treeDigest !== '' && s.treeDigestZxid === s.committedZxid);
  const leader = leaderOf(status);
  const lead = up.find((s) => s.sid === leader);
  let ref = lead?.treeDigest;
  if (ref === undefined && leader === null) {
    const counts = new Map<string, number>();
    for (const s of up) counts.set(s.treeDigest, (counts.get(s.treeDigest) ?? 0) + 1);
    ref = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  }
  if (ref === undefined) return new Set();
  const catchingUp = (s: ServerStatus): boolean =>
    live && lead !== undefined && s.leader === lead.sid && s.phase === 'broadcast' && s.committedZxid !== lead.committedZxid;
  return new Set(up.filter((s) => s.treeDigest !== ref && !catchingUp(s)).map((s) => s.sid));
}

/** Progress 0..1 of a message along its link (animation). */
export function messageProgress(sentAt: number, now: number, expectedMs: number): number {
  if (expectedMs <= 0) return 1;
  return Math.max(0, Math.min(1, (now - sentAt) / expectedMs));
}

/** Line diff of two describeTree texts: lines only in a (-) and only in b (+). */
export function diffLines(a: string, b: string): { readonly sign: '-' | '+'; readonly line: string }[] {
  const as = new Set(a.split('\n'));
  const bs = new Set(b.split('\n'));
  const out: { sign: '-' | '+'; line: string }[] = [];
  for (const l of as) if (l !== '' && !bs.has(l)) out.push({ sign: '-', line: l });
  for (const l of bs) if (l !== '' && !as.has(l)) out.push({ sign: '+', line: l });
  return out;
}

export type ZnodeKind = 'ephemeral' | 'sequential' | 'container' | 'ttl';

const containerOwner = -(1n << 63n);
const ttlMask = 0xff00000000000000n;

/** Badges for a znode from its ephemeralOwner and name (sequential = the 10-digit suffix). */
export function znodeKinds(path: string, ephemeralOwner: bigint): ZnodeKind[] {
  const kinds: ZnodeKind[] = [];
  const u = BigInt.asUintN(64, ephemeralOwner);
  if (ephemeralOwner === containerOwner || u === BigInt.asUintN(64, containerOwner)) kinds.push('container');
  else if ((u & ttlMask) === ttlMask) kinds.push('ttl');
  else if (ephemeralOwner !== 0n) kinds.push('ephemeral');
  if (/\d{10}$/.test(path)) kinds.push('sequential');
  return kinds;
}
