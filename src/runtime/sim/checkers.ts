/**
 * Invariant checkers for simulated runs (../shared/reference/verification.md; STYLE.md 11).
 * They watch the trace stream and the peers after every step and collect violations:
 *   - at most one established leader per epoch;
 *   - agreement/integrity: one txn per zxid across all servers;
 *   - after convergence: every serving server has the same tree and the same last zxid;
 *   - acknowledged writes survive crashes (their zxid is applied everywhere at the end);
 *   - no ephemeral outlives its session once things converge.
 * A failed engine assertion is reported by the runner as a violation too.
 */
import { DataTree } from '../../engine/datatree/data-tree.ts';
import { describeTree } from '../../engine/datatree/describe-tree.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import { describeTxn } from '../../engine/protocol/describe.ts';
import { hex, type Sid, type Zxid } from '../../engine/protocol/ids.ts';
import type { Ensemble } from './ensemble.ts';

export class Checkers {
  readonly violations: string[] = [];
  private readonly leaders = new Map<number, Sid>();
  private readonly txnAt = new Map<Zxid, string>();
  /** every txn committed on some server: by Zab, all of them are in the final history */
  private readonly committed = new Map<Zxid, TxnEntry>();
  readonly ackedWrites: Zxid[] = [];

  constructor(private readonly e: Ensemble) {
    e.traceListeners.push((sid, events) => {
      for (const ev of events) {
        if (ev.type !== 'txnApplied') continue;
        const body = ev.text.replace(/^0x[0-9a-f]+ /, '');
        const seen = this.txnAt.get(ev.zxid);
        this.committed.set(ev.zxid, ev.entry);
        if (seen === undefined) this.txnAt.set(ev.zxid, body);
        else if (seen !== body) this.fail(`agreement: server ${sid} applied ${hex(ev.zxid)} as "${body}" but another server applied "${seen}"`);
      }
    });
  }

  private record(sid: number, entry: TxnEntry): void {
    const body = describeTxn(entry).replace(/^0x[0-9a-f]+ /, '');
    const seen = this.txnAt.get(entry.hdr.zxid);
    if (seen === undefined) this.txnAt.set(entry.hdr.zxid, body);
    else if (seen !== body) this.fail(`agreement: server ${sid} has ${hex(entry.hdr.zxid)} as "${body}" but another server applied "${seen}"`);
    this.committed.set(entry.hdr.zxid, entry);
  }

  fail(text: string): void {
    if (this.violations.length < 20) this.violations.push(`t=${this.e.world.now} ${text}`);
  }

  /** After every step. */
  checkStep(): void {
    for (const [sid, p] of this.e.peers) {
      if (p.role !== 'leading' || !p.isServing()) continue;
      const epoch = p.currentEpoch;
      const other = this.leaders.get(epoch);
      if (other === undefined) {
        this.leaders.set(epoch, sid);
        // an established leader's history is committed (Zab: a quorum acked NEWLEADER), even
        // txns it logged but never saw committed before (they were fast-forwarded, §1.7)
        for (const entry of p.db.log) this.record(sid, entry);
      } else if (other !== sid) {
        this.fail(`two leaders in epoch ${epoch}: ${other} and ${sid}`);
      }
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
    if (this.committed.size > 0 && describeTree(replayed, '/', { userOnly: true }) !== refTree) {
      this.fail(`durability: the tree of server ${ref.ensemble.sid} is not the result of every txn ever committed (a committed txn was lost)`);
    }
    const last = ref.status().lastAppliedZxid;
    for (const z of this.ackedWrites) {
      if (z > last) this.fail(`durability: acknowledged write ${hex(z)} is missing (servers are at ${hex(last)})`);
    }
    for (const [owner, paths] of ref.tree.ephemerals) {
      if (paths.size > 0 && !ref.sessions.get(owner)) this.fail(`ephemerals ${[...paths].join(',')} outlive session ${hex(owner)}`);
    }
  }
}
