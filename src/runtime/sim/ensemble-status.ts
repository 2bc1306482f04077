/** Status lines and `settle` for a simulated ensemble (scenario verbs `status` and `settle`). */
import { hex } from '../../engine/protocol/ids.ts';
import type { Ensemble } from './ensemble.ts';

/** settle gives up after this much virtual time */
export const settleMaxMs = 120_000;
const settleStepMs = 100;

export function statusLines(e: Ensemble): string[] {
  return e.sids.map((sid) => {
    const standalone = e.standalones.get(sid);
    if (standalone) return `server.${sid} standalone lastZxid=${hex(standalone.lastProcessedZxid())}`;
    const p = e.peers.get(sid);
    if (!p) return `server.${sid} down`;
    const s = p.status();
    return `server.${sid} ${s.role} epoch=${s.currentEpoch} lastZxid=${hex(s.lastLoggedZxid)}${s.serving ? '' : s.role === 'looking' ? '' : ' (syncing)'}`;
  });
}

/** Until every running server serves under one leader and all have applied the same zxid. */
export function settle(e: Ensemble): string {
  const start = e.world.now;
  let stableSince = -1;
  for (let t = 0; t <= settleMaxMs; t += settleStepMs) {
    if (isSettled(e)) {
      if (stableSince < 0) stableSince = e.world.now;
      if (e.world.now - stableSince >= 400) return `settled after ${stableSince - start} ms`;
    } else {
      stableSince = -1;
    }
    e.run(settleStepMs);
  }
  return `did not settle within ${settleMaxMs} ms`;
}

function isSettled(e: Ensemble): boolean {
  const up = [...e.peers.values()];
  if (up.length === 0) return true;
  const leader = e.leader();
  const voters = e.ensemble.voters.filter((s) => e.isUp(s)).length;
  if (leader === null) return voters * 2 <= e.ensemble.voters.length && up.every((p) => p.role === 'looking');
  const applied = e.peers.get(leader)!.status().lastAppliedZxid;
  return up.every((p) => p.isServing() && p.leaderSid === leader && p.status().lastAppliedZxid === applied);
}

