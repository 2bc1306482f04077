/**
 * The rest of the config API: Properties syntax (checked against java.util.Properties of
 * OpenJDK 17), the dynamic config text of /zookeeper/config (golden config_ensemble.out),
 * writing zoo.cfg back, the 4lw whitelist, and the engine's ServerConfig.
 */
import { describe, expect, test } from 'vitest';
import { describeConfigError } from './config-error.ts';
import { formatDynamicConfig, getClientConfigStr, parseDynamicConfig } from './dynamic-config.ts';
import { chmOrder } from './java-concurrent-hash-map.ts';
import { javaDoubleToString, javaParseInt, javaSplit, roundHalfUp4 } from './java-lang.ts';
import { loadProperties, propertiesEntries } from './java-properties.ts';
import { toServerConfig } from './to-server-config.ts';
import { parseZooCfg, type QuorumConfig } from './zoo-cfg.ts';
import { findAddressConflicts, formatZooCfg } from './zoo-cfg-write.ts';

function props(text: string): string {
  const r = loadProperties(text);
  if (!r.ok) return `ERR ${r.error}`;
  return propertiesEntries(r.entries)
    .map(([k, v]) => `${JSON.stringify(k)}=${JSON.stringify(v)}`)
    .join(' ');
}

function parsed(text: string, myid: string | null = null, systemProperties = {}): QuorumConfig {
  const r = parseZooCfg(text, { myid, systemProperties });
  if (!r.ok) throw new Error(describeConfigError(r.error));
  return r.value;
}

describe('java.util.Properties syntax (OpenJDK 17 results)', () => {
  test.each([
    ['a=1\nb = 2\nc:3\nd 4\n  e\t=\t5  \n#x=1\n!y=2\n  # z=3\nf=6\\\n   7\ng\n=h\n',
      '""="h" "a"="1" "b"="2" "c"="3" "d"="4" "e"="5  " "f"="67" "g"=""'],
    ['k\\ ey=v\\u0041\\tx\nk2=a\\\\\nk3=b\\\\\\\nc\n', '"k2"="a\\\\" "k ey"="vA\\tx" "k3"="b\\\\c"'],
    ['a=1\r\nb=2\rc=3\\\r\n  d\n', '"a"="1" "b"="2" "c"="3d"'],
    ['a=\\u00zz\n', 'ERR Malformed \\uxxxx encoding.'],
    ['x=1\nx=2\ny=3\n', '"x"="2" "y"="3"'],
    ['\\\n#c\nq=1\n', '"q"="1"'],
    ['a=b\\\n\nc=d\n', '"a"="b" "c"="d"'],
    ['a==b\nb::c\nc =:d\nd : = e\n', '"a"="=b" "b"=":c" "c"=":d" "d"="= e"'],
    ['a=é\n', '"a"="Ã©"'],
    ['trail=x\\', '"trail"="x"'],
    ['a\\=b=c\nd\\:e:f\n\\#g=h\n', '"#g"="h" "a=b"="c" "d:e"="f"'],
  ])('%j', (text, expected) => {
    expect(props(text)).toBe(expected);
  });

  test('keys are visited in ConcurrentHashMap order, not file order', () => {
    const text = 'tickTime=2000\ndataDir=/tmp/zk\nclientPort=2181\ninitLimit=5\nsyncLimit=2\nserver.1=zoo1:2888:3888\n' +
      'server.2=zoo2:2888:3888\nserver.3=zoo3:2888:3888\n4lw.commands.whitelist=*\nextendedTypesEnabled=true\nadmin.enableServer=false\n';
    const keys = propertiesEntries((loadProperties(text) as unknown as { entries: Array<[string, string]> }).entries).map(([k]) => k);
    expect(keys).toEqual(['server.2', 'server.1', 'admin.enableServer', 'dataDir', 'tickTime', 'clientPort', 'initLimit',
      '4lw.commands.whitelist', 'syncLimit', 'extendedTypesEnabled', 'server.3']);
  });
});

describe('java.lang helpers', () => {
  test('Integer.parseInt messages', () => {
    expect(javaParseInt('abc')).toEqual({ ok: false, error: 'For input string: "abc"' });
    expect(javaParseInt('2147483648')).toEqual({ ok: false, error: 'For input string: "2147483648"' });
    expect(javaParseInt('-2147483648')).toEqual({ ok: true, value: -2147483648 });
    expect(javaParseInt('+7')).toEqual({ ok: true, value: 7 });
  });
  test('String.split drops trailing empty strings', () => {
    expect(javaSplit('a:b::', ':')).toEqual(['a', 'b']);
    expect(javaSplit(':', ':')).toEqual([]);
    expect(javaSplit('', ':')).toEqual(['']);
  });
  test('Double.toString and the 4-place HALF_UP average', () => {
    expect([0, 1, 11.1667, 221, 0.0001, 12345678, 1.5e-5].map(javaDoubleToString))
      .toEqual(['0.0', '1.0', '11.1667', '221.0', '1.0E-4', '1.2345678E7', '1.5E-5']);
    expect(roundHalfUp4(134 / 12)).toBe(11.1667);
    // values checked with new BigDecimal(d).setScale(4, HALF_UP).doubleValue() on OpenJDK 17
    expect([0.00005, 1.00005, 2.00005, 0.12345, 0.00015, 5.55555].map(roundHalfUp4))
      .toEqual([0.0001, 1.0001, 2.0, 0.1235, 0.0001, 5.5556]);
    expect([1e7, 9999999, 0.001, 0.00099, 123456.7891].map(javaDoubleToString))
      .toEqual(['1.0E7', '9999999.0', '0.001', '9.9E-4', '123456.7891']);
  });
  test('ConcurrentHashMap order of a few keys', () => {
    expect(chmOrder(['version', 'server.1', 'server.2', 'server.3'])).toEqual(['server.2', 'server.1', 'server.3', 'version']);
  });
});

const golden = 'server.1=127.0.0.1:2881:3881:participant\nserver.2=127.0.0.1:2882:3882:participant\n' +
  'server.3=127.0.0.1:2883:3883:participant\nversion=0';

describe('dynamic config (/zookeeper/config)', () => {
  test('the golden ensemble text round-trips byte for byte (132 bytes)', () => {
    const r = parseDynamicConfig(golden);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.value.servers.keys()]).toEqual([1, 2, 3]);
    expect(formatDynamicConfig(r.value)).toBe(golden);
    expect(formatDynamicConfig(r.value).length).toBe(132);
  });
  test('an ensemble zoo.cfg prints the same membership', () => {
    const cfg = parsed('tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/d\nclientPort=2181\nclientPortAddress=127.0.0.1\n' +
      'server.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n', '1');
    expect(formatDynamicConfig(cfg)).toBe(golden);
  });
  test('versions are hex; client addresses and observers are printed', () => {
    const r = parseDynamicConfig('server.17=h:1:2:observer;3\nserver.2=[::1]:5:6;[::1]:7\nserver.3=h:8:9\nversion=10000000a');
    expect(r.ok && formatDynamicConfig(r.value)).toBe(
      'server.17=h:1:2:observer;0.0.0.0:3\nserver.2=[0:0:0:0:0:0:0:1]:5:6:participant;[0:0:0:0:0:0:0:1]:7\n' +
        'server.3=h:8:9:participant\nversion=10000000a');
  });
  test('errors', () => {
    const bad = parseDynamicConfig('server.1=127.0.0.1:2881:3881\ntickTime=3');
    expect(!bad.ok && bad.error.message).toBe('Unrecognised parameter: tickTime');
    const form = parseDynamicConfig('server.1=x:1');
    expect(!form.ok && form.error.reason).toMatch(/^x:1 does not have the form server_config/);
  });
  test('config -c (ConfigUtils.getClientConfigStr) on the golden text prints "0 ,,"', () => {
    expect(getClientConfigStr(golden)).toBe('0 ,,');
    expect(getClientConfigStr('server.1=a:1:2;2181\nversion=5')).toBe('5 0.0.0.0:2181');
  });
});

function withoutServerLines(c: QuorumConfig): QuorumConfig {
  const membership = (k: string): boolean => /^(zookeeper\.)?(server\.|version)/.test(k);
  return {
    ...c,
    extraProperties: c.extraProperties.filter(([k]) => !membership(k)),
    systemProperties: Object.fromEntries(Object.entries(c.systemProperties).filter(([k]) => !membership(k))),
  };
}

describe('QuorumConfig', () => {
  const ensemble = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\n4lw.commands.whitelist=*\ndataDir=/tmp/zk-golden/e1/data\n' +
    'clientPort=2181\nclientPortAddress=127.0.0.1\nadmin.serverAddress=127.0.0.1\nadmin.serverPort=8181\n' +
    'server.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n';

  test('fields of the golden ensemble config', () => {
    const c = parsed(ensemble, '1\n');
    expect(c.distributed).toBe(true);
    expect(c.serverId).toBe(1);
    expect(c.clientPort).toBe(2181);
    expect(c.clientPortAddress).toBe('127.0.0.1');
    expect(c.servers.get(2)).toEqual({ sid: 2, host: '127.0.0.1', quorumPort: 2882, electionPort: 3882, type: 'participant' });
    expect(c.servers.get(1)?.clientAddrFromStatic).toBe(true);
    expect(c.fourLetterWordWhitelist).toContain('mntr');
    expect(c.systemProperties['zookeeper.admin.serverPort']).toBe('8181');
  });

  test('defaults: tickTime 3000, session timeouts 2 and 20 ticks, whitelist srvr only', () => {
    const c = parsed('dataDir=/d\n');
    expect([c.tickTime, c.minSessionTimeout, c.maxSessionTimeout, c.maxClientCnxns]).toEqual([3000, 6000, 60000, 60]);
    expect(c.fourLetterWordWhitelist).toEqual(['srvr']);
    expect(c.distributed).toBe(false);
  });

  test('the whitelist: comma list, trimmed, `*` stops the scan, isro with read-only mode', () => {
    const c = parsed('dataDir=/d\n4lw.commands.whitelist=stat, ruok,,conf ,*,mntr\n', null, { 'readonlymode.enabled': 'true' });
    expect(c.fourLetterWordWhitelist.slice(0, 3)).toEqual(['stat', 'ruok', 'conf']);
    expect(c.fourLetterWordWhitelist).toContain('telnet close');
    expect(parsed('dataDir=/d\n4lw.commands.whitelist=ruok\n', null, { 'readonlymode.enabled': 'true' }).fourLetterWordWhitelist)
      .toEqual(['ruok', 'isro', 'srvr']);
  });

  test('formatZooCfg writes a file that parses to the same config', () => {
    for (const [text, myid] of [
      [ensemble, '2'],
      ['dataDir=/d\ntickTime=100\nminSessionTimeout=7\nsyncEnabled=false\nfoo bar=a=b:c#!\\\\ \n', null],
      ['tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/d\nserver.1=a:1:2;3\nserver.2=b:1:2:observer\nserver.3=c:1:2\nversion=1f\n', '2'],
    ] as const) {
      const c = parsed(text, myid);
      const again = parsed(formatZooCfg(c), myid);
      // server.N lines are written in ZooKeeper's printed form (`:participant` added), so the
      // zookeeper.server.N system properties ZooKeeper sets from them differ textually
      expect(withoutServerLines(again)).toEqual(withoutServerLines(c));
    }
  });

  test('describeConfigError prints the exception and its cause as ZooKeeper logs them', () => {
    const r = parseZooCfg('tickTime=2000\n', { path: '/conf/zoo.cfg' });
    expect(!r.ok && describeConfigError(r.error)).toBe(
      'org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /conf/zoo.cfg\n' +
        'Caused by: java.lang.IllegalArgumentException: dataDir is not set');
    expect(!r.ok && r.error.reason).toBe('dataDir is not set');
  });

  test('address conflicts on one host are reported (ZooKeeper would fail to bind)', () => {
    const c = parsed('tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/d\nserver.1=h:2881:3881;2181\nserver.2=h:2882:2881;2182\n', '1');
    expect(findAddressConflicts(c.servers).map((x) => x.message)).toEqual([
      'server.1 (quorum port), server.2 (election port) all use h:2881: the second to bind fails with java.net.BindException: Address already in use',
    ]);
  });
});

describe('toServerConfig', () => {
  test('standalone golden server: extended types, TTL check interval from -D', () => {
    const c = parsed('tickTime=2000\ndataDir=/d\nclientPort=2191\nextendedTypesEnabled=true\nenforceQuota=TRUE\nskipACL=yes\n' +
      'DigestAuthenticationProvider.superDigest=super:abc\n', null, { 'znode.container.checkIntervalMs': '1000', 'jute.maxbuffer': '0x100' });
    const r = toServerConfig(c);
    expect(r.ok && r.value).toEqual({
      sid: 1, tickTime: 2000, minSessionTimeout: 4000, maxSessionTimeout: 40000, extendedTypesEnabled: true,
      enforceQuota: true, skipACL: true, superDigest: 'super:abc', containerCheckIntervalMs: 1000,
      containerMaxPerMinute: 10000, containerMaxNeverUsedIntervalMs: 0, maxClientCnxns: 60, juteMaxBuffer: 256,
      reconfigEnabled: false,
    });
  });
  test('zoo.cfg cannot set znode.container.* (it would become zookeeper.znode.container.*)', () => {
    const r = toServerConfig(parsed('dataDir=/d\nznode.container.checkIntervalMs=5\n'));
    expect(r.ok && r.value.containerCheckIntervalMs).toBe(60000);
  });
  test('start-up failures ZooKeeper finds after parsing', () => {
    const base = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/d\nserver.1=h:1:2\nserver.2=h:3:4\n';
    const missing = toServerConfig(parsed(base, '7'));
    expect(!missing.ok && missing.error.message).toBe('My id 7 not in the peer list');
    const big = toServerConfig(parsed(base + 'server.255=h:5:6\nextendedTypesEnabled=true\n', '255'));
    expect(!big.ok && big.error.message).toBe('extendedTypesEnabled is true but Server ID is too large. Cannot be larger than 254');
  });
});
