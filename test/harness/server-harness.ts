/**
 * Transcript commands that drive one ZkServer directly (sans-IO), printing every Ready item
 * through describe*. Commands (one per line):
 *
 *   server [key=value...]             a fresh standalone server (ServerConfig keys), time 0
 *   connect c1 [timeout=30000] [session=c0] [ip=127.0.0.1]   open a connection, send ConnectRequest
 *   c1 <op> <path> [args]             a request: create /a data=x mode=1 acl=world:anyone:31 ttl=N |
 *                                     delete /a v=-1 | setData /a data=x v=-1 | getData /a [watch] |
 *                                     exists /a [watch] | getChildren /a [watch] | getACL /a |
 *                                     setACL /a acl=.. v=-1 | sync /a | addWatch /a mode=0|1 |
 *                                     removeWatches /a type=1..5 | getEphemerals /a |
 *                                     getAllChildrenNumber /a | whoAmI | ping | closeSession |
 *                                     auth digest user:pw | multi (create /a | setData /b data=x v=0 | check /c v=1 | delete /d)
 *   persist                           storage finishes every logged txn (fsync)
 *   tick +ms | tick =ms               advance virtual time
 *   disconnect c1                     the client's TCP connection breaks
 *   tree [path]                       the tree with the 11 stat fields
 *   watches                           the watch tables
 */
import { digestAuthId } from '../../src/engine/acl/acl.ts';
import type { MultiSubOp, Op } from '../../src/engine/protocol/client-protocol.ts';
import { describeOp, describeServerPacket } from '../../src/engine/protocol/describe.ts';
import { hex } from '../../src/engine/protocol/ids.ts';
import type { ACL } from '../../src/engine/protocol/records.ts';
import { defaultServerConfig, type ServerConfig } from '../../src/engine/server/server-config.ts';
import { ZkServer } from '../../src/engine/server/zk-server.ts';
import type { Ready } from '../../src/engine/server/server-io.ts';
import { sessionPassword } from '../../src/engine/util/java-random.ts';
import { utf8Decode, utf8Encode } from '../../src/engine/util/bytes.ts';
import { describeTree } from '../../src/engine/datatree/describe-tree.ts';

export class ServerHarness {
  server = new ZkServer(defaultServerConfig(), 0);
  now = 0;
  private conns = new Map<string, number>();
  private names = new Map<number, string>();
  private sessions = new Map<string, bigint>();
  private nextConn = 1;
  private xids = new Map<string, number>();
  private logged = 0n;

  handle(line: string): string {
    const words = line.trim().split(/\s+/);
    const cmd = words[0];
    if (cmd === 'server') return this.newServer(words.slice(1));
    if (cmd === 'connect') return this.connect(words.slice(1));
    if (cmd === 'persist') return this.persist();
    if (cmd === 'tick') return this.tick(words[1]);
    if (cmd === 'disconnect') return this.disconnect(words[1]);
    if (cmd === 'tree') return describeTree(this.server.tree, words[1] ?? '/');
    if (cmd === 'watches') return this.watches();
    if (this.conns.has(cmd)) return this.request(cmd, line.trim().slice(cmd.length).trim());
    throw new Error(`unknown command ${cmd}`);
  }

  private newServer(args: string[]): string {
    const overrides: Record<string, unknown> = {};
    for (const a of args) {
      const [k, v] = a.split('=');
      overrides[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
    }
    this.now = 0;
    this.server = new ZkServer(defaultServerConfig(overrides as Partial<ServerConfig>), 0);
    this.conns.clear();
    this.names.clear();
    this.logged = 0n;
    return 'ok';
  }

  private connect(args: string[]): string {
    const name = args[0];
    const opts = kv(args.slice(1));
    const connId = this.nextConn++;
    this.conns.set(name, connId);
    this.names.set(connId, name);
    this.xids.set(name, 1);
    this.server.step({ type: 'clientConnected', connId, remoteAddress: opts.ip ?? '127.0.0.1' });
    const sessionId = opts.session ? this.sessions.get(opts.session) ?? BigInt(opts.session) : 0n;
    this.server.step({
      type: 'clientPacket', connId, size: 48,
      packet: { type: 'connect', req: { protocolVersion: 0, lastZxidSeen: 0n, timeOut: Number(opts.timeout ?? 30000), sessionId, passwd: sessionPassword(sessionId), readOnly: false } },
    });
    return this.drain();
  }

  private request(name: string, rest: string): string {
    const op = parseOp(rest);
    const connId = this.conns.get(name)!;
    const xid = op.type === 'auth' ? -4 : this.xids.get(name)!;
    if (op.type !== 'auth') this.xids.set(name, xid + 1);
    this.server.step({ type: 'clientPacket', connId, size: 64, packet: { type: 'request', xid, op } });
    return this.drain();
  }

  private persist(): string {
    this.server.step({ type: 'persisted', zxid: this.logged });
    return this.drain();
  }

  private tick(arg: string): string {
    this.now = arg.startsWith('+') ? this.now + Number(arg.slice(1)) : Number(arg.slice(1));
    this.server.step({ type: 'tick', nowMs: this.now });
    return this.drain();
  }

  private disconnect(name: string): string {
    this.server.step({ type: 'clientClosed', connId: this.conns.get(name)! });
    return this.drain();
  }

  private watches(): string {
    const lines: string[] = [];
    for (const [label, table] of [['data', this.server.dataWatches], ['child', this.server.childWatches]] as const) {
      for (const [path, watchers] of table.byPath()) {
        for (const [connId, mode] of watchers) lines.push(`${label} ${path} ${this.names.get(connId)} ${mode}`);
      }
    }
    return lines.length ? lines.join('\n') : '(none)';
  }

  /** Prints everything the server asked for, in order. */
  private drain(): string {
    const r: Ready = this.server.ready();
    const lines: string[] = [];
    for (const e of r.persist) {
      lines.push(`log ${hex(e.hdr.zxid)} ${e.txn.type}${e.txn.type === 'error' ? ` ${e.txn.err}` : ''}`);
      this.logged = e.hdr.zxid;
    }
    for (const o of r.clientOutput) {
      const who = this.names.get(o.connId) ?? `conn${o.connId}`;
      if (o.type === 'close') lines.push(`close ${who}`);
      else {
        if (o.packet.type === 'connected') this.sessions.set(who, o.packet.resp.sessionId);
        lines.push(`-> ${who} ${describeServerPacket(o.packet).replace(/session=0x[0-9a-f]+/, (m) => (m === 'session=0x0' ? m : 'session=<id>'))}${resultText(o.packet)}`);
      }
    }
    for (const t of r.trace) if (t.type === 'log') lines.push(`log: ${t.text.replace(/0x[0-9a-f]{8,}/g, '<id>')}`);
    return lines.join('\n');
  }
}

function resultText(p: import('../../src/engine/protocol/client-protocol.ts').ServerPacket): string {
  if (p.type !== 'reply' || p.result === null) return '';
  const r = p.result;
  switch (r.type) {
    case 'create': return ` path=${r.path}`;
    case 'getData': return ` data=${r.data === null ? 'null' : JSON.stringify(utf8Decode(r.data))} version=${r.stat.version}`;
    case 'exists': return ` version=${r.stat.version} cversion=${r.stat.cversion}`;
    case 'getChildren': return ` [${r.children.join(', ')}]`;
    case 'getACL': return ` ${r.acl.map((a) => `${a.id.scheme}:${a.id.id}:${a.perms}`).join(',')}`;
    case 'setData': case 'setACL': return ` version=${r.stat.version} aversion=${r.stat.aversion}`;
    case 'getEphemerals': return ` [${r.paths.join(', ')}]`;
    case 'getAllChildrenNumber': return ` ${r.count}`;
    case 'whoAmI': return ` ${r.clientInfo.map((c) => `${c.authScheme}:${c.user}`).join(',')}`;
    case 'multi': return ` [${r.results.map((x) => (x.type === 'error' ? `error ${x.err}` : x.type)).join(', ')}]`;
    default: return '';
  }
}

function kv(words: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const i = w.indexOf('=');
    if (i > 0) out[w.slice(0, i)] = w.slice(i + 1);
    else out[w] = 'true';
  }
  return out;
}

function parseAcl(text: string | undefined): ACL[] {
  if (text === undefined) return [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
  if (text === '') return [];
  return text.split(',').map((e) => {
    const first = e.indexOf(':');
    const last = e.lastIndexOf(':');
    return { perms: Number(e.slice(last + 1)), id: { scheme: e.slice(0, first), id: e.slice(first + 1, last) } };
  });
}

function parseOp(text: string): Op {
  if (text.startsWith('multi')) {
    const inner = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    return { type: 'multi', ops: inner.split('|').map((s) => parseOp(s.trim()) as MultiSubOp) };
  }
  const words = text.split(/\s+/);
  const type = words[0];
  const path = words[1];
  const o = kv(words.slice(2));
  const data = o.data === undefined ? null : utf8Encode(o.data);
  const version = Number(o.v ?? -1);
  switch (type) {
    case 'create': return { type, path, data, acl: parseAcl(o.acl), mode: Number(o.mode ?? 0) as 0, ttl: Number(o.ttl ?? -1) };
    case 'delete': return { type, path, version };
    case 'setData': return { type, path, data, version };
    case 'check': return { type, path, version };
    case 'setACL': return { type, path, acl: parseAcl(o.acl), version };
    case 'getData': case 'exists': case 'getChildren': return { type, path, watch: o.watch === 'true' };
    case 'getACL': case 'sync': case 'getAllChildrenNumber': return { type, path };
    case 'getEphemerals': return { type, prefixPath: path };
    case 'addWatch': return { type, path, mode: Number(o.mode ?? 0) as 0 };
    case 'removeWatches': case 'checkWatches': return { type, path, watcherType: Number(o.type ?? 3) as 3 };
    case 'whoAmI': case 'ping': case 'closeSession': return { type } as Op;
    case 'auth': return { type: 'auth', scheme: path, auth: words[2] === undefined ? null : utf8Encode(words[2]) };
    default: throw new Error(`unknown op ${type} (${describeOp.name})`);
  }
}

export { digestAuthId };
