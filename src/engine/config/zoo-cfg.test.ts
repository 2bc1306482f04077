/**
 * zoo.cfg parsing against real ZooKeeper 3.8.0: every `java` line below is what
 * QuorumPeerConfig.parse gave for the same file (and <dataDir>/myid) under OpenJDK 17, through
 * a small probe that printed the parsed fields or the exception and its cause. The probe ran
 * with dataDir=/data and the file at /zoo.cfg.
 */
import { describe, expect, test } from 'vitest';
import { formatDynamicConfig } from './dynamic-config.ts';
import { formatSocketAddress, socketAddress, wildcardSocketAddress } from './inet-address.ts';
import { parseZooCfg, type QuorumConfig } from './zoo-cfg.ts';

const dynamicFiles: Record<string, string> = {
  '/zoo.cfg.dynamic.100000000':
    'server.1=127.0.0.1:2881:3881:participant;127.0.0.1:2181\nserver.2=127.0.0.1:2882:3882:participant;127.0.0.1:2182\nserver.3=127.0.0.1:2883:3883:observer;127.0.0.1:2183\n',
  '/zoo.cfg.dynamic.bad': 'server.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nversion=5\n',
  '/zoo.cfg.dynamic.2': 'server.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\ntickTime=5\n',
};

/** The probe's one-line summary of a parsed config, from our QuorumConfig. */
function summarize(c: QuorumConfig): string {
  const own = c.serverId === null ? undefined : c.servers.get(c.serverId);
  const fromLine = own?.clientPort !== undefined && !own.clientAddrFromStatic;
  const clientAddr =
    c.clientPort === 0
      ? 'null'
      : c.clientPortAddress === null || (!fromLine && c.clientPortAddress === null)
        ? formatSocketAddress(wildcardSocketAddress(c.clientPort))
        : formatSocketAddress(socketAddress(c.clientPortAddress, c.clientPort));
  let s =
    `OK tickTime=${c.tickTime} initLimit=${c.initLimit} syncLimit=${c.syncLimit} clientPortAddress=${clientAddr}` +
    ` dataDir=${c.dataDir} dataLogDir=${c.dataLogDir} maxClientCnxns=${c.maxClientCnxns}` +
    ` minSessionTimeout=${c.minSessionTimeout} maxSessionTimeout=${c.maxSessionTimeout} electionAlg=${c.electionAlg}` +
    ` peerType=${c.peerType.toUpperCase()} syncEnabled=${c.syncEnabled} standaloneEnabled=${c.standaloneEnabled}` +
    ` reconfigEnabled=${c.reconfigEnabled} serverId=${c.serverId ?? -1} distributed=${c.distributed}`;
  s += ` qv=[${formatDynamicConfig({ servers: c.servers, version: c.version }).replace(/\n/g, ', ')}]`;
  for (const q of c.servers.values()) {
    let client = 'null';
    if (q.clientPort !== undefined) {
      client = q.clientAddrFromStatic && c.clientPortAddress === null
        ? formatSocketAddress(wildcardSocketAddress(q.clientPort))
        : formatSocketAddress(socketAddress(q.clientHost ?? '0.0.0.0', q.clientPort));
    }
    s += ` s${q.sid}{host=${q.host} addr=${formatSocketAddress(socketAddress(q.host, q.quorumPort))}` +
      ` elec=${formatSocketAddress(socketAddress(q.host, q.electionPort))} client=${client} static=${q.clientAddrFromStatic ?? false}}`;
  }
  const sys = Object.entries(c.systemProperties)
    .filter(([k]) => k.startsWith('zookeeper.'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  return `${s} sys={${sys.join(', ')}}`;
}

function run(cfg: string, myid: string | null): string {
  const r = parseZooCfg(cfg, { path: '/zoo.cfg', myid, files: dynamicFiles });
  if (r.ok) return summarize(r.value);
  const e = r.error;
  return `ERR ${e.exception}: ${e.message}` + (e.cause ? ` | CAUSE ${e.cause.exception}: ${e.cause.message}` : '');
}

const cases: Array<{ name: string; cfg: string; myid: string | null; java: string }> = [
  {
    name: "standalone_min",
    cfg: "dataDir=/data\n",
    myid: null,
    java: "OK tickTime=3000 initLimit=0 syncLimit=0 clientPortAddress=null dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=6000 maxSessionTimeout=60000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={}",
  },
  {
    name: "standalone_std",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nextendedTypesEnabled=true\n4lw.commands.whitelist=*\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={zookeeper.4lw.commands.whitelist=*, zookeeper.extendedTypesEnabled=true}",
  },
  {
    name: "standalone_golden",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\n4lw.commands.whitelist=*\ndataDir=/data\nclientPort=2191\nclientPortAddress=127.0.0.1\nadmin.serverAddress=127.0.0.1\nadmin.serverPort=8190\nextendedTypesEnabled=true\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=/127.0.0.1:2191 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={zookeeper.4lw.commands.whitelist=*, zookeeper.admin.serverAddress=127.0.0.1, zookeeper.admin.serverPort=8190, zookeeper.extendedTypesEnabled=true}",
  },
  {
    name: "ensemble_golden",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\n4lw.commands.whitelist=*\ndataDir=/data\nclientPort=2181\nclientPortAddress=127.0.0.1\nadmin.serverAddress=127.0.0.1\nadmin.serverPort=8181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: "1\n",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=/127.0.0.1:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=1 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant, server.3=127.0.0.1:2883:3883:participant, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=/127.0.0.1:2181 static=true} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=null static=false} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=null static=false} sys={zookeeper.4lw.commands.whitelist=*, zookeeper.admin.serverAddress=127.0.0.1, zookeeper.admin.serverPort=8181, zookeeper.server.1=127.0.0.1:2881:3881, zookeeper.server.2=127.0.0.1:2882:3882, zookeeper.server.3=127.0.0.1:2883:3883}",
  },
  {
    name: "ensemble_types",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881:participant\nserver.2=127.0.0.1:2882:3882;2182\nserver.3=127.0.0.1:2883:3883;127.0.0.1:2183\nserver.4=127.0.0.1:2884:3884:observer\nserver.5=localhost:2885:3885:OBSERVER;0.0.0.0:2185\n",
    myid: "4",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=OBSERVER syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=4 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant;0.0.0.0:2182, server.3=127.0.0.1:2883:3883:participant;127.0.0.1:2183, server.4=127.0.0.1:2884:3884:observer, server.5=localhost:2885:3885:observer;0.0.0.0:2185, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=null static=false} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=/0.0.0.0:2182 static=false} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=/127.0.0.1:2183 static=false} s4{host=127.0.0.1 addr=/127.0.0.1:2884 elec=/127.0.0.1:3884 client=0.0.0.0/0.0.0.0:2181 static=true} s5{host=localhost addr=localhost/127.0.0.1:2885 elec=localhost/127.0.0.1:3885 client=/0.0.0.0:2185 static=false} sys={zookeeper.server.1=127.0.0.1:2881:3881:participant, zookeeper.server.2=127.0.0.1:2882:3882;2182, zookeeper.server.3=127.0.0.1:2883:3883;127.0.0.1:2183, zookeeper.server.4=127.0.0.1:2884:3884:observer, zookeeper.server.5=localhost:2885:3885:OBSERVER;0.0.0.0:2185}",
  },
  {
    name: "ensemble_myid_ws",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: "2\n\n",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=2 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant, server.3=127.0.0.1:2883:3883:participant, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=null static=false} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=0.0.0.0/0.0.0.0:2181 static=true} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=null static=false} sys={zookeeper.server.1=127.0.0.1:2881:3881, zookeeper.server.2=127.0.0.1:2882:3882, zookeeper.server.3=127.0.0.1:2883:3883}",
  },
  {
    name: "no_datadir",
    cfg: "tickTime=2000\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: dataDir is not set",
  },
  {
    name: "ticktime_zero",
    cfg: "tickTime=0\ndataDir=/data\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: tickTime is not set",
  },
  {
    name: "ticktime_abc",
    cfg: "tickTime=abc\ndataDir=/data\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.NumberFormatException: For input string: \"abc\"",
  },
  {
    name: "ticktime_empty",
    cfg: "tickTime=\ndataDir=/data\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.NumberFormatException: For input string: \"\"",
  },
  {
    name: "ticktime_big",
    cfg: "tickTime=99999999999\ndataDir=/data\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.NumberFormatException: For input string: \"99999999999\"",
  },
  {
    name: "ticktime_plus",
    cfg: "tickTime=+3000\ndataDir=/data\n",
    myid: null,
    java: "OK tickTime=3000 initLimit=0 syncLimit=0 clientPortAddress=null dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=6000 maxSessionTimeout=60000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={}",
  },
  {
    name: "two_bad_numbers",
    cfg: "tickTime=abc\nclientPort=xyz\ninitLimit=q\nsyncLimit=r\ndataDir=/data\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.NumberFormatException: For input string: \"abc\"",
  },
  {
    name: "no_initlimit",
    cfg: "tickTime=2000\nsyncLimit=5\ndataDir=/data\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: initLimit is not set",
  },
  {
    name: "no_synclimit",
    cfg: "tickTime=2000\ninitLimit=5\ndataDir=/data\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: syncLimit is not set",
  },
  {
    name: "no_myid",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: myid file is missing",
  },
  {
    name: "myid_abc",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: "abc\n",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: serverid abc is not a number",
  },
  {
    name: "myid_empty",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: "",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: serverid null is not a number",
  },
  {
    name: "myid_space",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: " 1\n",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: serverid  1 is not a number",
  },
  {
    name: "myid_not_listed",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: "7\n",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=7 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant, server.3=127.0.0.1:2883:3883:participant, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=null static=false} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=null static=false} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=null static=false} sys={zookeeper.server.1=127.0.0.1:2881:3881, zookeeper.server.2=127.0.0.1:2882:3882, zookeeper.server.3=127.0.0.1:2883:3883}",
  },
  {
    name: "peertype_bad",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\npeerType=witness\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Unrecognised peertype: witness",
  },
  {
    name: "peertype_observer",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\npeerType=observer\n",
    myid: "1",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=1 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant, server.3=127.0.0.1:2883:3883:participant, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=0.0.0.0/0.0.0.0:2181 static=true} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=null static=false} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=null static=false} sys={zookeeper.server.1=127.0.0.1:2881:3881, zookeeper.server.2=127.0.0.1:2882:3882, zookeeper.server.3=127.0.0.1:2883:3883}",
  },
  {
    name: "session_min_gt_max",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nminSessionTimeout=50000\nmaxSessionTimeout=40000\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: minSessionTimeout must not be larger than maxSessionTimeout",
  },
  {
    name: "session_max_only",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nmaxSessionTimeout=3000\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: minSessionTimeout must not be larger than maxSessionTimeout",
  },
  {
    name: "session_explicit",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nminSessionTimeout=1000\nmaxSessionTimeout=90000\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=1000 maxSessionTimeout=90000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={}",
  },
  {
    name: "election_alg_bad",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nelectionAlg=1\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Invalid electionAlg value. Only 3 is supported.",
  },
  {
    name: "bool_bad",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nsyncEnabled=yes\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Invalid option yes for syncEnabled. Choose 'true' or 'false.'",
  },
  {
    name: "bool_case",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nsyncEnabled=FALSE\nstandaloneEnabled=TrUe\nreconfigEnabled=true\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=false standaloneEnabled=true reconfigEnabled=true serverId=-1 distributed=false qv=[version=0] sys={}",
  },
  {
    name: "server_bad_form",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: 127.0.0.1:2881 does not have the form server_config or server_config;client_config where server_config is the pipe separated list of host:port:port or host:port:port:type and client_config is port or host:port",
  },
  {
    name: "server_bad_form5",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881:participant:x\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: 127.0.0.1:2881:3881:participant:x does not have the form server_config or server_config;client_config where server_config is the pipe separated list of host:port:port or host:port:port:type and client_config is port or host:port",
  },
  {
    name: "server_bad_type",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881:voter\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Unrecognised peertype: voter",
  },
  {
    name: "server_bad_port",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:28x1:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Address unresolved: 127.0.0.1:28x1",
  },
  {
    name: "server_bad_eport",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:38x1\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Address unresolved: 127.0.0.1:38x1",
  },
  {
    name: "server_bad_client",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881;abc\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Address unresolved: null:abc",
  },
  {
    name: "server_bad_client3",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881;a:b:2181\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: 127.0.0.1:2881:3881;a:b:2181 does not have the form server_config or server_config;client_config where server_config is the pipe separated list of host:port:port or host:port:port:type and client_config is port or host:port",
  },
  {
    name: "server_two_semis",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881;2181;x\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: 127.0.0.1:2881:3881;2181;x does not have the form server_config or server_config;client_config where server_config is the pipe separated list of host:port:port or host:port:port:type and client_config is port or host:port",
  },
  {
    name: "server_same_ports",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:2881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Client and election port must be different! Please update the configuration file on server.1",
  },
  {
    name: "server_bad_sid",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.x=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "2",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.NumberFormatException: For input string: \"x\"",
  },
  {
    name: "server_trailing_space",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881 \nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Address unresolved: 127.0.0.1:3881 ",
  },
  {
    name: "server_multi_addr",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881|127.0.0.2:2881:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Multiple address feature is disabled, but multiple addresses were specified for sid 1",
  },
  {
    name: "server_ipv6",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=[::1]:2881:3881\nserver.2=[::1]:2882:3882;[::1]:2182\n",
    myid: "1",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=1 distributed=true qv=[server.1=[0:0:0:0:0:0:0:1]:2881:3881:participant, server.2=[0:0:0:0:0:0:0:1]:2882:3882:participant;[0:0:0:0:0:0:0:1]:2182, version=0] s1{host=::1 addr=/[0:0:0:0:0:0:0:1]:2881 elec=/[0:0:0:0:0:0:0:1]:3881 client=0.0.0.0/0.0.0.0:2181 static=true} s2{host=::1 addr=/[0:0:0:0:0:0:0:1]:2882 elec=/[0:0:0:0:0:0:0:1]:3882 client=/[0:0:0:0:0:0:0:1]:2182 static=false} sys={zookeeper.server.1=[::1]:2881:3881, zookeeper.server.2=[::1]:2882:3882;[::1]:2182}",
  },
  {
    name: "server_trailing_colon",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881:\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=1 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=0.0.0.0/0.0.0.0:2181 static=true} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=null static=false} sys={zookeeper.server.1=127.0.0.1:2881:3881:, zookeeper.server.2=127.0.0.1:2882:3882}",
  },
  {
    name: "single_server",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\n",
    myid: "1",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=1 distributed=false qv=[server.1=127.0.0.1:2881:3881:participant, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=0.0.0.0/0.0.0.0:2181 static=true} sys={zookeeper.server.1=127.0.0.1:2881:3881}",
  },
  {
    name: "single_server_no_standalone",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nstandaloneEnabled=false\nserver.1=127.0.0.1:2881:3881\n",
    myid: "1",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=false reconfigEnabled=false serverId=1 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=0.0.0.0/0.0.0.0:2181 static=true} sys={zookeeper.server.1=127.0.0.1:2881:3881}",
  },
  {
    name: "observers_only",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881:observer\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: Observers w/o participants is an invalid configuration",
  },
  {
    name: "observer_one_participant",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882:observer\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: Observers w/o quorum is an invalid configuration",
  },
  {
    name: "client_addr_no_port",
    cfg: "tickTime=2000\ndataDir=/data\nclientPortAddress=127.0.0.1\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: clientPortAddress is set but clientPort is not set",
  },
  {
    name: "client_port_conflict",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nclientPortAddress=127.0.0.1\nserver.1=127.0.0.1:2881:3881;127.0.0.1:2182\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: client address for this server (id = 1) in static config file is /127.0.0.1:2181 is different from client address found in dynamic file: /127.0.0.1:2182",
  },
  {
    name: "client_port_from_server",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nserver.1=127.0.0.1:2881:3881;2182\nserver.2=127.0.0.1:2882:3882;2183\n",
    myid: "1",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=/0.0.0.0:2182 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=1 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant;0.0.0.0:2182, server.2=127.0.0.1:2882:3882:participant;0.0.0.0:2183, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=/0.0.0.0:2182 static=false} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=/0.0.0.0:2183 static=false} sys={zookeeper.server.1=127.0.0.1:2881:3881;2182, zookeeper.server.2=127.0.0.1:2882:3882;2183}",
  },
  {
    name: "unicode_escape_bad",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nfoo=\\u12\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: Malformed \\uxxxx encoding.",
  },
  {
    name: "dynamic_in_static",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\ndynamicConfigFile=/nonexistent/zoo.cfg.dynamic\nserver.1=127.0.0.1:2881:3881\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: parameter: server.1 must be in a separate dynamic config file",
  },
  {
    name: "metrics_provider_bad",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nmetricsProvider.className=com.example.Nope\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: metrics provider class was not found",
  },
  {
    name: "sasl_required_without_enabled",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nquorum.auth.serverRequireSasl=true\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.serverRequireSasl",
  },
  {
    name: "version_key",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\nversion=100000000\n",
    myid: "1",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=1 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant, server.3=127.0.0.1:2883:3883:participant, version=100000000] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=0.0.0.0/0.0.0.0:2181 static=true} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=null static=false} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=null static=false} sys={zookeeper.server.1=127.0.0.1:2881:3881, zookeeper.server.2=127.0.0.1:2882:3882, zookeeper.server.3=127.0.0.1:2883:3883, zookeeper.version=100000000}",
  },
  {
    name: "version_bad",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\nversion=xyz\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.NumberFormatException: For input string: \"xyz\" under radix 16",
  },
  {
    name: "group_weight",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\ngroup.1=1:2:3\nweight.1=1\nweight.2=1\nweight.3=1\n",
    myid: "1",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=1 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant, server.3=127.0.0.1:2883:3883:participant, group.1=1:2:3, weight.1=1, weight.2=1, weight.3=1, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=0.0.0.0/0.0.0.0:2181 static=true} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=null static=false} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=null static=false} sys={zookeeper.group.1=1:2:3, zookeeper.server.1=127.0.0.1:2881:3881, zookeeper.server.2=127.0.0.1:2882:3882, zookeeper.server.3=127.0.0.1:2883:3883, zookeeper.weight.1=1, zookeeper.weight.2=1, zookeeper.weight.3=1}",
  },
  {
    name: "colon_and_space_syntax",
    cfg: "tickTime: 2000\ninitLimit 10\nsyncLimit = 5\ndataDir=/data\n  clientPort\t2181\nmaxClientCnxns=0\nsnapCount=1000\nenforceQuota=true\nskipACL=yes\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=0 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={zookeeper.enforceQuota=true, zookeeper.skipACL=yes, zookeeper.snapCount=1000}",
  },
  {
    name: "snap_retain",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nautopurge.snapRetainCount=1\nautopurge.purgeInterval=1\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={}",
  },
  {
    name: "extended_bigsid",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nextendedTypesEnabled=true\nserver.255=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "255",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=255 distributed=true qv=[server.2=127.0.0.1:2882:3882:participant, server.255=127.0.0.1:2881:3881:participant, version=0] s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=null static=false} s255{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=0.0.0.0/0.0.0.0:2181 static=true} sys={zookeeper.extendedTypesEnabled=true, zookeeper.server.2=127.0.0.1:2882:3882, zookeeper.server.255=127.0.0.1:2881:3881}",
  },
  {
    name: "backlog_and_secure",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nclientPortListenBacklog=50\nsecureClientPort=2281\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={zookeeper.authProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider}",
  },
  {
    name: "secure_addr_no_port",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nsecureClientPortAddress=127.0.0.1\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: secureClientPortAddress is set but secureClientPort is not set",
  },
  {
    name: "client_port_range",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=70000\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: port out of range:70000",
  },
  {
    name: "server_port_range",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:99999:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: port out of range:99999",
  },
  {
    name: "server_client_colon",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881;:\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR java.lang.ArrayIndexOutOfBoundsException: Index -1 out of bounds for length 0",
  },
  {
    name: "server_bracket_open",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=[::1:2881:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: [::1:2881:3881 starts with '[' but has no matching ']:'",
  },
  {
    name: "server_bracket_noport",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=[::1]:\nserver.2=127.0.0.1:2882:3882\n",
    myid: "1",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: [::1]: doesn't have a port after colon",
  },
  {
    name: "datadir_slashes",
    cfg: "tickTime=2000\ndataDir=//data//x/\ndataLogDir=/logs/\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=0 syncLimit=0 clientPortAddress=null dataDir=/data/x dataLogDir=/logs maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={}",
  },
  {
    name: "myid_newline",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: "\n",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.IllegalArgumentException: serverid  is not a number",
  },
  {
    name: "myid_crlf",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n",
    myid: "3\r\n",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=3 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant, server.2=127.0.0.1:2882:3882:participant, server.3=127.0.0.1:2883:3883:participant, version=0] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=null static=false} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=null static=false} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=0.0.0.0/0.0.0.0:2181 static=true} sys={zookeeper.server.1=127.0.0.1:2881:3881, zookeeper.server.2=127.0.0.1:2882:3882, zookeeper.server.3=127.0.0.1:2883:3883}",
  },
  {
    name: "server_sid_dot",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\nserver.1.2=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\n",
    myid: "2",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg | CAUSE java.lang.NumberFormatException: For input string: \"1.2\"",
  },
  {
    name: "whitelist_list",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\n4lw.commands.whitelist=stat, ruok,,conf ,*,mntr\n",
    myid: null,
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=0.0.0.0/0.0.0.0:2181 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=PARTICIPANT syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=-1 distributed=false qv=[version=0] sys={zookeeper.4lw.commands.whitelist=stat, ruok,,conf ,*,mntr}",
  },
  {
    name: "dynamic_file_conflict",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\ndynamicConfigFile=/zoo.cfg.dynamic.100000000\n",
    myid: "2",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: client address for this server (id = 2) in static config file is 0.0.0.0/0.0.0.0:2181 is different from client address found in dynamic file: /127.0.0.1:2182",
  },
  {
    name: "dynamic_file_ok",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\ndynamicConfigFile=/zoo.cfg.dynamic.100000000\n",
    myid: "3",
    java: "OK tickTime=2000 initLimit=10 syncLimit=5 clientPortAddress=/127.0.0.1:2183 dataDir=/data dataLogDir=/data maxClientCnxns=60 minSessionTimeout=4000 maxSessionTimeout=40000 electionAlg=3 peerType=OBSERVER syncEnabled=true standaloneEnabled=true reconfigEnabled=false serverId=3 distributed=true qv=[server.1=127.0.0.1:2881:3881:participant;127.0.0.1:2181, server.2=127.0.0.1:2882:3882:participant;127.0.0.1:2182, server.3=127.0.0.1:2883:3883:observer;127.0.0.1:2183, version=100000000] s1{host=127.0.0.1 addr=/127.0.0.1:2881 elec=/127.0.0.1:3881 client=/127.0.0.1:2181 static=false} s2{host=127.0.0.1 addr=/127.0.0.1:2882 elec=/127.0.0.1:3882 client=/127.0.0.1:2182 static=false} s3{host=127.0.0.1 addr=/127.0.0.1:2883 elec=/127.0.0.1:3883 client=/127.0.0.1:2183 static=false} sys={}",
  },
  {
    name: "dynamic_file_version",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\ndynamicConfigFile=/zoo.cfg.dynamic.bad\n",
    myid: "2",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: dynamic file shouldn't have version inside",
  },
  {
    name: "dynamic_file_missing",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\ndynamicConfigFile=/nope.dynamic\n",
    myid: "2",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /nope.dynamic | CAUSE java.io.FileNotFoundException: /nope.dynamic (No such file or directory)",
  },
  {
    name: "dynamic_file_unknown_key",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\ndynamicConfigFile=/zoo.cfg.dynamic.2\n",
    myid: "2",
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Unrecognised parameter: tickTime",
  },
  {
    name: "dynamic_file_myid_missing",
    cfg: "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data\nclientPort=2181\ndynamicConfigFile=/zoo.cfg.dynamic.100000000\n",
    myid: null,
    java: "ERR org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /zoo.cfg.dynamic.100000000 | CAUSE java.lang.IllegalArgumentException: myid file is missing",
  },

];

/** Cases where the playground knowingly differs from ZooKeeper (it has no hierarchical quorums). */
const playgroundOnly: Record<string, string> = {
  group_weight: 'ERR playground: hierarchical quorums (group.N / weight.N) are not modelled',
};

describe('parseZooCfg matches QuorumPeerConfig.parse', () => {
  test.each(cases)('$name', ({ name, cfg, myid, java }) => {
    expect(run(cfg, myid)).toBe(playgroundOnly[name] ?? java);
  });
});
