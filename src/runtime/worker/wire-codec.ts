/**
 * Live wire batches in a compact form (bench/README.md, "Wire batches"): structured clone writes
 * every key of every Envelope as a string and rebuilds every object property by property; here
 * the hot envelopes (Zab's REQUEST / PROPOSAL / ACK / COMMIT / PING / INFORM / SYNC, the client
 * requests and their replies and notifications) are written field by field into one ArrayBuffer
 * (transferred, not copied), their strings into one array beside it, and every other envelope
 * travels as itself in `rest` (structured clone). The batch's order is kept: the buffer holds
 * one tag per envelope, "the next of `rest`" for those.
 *
 * Exactness: the receiver gets objects deep-equal to what the sender sent (wire-codec.test.ts
 * round-trips every envelope of varied lockstep runs). Decoders build object literals with the
 * keys in the order the engine makes them; optional fields stay absent. Numbers travel as
 * float64 (every number exactly), bigints as int64: a bigint outside int64, or a variant this
 * codec does not know, sends its whole envelope through `rest`.
 */
import type { ClientPacket, Data, MultiResult, MultiSubOp, Op, OpResult, ServerPacket, WhoAmIEntry } from '../../engine/protocol/client-protocol.ts';
import type { QuorumPacket } from '../../engine/protocol/quorum-packets.ts';
import type { ACL, Id, Stat, WatcherEvent } from '../../engine/protocol/records.ts';
import type { MultiSubTxn, Txn, TxnEntry } from '../../engine/protocol/txn.ts';
import type { Code } from '../../engine/protocol/errors.ts';
import type { Envelope, Wire } from './wire.ts';

/** A batch as it travels: `buf` is transferred. */
export interface PackedWires {
  readonly buf: ArrayBuffer;
  readonly strs: readonly string[];
  readonly rest: readonly Envelope[];
}

/** Thrown inside an envelope's encoding: the envelope goes as itself (in `rest`). */
class Unencodable {}
const unencodable = new Unencodable();

const int64Min = -(1n << 63n);
const int64Max = (1n << 63n) - 1n;

// envelope tags
const tagRest = 0;
const tagPacket = 1;
const tagClientPacket = 2;
const tagServerPacket = 3;

// Zab packets
const qRequest = 1;
const qProposal = 2;
const qAck = 3;
const qCommit = 4;
const qPing = 5;
const qInform = 6;
const qSync = 7;

// ops (Op, MultiSubOp); op kinds with only a `type` share opBare + the type string
const opCreate = 1;
const opDelete = 2;
const opSetData = 3;
const opCheck = 4;
const opSetACL = 5;
const opMulti = 6;
const opPathWatch = 7; // getData / exists / getChildren: { type, path, watch }
const opPath = 8; // getACL / getAllChildrenNumber / sync: { type, path }
const opBare = 9; // ping / closeSession / whoAmI: { type }

// txns
const txCreate = 1;
const txDelete = 2;
const txSetData = 3;
const txCheck = 4;
const txError = 5;
const txSetACL = 6;
const txMulti = 7;
const txCreateSession = 8;
const txCloseSession = 9;

// server packets, op results
const spReply = 1;
const spNotification = 2;
const resNull = 0;
const resPathStat = 1; // create: { type, path, stat }
const resStat = 2; // setData / setACL / exists: { type, stat }
const resBare = 3; // delete / check / ping / closeSession / auth / addWatch / ...: { type }
const resMulti = 4;
const resDataStat = 5; // getData: { type, data, stat }
const resChildren = 6; // getChildren: { type, children, stat }
const resAcl = 7; // getACL: { type, acl, stat }
const resCount = 8; // getAllChildrenNumber: { type, count }
const resPath = 9; // sync: { type, path }
const resError = 10; // multi's error: { type, err }
const resPaths = 11; // getEphemerals: { type, paths }
const resWhoAmI = 12; // whoAmI: { type, clientInfo }

const bareOps = new Set(['ping', 'closeSession', 'whoAmI']);
const pathWatchOps = new Set(['getData', 'exists', 'getChildren']);
const pathOps = new Set(['getACL', 'getAllChildrenNumber', 'sync']);
const bareResults = new Set(['delete', 'check', 'ping', 'closeSession', 'auth', 'addWatch', 'removeWatches', 'checkWatches', 'setWatches']);
const statResults = new Set(['setData', 'setACL', 'exists']);

class Writer {
  buf = new ArrayBuffer(1 << 16);
  dv = new DataView(this.buf);
  u8 = new Uint8Array(this.buf);
  pos = 0;
  strs: string[] = [];
  /** the batch's data values so far, by identity: a value sent twice in one batch goes once */
  datas = new Map<Uint8Array, number>();

  private grow(need: number): void {
    let size = this.buf.byteLength * 2;
    while (size < this.pos + need) size *= 2;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(this.u8.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next);
    this.u8 = new Uint8Array(next);
  }

  byte(x: number): void {
    if (this.pos + 1 > this.buf.byteLength) this.grow(1);
    this.dv.setUint8(this.pos, x);
    this.pos += 1;
  }

  num(x: number): void {
    if (typeof x !== 'number') throw unencodable;
    if (this.pos + 8 > this.buf.byteLength) this.grow(8);
    this.dv.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  /** a count (array length, byte length): uint32 */
  count(x: number): void {
    if (this.pos + 4 > this.buf.byteLength) this.grow(4);
    this.dv.setUint32(this.pos, x, true);
    this.pos += 4;
  }

  big(x: bigint): void {
    if (typeof x !== 'bigint' || x < int64Min || x > int64Max) throw unencodable;
    if (this.pos + 8 > this.buf.byteLength) this.grow(8);
    this.dv.setBigInt64(this.pos, x, true);
    this.pos += 8;
  }

  str(s: string): void {
    if (typeof s !== 'string') throw unencodable;
    this.strs.push(s);
  }

  bool(b: boolean): void {
    if (typeof b !== 'boolean') throw unencodable;
    this.byte(b ? 1 : 0);
  }

  /**
   * Data: null, or a Uint8Array's bytes (a copy of just its view). As structured clone does, one
   * Uint8Array referenced twice in a batch arrives as one (tag 2: the index of its first
   * occurrence): the same value proposed to a learner, or a client's payload written to many
   * znodes, is one buffer on the other side, not one ArrayBuffer per reference (each costs a
   * backing store and ~300 B of bookkeeping in Chromium).
   */
  data(d: Data): void {
    if (d === null) {
      this.byte(0);
      return;
    }
    if (!(d instanceof Uint8Array) || d.constructor !== Uint8Array) throw unencodable;
    const seen = this.datas.get(d);
    if (seen !== undefined) {
      this.byte(2);
      this.count(seen);
      return;
    }
    this.datas.set(d, this.datas.size);
    this.byte(1);
    this.count(d.length);
    if (this.pos + d.length > this.buf.byteLength) this.grow(d.length);
    this.u8.set(d, this.pos);
    this.pos += d.length;
  }
}

class Reader {
  private readonly dv: DataView;
  private readonly u8: Uint8Array;
  pos = 0;
  private si = 0;
  private ri = 0;
  /** the batch's data values in order of first occurrence (Writer.data's tag 2) */
  private readonly datas: Uint8Array[] = [];

  constructor(buf: ArrayBuffer, private readonly strs: readonly string[], private readonly rest: readonly Envelope[]) {
    this.dv = new DataView(buf);
    this.u8 = new Uint8Array(buf);
  }

  get length(): number {
    return this.u8.length;
  }

  byte(): number {
    return this.dv.getUint8(this.pos++);
  }

  num(): number {
    const x = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  count(): number {
    const x = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return x;
  }

  big(): bigint {
    const x = this.dv.getBigInt64(this.pos, true);
    this.pos += 8;
    return x;
  }

  str(): string {
    if (this.si >= this.strs.length) throw new Error('wire batch: string table exhausted');
    return this.strs[this.si++]!;
  }

  bool(): boolean {
    return this.byte() === 1;
  }

  data(): Data {
    const tag = this.byte();
    if (tag === 0) return null;
    if (tag === 2) {
      const d = this.datas[this.count()];
      if (d === undefined) throw new Error('wire batch: data reference before its value');
      return d;
    }
    const n = this.count();
    const d = this.u8.slice(this.pos, this.pos + n);
    this.pos += n;
    this.datas.push(d);
    return d;
  }

  nextRest(): Envelope {
    if (this.ri >= this.rest.length) throw new Error('wire batch: rest exhausted');
    return this.rest[this.ri++]!;
  }
}

const writer = new Writer();

/** The batch in its compact form (`buf` to be transferred). */
export function packWires(envs: readonly Envelope[]): PackedWires {
  const w = writer;
  w.pos = 0;
  w.strs = [];
  w.datas.clear();
  const rest: Envelope[] = [];
  w.count(envs.length);
  for (const env of envs) {
    const pos = w.pos;
    const strs = w.strs.length;
    const datas = w.datas.size;
    try {
      writeEnvelope(w, env);
    } catch (e) {
      if (e !== unencodable) throw e;
      w.pos = pos;
      w.strs.length = strs;
      for (const [d, i] of w.datas) if (i >= datas) w.datas.delete(d);
      w.byte(tagRest);
      rest.push(env);
    }
  }
  w.datas.clear();
  return { buf: w.buf.slice(0, w.pos), strs: w.strs, rest };
}

/** The envelopes of a packed batch, in their order (a malformed batch throws). */
export function unpackWires(p: PackedWires): Envelope[] {
  const r = new Reader(p.buf, p.strs, p.rest);
  const n = r.count();
  const envs: Envelope[] = new Array<Envelope>(n);
  for (let i = 0; i < n; i++) envs[i] = readEnvelope(r);
  if (r.pos !== r.length) throw new Error(`wire batch: ${r.length - r.pos} bytes left over`);
  return envs;
}

function writeEnvelope(w: Writer, env: Envelope): void {
  const wire = env.wire;
  switch (wire.type) {
    case 'packet': w.byte(tagPacket); break;
    case 'clientPacket': w.byte(tagClientPacket); break;
    case 'serverPacket': w.byte(tagServerPacket); break;
    default: throw unencodable;
  }
  w.num(env.id);
  w.num(env.from);
  w.num(env.to);
  w.num(env.sentAt);
  w.num(wire.conn);
  if (wire.type === 'packet') writeQuorum(w, wire.packet);
  else if (wire.type === 'clientPacket') {
    w.num(wire.size);
    writeClient(w, wire.packet);
  } else writeServer(w, wire.packet);
}

function readEnvelope(r: Reader): Envelope {
  const tag = r.byte();
  if (tag === tagRest) return r.nextRest();
  const id = r.num();
  const from = r.num();
  const to = r.num();
  const sentAt = r.num();
  const conn = r.num();
  let wire: Wire;
  switch (tag) {
    case tagPacket: wire = { type: 'packet', conn, packet: readQuorum(r) }; break;
    case tagClientPacket: {
      const size = r.num();
      wire = { type: 'clientPacket', conn, packet: readClient(r), size };
      break;
    }
    case tagServerPacket: wire = { type: 'serverPacket', conn, packet: readServer(r) }; break;
    default: throw new Error(`wire batch: envelope tag ${tag}`);
  }
  return { id, from, to, sentAt, wire };
}

// ----- Zab -------------------------------------------------------------------------------------

function writeQuorum(w: Writer, p: QuorumPacket): void {
  switch (p.type) {
    case 'Ack': w.byte(qAck); w.big(p.zxid); return;
    case 'Commit': w.byte(qCommit); w.big(p.zxid); return;
    case 'Proposal': w.byte(qProposal); w.big(p.zxid); writeEntry(w, p.entry); return;
    case 'Inform': w.byte(qInform); w.big(p.zxid); writeEntry(w, p.entry); return;
    case 'Request':
      w.byte(qRequest);
      w.big(p.sessionId);
      w.num(p.cxid);
      writeOp(w, p.op);
      w.count(p.authInfo.length);
      for (const id of p.authInfo) writeId(w, id);
      w.num(p.owner);
      return;
    case 'Ping':
      w.byte(qPing);
      w.big(p.zxid);
      w.count(p.touches.length);
      for (const t of p.touches) {
        w.big(t.sessionId);
        w.num(t.timeout);
      }
      return;
    case 'Sync': w.byte(qSync); w.big(p.sessionId); w.num(p.cxid); return;
    default: throw unencodable;
  }
}

function readQuorum(r: Reader): QuorumPacket {
  const code = r.byte();
  switch (code) {
    case qAck: return { type: 'Ack', zxid: r.big() };
    case qCommit: return { type: 'Commit', zxid: r.big() };
    case qProposal: {
      const zxid = r.big();
      return { type: 'Proposal', zxid, entry: readEntry(r) };
    }
    case qInform: {
      const zxid = r.big();
      return { type: 'Inform', zxid, entry: readEntry(r) };
    }
    case qRequest: {
      const sessionId = r.big();
      const cxid = r.num();
      const op = readOp(r);
      const n = r.count();
      const authInfo: Id[] = [];
      for (let i = 0; i < n; i++) authInfo.push(readId(r));
      return { type: 'Request', sessionId, cxid, op, authInfo, owner: r.num() };
    }
    case qPing: {
      const zxid = r.big();
      const n = r.count();
      const touches: { sessionId: bigint; timeout: number }[] = [];
      for (let i = 0; i < n; i++) {
        const sessionId = r.big();
        touches.push({ sessionId, timeout: r.num() });
      }
      return { type: 'Ping', zxid, touches };
    }
    case qSync: {
      const sessionId = r.big();
      return { type: 'Sync', sessionId, cxid: r.num() };
    }
    default: throw new Error(`wire batch: quorum packet code ${code}`);
  }
}

function writeEntry(w: Writer, e: TxnEntry): void {
  const h = e.hdr;
  w.big(h.clientId);
  w.num(h.cxid);
  w.big(h.zxid);
  w.num(h.time);
  writeTxn(w, e.txn);
}

function readEntry(r: Reader): TxnEntry {
  const clientId = r.big();
  const cxid = r.num();
  const zxid = r.big();
  const time = r.num();
  return { hdr: { clientId, cxid, zxid, time }, txn: readTxn(r) };
}

function writeTxn(w: Writer, t: Txn): void {
  switch (t.type) {
    case 'create':
      w.byte(txCreate);
      w.str(t.path);
      w.data(t.data);
      writeAcl(w, t.acl);
      w.big(t.ephemeralOwner);
      w.num(t.parentCVersion);
      return;
    case 'delete': w.byte(txDelete); w.str(t.path); return;
    case 'setData': w.byte(txSetData); w.str(t.path); w.data(t.data); w.num(t.version); return;
    case 'check': w.byte(txCheck); w.str(t.path); w.num(t.version); return;
    case 'error': w.byte(txError); w.num(t.err); return;
    case 'setACL': w.byte(txSetACL); w.str(t.path); writeAcl(w, t.acl); w.num(t.version); return;
    case 'multi':
      w.byte(txMulti);
      w.count(t.txns.length);
      for (const s of t.txns) {
        if (s.type === 'multi' as string) throw unencodable;
        writeTxn(w, s);
      }
      return;
    case 'createSession': w.byte(txCreateSession); w.num(t.timeOut); return;
    case 'closeSession':
      w.byte(txCloseSession);
      w.count(t.paths2Delete.length);
      for (const p of t.paths2Delete) w.str(p);
      return;
    default: throw unencodable;
  }
}

function readTxn(r: Reader): Txn {
  const code = r.byte();
  switch (code) {
    case txCreate: {
      const path = r.str();
      const data = r.data();
      const acl = readAcl(r);
      const ephemeralOwner = r.big();
      return { type: 'create', path, data, acl, ephemeralOwner, parentCVersion: r.num() };
    }
    case txDelete: return { type: 'delete', path: r.str() };
    case txSetData: {
      const path = r.str();
      const data = r.data();
      return { type: 'setData', path, data, version: r.num() };
    }
    case txCheck: {
      const path = r.str();
      return { type: 'check', path, version: r.num() };
    }
    case txError: return { type: 'error', err: r.num() as Code };
    case txSetACL: {
      const path = r.str();
      const acl = readAcl(r);
      return { type: 'setACL', path, acl, version: r.num() };
    }
    case txMulti: {
      const n = r.count();
      const txns: MultiSubTxn[] = [];
      for (let i = 0; i < n; i++) txns.push(readTxn(r) as MultiSubTxn);
      return { type: 'multi', txns };
    }
    case txCreateSession: return { type: 'createSession', timeOut: r.num() };
    case txCloseSession: {
      const n = r.count();
      const paths2Delete: string[] = [];
      for (let i = 0; i < n; i++) paths2Delete.push(r.str());
      return { type: 'closeSession', paths2Delete };
    }
    default: throw new Error(`wire batch: txn code ${code}`);
  }
}

// ----- records -------------------------------------------------------------------------------

function writeId(w: Writer, id: Id): void {
  w.str(id.scheme);
  w.str(id.id);
}

function readId(r: Reader): Id {
  const scheme = r.str();
  return { scheme, id: r.str() };
}

function writeAcl(w: Writer, acl: readonly ACL[]): void {
  w.count(acl.length);
  for (const a of acl) {
    w.num(a.perms);
    writeId(w, a.id);
  }
}

function readAcl(r: Reader): ACL[] {
  const n = r.count();
  const acl: ACL[] = [];
  for (let i = 0; i < n; i++) {
    const perms = r.num();
    acl.push({ perms, id: readId(r) });
  }
  return acl;
}

function writeStat(w: Writer, s: Stat): void {
  w.big(s.czxid);
  w.big(s.mzxid);
  w.num(s.ctime);
  w.num(s.mtime);
  w.num(s.version);
  w.num(s.cversion);
  w.num(s.aversion);
  w.big(s.ephemeralOwner);
  w.num(s.dataLength);
  w.num(s.numChildren);
  w.big(s.pzxid);
}

function readStat(r: Reader): Stat {
  const czxid = r.big();
  const mzxid = r.big();
  const ctime = r.num();
  const mtime = r.num();
  const version = r.num();
  const cversion = r.num();
  const aversion = r.num();
  const ephemeralOwner = r.big();
  const dataLength = r.num();
  const numChildren = r.num();
  return { czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren, pzxid: r.big() };
}

// ----- client requests -------------------------------------------------------------------------

function writeClient(w: Writer, p: ClientPacket): void {
  if (p.type !== 'request') throw unencodable;
  w.num(p.xid);
  writeOp(w, p.op);
}

function readClient(r: Reader): ClientPacket {
  const xid = r.num();
  return { type: 'request', xid, op: readOp(r) };
}

function writeOp(w: Writer, op: Op): void {
  switch (op.type) {
    case 'create':
      w.byte(opCreate);
      w.str(op.path);
      w.data(op.data);
      writeAcl(w, op.acl);
      w.num(op.mode);
      w.num(op.ttl);
      return;
    case 'delete': w.byte(opDelete); w.str(op.path); w.num(op.version); return;
    case 'setData': w.byte(opSetData); w.str(op.path); w.data(op.data); w.num(op.version); return;
    case 'check': w.byte(opCheck); w.str(op.path); w.num(op.version); return;
    case 'setACL': w.byte(opSetACL); w.str(op.path); writeAcl(w, op.acl); w.num(op.version); return;
    case 'multi':
      w.byte(opMulti);
      w.count(op.ops.length);
      for (const s of op.ops) {
        if (s.type !== 'create' && s.type !== 'delete' && s.type !== 'setData' && s.type !== 'check') throw unencodable;
        writeOp(w, s);
      }
      return;
    default:
      if (pathWatchOps.has(op.type)) {
        const o = op as { type: string; path: string; watch: boolean };
        w.byte(opPathWatch);
        w.str(o.type);
        w.str(o.path);
        w.bool(o.watch);
        return;
      }
      if (pathOps.has(op.type)) {
        w.byte(opPath);
        w.str(op.type);
        w.str((op as { path: string }).path);
        return;
      }
      if (bareOps.has(op.type)) {
        w.byte(opBare);
        w.str(op.type);
        return;
      }
      throw unencodable;
  }
}

function readOp(r: Reader): Op {
  const code = r.byte();
  switch (code) {
    case opCreate: {
      const path = r.str();
      const data = r.data();
      const acl = readAcl(r);
      const mode = r.num() as Extract<Op, { type: 'create' }>['mode'];
      return { type: 'create', path, data, acl, mode, ttl: r.num() };
    }
    case opDelete: {
      const path = r.str();
      return { type: 'delete', path, version: r.num() };
    }
    case opSetData: {
      const path = r.str();
      const data = r.data();
      return { type: 'setData', path, data, version: r.num() };
    }
    case opCheck: {
      const path = r.str();
      return { type: 'check', path, version: r.num() };
    }
    case opSetACL: {
      const path = r.str();
      const acl = readAcl(r);
      return { type: 'setACL', path, acl, version: r.num() };
    }
    case opMulti: {
      const n = r.count();
      const ops: MultiSubOp[] = [];
      for (let i = 0; i < n; i++) ops.push(readOp(r) as MultiSubOp);
      return { type: 'multi', ops };
    }
    case opPathWatch: {
      const type = r.str() as 'getData';
      const path = r.str();
      return { type, path, watch: r.bool() };
    }
    case opPath: {
      const type = r.str() as 'getACL';
      return { type, path: r.str() };
    }
    case opBare: return { type: r.str() as 'ping' };
    default: throw new Error(`wire batch: op code ${code}`);
  }
}

// ----- server replies --------------------------------------------------------------------------

function writeServer(w: Writer, p: ServerPacket): void {
  switch (p.type) {
    case 'reply':
      w.byte(spReply);
      w.num(p.xid);
      w.big(p.zxid);
      w.num(p.err);
      writeResult(w, p.result);
      return;
    case 'notification': {
      w.byte(spNotification);
      w.big(p.zxid);
      const e = p.event;
      w.num(e.type);
      w.num(e.state);
      if (e.path === null) w.byte(0);
      else {
        w.byte(1);
        w.str(e.path);
      }
      return;
    }
    default: throw unencodable;
  }
}

function readServer(r: Reader): ServerPacket {
  const code = r.byte();
  switch (code) {
    case spReply: {
      const xid = r.num();
      const zxid = r.big();
      const err = r.num() as Code;
      return { type: 'reply', xid, zxid, err, result: readResult(r) };
    }
    case spNotification: {
      const zxid = r.big();
      const type = r.num() as WatcherEvent['type'];
      const state = r.num() as WatcherEvent['state'];
      const path = r.byte() === 0 ? null : r.str();
      return { type: 'notification', zxid, event: { type, state, path } };
    }
    default: throw new Error(`wire batch: server packet code ${code}`);
  }
}

function writeResult(w: Writer, res: OpResult | MultiResult | null): void {
  if (res === null) {
    w.byte(resNull);
    return;
  }
  switch (res.type) {
    case 'create': w.byte(resPathStat); w.str(res.path); writeStat(w, res.stat); return;
    case 'multi':
      w.byte(resMulti);
      w.count(res.results.length);
      for (const x of res.results) writeResult(w, x);
      return;
    case 'getData': w.byte(resDataStat); w.data(res.data); writeStat(w, res.stat); return;
    case 'getChildren':
      w.byte(resChildren);
      w.count(res.children.length);
      for (const c of res.children) w.str(c);
      writeStat(w, res.stat);
      return;
    case 'getACL': w.byte(resAcl); writeAcl(w, res.acl); writeStat(w, res.stat); return;
    case 'getAllChildrenNumber': w.byte(resCount); w.num(res.count); return;
    case 'sync': w.byte(resPath); w.str(res.path); return;
    case 'error': w.byte(resError); w.num(res.err); return;
    case 'getEphemerals':
      w.byte(resPaths);
      w.count(res.paths.length);
      for (const x of res.paths) w.str(x);
      return;
    case 'whoAmI':
      w.byte(resWhoAmI);
      w.count(res.clientInfo.length);
      for (const x of res.clientInfo) {
        w.str(x.authScheme);
        w.str(x.user);
      }
      return;
    default:
      if (statResults.has(res.type)) {
        w.byte(resStat);
        w.str(res.type);
        writeStat(w, (res as { stat: Stat }).stat);
        return;
      }
      if (bareResults.has(res.type)) {
        w.byte(resBare);
        w.str(res.type);
        return;
      }
      throw unencodable;
  }
}

function readResult(r: Reader): OpResult | null {
  const code = r.byte();
  switch (code) {
    case resNull: return null;
    case resPathStat: {
      const path = r.str();
      return { type: 'create', path, stat: readStat(r) };
    }
    case resMulti: {
      const n = r.count();
      const results: MultiResult[] = [];
      for (let i = 0; i < n; i++) results.push(readResult(r) as MultiResult);
      return { type: 'multi', results };
    }
    case resDataStat: {
      const data = r.data();
      return { type: 'getData', data, stat: readStat(r) };
    }
    case resChildren: {
      const n = r.count();
      const children: string[] = [];
      for (let i = 0; i < n; i++) children.push(r.str());
      return { type: 'getChildren', children, stat: readStat(r) };
    }
    case resAcl: {
      const acl = readAcl(r);
      return { type: 'getACL', acl, stat: readStat(r) };
    }
    case resCount: return { type: 'getAllChildrenNumber', count: r.num() };
    case resPath: return { type: 'sync', path: r.str() };
    case resPaths: {
      const n = r.count();
      const paths: string[] = [];
      for (let i = 0; i < n; i++) paths.push(r.str());
      return { type: 'getEphemerals', paths };
    }
    case resWhoAmI: {
      const n = r.count();
      const clientInfo: WhoAmIEntry[] = [];
      for (let i = 0; i < n; i++) {
        const authScheme = r.str();
        clientInfo.push({ authScheme, user: r.str() });
      }
      return { type: 'whoAmI', clientInfo };
    }
    case resError: return { type: 'error', err: r.num() as Code } as unknown as OpResult;
    case resStat: {
      const type = r.str() as 'setData';
      return { type, stat: readStat(r) };
    }
    case resBare: return { type: r.str() as 'delete' };
    default: throw new Error(`wire batch: result code ${code}`);
  }
}
