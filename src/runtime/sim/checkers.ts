/**
 * Invariant checkers for simulated runs (../shared/reference/verification.md; STYLE.md 11).
 * They watch the trace stream and the peers after every step and collect violations:
 *   - at most one established leader per epoch;
 *   - agreement/integrity: one txn per zxid across all servers;
 *   - after convergence: every serving server has the same tree and the same last zxid;
 *   - acknowledged writes survive crashes (their zxid is applied everywhere at the end);
 *   - no ephemeral outlives its session once things converge, on any server, and the servers
 *     agree on the sessions of the tree;
 *   - every watch fires at most once per registration, and a client gets its watch events in
 *     zxid order (WatchChecker);
 *   - each client's operations complete in the order it issued them (ClientOrderChecker).
 * A failed engine assertion is reported by the runner as a violation too.
 */
import { DataTree } from '../../engine/datatree/data-tree.ts';
import { describeTree } from '../../engine/datatree/describe-tree.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import { describeTxn } from '../../engine/protocol/describe.ts';
import { hex, type Sid, type Zxid } from '../../engine/protocol/ids.ts';
import { EventType, type WatcherEvent } from '../../engine/protocol/records.ts';
import { LogIterator, logRecordsReadMax } from '../../engine/storage/txn-log.ts';
import { assert } from '../../engine/util/assert.ts';
import { readAll } from '../storage/disk.ts';
import type { Ensemble } from './ensemble.ts';

/** Violations kept per checker; the first ones tell the story. */
export const violationsMax = 20;
/** Watch events fired on one connection and not yet seen by its client. */
export const firedPerConnectionMax = 100_000;

/** A one-shot watch as the client holds it: 'data' (getData, exists) or 'child' (getChildren). */
export type WatchKind = 'data' | 'child';

/** Which registrations an event fires (ZKWatchManager.materialize, standard watches). */
function kindsFiredBy(type: EventType): readonly WatchKind[] {
  switch (type) {
    case EventType.NodeCreated:
    case EventType.NodeDataChanged: return ['data'];
    case EventType.NodeChildrenChanged: return ['child'];
    case EventType.NodeDeleted: return ['data', 'child'];
    default: return [];
  }
}

/**
 * Watches, per client (one session): every watch event the client receives must fire a
 * registration it holds — a one-shot watch fires at most once, so a second event without a
 * new registration in between is a violation — and the events reach the client in the zxid
 * order of the txns that triggered them (reference §5; verification.md §4.1). Pure: the
 * simulator feeds it registrations (a watching read answered) and deliveries (with the zxid
 * the server fired the event at).
 */
export class WatchChecker {
  readonly violations: string[] = [];
  private readonly held = new Map<number, Set<string>>();
  private readonly lastZxid = new Map<number, Zxid>();
  /** counts, for reports: registrations and events checked */
  registrations = 0;
  deliveries = 0;

  /** A watching read was answered: getData/exists (data) or getChildren (child) on `path`. */
  registered(client: number, path: string, kind: WatchKind): void {
    const set = this.held.get(client) ?? new Set<string>();
    this.registrations++;
    set.add(`${kind} ${path}`);
    this.held.set(client, set);
  }

  /** The client received `event`, fired by its server after applying the txn `zxid`. */
  delivered(client: number, event: WatcherEvent, zxid: Zxid): void {
    if (event.type === EventType.None || event.path === null) return;
    this.deliveries++;
    const set = this.held.get(client) ?? new Set<string>();
    const keys = kindsFiredBy(event.type).map((k) => `${k} ${event.path}`).filter((k) => set.has(k));
    if (keys.length === 0) {
      this.fail(`watch: client ${client} got event type ${event.type} on ${event.path} at ${hex(zxid)} without a registration (a watch fired twice, or never set)`);
    }
    for (const k of keys) set.delete(k);
    const last = this.lastZxid.get(client);
    if (last !== undefined && zxid < last) {
      this.fail(`watch order: client ${client} got event type ${event.type} on ${event.path} at ${hex(zxid)} after one at ${hex(last)}`);
    }
    this.lastZxid.set(client, last === undefined || zxid > last ? zxid : last);
  }

  private fail(text: string): void {
    if (this.violations.length < violationsMax) this.violations.push(text);
  }
}

/**
 * FIFO client order (ZooKeeper's programmer's guide: "all requests from a given client are
 * executed in the order they were sent"): each client's calls complete — with a result or an
 * error — in the order it issued them. Pure: fed issues and completions.
 */
export class ClientOrderChecker {
  readonly violations: string[] = [];
  private readonly pending = new Map<number, number[]>();
  /** completions checked, for reports */
  completions = 0;

  issued(client: number, callId: number): void {
    const q = this.pending.get(client) ?? [];
    q.push(callId);
    this.pending.set(client, q);
  }

  completed(client: number, callId: number): void {
    const q = this.pending.get(client) ?? [];
    const i = q.indexOf(callId);
    if (i < 0) return; // not a call this checker saw issued
    this.completions++;
    if (i > 0 && this.violations.length < violationsMax) {
      this.violations.push(`client order: client ${client} call ${callId} completed before earlier call(s) ${q.slice(0, i).join(',')}`);
    }
    q.splice(0, i + 1);
  }

  /** Calls still waiting for an answer. */
  outstanding(client: number): number {
    return this.pending.get(client)?.length ?? 0;
  }
}

export class Checkers {
  readonly violations: string[] = [];
  private readonly leaders = new Map<number, Sid>();
  private readonly txnAt = new Map<Zxid, string>();
  /** every txn committed on some server: by Zab, all of them are in the final history */
  private readonly committed = new Map<Zxid, TxnEntry>();
  readonly ackedWrites: Zxid[] = [];
  readonly watches = new WatchChecker();
  readonly clientOrder = new ClientOrderChecker();
  /** the zxid a server applied last in the trace batch being read, if it applied any */
  private readonly appliedInBatch = new Map<Sid, Zxid>();
  /** per server connection ("sid/connId"): watch events fired and not yet received, with their zxid */
  private readonly fired = new Map<string, { event: WatcherEvent; zxid: Zxid }[]>();

  constructor(private readonly e: Ensemble) {
    e.traceListeners.push((sid, events) => {
      this.appliedInBatch.delete(sid);
      for (const ev of events) {
        if (ev.type === 'txnApplied') this.appliedInBatch.set(sid, ev.zxid);
        if (ev.type === 'watchFired') this.onWatchFired(sid, ev.connId, ev.event);
        if (ev.type === 'log' && ev.text.startsWith(`${sid} leads epoch `)) this.onLeaderEstablished(sid);
        if (ev.type !== 'txnApplied') continue;
        const body = ev.text.replace(/^0x[0-9a-f]+ /, '');
        const seen = this.txnAt.get(ev.zxid);
        this.committed.set(ev.zxid, ev.entry);
        if (seen === undefined) this.txnAt.set(ev.zxid, body);
        else if (seen !== body) this.fail(`agreement: server ${sid} applied ${hex(ev.zxid)} as "${body}" but another server applied "${seen}"`);
      }
    });
  }

  /** A server sent a watch event: remember it, with the zxid it had applied, for its client. */
  private onWatchFired(sid: Sid, connId: number, event: WatcherEvent): void {
    // a watch fires while a txn is applied (the last one the batch applied so far); a
    // SetWatches catch-up fires at the server's state when it answers (no txn in the batch)
    const zxid = this.appliedInBatch.get(sid) ?? this.e.peers.get(sid)?.tree.lastProcessedZxid ?? 0n;
    const key = `${sid}/${connId}`;
    const q = this.fired.get(key) ?? [];
    if (q.length >= firedPerConnectionMax) q.shift();
    q.push({ event, zxid });
    this.fired.set(key, q);
  }

  /** The world's notificationHook: the client took in a watch event from this server connection. */
  onNotification(client: number, from: { readonly address: string; readonly connId: number }, event: WatcherEvent): void {
    const q = this.fired.get(`${this.e.sidOf(from.address)}/${from.connId}`) ?? [];
    const head = q.shift();
    if (head === undefined || head.event.type !== event.type || head.event.path !== event.path) {
      this.fail(`watch: client ${client} got event type ${event.type} on ${event.path} that its server did not fire (or out of order)`);
      return;
    }
    this.watches.delivered(client, event, head.zxid);
  }

  /** Every violation so far, the client-history checkers' included. */
  allViolations(): string[] {
    return [...this.violations, ...this.watches.violations, ...this.clientOrder.violations].slice(0, violationsMax);
  }

  private record(sid: number, entry: TxnEntry): void {
    const body = describeTxn(entry).replace(/^0x[0-9a-f]+ /, '');
    const seen = this.txnAt.get(entry.hdr.zxid);
    if (seen === undefined) this.txnAt.set(entry.hdr.zxid, body);
    else if (seen !== body) this.fail(`agreement: server ${sid} has ${hex(entry.hdr.zxid)} as "${body}" but another server applied "${seen}"`);
    this.committed.set(entry.hdr.zxid, entry);
  }

  fail(text: string): void {
    if (this.violations.length < violationsMax) this.violations.push(`t=${this.e.world.now} ${text}`);
  }

  /** After every step. */
  checkStep(): void {
    for (const [sid, p] of this.e.peers) {
      if (p.role !== 'leading' || !p.isServing()) continue;
      this.onLeaderEstablished(sid);
    }
  }

  /** Also called from the trace the moment a leader is established (its "leads epoch" line). */
  private onLeaderEstablished(sid: Sid): void {
    const p = this.e.peers.get(sid);
    if (p === undefined) return;
    const epoch = p.currentEpoch;
    const other = this.leaders.get(epoch);
    if (other === undefined) {
      this.leaders.set(epoch, sid);
      // an established leader's history is committed (Zab: a quorum acked NEWLEADER), even
      // txns it logged but never saw committed before (they were fast-forwarded, §1.7);
      // learners may get them inside a SNAP, which applies no txn one by one. The history is
      // its txn log files (the peer keeps only what it has not applied in memory; a SNAP sync
      // deletes the files before its snapshot, whose txns an earlier leader had)
      const disk = this.e.disks.get(sid)?.disk;
      if (disk !== undefined) {
        const it = new LogIterator(readAll(disk), 0n);
        for (let rec = it.seek(0n), i = 0; rec !== null; rec = it.next(), i++) {
          assert(i < logRecordsReadMax, 'leader history over logRecordsReadMax');
          this.record(sid, rec.entry);
        }
      }
      for (const entry of p.db.log) this.record(sid, entry);
    } else if (other !== sid) {
      this.fail(`two leaders in epoch ${epoch}: ${other} and ${sid}`);
    }
  }

  /** After the liveness phase converged. */
  checkConverged(): void {
    const serving = [...this.e.peers.values()].filter((p) => p.isServing());
    if (serving.length === 0) return;
    const ref = serving[0];
    const refTree = describeTree(ref.tree, '/', { userOnly: true });
    for (const p of serving.slice(1)) {
      if (p.status().lastAppliedZxid !== ref.status().lastAppliedZxid) {
        this.fail(`convergence: server ${p.ensemble.sid} at ${hex(p.status().lastAppliedZxid)}, server ${ref.ensemble.sid} at ${hex(ref.status().lastAppliedZxid)}`);
      } else if (describeTree(p.tree, '/', { userOnly: true }) !== refTree) {
        const a = refTree.split('\n');
        const b = describeTree(p.tree, '/', { userOnly: true }).split('\n');
        const onlyA = a.filter((l) => !b.includes(l)).slice(0, 3);
        const onlyB = b.filter((l) => !a.includes(l)).slice(0, 3);
        this.fail(`convergence: trees of servers ${ref.ensemble.sid} and ${p.ensemble.sid} differ at ${hex(ref.status().lastAppliedZxid)}: only on ${ref.ensemble.sid}: ${onlyA.join(' | ')}; only on ${p.ensemble.sid}: ${onlyB.join(' | ')}`);
      }
    }
    const replayed = new DataTree(ref.config.extendedTypesEnabled);
    for (const z of [...this.committed.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const entry = this.committed.get(z)!;
      replayed.applyTxn(entry.hdr, entry.txn);
    }
    const replayedTree = describeTree(replayed, '/', { userOnly: true });
    if (this.committed.size > 0 && replayedTree !== refTree) {
      const a = replayedTree.split('\n');
      const b = refTree.split('\n');
      const lost = a.filter((l) => !b.includes(l)).slice(0, 3).join(' | ');
      const extra = b.filter((l) => !a.includes(l)).slice(0, 3).join(' | ');
      this.fail(`durability: the tree of server ${ref.ensemble.sid} is not the result of every txn ever committed (a committed txn was lost): replay only: ${lost}; server only: ${extra}`);
    }
    const last = ref.status().lastAppliedZxid;
    for (const z of this.ackedWrites) {
      if (z > last) this.fail(`durability: acknowledged write ${hex(z)} is missing (servers are at ${hex(last)})`);
    }
    // session safety (verification.md §1.8), on every server: an ephemeral's owner is a session
    // that server tracks — the one that leads (or will) expires it and, with it, the ephemeral;
    // and the servers agree on the sessions of the tree (ZKDatabase.sessionsWithTimeouts)
    const refSessions = [...ref.db.sessions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(hex).join(',');
    for (const p of serving) {
      for (const [owner, paths] of p.tree.ephemerals) {
        if (paths.size > 0 && !p.sessions.get(owner)) this.fail(`ephemerals ${[...paths].join(',')} outlive session ${hex(owner)} on server ${p.ensemble.sid}`);
      }
      if (p === ref || p.status().lastAppliedZxid !== ref.status().lastAppliedZxid) continue;
      const sessions = [...p.db.sessions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(hex).join(',');
      if (sessions !== refSessions) this.fail(`convergence: sessions of servers ${ref.ensemble.sid} and ${p.ensemble.sid} differ at ${hex(ref.status().lastAppliedZxid)}: ${refSessions} vs ${sessions}`);
    }
  }
}
