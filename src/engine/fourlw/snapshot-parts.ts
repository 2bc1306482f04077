/**
 * Parts of a ServerStatusSnapshot that follow from the configuration or from the machine
 * ZooKeeper runs on, so a producer only fills in the live figures.
 */
import type { QuorumConfig } from '../config/zoo-cfg.ts';
import { normalizeFilePath } from '../config/zoo-cfg.ts';
import type { PeerState, QuorumStatus, ServerConfStatus } from './status-snapshot.ts';

/** Version.getFullVersion() of the Debian 3.8.0 build the golden files come from. */
export const zooKeeperFullVersion = '3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC';

/** `new File(dir, "version-2").getAbsolutePath()`, a relative dir taken from user.dir. */
export function snapDirPath(dir: string, userDir: string): string {
  const absolute = dir.startsWith('/') ? dir : `${userDir}/${dir}`;
  return normalizeFilePath(`${absolute}/version-2`);
}

/** `conf`'s ZooKeeperServer part for a server started from this config. */
export function serverConfStatus(cfg: QuorumConfig, userDir = '/'): ServerConfStatus {
  return {
    clientPort: cfg.clientPort === 0 ? -1 : cfg.clientPort,
    secureClientPort: cfg.secureClientPort === 0 ? -1 : cfg.secureClientPort,
    dataDir: snapDirPath(cfg.dataDir, userDir),
    dataLogDir: snapDirPath(cfg.dataLogDir, userDir),
    tickTime: cfg.tickTime,
    maxClientCnxns: cfg.maxClientCnxns,
    minSessionTimeout: cfg.minSessionTimeout,
    maxSessionTimeout: cfg.maxSessionTimeout,
    clientPortListenBacklog: cfg.clientPortListenBacklog,
    serverId: cfg.distributed ? (cfg.serverId ?? 0) : 0,
  };
}

/** `conf`'s quorum part and the membership, for an ensemble member; null for a standalone config. */
export function quorumStatus(cfg: QuorumConfig, peerState: PeerState): QuorumStatus | null {
  if (!cfg.distributed || cfg.serverId === null) return null;
  const self = cfg.servers.get(cfg.serverId);
  if (!self) return null;
  return {
    initLimit: cfg.initLimit,
    syncLimit: cfg.syncLimit,
    electionAlg: cfg.electionAlg,
    electionPort: self.electionPort,
    quorumPort: self.quorumPort,
    learnerType: self.type,
    membership: { servers: cfg.servers, version: cfg.version },
    peerState,
  };
}

export interface MachineFacts {
  /** the zoo.cfg directory, first on the class path */
  readonly confDir: string;
  readonly hostName?: string;
  readonly userName?: string;
  readonly userHome?: string;
  readonly userDir?: string;
  /** Runtime.freeMemory / maxMemory / totalMemory, in MB */
  readonly memoryMb?: { readonly free: number; readonly max: number; readonly total: number };
}

/**
 * Environment.list() after zookeeper.version, as on the machine the golden files were captured
 * on (Debian bookworm, OpenJDK 17, the Debian zookeeper package).
 */
export function environmentOf(m: MachineFacts): Array<[string, string]> {
  const mem = m.memoryMb ?? { free: 368, max: 512, total: 380 };
  return [
    ['host.name', m.hostName ?? 'localhost'],
    ['java.version', '17.0.15'],
    ['java.vendor', 'Debian'],
    ['java.home', '/usr/lib/jvm/java-17-openjdk-amd64'],
    ['java.class.path', `${m.confDir}:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-log4j12.jar:/usr/share/java/log4j-1.2.jar`],
    ['java.library.path', '/usr/java/packages/lib:/usr/lib/x86_64-linux-gnu/jni:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/usr/lib/jni:/lib:/usr/lib'],
    ['java.io.tmpdir', '/tmp'],
    ['java.compiler', '<NA>'],
    ['os.name', 'Linux'],
    ['os.arch', 'amd64'],
    ['os.version', '6.18.44-fc-v669'],
    ['user.name', m.userName ?? 'root'],
    ['user.home', m.userHome ?? '/root'],
    ['user.dir', m.userDir ?? '/opt/zk-golden'],
    ['os.memory.free', `${mem.free}MB`],
    ['os.memory.max', `${mem.max}MB`],
    ['os.memory.total', `${mem.total}MB`],
  ];
}
