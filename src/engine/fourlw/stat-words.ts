/**
 * `srvr`, `stat`, `cons`, `conf`, `dirs`, `envi`: StatCommand, ConsCommand, ConfCommand,
 * DirsCommand and EnvCommand of ZooKeeper 3.8.0, from a ServerStatusSnapshot.
 */
import { formatDynamicConfig } from '../config/dynamic-config.ts';
import { javaDoubleToString, javaLongHex } from '../config/java-lang.ts';
import { averageOf } from './mntr.ts';
import type { ConnectionStatus, ServerStatusSnapshot } from './status-snapshot.ts';

/** ServerCnxn.dumpConnectionInfo: ` /127.0.0.1:53264[1](queued=0,recved=12,sent=12[,sid=…])`. */
export function connectionInfo(c: ConnectionStatus, brief: boolean): string {
  let out = ` ${c.remoteAddress}[${c.interestOps === 0 ? '0' : c.interestOps.toString(16)}]`;
  out += `(queued=${c.outstandingRequests},recved=${c.packetsReceived},sent=${c.packetsSent}`;
  if (!brief && c.sessionId !== 0n) {
    const l = c.latency;
    out += `,sid=0x${javaLongHex(c.sessionId)},lop=${c.lastOperation},est=${c.establishedEpochMs},to=${c.sessionTimeoutMs}`;
    if (c.lastCxid >= 0) out += `,lcxid=0x${javaLongHex(BigInt(c.lastCxid))}`;
    out += `,lzxid=0x${javaLongHex(c.lastZxid)},lresp=${c.lastResponseTime},llat=${c.lastLatency}`;
    out += `,minlat=${l.count > 0 ? l.min : 0},avglat=${l.count > 0 ? Math.trunc(l.total / l.count) : 0},maxlat=${l.max}`;
  }
  return out + ')';
}

/** ServerStats.toString: the Latency … Mode lines. */
export function serverStatsText(s: ServerStatusSnapshot): string {
  const l = s.latency;
  const min = l.count > 0 ? l.min : 0;
  const max = l.count > 0 ? l.max : 0;
  return (
    `Latency min/avg/max: ${min}/${javaDoubleToString(averageOf(l))}/${max}\n` +
    `Received: ${s.packetsReceived}\n` +
    `Sent: ${s.packetsSent}\n` +
    `Connections: ${s.connections.length}\n` +
    `Outstanding: ${s.outstandingRequests}\n` +
    `Zxid: 0x${javaLongHex(s.lastProcessedZxid)}\n` +
    `Mode: ${s.state}\n`
  );
}

/** StatCommand for `stat` (with the client list) and `srvr`. */
export function statText(s: ServerStatusSnapshot, withClients: boolean): string {
  let out = `Zookeeper version: ${s.version}\n`;
  if (s.state === 'read-only') out += 'READ-ONLY mode; serving only read-only clients\n';
  if (withClients) {
    out += 'Clients:\n';
    for (const c of s.connections) out += connectionInfo(c, true) + '\n';
    out += '\n';
  }
  out += serverStatsText(s);
  out += `Node count: ${s.nodeCount}\n`;
  if (s.state === 'leader' && s.leader) {
    const p = s.leader.proposalSizes;
    out += `Proposal sizes last/min/max: ${p.last}/${p.min}/${p.max}\n`;
  }
  return out;
}

/** ConsCommand. */
export function consText(s: ServerStatusSnapshot): string {
  return s.connections.map((c) => connectionInfo(c, false) + '\n').join('') + '\n';
}

/** ZooKeeperServer.dumpConf, then QuorumZooKeeperServer's (or ReadOnlyZooKeeperServer's) tail. */
export function confText(s: ServerStatusSnapshot): string {
  const c = s.conf;
  let out =
    `clientPort=${c.clientPort}\nsecureClientPort=${c.secureClientPort}\n` +
    `dataDir=${c.dataDir}\ndataDirSize=${s.dataDirSize}\ndataLogDir=${c.dataLogDir}\ndataLogSize=${s.logDirSize}\n` +
    `tickTime=${c.tickTime}\nmaxClientCnxns=${c.maxClientCnxns}\n` +
    `minSessionTimeout=${c.minSessionTimeout}\nmaxSessionTimeout=${c.maxSessionTimeout}\n` +
    `clientPortListenBacklog=${c.clientPortListenBacklog}\nserverId=${c.serverId}\n`;
  const q = s.quorum;
  if (!q || s.state === 'standalone') return out;
  out +=
    `initLimit=${q.initLimit}\nsyncLimit=${q.syncLimit}\nelectionAlg=${q.electionAlg}\n` +
    `electionPort=${q.electionPort}\nquorumPort=${q.quorumPort}\npeerType=${q.learnerType === 'participant' ? 0 : 1}\n`;
  if (s.state === 'read-only') return out;
  return out + 'membership: \n' + formatDynamicConfig(q.membership);
}

/** DirsCommand. */
export function dirsText(s: ServerStatusSnapshot): string {
  return `datadir_size: ${s.dataDirSize}\nlogdir_size: ${s.logDirSize}\n`;
}

/** EnvCommand (answers even when the server is not serving). */
export function enviText(s: ServerStatusSnapshot): string {
  let out = `Environment:\nzookeeper.version=${s.version}\n`;
  for (const [k, v] of s.environment) out += `${k}=${v}\n`;
  return out;
}
