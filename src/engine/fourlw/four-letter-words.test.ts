/**
 * Every four-letter word against the golden replies of real ZooKeeper 3.8.0
 * (../shared/golden/ensemble/4lw/WORD.ROLE.txt): a snapshot that mirrors each captured server
 * (a standalone server, and the leader and a follower of a 3-server ensemble, each with one
 * client session holding an ephemeral /app/lock-0000000001 and data watches on /app/config and
 * /app/missing) is formatted and compared byte for byte, after masking only what the golden
 * README says varies between captures: client ports, packet counts, uptimes, dates and
 * connection timestamps — and mntr's percentiles, whose reservoir samples are not in the file.
 *
 * mntr's metric values are read back from the golden file (count, sum, min, max per summary),
 * so the test checks the order of all ~500 lines, the averages computed from them and the
 * number formats.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDynamicConfig } from '../config/dynamic-config.ts';
import { knownFourLetterWords } from '../config/four-letter-whitelist.ts';
import { executeFourLetterWord, zkNotServing, type FourLetterWordContext } from './four-letter-words.ts';
import { serverMetrics } from './mntr-registry.ts';
import type {
  ConnectionStatus,
  MetricValues,
  ServerState,
  ServerStatusSnapshot,
  SummaryStats,
} from './status-snapshot.ts';

const goldenDir = process.env.ZKG_GOLDEN_DIR ?? resolve(import.meta.dirname, '../../../test/fixtures/golden');
const fourDir = resolve(goldenDir, 'ensemble/4lw');
const golden = (name: string): string => readFileSync(resolve(fourDir, name), 'utf8');

const version = '3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC';
const all: FourLetterWordContext = { whitelist: knownFourLetterWords };

/** Masks what the golden README says varies between captures. */
function mask(text: string): string {
  return text
    .replace(/\/127\.0\.0\.1:\d+/g, '/127.0.0.1:PORT')
    .replace(/^(Received|Sent): \d+$/gm, '$1: N')
    .replace(/^zk_(packets_sent|packets_received|uptime|leader_uptime)\t\d+$/gm, 'zk_$1\tN')
    .replace(/\b(est|lresp)=\d+/g, '$1=T')
    .replace(/^(zk_p(?:50|95|99|999)_\S+)\t\d+$/gm, '$1\tP')
    .replace(/[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}/g, 'DATE');
}

function fourLetterConnection(port: number): ConnectionStatus {
  return {
    remoteAddress: `/127.0.0.1:${port}`, interestOps: 0, outstandingRequests: 0, packetsReceived: 1, packetsSent: 0,
    sessionId: 0n, lastOperation: 'NA', establishedEpochMs: 0, sessionTimeoutMs: 0, lastCxid: -1, lastZxid: -1n,
    lastResponseTime: 0, lastLatency: 0, latency: { count: 0, total: 0, min: 0, max: 0 },
  };
}

function sessionConnection(port: number, sessionId: bigint, lzxid: bigint, latencyTotal: number, maxlat: number): ConnectionStatus {
  return {
    remoteAddress: `/127.0.0.1:${port}`, interestOps: 1, outstandingRequests: 0, packetsReceived: 12, packetsSent: 12,
    sessionId, lastOperation: 'PING', establishedEpochMs: 1795354309306, sessionTimeoutMs: 10000, lastCxid: 10,
    lastZxid: lzxid, lastResponseTime: 2111363, lastLatency: 1,
    latency: { count: 12, total: latencyTotal, min: 0, max: maxlat },
  };
}

const at = (hms: string): number => Date.parse(`2026-11-22T${hms}Z`);

/** The figures of golden mntr read back as metric values (cnt/sum/min/max per summary). */
function metricsFrom(mntrText: string): MetricValues {
  const v = new Map(mntrText.trim().split('\n').map((l) => l.split('\t') as [string, string]));
  const num = (k: string): number => Number(v.get(`zk_${k}`) ?? 0);
  const summary = (n: string): SummaryStats => ({ count: num(`cnt_${n}`), total: num(`sum_${n}`), min: num(`min_${n}`), max: num(`max_${n}`) });
  const plain = new Set(serverMetrics.map(([, name]) => name));
  const keysOf = (n: string): string[] =>
    [...v.keys()]
      .filter((k) => k.startsWith('zk_cnt_') && k.endsWith(`_${n}`) && !plain.has(k.slice(7)))
      .map((k) => k.slice(7, -n.length - 1));
  const counters: Record<string, number> = {};
  const summaries: Record<string, SummaryStats> = {};
  const summarySets: Record<string, Array<[string, SummaryStats]>> = {};
  for (const [kind, name] of serverMetrics) {
    if (kind === 'counter') counters[name] = num(name);
    else if (kind === 'summary' || kind === 'summaryAdvanced') summaries[name] = summary(name);
    else if (kind === 'summarySet' || kind === 'summarySetAdvanced') summarySets[name] = keysOf(name).map((k) => [k, summary(`${k}_${name}`)]);
  }
  return { counters, summaries, summarySets };
}

const environment = (role: string): Array<[string, string]> =>
  golden(`envi.${role}.txt`).trim().split('\n').slice(2).map((l) => {
    const i = l.indexOf('=');
    return [l.slice(0, i), l.slice(i + 1)];
  });

const membership = (() => {
  const r = parseDynamicConfig('server.1=127.0.0.1:2881:3881\nserver.2=127.0.0.1:2882:3882\nserver.3=127.0.0.1:2883:3883\nversion=0');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
})();

interface Role {
  readonly snapshot: ServerStatusSnapshot;
  /** figures that moved between the captures of the files (packets, latency), by word */
  readonly perFile: Readonly<Record<string, Partial<ServerStatusSnapshot>>>;
}

function base(state: ServerState, role: string, sid: number, port: number, dataDir: string, dirSize: number): ServerStatusSnapshot {
  return {
    serving: true, state, version, latency: { count: 0, total: 0, min: 0, max: 0 }, packetsReceived: 0, packetsSent: 0,
    outstandingRequests: 0, lastProcessedZxid: 0n, nodeCount: 8, connections: [],
    conf: {
      clientPort: port, secureClientPort: -1, dataDir: `${dataDir}/version-2`, dataLogDir: `${dataDir}/version-2`,
      tickTime: 2000, maxClientCnxns: 60, minSessionTimeout: 4000, maxSessionTimeout: 40000, clientPortListenBacklog: -1,
      serverId: sid,
    },
    dataDirSize: dirSize, logDirSize: dirSize,
    sessionTracker: { kind: 'expiry', buckets: [] }, connectionExpiry: [], ephemerals: [], dataWatches: [], childWatches: [],
    environment: environment(role), uptimeMs: 0, approximateDataSize: 0, clientResponseSizes: { last: -1, min: -1, max: -1 },
    authFailedCount: 0, openFileDescriptorCount: 0, maxFileDescriptorCount: 20000, metrics: metricsFrom(golden(`mntr.${role}.txt`)),
    traceMask: 306n,
  };
}

const appWatches = (sessionId: bigint) => ({
  dataWatches: [
    { path: '/app/config', connection: 0, sessionId },
    { path: '/app/missing', connection: 0, sessionId },
  ],
  childWatches: [{ path: '/app', connection: 0, sessionId }],
  ephemerals: [{ sessionId, paths: ['/app/lock-0000000001'] }],
});

const quorumOf = (sid: number, state: 'leading' | 'following') => ({
  initLimit: 10, syncLimit: 5, electionAlg: 3, electionPort: 3880 + sid, quorumPort: 2880 + sid,
  learnerType: 'participant' as const, membership, peerState: { state, zabState: 'broadcast' as const, syncMode: 'none' as const },
});

const standalone: Role = (() => {
  const sid = 0x100002016c80000n;
  const session = { ...sessionConnection(53264, sid, 5n, 134, 26), establishedEpochMs: 1795354309524, lastResponseTime: 2111618 };
  const s: ServerStatusSnapshot = {
    ...base('standalone', 'standalone', 0, 2191, '/tmp/zk-golden/standalone/data', 67109337),
    latency: { count: 12, total: 134, min: 1, max: 26 }, lastProcessedZxid: 5n,
    connections: [session, fourLetterConnection(60124)],
    sessionTracker: { kind: 'expiry', buckets: [{ expireAtEpochMs: at('13:32:01'), members: [] }, { expireAtEpochMs: at('13:32:03'), members: [sid] }] },
    connectionExpiry: [{ expireAtEpochMs: at('13:32:01'), members: [] }, { expireAtEpochMs: at('13:32:11'), members: [0, 1] }],
    ...appWatches(sid),
    uptimeMs: 11770, approximateDataSize: 81, clientResponseSizes: { last: 16, min: 16, max: 90 }, openFileDescriptorCount: 43,
  };
  return { snapshot: s, perFile: packets({ srvr: [18, 17], stat: [17, 16], mntr: [23, 22] }) };
})();

const leader: Role = (() => {
  const sid = 0x100002023660000n;
  const s: ServerStatusSnapshot = {
    ...base('leader', 'leader', 3, 2183, '/tmp/zk-golden/e3/data', 67109471),
    lastProcessedZxid: 0x100000005n, connections: [fourLetterConnection(41286)],
    quorum: quorumOf(3, 'leading'),
    leader: { proposalSizes: { last: 104, min: 48, max: 104 }, learners: 2, syncedFollowers: 2, syncedNonVotingFollowers: 0, syncedObservers: 0, pendingSyncs: 0, uptimeMs: 8198 },
    sessionTracker: { kind: 'expiry', buckets: [{ expireAtEpochMs: at('13:32:01'), members: [] }, { expireAtEpochMs: at('13:32:03'), members: [sid] }] },
    connectionExpiry: [{ expireAtEpochMs: at('13:32:01'), members: [] }, { expireAtEpochMs: at('13:32:11'), members: [0] }],
    ephemerals: [{ sessionId: sid, paths: ['/app/lock-0000000001'] }],
    uptimeMs: 8454, approximateDataSize: 213, openFileDescriptorCount: 48,
  };
  return { snapshot: s, perFile: packets({ srvr: [6, 5], stat: [5, 4], mntr: [11, 10] }) };
})();

const follower: Role = (() => {
  const sid = 0x100002023660000n;
  const s: ServerStatusSnapshot = {
    ...base('follower', 'follower', 1, 2181, '/tmp/zk-golden/e1/data', 67109471),
    latency: { count: 12, total: 145, min: 0, max: 43 }, lastProcessedZxid: 0x100000005n,
    connections: [fourLetterConnection(46440), sessionConnection(60860, sid, 0x100000005n, 145, 43)],
    quorum: quorumOf(1, 'following'),
    sessionTracker: { kind: 'learner', sessions: [{ sessionId: sid, timeoutMs: 10000 }] },
    connectionExpiry: [{ expireAtEpochMs: at('13:32:01'), members: [] }, { expireAtEpochMs: at('13:32:11'), members: [0, 1] }],
    ...appWatches(sid),
    dataWatches: appWatches(sid).dataWatches.map((w) => ({ ...w, connection: 1 })),
    uptimeMs: 8534, approximateDataSize: 213, clientResponseSizes: { last: 16, min: 16, max: 90 }, openFileDescriptorCount: 47,
  };
  const perFile = packets({ srvr: [18, 17], stat: [17, 16], mntr: [24, 23] });
  // one more request was answered before mntr was captured
  return { snapshot: s, perFile: { ...perFile, mntr: { ...perFile.mntr, latency: { count: 13, total: 147, min: 0, max: 43 } } } };
})();

function packets(byWord: Record<string, readonly [number, number]>): Record<string, Partial<ServerStatusSnapshot>> {
  return Object.fromEntries(
    Object.entries(byWord).map(([w, [packetsReceived, packetsSent]]) => [w, { packetsReceived, packetsSent }]),
  );
}

const roles: Record<string, Role> = { standalone, leader, follower };
const words = ['ruok', 'stat', 'srvr', 'conf', 'cons', 'dump', 'envi', 'mntr', 'wchs', 'wchc', 'wchp', 'isro', 'dirs'];

function reply(word: string, s: ServerStatusSnapshot, ctx: FourLetterWordContext = all): string {
  const r = executeFourLetterWord(word, s, ctx);
  return r.kind === 'reply' ? r.text : '';
}

describe('four-letter words match the golden replies', () => {
  for (const [role, { snapshot, perFile }] of Object.entries(roles)) {
    for (const word of words) {
      test(`${word}.${role}`, () => {
        const text = reply(word, { ...snapshot, ...perFile[word] });
        expect(mask(text)).toBe(mask(golden(`${word}.${role}.txt`)));
      });
    }
  }

  test('an unknown word gets no reply (golden unknown-word is empty)', () => {
    expect(executeFourLetterWord('xyzw', standalone.snapshot, all)).toEqual({ kind: 'not-a-command' });
    expect(executeFourLetterWord('RUOK', standalone.snapshot, all)).toEqual({ kind: 'not-a-command' });
    expect(golden('unknown-word.standalone.txt')).toBe('');
  });
});

describe('server states and the whitelist', () => {
  const notServing: ServerStatusSnapshot = { ...follower.snapshot, serving: false };

  test('without quorum (golden quorum-loss.txt): ruok imok, isro null, the rest not serving', () => {
    expect(reply('ruok', notServing)).toBe('imok');
    expect(reply('isro', notServing)).toBe('null');
    for (const w of ['srvr', 'stat', 'mntr', 'conf', 'cons', 'dump', 'wchs', 'wchc', 'wchp', 'dirs', 'srst', 'crst']) {
      expect(reply(w, notServing)).toBe(`${zkNotServing}\n`);
    }
    expect(reply('hash', notServing)).toBe(zkNotServing);
    expect(reply('envi', notServing)).toBe(golden('envi.follower.txt'));
  });

  test('quorum-loss.txt transcript of the survivor', () => {
    const transcript = existsSync(resolve(goldenDir, 'ensemble/quorum-loss.txt'))
      ? readFileSync(resolve(goldenDir, 'ensemble/quorum-loss.txt'), 'utf8')
      : '';
    for (const m of transcript.matchAll(/\$ echo (\w{4}) \| nc 127\.0\.0\.1 2181\n([\s\S]*?)\n\[end\]/g)) {
      expect(reply(m[1], notServing)).toBe(m[2]);
    }
  });

  test('the default whitelist answers srvr only', () => {
    const ctx = { whitelist: ['srvr'] };
    expect(reply('ruok', standalone.snapshot, ctx)).toBe('ruok is not executed because it is not in the whitelist.\n');
    expect(reply('srvr', standalone.snapshot, ctx)).toMatch(/^Zookeeper version: /);
    expect(reply('\xff\xf4\xff\xfd', standalone.snapshot, ctx)).toBe('telnet close is not executed because it is not in the whitelist.\n');
    expect(executeFourLetterWord('\xff\xf4\xff\xfd', standalone.snapshot, all)).toEqual({ kind: 'not-a-command' });
  });

  test('read-only, trace masks and resets', () => {
    const ro: ServerStatusSnapshot = { ...follower.snapshot, state: 'read-only' };
    expect(reply('isro', ro)).toBe('ro');
    expect(reply('srvr', ro).split('\n').slice(0, 2)).toEqual([`Zookeeper version: ${version}`, 'READ-ONLY mode; serving only read-only clients']);
    expect(reply('conf', ro)).toMatch(/peerType=0\n$/);
    expect(reply('gtmk', standalone.snapshot)).toBe('306');
    expect(executeFourLetterWord('stmk', standalone.snapshot, { ...all, traceMask: -1n })).toEqual({
      kind: 'reply', text: '-1', effect: { type: 'setTraceMask', mask: -1n },
    });
    expect(executeFourLetterWord('srst', standalone.snapshot, all)).toEqual({
      kind: 'reply', text: 'Server stats reset.\n', effect: { type: 'resetServerStats' },
    });
    expect(reply('hash', { ...standalone.snapshot, digestLog: [{ zxid: 0x100000001n, digest: 1234n }] })).toBe('100000001: 1234\n');
  });

  test('dump with local sessions and a learner session tracker sorted as signed longs', () => {
    const s: ServerStatusSnapshot = {
      ...follower.snapshot,
      sessionTracker: {
        kind: 'learner',
        sessions: [{ sessionId: 0x100000000000001n, timeoutMs: 4000 }, { sessionId: 0xff00000000000001n, timeoutMs: 6000 }],
        local: [{ expireAtEpochMs: 0, members: [0x100000000000002n] }],
      },
    };
    expect(reply('dump', s).split('ephemeral')[0]).toBe(
      'SessionTracker dump:\nLocal Session Sets (1)/(1):\n1 expire at Thu Jan 01 00:00:00 UTC 1970:\n\t0x100000000000002\n' +
        'Global Sessions(2):\n0xff00000000000001\t6000ms\n0x100000000000001\t4000ms\n');
  });
});
