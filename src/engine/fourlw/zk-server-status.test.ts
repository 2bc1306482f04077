/**
 * `zkServer.sh status` and FourLetterWordMain against the golden transcripts
 * (ensemble/status-all-up.txt, ensemble/quorum-loss.txt, 4lw/FourLetterWordMain-srvr.standalone.txt).
 * The zoo.cfg files are the ones zk-ensemble.sh wrote for those captures.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { zkNotServing } from './four-letter-words.ts';
import { fourLetterWordMainOutput, zkServerStatus, zkServerStatusLines, type ZkServerStatusResult } from './zk-server-status.ts';

const goldenDir = process.env.ZKG_GOLDEN_DIR ?? resolve(import.meta.dirname, '../../../test/fixtures/golden');
const ensembleDir = resolve(goldenDir, 'ensemble');

const common = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\n4lw.commands.whitelist=*\n';
function zooCfg(name: string): string {
  if (name === 'standalone') {
    return common + 'dataDir=/tmp/zk-golden/standalone/data\nclientPort=2191\nclientPortAddress=127.0.0.1\n' +
      'admin.serverAddress=127.0.0.1\nadmin.serverPort=8190\nextendedTypesEnabled=true\n';
  }
  const n = name.slice(1);
  return common + `dataDir=/tmp/zk-golden/${name}/data\nclientPort=218${n}\nclientPortAddress=127.0.0.1\n` +
    `admin.serverAddress=127.0.0.1\nadmin.serverPort=818${n}\n` +
    'server.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\n';
}

function transcript(r: ZkServerStatusResult): string {
  return r.lines.map((l) => l.text + '\n').join('') + `[exit code ${r.exitCode}]\n`;
}

/** `$ zkServer.sh status <cfg>    # comment` blocks of a golden file. */
function blocks(file: string): Array<{ cfg: string; dir: string; body: string }> {
  const text = readFileSync(resolve(ensembleDir, file), 'utf8');
  return [...text.matchAll(/\$ zkServer\.sh status (\/tmp\/zk-golden\/(\w+)\/conf\/zoo\.cfg)[^\n]*\n([\s\S]*?\[exit code \d\]\n)/g)]
    .map((m) => ({ cfg: m[1], dir: m[2], body: m[3] }));
}

describe('zkServer.sh status', () => {
  test('all servers up (status-all-up.txt)', () => {
    const modes: Record<string, string> = { e1: 'follower', e2: 'follower', e3: 'leader', standalone: 'standalone' };
    const found = blocks('status-all-up.txt');
    expect(found.length).toBe(4);
    for (const b of found) {
      const r = zkServerStatus({ configPath: b.cfg, zooCfg: zooCfg(b.dir), srvr: () => `Zookeeper version: x\nMode: ${modes[b.dir]}\nNode count: 8\n` });
      expect(transcript(r)).toBe(b.body);
    }
  });

  test('quorum lost, then one server back (quorum-loss.txt)', () => {
    const found = blocks('quorum-loss.txt');
    expect(found.length).toBe(6);
    // t=3s: 1 survives without quorum, 2 and 3 are dead; then 2 restarts and leads, 3 stays dead
    const replies = [`${zkNotServing}\n`, null, null, 'Mode: follower\n', 'Mode: leader\n', null];
    found.forEach((b, i) => {
      const r = zkServerStatus({ configPath: b.cfg, zooCfg: zooCfg(b.dir), srvr: () => replies[i] });
      expect(transcript(r)).toBe(b.body);
    });
  });

  test('FourLetterWordMain prints each line, then println (FourLetterWordMain-srvr.standalone.txt)', () => {
    const srvr = 'Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\n' +
      'Latency min/avg/max: 1/10.6154/26\nReceived: 30\nSent: 31\nConnections: 2\nOutstanding: 0\nZxid: 0x5\nMode: standalone\nNode count: 8\n';
    const expected = readFileSync(resolve(ensembleDir, '4lw/FourLetterWordMain-srvr.standalone.txt'), 'utf8');
    expect('$ java org.apache.zookeeper.client.FourLetterWordMain 127.0.0.1 2191 srvr\n' + fourLetterWordMainOutput(srvr) + '[exit code 0]\n')
      .toBe(expected);
  });
});

describe('how the script finds the port', () => {
  const run = (zooCfgText: string, myid: string | null = null): string =>
    transcript(zkServerStatus({ configPath: '/c/zoo.cfg', zooCfg: zooCfgText, myid, srvr: (h, p) => `Mode: follower (${h}:${p})\n` }));

  test('no clientPortAddress: localhost', () => {
    expect(run('clientPort=2181\n')).toContain('Client port found: 2181. Client address: localhost. Client SSL: false.\nMode: follower (localhost:2181)\n');
  });
  test('clientPort with spaces is not a number to grep: the myid path finds server.N;client_config', () => {
    expect(run('clientPort = 2181\nserver.2=h:1:2;127.0.0.2:2182\n', '2\n')).toContain('Client port found: 2182. Client address: 127.0.0.2.');
  });
  test('no myid', () => {
    expect(run('dataDir=/d\n')).toBe(
      'ZooKeeper JMX enabled by default\nUsing config: /c/zoo.cfg\n' +
        'myid could not be determined, will not able to locate clientPort in the server configs.\n' +
        'Client port not found. Looking for secureClientPort in the static config.\n' +
        'Unable to find either secure or unsecure client port in any configs. Terminating.\n[exit code 1]\n');
  });
  test('zkServerStatusLines: the usual shape', () => {
    const r = zkServerStatusLines(null, { configPath: '/c/zoo.cfg', clientPort: 2181, clientAddress: '127.0.0.1' });
    expect(r.lines.map((l) => l.text)).toEqual([
      'ZooKeeper JMX enabled by default', 'Using config: /c/zoo.cfg',
      'Client port found: 2181. Client address: 127.0.0.1. Client SSL: false.',
      'Error contacting service. It is probably not running.',
    ]);
    expect(r.lines.map((l) => l.stream)).toEqual(['stderr', 'stderr', 'stdout', 'stdout']);
    expect(zkServerStatusLines('leader', { configPath: '/c', clientPort: 1 }).lines.at(-1)?.text).toBe('Mode: leader');
  });
});
