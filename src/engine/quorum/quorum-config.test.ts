import { describe, expect, it } from 'vitest';
import { Code } from '../protocol/errors.ts';
import { OutstandingChanges } from '../server/outstanding-changes.ts';
import { prepWrite, type PrepContext } from '../server/prep-request.ts';
import { DataTree } from '../datatree/data-tree.ts';
import { utf8Decode, utf8Encode } from '../util/bytes.ts';
import {
  containsQuorum, designatedLeader, nextQuorumConfig, quorumConfigFromText, quorumConfigText, ReconfigError, withVersion,
  type QuorumConfig, type ReconfigRequest,
} from './quorum-config.ts';

const three = 'server.1=127.0.0.1:2881:3881:participant\nserver.2=127.0.0.1:2882:3882:participant\nserver.3=127.0.0.1:2883:3883:participant\nversion=100000000';
const committed = quorumConfigFromText(three);
const allSynced = { committed, lastSeen: committed, standaloneEnabled: true, isQuorumSynced: () => true };
const req = (r: Partial<ReconfigRequest>): ReconfigRequest => ({ joiningServers: null, leavingServers: null, newMembers: null, curConfigId: -1n, ...r });

function failure(f: () => unknown): { code: Code; reason: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof ReconfigError) return { code: e.code, reason: e.reason };
    throw e;
  }
  throw new Error('no ReconfigError');
}

describe('nextQuorumConfig (PrepRequestProcessor, OpCode.reconfig)', () => {
  it('adds a joiner and removes a server against the last seen config; version = zxid', () => {
    const next = nextQuorumConfig(allSynced, req({ joiningServers: 'server.4=127.0.0.1:2884:3884:participant;127.0.0.1:2184', leavingServers: '2' }), 0x100000005n);
    expect(next.voters).toEqual([1, 3, 4]);
    expect(quorumConfigText(next)).toBe(
      'server.1=127.0.0.1:2881:3881:participant\nserver.3=127.0.0.1:2883:3883:participant\nserver.4=127.0.0.1:2884:3884:participant;127.0.0.1:2184\nversion=100000005',
    );
  });

  it('non-incremental -members: commas are newlines, a client port is optional, observers allowed', () => {
    const next = nextQuorumConfig(allSynced, req({ newMembers: 'server.1=127.0.0.1:2881:3881;2181,server.2=127.0.0.1:2882:3882,server.5=127.0.0.1:2885:3885:observer;2185' }), 7n);
    expect(next.voters).toEqual([1, 2]);
    expect(next.observers).toEqual([5]);
    expect(quorumConfigText(next)).toContain('server.1=127.0.0.1:2881:3881:participant;0.0.0.0:2181\n');
  });

  it('refuses in ZooKeeper order: in progress, version, arguments, voters, synced quorum', () => {
    const pending = { ...allSynced, lastSeen: withVersion(committed, 0x100000003n) };
    expect(failure(() => nextQuorumConfig(pending, req({ leavingServers: '3' }), 9n)).code).toBe(Code.RECONFIGINPROGRESS);
    expect(failure(() => nextQuorumConfig(allSynced, req({ leavingServers: '3', curConfigId: 1n }), 9n))).toEqual({
      code: Code.BADVERSION, reason: 'Reconfiguration from version 1 failed -- last seen version is 4294967296',
    });
    expect(nextQuorumConfig(allSynced, req({ leavingServers: '3', curConfigId: 0x100000000n }), 9n).voters).toEqual([1, 2]);
    expect(failure(() => nextQuorumConfig(allSynced, req({ joiningServers: 'foo' }), 9n)).reason).toBe('Wrong format of server string');
    expect(failure(() => nextQuorumConfig(allSynced, req({ joiningServers: 'server.5=127.0.0.1:2885:3885' }), 9n)).reason)
      .toBe('Wrong format of server string - each server should have 3 ports specified');
    expect(failure(() => nextQuorumConfig(allSynced, req({ joiningServers: 'server.5=127.0.0.1:2881:3885;2185' }), 9n))).toEqual({
      code: Code.BADARGUMENTS, reason: 'Reconfiguration failed',
    });
    expect(failure(() => nextQuorumConfig(allSynced, req({ leavingServers: 'x' }), 9n)).code).toBe(Code.MARSHALLINGERROR);
    expect(failure(() => nextQuorumConfig(allSynced, req({ newMembers: 'server.1=127.0.0.1:2881:3881,foo=bar' }), 9n)).code).toBe(Code.BADARGUMENTS);
    expect(failure(() => nextQuorumConfig(allSynced, req({ leavingServers: '1,2' }), 9n)).reason)
      .toBe('Reconfig failed - new configuration must include at least 2 followers');
    const noneSynced = { ...allSynced, isQuorumSynced: () => false };
    expect(failure(() => nextQuorumConfig(noneSynced, req({ leavingServers: '3' }), 9n)).code).toBe(Code.NEWCONFIGNOQUORUM);
  });

  it('removing an unknown sid still makes a new config (ZooKeeper commits it)', () => {
    const next = nextQuorumConfig(allSynced, req({ leavingServers: '9' }), 0x100000009n);
    expect(next.voters).toEqual([1, 2, 3]);
    expect(next.version).toBe(0x100000009n);
  });
});

describe('quorums of a config', () => {
  it('counts only the voters of that config', () => {
    const next: QuorumConfig = nextQuorumConfig(allSynced, req({ leavingServers: '3', joiningServers: 'server.4=127.0.0.1:2884:3884;2184' }), 5n);
    expect(containsQuorum(committed, [3, 4])).toBe(false);
    expect(containsQuorum(next, [3, 4])).toBe(false);
    expect(containsQuorum(next, [1, 4])).toBe(true);
    expect(containsQuorum(committed, [1, 4])).toBe(false);
  });

  it('designates the leader itself while it votes, else the lowest acked voter of the new config', () => {
    const without3 = nextQuorumConfig(allSynced, req({ leavingServers: '3' }), 5n);
    expect(designatedLeader(committed, 3, [1, 2, 3])).toBe(3);
    expect(designatedLeader(without3, 3, [3, 2, 1])).toBe(1);
    expect(designatedLeader(without3, 3, [3, 2])).toBe(2);
  });
});

describe('prepWrite of a reconfig', () => {
  const op = { type: 'reconfig', joiningServers: null, leavingServers: '3', newMembers: null, curConfigId: -1n } as const;
  function ctx(enabled: boolean, leader: boolean, skipACL = false): PrepContext {
    return {
      tree: new DataTree(false), changes: new OutstandingChanges(), checkSession: () => Code.OK,
      config: { extendedTypesEnabled: false, enforceQuota: false, skipACL },
      reconfig: { enabled, leader: leader ? (_op, zxid) => utf8Encode(quorumConfigText(nextQuorumConfig(allSynced, _op, zxid))!) : null },
    };
  }
  const world = { sessionId: 1n, zxid: 0x100000002n, time: 0, op };

  it('is ReconfigDisabled unless reconfigEnabled, Unimplemented on a standalone server', () => {
    expect(prepWrite(ctx(false, true), { ...world, authInfo: [] }).err).toBe(Code.RECONFIGDISABLED);
    expect(prepWrite(ctx(true, false), { ...world, authInfo: [] }).err).toBe(Code.UNIMPLEMENTED);
  });

  it('needs WRITE on /zookeeper/config (world:anyone:r): a super user or skipACL', () => {
    expect(prepWrite(ctx(true, true), { ...world, authInfo: [] }).err).toBe(Code.NOAUTH);
    const superUser = [{ scheme: 'super', id: '' }];
    const ok = prepWrite(ctx(true, true), { ...world, authInfo: superUser });
    expect(ok.err).toBe(Code.OK);
    expect(ok.txn.type).toBe('reconfig');
    expect(ok.txn.type === 'reconfig' && utf8Decode(ok.txn.data!)).toContain('version=100000002');
    expect(prepWrite(ctx(true, true, true), { ...world, authInfo: [] }).err).toBe(Code.OK);
  });
});
