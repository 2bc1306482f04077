import { describe, expect, it } from 'vitest';
import { EventType, KeeperState } from '../engine/protocol/records.ts';
import { FakeHost, fail, header, illegal, ok, stat } from './fake-host.test-helper.ts';
import { complete, completeCommand, parseMainArgs, usageText } from './zkcli-main.ts';
import type { Effect, EffectResult } from './effects.ts';
import { Code as ErrCode } from '../engine/protocol/errors.ts';


const lsRoot = (): FakeHost =>
  new FakeHost(undefined, (call) => {
    if (call.type === 'getChildren') return ok({ type: 'getChildren', children: ['zookeeper'], stat: stat() });
    if (call.type === 'getData') return ok({ type: 'getData', data: new TextEncoder().encode('one'), stat: stat() });
    if (call.type === 'create') return fail(ErrCode.NODEEXISTS, call.path);
    throw new Error(`unexpected ${call.type}`);
  });

describe('parseMainArgs (MyCommandOptions.parseOptions)', () => {
  it('has ZooKeeperMain defaults', () => {
    expect(parseMainArgs([])).toMatchObject({
      server: 'localhost:2181', timeout: 30000, waitForConnection: false, readOnly: false, command: [], argError: null,
    });
  });

  it('reads options up to the first command word', () => {
    const o = parseMainArgs(['-server', '127.0.0.1:2191', '-timeout', '5000', '-r', '-waitforconnection', 'ls', '-w', '/']);
    expect(o).toMatchObject({ server: '127.0.0.1:2191', timeout: 5000, readOnly: true, waitForConnection: true, command: ['ls', '-w', '/'] });
  });

  it('ignores unknown dash options and reports a missing value', () => {
    expect(parseMainArgs(['-foo', 'get', '/x']).command).toEqual(['get', '/x']);
    expect(parseMainArgs(['-server']).argError).toBe('Error: no argument found for option -server');
  });
});

describe('session', () => {
  it('prints the -waitforconnection header and the prompt', () => {
    const h = new FakeHost().start();
    expect(h.text).toBe(`${header}[zk: 127.0.0.1:2181(CONNECTED) 0] `);
  });

  it('counts every non-empty line, shows the same number again for an empty one', () => {
    const h = lsRoot().start().reset();
    h.type('ls /');
    h.type('');
    h.type('foo');
    expect(h.cli.prompt('CONNECTED')).toBe('[zk: 127.0.0.1:2181(CONNECTED) 2] ');
    expect(h.text.startsWith('ls /\n[zookeeper]\n[zk: 127.0.0.1:2181(CONNECTED) 1] \n[zk: 127.0.0.1:2181(CONNECTED) 1] foo\n')).toBe(true);
  });

  it('prints the whole usage and the doubled phrase for an unknown command, on stderr', () => {
    const h = new FakeHost().start().reset();
    h.type('rmr /x');
    expect(h.out).toBe('');
    expect(h.err).toBe(`${usageText()}Command not found: Command not found rmr\n`);
    expect(usageText().split('\n').slice(0, 3)).toEqual([
      'ZooKeeper -server host:port -client-configuration properties-file cmd args',
      '\taddWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE',
      '\taddauth scheme auth',
    ]);
    expect(usageText()).toContain('\tclose \n');
    expect(usageText().split('\n')).toHaveLength(30);
  });

  it('reads a line of spaces as the command " "', () => {
    const h = new FakeHost().start().reset();
    h.type('   ');
    expect(h.err.endsWith('Command not found: Command not found  \n')).toBe(true);
  });

  it('shows the last 11 history entries, redo replays and records the replayed line', () => {
    const h = lsRoot().start().reset();
    h.type('create /x one');
    h.type('get /x');
    h.type('history');
    h.reset();
    h.type('redo 1');
    h.type('redo 0');
    h.type('redo 99');
    h.type('redo -1');
    h.type('redo');
    h.type('history');
    expect(h.text).toBe([
      'redo 1', 'one', '[zk: 127.0.0.1:2181(CONNECTED) 4] redo 0', 'Node already exists: /x',
      '[zk: 127.0.0.1:2181(CONNECTED) 5] redo 99', 'Command index out of range',
      '[zk: 127.0.0.1:2181(CONNECTED) 6] redo -1', 'Command index out of range',
      '[zk: 127.0.0.1:2181(CONNECTED) 7] redo', '[zk: 127.0.0.1:2181(CONNECTED) 8] history',
      '0 - create /x one', '1 - get /x', '2 - history', '3 - get /x', '4 - create /x one', '5 - redo 99',
      '6 - redo -1', '7 - redo', '8 - history', '[zk: 127.0.0.1:2181(CONNECTED) 9] ',
    ].join('\n'));
    for (let i = 0; i < 5; i++) h.type('ls /');
    h.reset();
    h.type('history');
    expect(h.out.split('\n')[0]).toBe('4 - create /x one');
    expect(h.out.trim().split('\n')).toHaveLength(11);
  });

  it('re-runs the previous command for a line without words, and refuses to redo a redo', () => {
    const h = lsRoot().start().reset();
    h.type('ls /');
    h.type('"');
    h.type('history');
    h.type('redo 1');
    expect(h.text).toContain('[zk: 127.0.0.1:2181(CONNECTED) 1] "\n[zookeeper]\n');
    expect(h.text).toContain('redo 1\nNo redoing redos\n');
  });

  it('crashes with a NullPointerException on a wordless first line', () => {
    const h = new FakeHost().start().reset();
    expect(h.type('"')).toEqual({ kind: 'crash' });
    expect(h.err).toBe([
      'Exception in thread "main" java.lang.NullPointerException: Cannot invoke "java.util.List.toArray(Object[])" because "this.cmdArgs" is null',
      '\tat org.apache.zookeeper.ZooKeeperMain$MyCommandOptions.getArgArray(ZooKeeperMain.java:157)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:377)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:367)',
      '\tat org.apache.zookeeper.ZooKeeperMain.executeLine(ZooKeeperMain.java:359)',
      '\tat org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:327)',
      '\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:293)',
      '',
    ].join('\n'));
  });

  it('crashes on redo abc with Integer.decode\'s trace', () => {
    const h = lsRoot().start();
    h.type('ls /');
    h.reset();
    expect(h.type('redo abc')).toEqual({ kind: 'crash' });
    expect(h.text).toBe([
      'redo abc',
      'Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"',
      '\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)',
      '\tat java.base/java.lang.Integer.parseInt(Integer.java:668)',
      '\tat java.base/java.lang.Integer.valueOf(Integer.java:973)',
      '\tat java.base/java.lang.Integer.decode(Integer.java:1458)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:397)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:367)',
      '\tat org.apache.zookeeper.ZooKeeperMain.executeLine(ZooKeeperMain.java:359)',
      '\tat org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:327)',
      '\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:293)',
      '',
    ].join('\n'));
    expect(h.type('ls /')).toEqual({ kind: 'done' });
    expect(h.calls).toHaveLength(0);
  });

  it('adds the nested frames when a redone command crashes', () => {
    const h = new FakeHost(undefined, (call) => {
      if (call.type === 'addWatch' && call.path === 'abc') return illegal('Path must start with / character');
      return ok({ type: 'addWatch' });
    }).start();
    h.type('addWatch /x');
    h.calls.length = 0;
    h.type('history');
    const respond = h.respond;
    h.respond = (call) => (call.type === 'addWatch' ? illegal('Path must not end with / character') : respond(call));
    h.reset();
    expect(h.type('redo 0')).toEqual({ kind: 'crash' });
    expect(h.err).toContain([
      '\tat org.apache.zookeeper.common.PathUtils.validatePath(PathUtils.java:55)',
      '\tat org.apache.zookeeper.ZooKeeper.addWatch(ZooKeeper.java:2808)',
      '\tat org.apache.zookeeper.ZooKeeper.addWatch(ZooKeeper.java:2840)',
      '\tat org.apache.zookeeper.cli.AddWatchCommand.exec(AddWatchCommand.java:77)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:438)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:367)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:406)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:367)',
      '\tat org.apache.zookeeper.ZooKeeperMain.executeLine(ZooKeeperMain.java:359)',
    ].join('\n'));
  });

  it('prints watches while printwatches is on (anything but "on" turns it off)', () => {
    const h = new FakeHost().start().reset();
    h.type('printwatches');
    h.type('printwatches foo');
    h.event(KeeperState.SyncConnected, EventType.NodeDataChanged, '/x');
    h.type('printwatches');
    h.type('printwatches on extra');
    h.event(KeeperState.SyncConnected, EventType.NodeDeleted, '/x');
    expect(h.out).toBe('printwatches is on\nprintwatches is off\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDeleted path:/x\n');
  });

  it('closes, refuses commands while closed, and reconnects to the last host', () => {
    const h = lsRoot().start().reset();
    h.type('close');
    h.type('ls /');
    h.type('history');
    h.type('connect');
    h.type('connect localhost:2191');
    expect(h.text).toBe([
      'close', '', 'WATCHER::', '', 'WatchedEvent state:Closed type:None path:null',
      '[zk: 127.0.0.1:2181(CLOSED) 1] ls /', 'Not connected',
      '[zk: 127.0.0.1:2181(CLOSED) 2] history', '0 - close', '1 - ls /', '2 - history', 'Not connected',
      '[zk: 127.0.0.1:2181(CLOSED) 3] connect', '', 'WATCHER::', '', 'WatchedEvent state:SyncConnected type:None path:null',
      '[zk: 127.0.0.1:2181(CONNECTED) 4] connect localhost:2191', '', 'WATCHER::', '',
      'WatchedEvent state:Closed type:None path:null', '', 'WATCHER::', '',
      'WatchedEvent state:SyncConnected type:None path:null', '[zk: localhost:2191(CONNECTED) 5] ',
    ].join('\n'));
  });

  it('closes and crashes with an IOException when -waitforconnection cannot connect', () => {
    // Two Closed events, as real zkCli: the old session's, then the unconnected new one's.
    const h = lsRoot().start().reset();
    h.connectState = 'CONNECTING';
    expect(h.type('connect 127.0.0.1:1')).toEqual({ kind: 'crash' });
    expect(h.text).toBe([
      'connect 127.0.0.1:1', '', 'WATCHER::', '', 'WatchedEvent state:Closed type:None path:null',
      '', 'WATCHER::', '', 'WatchedEvent state:Closed type:None path:null',
      'Exception in thread "main" java.io.IOException: org.apache.zookeeper.KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss',
      '\tat org.apache.zookeeper.ZooKeeperMain.connectToZK(ZooKeeperMain.java:285)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:422)',
      '\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:367)',
      '\tat org.apache.zookeeper.ZooKeeperMain.executeLine(ZooKeeperMain.java:359)',
      '\tat org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:327)',
      '\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:293)',
      'Caused by: org.apache.zookeeper.KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss',
      '\tat org.apache.zookeeper.KeeperException.create(KeeperException.java:102)',
      '\t... 6 more',
      '',
    ].join('\n'));
  });

  it('without -waitforconnection, connects without waiting and never crashes', () => {
    const h = new FakeHost(['-server', '127.0.0.1:2191']);
    h.connectState = 'CONNECTING';
    h.start();
    expect(h.text).toBe('Connecting to 127.0.0.1:2191\nWelcome to ZooKeeper!\nJLine support is enabled\n[zk: 127.0.0.1:2191(CONNECTING) 0] ');
  });

  it('dies in the constructor on a bad -timeout', () => {
    const h = new FakeHost(['-server', '127.0.0.1:2191', '-timeout', 'abc']);
    expect(h.run(h.cli.connectInitial())).toEqual({ kind: 'crash' });
    expect(h.text).toBe([
      'Connecting to 127.0.0.1:2191',
      'Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"',
      '\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)',
      '\tat java.base/java.lang.Integer.parseInt(Integer.java:668)',
      '\tat java.base/java.lang.Integer.parseInt(Integer.java:786)',
      '\tat org.apache.zookeeper.ZooKeeperMain.connectToZK(ZooKeeperMain.java:280)',
      '\tat org.apache.zookeeper.ZooKeeperMain.<init>(ZooKeeperMain.java:299)',
      '\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:292)',
      '',
    ].join('\n'));
  });

  it('quits with the previous command\'s exit code after closing', () => {
    const h = lsRoot().start().reset();
    h.type('get');
    expect(h.type('quit')).toEqual({ kind: 'quit', code: 1 });
    expect(h.text).toBe('get\nget [-s] [-w] path\n[zk: 127.0.0.1:2181(CONNECTED) 1] quit\n\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n');
  });
});

describe('one-shot zkCli.sh -server H:P cmd args', () => {
  const oneShot = (argv: string[], respond?: ConstructorParameters<typeof FakeHost>[1]): [FakeHost, unknown] => {
    const h = new FakeHost(['-server', '127.0.0.1:2191', ...argv], respond);
    const r = h.run(h.cli.runOneShot(h.cli.options.command));
    return [h, r];
  };

  it('exits 0 on success', () => {
    const [h, r] = oneShot(['ls', '/'], () => ok({ type: 'getChildren', children: ['zookeeper'], stat: stat() }));
    expect(r).toEqual({ kind: 'quit', code: 0 });
    expect(h.text).toBe('Connecting to 127.0.0.1:2191\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n[zookeeper]\n');
  });

  it('exits 1 on a CliException and 127 on an unknown command', () => {
    expect(oneShot(['get', '/nonexistent'], (c) => fail(ErrCode.NONODE, 'path' in c ? c.path : null))[1]).toEqual({ kind: 'quit', code: 1 });
    expect(oneShot(['create'])[1]).toEqual({ kind: 'quit', code: 1 });
    const [h, r] = oneShot(['foo']);
    expect(r).toEqual({ kind: 'quit', code: 127 });
    expect(h.err).toBe(`${usageText()}Command not found: Command not found foo\n`);
  });

  it('takes the words as given: no quote removal', () => {
    const [h] = oneShot(['get', '"/x"'], (c) => illegal(`Path must start with / character${'path' in c ? '' : ''}`));
    expect(h.calls).toEqual([{ type: 'getData', path: '"/x"', watch: false }]);
  });

  it('prints an empty history as "0 - null", and crashes with run()\'s frames', () => {
    expect(oneShot(['history'])[0].out.endsWith('0 - null\n')).toBe(true);
    const [h, r] = oneShot(['addWatch', 'abc'], () => illegal('Path must start with / character'));
    expect(r).toEqual({ kind: 'crash' });
    expect(h.err.split('\n').slice(-3)).toEqual([
      '\tat org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:350)',
      '\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:293)',
      '',
    ]);
  });
});

describe('completion (JLineZNodeCompleter)', () => {
  it('completes command names', () => {
    expect(completeCommand('get')).toEqual(['get', 'getAcl', 'getAllChildrenNumber', 'getEphemerals']);
    expect(completeCommand('q')).toEqual(['quit']);
  });

  it('completes znode names from getChildren', () => {
    const drive = (line: string): { value: unknown; calls: unknown[] } => {
      const calls: unknown[] = [];
      const gen = complete(line, line.length);
      let step = gen.next();
      while (!step.done) {
        const effect: Effect = step.value;
        calls.push(effect);
        const result: EffectResult = ok({ type: 'getChildren', children: ['zoo', 'alpha', 'zookeeper'], stat: stat() });
        step = gen.next(result);
      }
      return { value: step.value, calls };
    };
    expect(drive('ls /zo')).toEqual({
      value: { start: 4, candidates: ['zoo', 'zookeeper'] },
      calls: [{ kind: 'call', call: { type: 'getChildren', path: '/', watch: false } }],
    });
    expect(drive('get /a/b').calls).toEqual([{ kind: 'call', call: { type: 'getChildren', path: '/a', watch: false } }]);
    expect(drive('cre')).toEqual({ value: { start: 0, candidates: ['create'] }, calls: [] });
    expect(drive('ls /q').value).toEqual({ start: 5, candidates: [] });
  });
});
