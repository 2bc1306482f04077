/**
 * The scenario's zoo.cfg: generated per server for `servers N`, or one complete file; errors
 * are ZooKeeper 3.8.0's own (each checked against the real server started with the same file).
 */
import { describe, expect, it } from 'vitest';
import { generatedZooCfg, planGenerated, planZooCfg } from './scenario-config.ts';

const ensembleCfg = (lines: string): string => `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/lib/zookeeper\n${lines}`;

describe('scenario zoo.cfg', () => {
  it('servers N: one zoo.cfg per server, client port 2180+id, config lines after the defaults', () => {
    expect(generatedZooCfg(2, 2, 1, [['tickTime', '1000']])).toBe(
      'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/lib/zookeeper/2\nclientPort=2182\ntickTime=1000\n' +
        'server.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883:observer\n',
    );
    const r = planGenerated(2, 1, [['tickTime', '1000'], ['maxClientCnxns', '5']]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.members).toEqual([
      { sid: 1, observer: false, clientAddress: '127.0.0.1:2181' },
      { sid: 2, observer: false, clientAddress: '127.0.0.1:2182' },
      { sid: 3, observer: true, clientAddress: '127.0.0.1:2183' },
    ]);
    expect(r.plan.servers[0].serverConfig).toMatchObject({ tickTime: 1000, maxClientCnxns: 5, minSessionTimeout: 2000, maxSessionTimeout: 20000 });
    expect(r.plan.configText).toBe('server.1=127.0.0.1:2881:3881:participant\nserver.2=127.0.0.1:2882:3882:participant\nserver.3=127.0.0.1:2883:3883:observer\nversion=0');
  });

  it('servers 1 is a standalone server', () => {
    const r = planGenerated(1, 0, []);
    expect(r.ok && r.plan.standalone).toBe(true);
  });

  it('a complete zoo.cfg: sparse ids, client ports from the server lines', () => {
    const r = planZooCfg(ensembleCfg('server.1=127.0.0.1:2888:3888;2181\nserver.5=127.0.0.1:2889:3889;2185\nserver.9=127.0.0.1:2890:3890:observer;127.0.0.1:2189\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.members.map((m) => [m.sid, m.observer, m.clientAddress])).toEqual([
      [1, false, '127.0.0.1:2181'], [5, false, '127.0.0.1:2185'], [9, true, '127.0.0.1:2189'],
    ]);
  });

  it.each([
    ['no dataDir', 'tickTime=2000\nclientPort=2181\n', [
      'server.1: Invalid config, exiting abnormally',
      'server.1: org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /etc/zookeeper/conf/zoo.cfg',
      'server.1: Caused by: java.lang.IllegalArgumentException: dataDir is not set',
    ]],
    ['a server line without an election port', ensembleCfg('server.1=127.0.0.1:2888\nserver.2=127.0.0.1:2889:3889\n'), [
      'server.1: Invalid config, exiting abnormally',
      'server.1: org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: 127.0.0.1:2888 does not have the form server_config or server_config;client_config where server_config is the pipe separated list of host:port:port or host:port:port:type and client_config is port or host:port',
    ]],
    ['clientPort against the server line', ensembleCfg('clientPort=2183\nserver.1=127.0.0.1:2888:3888;2181\nserver.2=127.0.0.1:2889:3889;2182\n'), [
      'server.1: Invalid config, exiting abnormally',
      'server.1: org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: client address for this server (id = 1) in static config file is 0.0.0.0/0.0.0.0:2183 is different from client address found in dynamic file: /0.0.0.0:2181',
    ]],
    ['two servers on one client port', ensembleCfg('clientPort=2181\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n'), [
      'server.2: Unexpected exception, exiting abnormally',
      'server.2: java.net.BindException: Address already in use',
    ]],
    ['an id above 255', ensembleCfg('server.1=127.0.0.1:2888:3888;2181\nserver.300=127.0.0.1:2889:3889;2182\n'), [
      'server.300: playground: server.300: ZooKeeper documents myid as 1..255 (it is the top byte of session ids); other ids are not modelled',
    ]],
  ])('%s is refused with ZooKeeper\'s text', (_name, text, errors) => {
    expect(planZooCfg(text)).toEqual({ ok: false, errors });
  });

  it('a bad `config` value is refused before anything starts', () => {
    expect(planGenerated(3, 0, [['tickTime', '2s']])).toEqual({
      ok: false,
      errors: [
        'server.1: Invalid config, exiting abnormally',
        'server.1: org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing /etc/zookeeper/conf.1/zoo.cfg',
        'server.1: Caused by: java.lang.NumberFormatException: For input string: "2s"',
      ],
    });
  });
});
