/**
 * Four-letter words and `zkServer.sh status` against the servers of a simulated ensemble.
 *
 * A word is sent as `echo WORD | nc host port` would send it: a fresh connection to the
 * server's client port. The reply is computed by engine/fourlw from a status snapshot of the
 * live server (its connections, stats, sessions, watches, tree, role and zoo.cfg), under that
 * server's 4lw.commands.whitelist; `srst` and `crst` reset the server's figures as ZooKeeper's do.
 * Nothing listens on a dead server's port.
 */
import { executeFourLetterWord, fourLetterWordOf } from '../../engine/fourlw/four-letter-words.ts';
import { liveSnapshot, type QuorumFacts } from '../../engine/fourlw/live-snapshot.ts';
import type { PeerState, ServerState } from '../../engine/fourlw/status-snapshot.ts';
import { zkServerStatus } from '../../engine/fourlw/zk-server-status.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { QuorumPeer } from '../../engine/quorum/quorum-peer.ts';
import { resolveAddress } from '../sim/client-world.ts';
import type { Ensemble } from '../sim/ensemble.ts';
import type { ServerPlan } from './scenario-config.ts';

/** `nc` runs on the servers' machine: it connects from 127.0.0.1 */
export const fourLetterHostAddress = '127.0.0.1';
/** The ports `nc` connects from, one per question. */
export const fourLetterPortBase = 40_000;

/** A preallocated txn log file (zookeeper.preAllocSize, 64 MiB), what `dirs` and `conf` mostly count. */
const preallocatedLogBytes = 64 * 1024 * 1024;

export interface FourLetterHost {
  readonly ensemble: Ensemble;
  readonly plan: (sid: Sid) => ServerPlan;
  /** the next local port a question comes from */
  nextPort: number;
}

/** `echo WORD | nc`: the reply text, or what nc sees when nothing listens. */
export function fourLetterWord(host: FourLetterHost, sid: Sid, word: string): string {
  const e = host.ensemble;
  const address = e.address(sid);
  const server = e.peers.get(sid) ?? e.standalones.get(sid);
  if (!server) return `(connection refused: nothing listens on ${address})\n`;
  const plan = host.plan(sid);
  // the question's own connection counts against maxClientCnxns: over it, the server closes it unanswered
  const max = plan.serverConfig.maxClientCnxns;
  const fromHere = server.connectionIds().filter((id) => server.connection(id)?.remoteAddress === fourLetterHostAddress).length;
  if (max > 0 && fromHere >= max) return '';
  const port = host.nextPort++;
  const bytes = `${word}\n`.slice(0, 4); // what `echo WORD | nc` sends first
  // ZooKeeper counts a packet in for a word it knows (whitelisted or not), and one out once it answered
  if (fourLetterWordOf(bytes) !== null) server.fourLetterWordReceived();
  const snapshot = liveSnapshot({
    server,
    nowMs: e.world.now,
    ...roleOf(e, sid),
    cfg: plan.cfg,
    asker: { host: fourLetterHostAddress, port },
    dataDirSize: dataDirSize(e, sid),
    lastProcessedZxid: server.lastProcessedZxid(),
  });
  const result = executeFourLetterWord(bytes, snapshot, { whitelist: plan.cfg.fourLetterWordWhitelist });
  if (result.kind === 'not-a-command') return '';
  server.fourLetterWordAnswered();
  if (result.effect?.type === 'resetServerStats') server.resetServerStats();
  if (result.effect?.type === 'resetConnectionStats') server.resetConnectionStats();
  return result.text;
}

/** `zkServer.sh status` run on server `sid`'s machine with its zoo.cfg. */
export function zkServerStatusText(host: FourLetterHost, sid: Sid): string[] {
  const plan = host.plan(sid);
  const result = zkServerStatus({
    configPath: plan.configPath,
    zooCfg: plan.zooCfgText,
    myid: String(sid),
    srvr: (h, port) => {
      const target = resolveAddress(`${h === '0.0.0.0' ? '127.0.0.1' : h}:${port}`);
      const to = host.ensemble.sids.find((s) => host.ensemble.address(s) === target);
      if (to === undefined || !host.ensemble.isUp(to)) return null;
      return fourLetterWord(host, to, 'srvr');
    },
  });
  return result.lines.map((l) => l.text);
}

function roleOf(e: Ensemble, sid: Sid): { state: ServerState; serving: boolean; quorum?: QuorumFacts } {
  const peer: QuorumPeer | undefined = e.peers.get(sid);
  if (!peer) return { state: 'standalone', serving: true };
  const s = peer.status();
  const facts = peer.fourLetterFacts();
  const peerState: PeerState = {
    state: s.role,
    zabState: s.phase,
    syncMode: facts.syncMode === null ? 'none' : (facts.syncMode.toLowerCase() as PeerState['syncMode']),
  };
  const state: ServerState = s.role === 'leading' ? 'leader' : s.role === 'observing' ? 'observer' : 'follower';
  const quorum: QuorumFacts = s.role === 'leading' ? { peerState, leader: facts } : { peerState };
  return { state, serving: s.serving, quorum };
}

/**
 * FileTxnSnapLog's dataDir size: the length of every file under version-2, with each txn log
 * counted as ZooKeeper's FilePadding leaves it (grown in 64 MiB steps, 4 KiB ahead).
 */
function dataDirSize(e: Ensemble, sid: Sid): number {
  if (e.options.standalone) {
    const log = e.standaloneLogs.get(sid);
    return log && log.durable.length + log.unflushed.length > 0 ? preallocatedLogBytes : 0;
  }
  const dir = e.disks.get(sid);
  if (!dir) return 0;
  let total = 0;
  for (const path of dir.disk.list()) {
    if (!path.startsWith('version-2/')) continue;
    const size = dir.disk.getSize(path);
    total += /\/log\.[0-9a-f]+$/.test(path) ? Math.ceil((size + 4096) / preallocatedLogBytes) * preallocatedLogBytes : size;
  }
  return total;
}

