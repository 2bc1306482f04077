import { describe, expect, it } from 'vitest';
import type { CallResult, ClientCall } from '../client/api.ts';
import { Code } from '../engine/protocol/errors.ts';
import { CreateMode, Perms } from '../engine/protocol/records.ts';
import { utf8Decode, utf8Encode } from '../engine/util/bytes.ts';
import { FakeHost, fail, illegal, ok, stat, statText } from './fake-host.test-helper.ts';

/** Answers `type path` keys from a table (one entry may list answers used in turn). */
function scripted(table: Record<string, CallResult | CallResult[]>): (call: ClientCall) => CallResult {
  const used = new Map<string, number>();
  return (call) => {
    const path = 'path' in call ? ` ${call.path}` : 'prefixPath' in call ? ` ${call.prefixPath}` : '';
    const key = `${call.type}${path}`;
    const entry = table[key] ?? table[call.type];
    if (entry === undefined) throw new Error(`unscripted call: ${key}`);
    if (!Array.isArray(entry)) return entry;
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    return entry[Math.min(n, entry.length - 1)];
  };
}

const data = (text: string | null) => (text === null ? null : utf8Encode(text));
const got = (text: string | null) => ok({ type: 'getData', data: data(text), stat: stat() });
const children = (...names: string[]) => ok({ type: 'getChildren', children: names, stat: stat() });
const noNode = (path: string) => fail(Code.NONODE, path);

function session(table: Record<string, CallResult | CallResult[]>): FakeHost {
  return new FakeHost(undefined, scripted(table)).start().reset();
}

/** What a line prints (stdout and stderr interleaved, without the echo and the next prompt). */
function run(h: FakeHost, line: string): string {
  h.reset();
  h.type(line);
  return h.text.slice(line.length + 1, h.text.lastIndexOf('[zk: '));
}

describe('create', () => {
  it('reports the created path on stderr and maps the flags to a mode', () => {
    const h = session({ create: ok({ type: 'create', path: '/s-0000000005', stat: stat() }) });
    expect(run(h, 'create -s /s- hello')).toBe('Created /s-0000000005\n');
    expect(h.err).toBe('Created /s-0000000005\n');
    expect(h.calls[0]).toMatchObject({ type: 'create', path: '/s-', mode: CreateMode.PERSISTENT_SEQUENTIAL, ttl: -1 });
    expect(utf8Decode(h.calls[0].type === 'create' ? h.calls[0].data! : new Uint8Array())).toBe('hello');
    const modes: [string, number][] = [
      ['create /p', CreateMode.PERSISTENT], ['create -e /p', CreateMode.EPHEMERAL], ['create -e -s /p', CreateMode.EPHEMERAL_SEQUENTIAL],
      ['create -c /p', CreateMode.CONTAINER], ['create -t 10 /p', CreateMode.PERSISTENT_WITH_TTL],
      ['create -t 10 -s /p', CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL],
    ];
    for (const [line, mode] of modes) {
      run(h, line);
      expect(h.calls[0]).toMatchObject({ mode, data: null, ttl: line.includes('-t') ? 10 : -1 });
    }
  });

  it('checks the flags in Java\'s order', () => {
    const h = session({});
    expect(run(h, 'create -e -c /both')).toBe('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.\n');
    expect(run(h, 'create -t 3000 -e /t')).toBe('TTLs cannot be used with Ephemeral znodes\n');
    expect(run(h, 'create -t 3000 -c /t')).toBe('TTLs cannot be used with Container znodes\n');
    expect(run(h, 'create -t 0 /t')).toBe('ttl must be positive and cannot be larger than: 1099511627775\n');
    expect(run(h, 'create -t 1099511627776 /t')).toBe('ttl must be positive and cannot be larger than: 1099511627775\n');
    expect(run(h, 'create -t abc /t')).toBe('-t argument must be a long value\n');
    expect(run(h, 'create -t 3000')).toBe('create [-s] [-e] [-c] [-t ttl] path [data] [acl]\n');
    expect(run(h, 'create -x /bad')).toBe('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x\n');
    expect(h.calls).toEqual([]);
  });

  it('prints AclParser warnings, then the InvalidACL message twice over', () => {
    const h = session({ create: fail(Code.INVALIDACL, null) });
    expect(run(h, 'create /plain2 data extra')).toBe(
      'extra does not have the form scheme:id:perm\nKeeperErrorCode = InvalidACL\nAcl is not valid : null\n');
    h.respond = scripted({ create: fail(Code.INVALIDACL, '/b') });
    expect(run(h, 'create /b data digest:alice:cdrwa')).toBe('KeeperErrorCode = InvalidACL for /b\nAcl is not valid : /b\n');
    h.respond = scripted({ create: ok({ type: 'create', path: '/e', stat: stat() }) });
    expect(run(h, 'create /e data world:anyone:rX')).toBe('Unknown perm type: X\nCreated /e\n');
    expect(h.calls[0]).toMatchObject({ acl: [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }] });
  });

  it('translates errors as CliWrapperException does', () => {
    const h = session({});
    const cases: [CallResult, string][] = [
      [fail(Code.NODEEXISTS, '/x'), 'Node already exists: /x'],
      [fail(Code.NONODE, '/m/c'), 'Node does not exist: /m/c'],
      [fail(Code.NOCHILDRENFOREPHEMERALS, '/e/c'), 'Ephemerals cannot have children: /e/c'],
      [fail(Code.NOAUTH, '/r/c'), 'Insufficient permission : /r/c'],
      [fail(Code.UNIMPLEMENTED, '/ttl'), 'KeeperErrorCode = Unimplemented for /ttl'],
      [fail(Code.CONNECTIONLOSS, '/x'), 'KeeperErrorCode = ConnectionLoss for /x'],
      [fail(Code.QUOTAEXCEEDED, '/h/b'), 'Quota has exceeded : /h/b'],
      [illegal('Path must start with / character'), 'Path must start with / character'],
    ];
    for (const [result, text] of cases) {
      h.respond = () => result;
      expect(run(h, 'create /x')).toBe(`${text}\n`);
    }
    h.respond = () => fail(Code.EPHEMERALONLOCALSESSION, '/e');
    expect(run(h, 'create -e /e')).toBe('Unable to create ephemeral node on a local session\nKeeperErrorCode = Ephemeral node on local session for /e\n');
  });
});

describe('get, set, stat', () => {
  it('prints data, null and the stat block', () => {
    const h = session({ 'getData /x': got('hello'), 'getData /empty': got(null), 'getData /s': got('') });
    expect(run(h, 'get /x')).toBe('hello\n');
    expect(run(h, 'get -s /x')).toBe(`hello\n${statText}`);
    expect(run(h, 'get /empty')).toBe('null\n');
    expect(run(h, 'get /s')).toBe('\n');
    expect(run(h, 'get -w /x')).toBe('hello\n');
    expect(h.calls).toEqual([{ type: 'getData', path: '/x', watch: true }]);
  });

  it('keeps the 3.4 form `get path watch`, rewriting the third word of the line', () => {
    const h = session({ 'getData /x': got('v2'), 'getData watch': illegal('Path must start with / character') });
    const warning = "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.\n";
    expect(run(h, 'get /x 1')).toBe(`${warning}v2\n`);
    expect(h.calls).toEqual([{ type: 'getData', path: '/x', watch: true }]);
    expect(run(h, 'get -s /x watch')).toBe(`${warning}Path must start with / character\n`);
    expect(run(h, 'get')).toBe('get [-s] [-w] path\n');
  });

  it('sets with a version, ignores extra words, dies on a bad version', () => {
    const h = session({ setData: ok({ type: 'setData', stat: stat() }) });
    expect(run(h, 'set -s -v 4 /x v7')).toBe(statText);
    expect(h.calls[0]).toMatchObject({ type: 'setData', path: '/x', version: 4 });
    expect(run(h, 'set /x a b')).toBe('');
    expect(h.calls[0]).toMatchObject({ version: -1, data: utf8Encode('a') });
    expect(run(h, 'set /x v1 0')).toBe('');
    expect(h.calls[0]).toMatchObject({ version: -1 });
    expect(run(h, 'set /x')).toBe('set [-s] [-v version] path data\n');
    h.respond = () => fail(Code.BADVERSION, '/x');
    expect(run(h, 'set -v 2 /x v4')).toBe('version No is not valid : /x\n');
    h.reset();
    expect(h.type('set -v abc /x v8')).toEqual({ kind: 'crash' });
    expect(h.err.split('\n').slice(0, 5)).toEqual([
      'Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"',
      '\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)',
      '\tat java.base/java.lang.Integer.parseInt(Integer.java:668)',
      '\tat java.base/java.lang.Integer.parseInt(Integer.java:786)',
      '\tat org.apache.zookeeper.cli.SetCommand.exec(SetCommand.java:69)',
    ]);
  });

  it('stats through exists, whose null is NoNode', () => {
    const h = session({ 'exists /x': ok({ type: 'exists', stat: stat() }), 'exists /none': noNode('/none') });
    expect(run(h, 'stat /x')).toBe(statText);
    expect(run(h, 'stat -w /none')).toBe('Node does not exist: /none\n');
    expect(h.calls).toEqual([{ type: 'exists', path: '/none', watch: true }]);
    expect(run(h, 'stat /x extra')).toBe(`'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.\n${statText}`);
  });
});

describe('ls', () => {
  it('sorts children (UTF-16 order) and adds the stat with -s', () => {
    const h = session({ 'getChildren /': children('zookeeper', 'ünï', 'a..b', '.hidden', 'B') });
    expect(run(h, 'ls /')).toBe('[.hidden, B, a..b, zookeeper, ünï]\n');
    expect(run(h, 'ls -s /')).toBe(`[.hidden, B, a..b, zookeeper, ünï]\n${statText}`);
    expect(run(h, 'ls')).toBe('ls [-s] [-w] [-R] path\n');
    expect(run(h, 'ls / /a')).toBe("'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.\n[.hidden, B, a..b, zookeeper, ünï]\n");
    expect(h.calls).toEqual([{ type: 'getChildren', path: '/', watch: true }]);
  });

  it('walks -R depth first, each level sorted, children before grandchildren', () => {
    const h = session({
      'getData /': got(''),
      'getChildren /': children('zookeeper', 'e', 'a'),
      'getChildren /a': children('d', 'b'),
      'getChildren /a/b': children('c'),
      'getChildren /e': noNode('/e'),
      getChildren: children(),
    });
    expect(run(h, 'ls -R /')).toBe('/\n/a\n/e\n/zookeeper\n/a/b\n/a/d\n/a/b/c\n');
    h.respond = scripted({ 'getData /n': noNode('/n') });
    expect(run(h, 'ls -R /n')).toBe('Node does not exist: /n\n');
    expect(run(h, 'ls -R abc')).toBe('Path must start with / character\n');
    expect(h.calls).toEqual([]);
  });

  it('prints HelpFormatter text for -?', () => {
    const h = session({});
    expect(run(h, 'ls -?')).toBe('usage: ls [options] path\n -?   help\n -R   recurse\n -s   stat\n -w   watch\nls [-s] [-w] [-R] path\n');
  });
});

describe('delete, deleteall', () => {
  it('deletes with -v, warns about and ignores the old version argument', () => {
    const h = session({ delete: ok({ type: 'delete' }) });
    expect(run(h, 'delete -v 2 /v')).toBe('');
    expect(h.calls).toEqual([{ type: 'delete', path: '/v', version: 2 }]);
    expect(run(h, 'delete /x 0')).toBe("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.\n");
    expect(h.calls).toEqual([{ type: 'delete', path: '/x', version: -1 }]);
    expect(run(h, 'delete -v /v')).toBe('delete [-v version] path\n');
    h.respond = () => fail(Code.BADARGUMENTS, '/zookeeper');
    expect(run(h, 'delete /zookeeper')).toBe('Arguments are not valid : /zookeeper\n');
  });

  it('lists breadth first and deletes leaves first in multi batches', () => {
    const h = session({
      'getChildren /a': children('b', 'd'), 'getChildren /a/b': children('c'), getChildren: children(),
      multi: ok({ type: 'multi', results: [] }),
    });
    expect(run(h, 'deleteall /a -b 2')).toBe('');
    const multis = h.calls.filter((c) => c.type === 'multi').map((c) => (c.type === 'multi' ? c.ops.map((o) => o.path) : []));
    expect(multis).toEqual([['/a/b/c', '/a/d'], ['/a/b', '/a']]);
    h.respond = scripted({ getChildren: children(), multi: fail(Code.BADARGUMENTS, null) });
    expect(run(h, 'deleteall /zookeeper')).toBe('Failed to delete some node(s) in the subtree!\n');
    expect(run(h, 'deleteall /x -b abc')).toBe('-b argument must be an int value\n');
    expect(run(h, 'deleteall /ok/')).toBe('Path must not end with / character\n');
  });
});

describe('ACLs and auth', () => {
  it('prints getAcl entries as the jute Id plus perms', () => {
    const h = session({
      getACL: ok({ type: 'getACL', acl: [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }, { perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.1' } }], stat: stat() }),
    });
    expect(run(h, 'getAcl -s /x')).toBe(`'world,'anyone\n: r\n'ip,'127.0.0.1\n: cdrwa\n${statText}`);
  });

  it('setAcl -R prints each failure without a newline', () => {
    const h = session({
      'getData /t': got(null), 'getChildren /t': children('a'), 'getChildren /t/a': fail(Code.NOAUTH, '/t/a'),
      'setACL /t': fail(Code.NOAUTH, '/t'), 'setACL /t/a': fail(Code.NOAUTH, '/t/a'),
    });
    expect(run(h, 'setAcl -R /t world:anyone:cdrwa')).toBe('KeeperErrorCode = NoAuth for /tKeeperErrorCode = NoAuth for /t/aInsufficient permission : /t/a\n');
  });

  it('setAcl with -v, -s, and a list AclParser emptied', () => {
    const h = session({ setACL: ok({ type: 'setACL', stat: stat() }) });
    expect(run(h, 'setAcl -s -v 1 /x world:anyone:cdrwa')).toBe(statText);
    expect(h.calls[0]).toMatchObject({ type: 'setACL', version: 1, acl: [{ perms: Perms.ALL }] });
    h.respond = () => fail(Code.INVALIDACL, null);
    expect(run(h, 'setAcl /x foo')).toBe('foo does not have the form scheme:id:perm\nAcl is not valid : null\n');
    expect(run(h, 'setAcl /x')).toBe('setAcl [-s] [-v version] [-R] path acl\n');
  });

  it('addauth sends and prints nothing; whoami lists the ids', () => {
    const h = session({ addAuthInfo: ok({ type: 'auth' }), whoAmI: ok({ type: 'whoAmI', clientInfo: [{ authScheme: 'digest', user: 'alice' }, { authScheme: 'ip', user: '127.0.0.1' }] }) });
    expect(run(h, 'addauth digest alice:secret')).toBe('');
    expect(h.calls[0]).toEqual({ type: 'addAuthInfo', scheme: 'digest', auth: utf8Encode('alice:secret') });
    expect(run(h, 'addauth digest')).toBe('');
    expect(h.calls[0]).toEqual({ type: 'addAuthInfo', scheme: 'digest', auth: null });
    expect(run(h, 'addauth')).toBe('addauth scheme auth\n');
    expect(run(h, 'whoami extra')).toBe('Auth scheme: User\ndigest: alice\nip: 127.0.0.1\n');
  });
});

describe('watches', () => {
  it('addWatch keeps the last -m mode for later calls', () => {
    const h = session({ addWatch: ok({ type: 'addWatch' }) });
    run(h, 'addWatch /w');
    expect(h.calls[0]).toEqual({ type: 'addWatch', path: '/w', mode: 1 });
    run(h, 'addWatch -m persistent /w');
    expect(h.calls[0]).toMatchObject({ mode: 0 });
    run(h, 'addWatch /x');
    expect(h.calls[0]).toMatchObject({ mode: 0 });
    const usage = 'addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE\n';
    expect(run(h, 'addWatch -m BOGUS /w')).toBe(usage);
    expect(run(h, 'addWatch /x /y')).toBe(usage);
  });

  it('removewatches picks the watcher type, -l for local', () => {
    const h = session({ removeWatches: fail(Code.NOWATCHER, '/x') });
    expect(run(h, 'removewatches /x')).toBe('KeeperErrorCode = No such watcher for /x\n');
    run(h, 'removewatches /x -c -d');
    expect(h.calls[0]).toEqual({ type: 'removeWatches', path: '/x', watcherType: 1, local: false });
    run(h, 'removewatches /x -l -a');
    expect(h.calls[0]).toEqual({ type: 'removeWatches', path: '/x', watcherType: 3, local: true });
    expect(run(h, 'removewatches /x -z')).toBe('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -z\n');
  });
});

describe('quota', () => {
  const limits = 'count=2,bytes=-1=;byteHardLimit=-1;countHardLimit=-1';

  it('setquota on a new node creates the quota nodes, as SetQuotaCommand does', () => {
    const created: string[] = [];
    const h = session({
      'exists /q': ok({ type: 'exists', stat: stat() }),
      'getData /zookeeper/quota/q': noNode('/zookeeper/quota/q'),
      'exists /zookeeper/quota': ok({ type: 'exists', stat: stat() }),
      'exists /zookeeper/quota/q': noNode('/zookeeper/quota/q'),
      'exists /zookeeper/quota/q/zookeeper_limits': noNode('/zookeeper/quota/q/zookeeper_limits'),
      'getData /zookeeper/quota/q/zookeeper_limits': got(limits),
      'getData /zookeeper/quota/q/zookeeper_stats': got('count=4,bytes=0'),
    });
    const respond = h.respond;
    h.respond = (call) => {
      if (call.type !== 'create') return respond(call);
      created.push(`${call.path} ${call.data === null ? 'null' : utf8Decode(call.data)}`);
      return ok({ type: 'create', path: call.path, stat: stat() });
    };
    expect(run(h, 'setquota -n 2 /q')).toBe('[Warning]: the count quota you create is less than the existing count:4\n');
    expect(created).toEqual([
      '/zookeeper/quota/q null',
      `/zookeeper/quota/q/zookeeper_limits ${limits}`,
      '/zookeeper/quota/q/zookeeper_stats count=0,bytes=0',
    ]);
  });

  it('setquota on an existing quota merges the new limit', () => {
    const h = session({
      'exists /q': ok({ type: 'exists', stat: stat() }),
      'getData /zookeeper/quota/q': got(null),
      'getChildren /zookeeper/quota/q': children('zookeeper_limits', 'zookeeper_stats'),
      getChildren: children(),
      exists: ok({ type: 'exists', stat: stat() }),
      'getData /zookeeper/quota/q/zookeeper_limits': got(limits),
      'getData /zookeeper/quota/q/zookeeper_stats': got('count=1,bytes=0'),
      setData: ok({ type: 'setData', stat: stat() }),
    });
    expect(run(h, 'setquota -b 10 /q')).toBe('');
    const set = h.calls.find((c) => c.type === 'setData');
    expect(set && set.type === 'setData' && utf8Decode(set.data!)).toBe('count=2,bytes=10=;byteHardLimit=-1;countHardLimit=-1');
  });

  it('refuses quotas under a node with one, and nested ones', () => {
    const h = session({
      'exists /p/c': ok({ type: 'exists', stat: stat() }),
      'getData /zookeeper/quota/p/c': noNode('/zookeeper/quota/p/c'),
      'getChildren /zookeeper/quota/p': children('zookeeper_limits', 'zookeeper_stats', 'c'),
    });
    expect(run(h, 'setquota -n 2 /p/c')).toBe('/p/c has a parent /p which has a quota\n');
    h.respond = scripted({
      'exists /r': ok({ type: 'exists', stat: stat() }),
      'getData /zookeeper/quota/r': got(null),
      'getChildren /zookeeper/quota/r': children('s'),
      'getChildren /zookeeper/quota/r/s': children('zookeeper_limits', 'zookeeper_stats'),
      getChildren: children(),
    });
    expect(run(h, 'setquota -n 5 /r')).toBe('/r has a child /r/s which has a quota\n');
  });

  it('checks the option values and groups', () => {
    const h = session({ 'exists /nope': noNode('/nope') });
    expect(run(h, 'setquota -n abc /q')).toBe('NumberFormatException happens when parsing the option value\n');
    expect(run(h, 'setquota -n 0 /q')).toBe('the num quota must be greater than zero\n');
    expect(run(h, 'setquota -b -1 /q')).toBe('the bytes quota must be greater than or equal to zero\n');
    expect(run(h, 'setquota -n 1 /zookeeper/quota/x')).toBe('cannot set a quota under the path: /zookeeper/quota\n');
    expect(run(h, 'setquota -n 2 /nope')).toBe('/nope does not exist.\n');
    expect(run(h, 'setquota -n 5 -b 100 /q')).toBe(
      "org.apache.commons.cli.AlreadySelectedException: The option 'b' was specified but an option from this group has already been selected: 'n'\n");
    expect(run(h, 'setquota -n 1')).toBe('setquota -n|-b|-N|-B val path\n');
    expect(run(h, 'delquota -n')).toBe('delquota [-n|-b|-N|-B] path\n');
  });

  it('listquota prints the absolute path on stderr and the 3.8.0 text', () => {
    const h = session({
      'getData /zookeeper/quota/q/zookeeper_limits': got(limits),
      'getData /zookeeper/quota/q/zookeeper_stats': got('count=4,bytes=0'),
      'getData /zookeeper/quota/n/zookeeper_limits': noNode('/zookeeper/quota/n/zookeeper_limits'),
    });
    expect(run(h, 'listquota /q')).toBe(
      `absolute path is /zookeeper/quota/q/zookeeper_limits\nOutput quota for /q ${limits}\nOutput stat for /q count=4,bytes=0\n`);
    expect(h.err).toBe('absolute path is /zookeeper/quota/q/zookeeper_limits\n');
    expect(run(h, 'listquota /n')).toBe('absolute path is /zookeeper/quota/n/zookeeper_limits\nquota for /n does not exist.\n');
  });

  it('listquota dies of a limits node without a value', () => {
    const h = session({ 'getData /zookeeper/quota/b/zookeeper_limits': got('count') });
    h.type('listquota /b');
    expect(h.err.split('\n').slice(1, 6)).toEqual([
      'Exception in thread "main" java.lang.ArrayIndexOutOfBoundsException: Index 1 out of bounds for length 1',
      '\tat org.apache.zookeeper.StatsTrack.<init>(StatsTrack.java:74)',
      '\tat org.apache.zookeeper.StatsTrack.<init>(StatsTrack.java:57)',
      '\tat org.apache.zookeeper.cli.ListQuotaCommand.listQuota(ListQuotaCommand.java:93)',
      '\tat org.apache.zookeeper.cli.ListQuotaCommand.exec(ListQuotaCommand.java:68)',
    ]);
  });

  it('delquota clears one limit, or removes the quota nodes and trims empty parents', () => {
    const h = session({
      'exists /zookeeper/quota/q/zookeeper_limits': ok({ type: 'exists', stat: stat() }),
      'getData /zookeeper/quota/q/zookeeper_limits': got(limits),
      setData: ok({ type: 'setData', stat: stat() }),
    });
    expect(run(h, 'delquota -n /q')).toBe('');
    const set = h.calls.find((c) => c.type === 'setData');
    expect(set && set.type === 'setData' && utf8Decode(set.data!)).toBe('count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=-1');
    h.respond = scripted({
      'exists /zookeeper/quota/a/b/zookeeper_limits': ok({ type: 'exists', stat: stat() }),
      'getData /zookeeper/quota/a/b/zookeeper_limits': got(limits),
      'getChildren /zookeeper/quota/a/b': [children('zookeeper_limits', 'zookeeper_stats'), children()],
      'getChildren /zookeeper/quota/a': children(),
      delete: ok({ type: 'delete' }),
    });
    expect(run(h, 'delquota /a/b')).toBe('');
    expect(h.calls.filter((c) => c.type === 'delete').map((c) => ('path' in c ? c.path : ''))).toEqual([
      '/zookeeper/quota/a/b/zookeeper_limits', '/zookeeper/quota/a/b/zookeeper_stats', '/zookeeper/quota/a/b', '/zookeeper/quota/a',
    ]);
    h.respond = scripted({ exists: noNode('/zookeeper/quota/q/zookeeper_limits') });
    expect(run(h, 'delquota /q')).toBe('Quota does not exist for /q\n');
    expect(h.out).toBe('Quota does not exist for /q\n');
  });
});

describe('server commands', () => {
  it('config prints the config, -c the client string', () => {
    const cfg = 'server.1=127.0.0.1:2881:3881:participant\nserver.2=127.0.0.1:2882:3882:participant;2182\n' +
      'server.3=127.0.0.1:2883:3883:participant;127.0.0.1:2183\nversion=100000000';
    const h = session({ getConfig: ok({ type: 'getData', data: utf8Encode(cfg), stat: stat() }) });
    expect(run(h, 'config')).toBe(`${cfg}\n`);
    // Properties iterates in ConcurrentHashMap bucket order (checked against Java's ConfigUtils).
    expect(run(h, 'config -c')).toBe('100000000 0.0.0.0:2182,,127.0.0.1:2183\n');
    expect(run(h, 'config -s')).toBe(`${cfg}\n${statText}`);
    h.respond = () => ok({ type: 'getData', data: new Uint8Array(), stat: stat() });
    expect(run(h, 'config')).toBe('\n');
    expect(run(h, 'config -c')).toBe(' \n');
  });

  it('reconfig validates its options before calling', () => {
    const h = session({ reconfig: fail(Code.RECONFIGDISABLED, null) });
    expect(run(h, 'reconfig -remove 3')).toBe('KeeperErrorCode = Reconfig is disabled\n');
    expect(h.calls).toEqual([{ type: 'reconfig', joiningServers: null, leavingServers: '3', newMembers: null, curConfigId: -1n }]);
    run(h, 'reconfig -v 1f -add Server.4=H:1:2;3');
    expect(h.calls[0]).toMatchObject({ joiningServers: 'server.4=h:1:2;3', curConfigId: 31n });
    expect(run(h, 'reconfig -v zz -add x')).toBe('-v must be followed by a long (configuration version)\n');
    expect(run(h, 'reconfig -members a -add b')).toBe(
      "Can't use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)\n");
    expect(run(h, 'reconfig -file a -members b')).toBe("Can't use -file and -members together (conflicting non-incremental modes)\n");
    expect(run(h, 'reconfig -file /nonexistent')).toBe('Error processing /nonexistent/nonexistent (No such file or directory)\n');
    expect(run(h, 'reconfig')).toMatch(/^reconfig \[-s\] \[-v version\]/);
  });

  it('version, sync, getEphemerals, getAllChildrenNumber', () => {
    const h = session({
      'sync /x': ok({ type: 'sync', path: '/x' }), 'sync /gone': fail(Code.CONNECTIONLOSS, '/gone'),
      'getEphemerals /': ok({ type: 'getEphemerals', paths: ['/p/e2', '/e1'] }),
      getAllChildrenNumber: ok({ type: 'getAllChildrenNumber', count: 6 }),
    });
    expect(run(h, 'version')).toBe('ZooKeeper CLI version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\n');
    expect(run(h, 'version extra')).toBe('version \n');
    expect(run(h, 'sync /x')).toBe('Sync is OK\n');
    expect(run(h, 'sync /gone')).toBe('Sync has failed. rc=-4\n');
    expect(run(h, 'getEphemerals')).toBe('[/p/e2, /e1]\n');
    expect(run(h, 'getAllChildrenNumber / extra')).toBe('6\n');
    expect(run(h, 'getAllChildrenNumber')).toBe('getAllChildrenNumber path\n');
  });
});
