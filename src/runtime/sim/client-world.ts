/**
 * ClientWorld: a deterministic world of ZooKeeper servers and client sessions in virtual time.
 * It carries client<->server packets over simulated TCP connections (FIFO, with a delay),
 * persists txns to an in-memory disk and hands the servers their `persisted` and `tick`
 * inputs. Everything happens in (time, seq) order, so a run depends only on its inputs.
 *
 * Servers are anything that speaks ServerInput/Ready at a client address ("127.0.0.1:2191").
 */
import type { ClientInput, ClientReady, ClientSession } from '../../client/client-session.ts';
import type { CallResult } from '../../client/api.ts';
import type { ClientPacket, ServerPacket } from '../../engine/protocol/client-protocol.ts';
import type { WatcherEvent } from '../../engine/protocol/records.ts';
import type { Ready, ServerInput } from '../../engine/server/server-io.ts';
import type { Zxid } from '../../engine/protocol/ids.ts';
import type { TxnEntry } from '../../engine/protocol/txn.ts';
import { assert } from '../../engine/util/assert.ts';
import { EventQueue } from './event-queue.ts';
import { packetSize } from './packet-size.ts';

export interface SimServer {
  step(input: ServerInput): void;
  hasReady(): boolean;
  ready(): Ready;
  nextDeadline(): number;
}

export interface ClientHandle {
  readonly session: ClientSession;
  onEvent: (event: WatcherEvent) => void;
  onResult: (callId: number, result: CallResult) => void;
  /** the client machine's IP (what the server sees, and counts for maxClientCnxns) */
  readonly remoteAddress?: string;
}

type WorldEvent =
  | { kind: 'toServer'; address: string; input: ServerInput }
  /** `from`: the server end of the connection a packet came over */
  | { kind: 'toClient'; clientId: number; input: ClientInput; from?: { readonly address: string; readonly connId: number } }
  | { kind: 'call'; fn: () => void };

interface Conn {
  readonly connId: number;
  readonly clientId: number;
  readonly clientConnection: number;
  readonly address: string;
  open: boolean;
}

export interface ClientWorldOptions {
  /** one-way network delay of a client packet, virtual ms */
  readonly networkDelayMs: number;
  /** time from a log append to its fsync completing, virtual ms */
  readonly fsyncDelayMs: number;
  readonly remoteAddress: string;
}

/** A bound on events processed by one run call; exceeding it means a livelock (a bug). */
export const eventsPerRunMax = 50_000_000;

export class ClientWorld {
  now: number;
  private readonly queue = new EventQueue<WorldEvent>();
  private readonly servers = new Map<string, SimServer>();
  private readonly clients = new Map<number, ClientHandle>();
  private readonly conns = new Map<number, Conn>();
  /** the durable txn log of each server address (MemoryStorage) */
  readonly logs = new Map<string, TxnEntry[]>();
  private nextConnId = 1;
  private nextClientId = 1;
  /** each client's current connection number, as the session sees it (0: none) */
  private readonly currentConnection = new Map<number, number>();
  /**
   * Called when a client session takes in a watch notification on its current connection,
   * with the server end of that connection (checkers match it with the server's watchFired).
   */
  notificationHook: ((clientId: number, from: { readonly address: string; readonly connId: number }, event: WatcherEvent) => void) | null = null;

  constructor(nowMs: number, readonly options: ClientWorldOptions = { networkDelayMs: 0, fsyncDelayMs: 0, remoteAddress: '127.0.0.1' }) {
    this.now = nowMs;
  }

  addServer(address: string, server: SimServer): void {
    assert(!this.servers.has(address), `server already at ${address}`);
    this.servers.set(address, server);
    this.logs.set(address, this.logs.get(address) ?? []);
  }

  /** Crash: the server object is gone and its connections break. */
  removeServer(address: string): void {
    this.servers.delete(address);
    for (const c of this.conns.values()) {
      if (c.address === address && c.open) this.breakConn(c);
    }
  }

  hasServer(address: string): boolean {
    return this.servers.has(address);
  }

  addClient(session: ClientSession, onEvent: (e: WatcherEvent) => void, onResult: (id: number, r: CallResult) => void, remoteAddress?: string): number {
    const id = this.nextClientId++;
    this.clients.set(id, remoteAddress === undefined ? { session, onEvent, onResult } : { session, onEvent, onResult, remoteAddress });
    this.pump();
    return id;
  }

  removeClient(clientId: number): void {
    for (const c of this.conns.values()) {
      if (c.clientId === clientId && c.open) this.closeFromClient(c);
    }
    this.clients.delete(clientId);
    this.pump();
  }

  client(clientId: number): ClientHandle | undefined {
    return this.clients.get(clientId);
  }

  /** Runs events up to `untilMs` (inclusive) or until `stop()` holds. Returns true if stopped. */
  run(untilMs: number, stop?: () => boolean): boolean {
    this.pump();
    let sameTime = 0;
    let lastTime = this.now;
    for (let i = 0; i < eventsPerRunMax; i++) {
      if (this.now === lastTime) {
        if (++sameTime > 1_000_000) throw new Error(`ClientWorld.run: time stuck at ${this.now}: ${this.stuckReport()}`);
      } else {
        sameTime = 0;
        lastTime = this.now;
      }
      if (stop && stop()) return true;
      const next = this.nextTime();
      if (next > untilMs) {
        this.now = Math.max(this.now, untilMs);
        this.tickAll();
        return stop ? stop() : false;
      }
      this.now = Math.max(this.now, next);
      const ev = this.queue.peek();
      if (ev && ev.time <= this.now) {
        this.queue.pop();
        this.handle(ev.value);
      } else {
        this.tickAll();
      }
      this.pump();
    }
    throw new Error('ClientWorld.run: over eventsPerRunMax events (livelock?)');
  }

  private stuckReport(): string {
    const parts: string[] = [];
    for (const [a, s] of this.servers) if (s.nextDeadline() <= this.now) parts.push(`server ${a} deadline ${s.nextDeadline()}`);
    for (const [id, c] of this.clients) if (c.session.nextDeadline() <= this.now) parts.push(`client ${id} (${c.session.state}) deadline ${c.session.nextDeadline()}`);
    return parts.join('; ') || `queue head ${this.queue.peek()?.time}`;
  }

  private nextTime(): number {
    let t = this.queue.peek()?.time ?? Number.POSITIVE_INFINITY;
    for (const s of this.servers.values()) t = Math.min(t, s.nextDeadline());
    for (const c of this.clients.values()) t = Math.min(t, c.session.nextDeadline());
    return Math.max(t, this.now);
  }

  private tickAll(): void {
    for (const s of this.servers.values()) if (s.nextDeadline() <= this.now) s.step({ type: 'tick', nowMs: this.now });
    for (const c of this.clients.values()) if (c.session.nextDeadline() <= this.now) c.session.step({ type: 'tick', nowMs: this.now });
  }

  private handle(ev: WorldEvent): void {
    if (ev.kind === 'toServer') {
      const s = this.servers.get(ev.address);
      if (!s) return;
      if (ev.input.type === 'clientPacket' || ev.input.type === 'clientClosed') {
        const conn = this.conns.get(ev.input.connId);
        if (!conn || (ev.input.type === 'clientPacket' && !conn.open)) return;
      }
      s.step({ type: 'tick', nowMs: this.now });
      s.step(ev.input);
    } else if (ev.kind === 'call') {
      ev.fn();
    } else if (ev.kind === 'toClient') {
      const c = this.clients.get(ev.clientId);
      if (!c) return;
      this.noteClientInput(ev.clientId, ev.input, ev.from);
      c.session.step({ type: 'tick', nowMs: this.now });
      c.session.step(ev.input);
    }
  }

  /** Follows the session's current connection (ClientSession takes packets only from it). */
  private noteClientInput(clientId: number, input: ClientInput, from: { address: string; connId: number } | undefined): void {
    const current = this.currentConnection.get(clientId) ?? 0;
    if (input.type === 'transportDown' && input.connection === current) this.currentConnection.set(clientId, 0);
    if (input.type !== 'packet' || input.packet.type !== 'notification' || current === 0 || input.connection !== current) return;
    if (this.notificationHook && from) this.notificationHook(clientId, from, input.packet.event);
  }

  /** Carries out everything servers and clients want done, until nobody has anything left. */
  pump(): void {
    for (let round = 0; round < 1_000_000; round++) {
      let busy = false;
      for (const [address, s] of this.servers) {
        if (!s.hasReady()) continue;
        busy = true;
        this.onServerReady(address, s.ready());
      }
      for (const [id, c] of this.clients) {
        if (!c.session.hasReady()) continue;
        busy = true;
        this.onClientReady(id, c, c.session.ready());
      }
      if (!busy) return;
    }
    throw new Error('ClientWorld.pump did not settle');
  }

  /** Runs fn at virtual time `at` (in (time, seq) order with every other event). */
  schedule(at: number, fn: () => void): void {
    this.queue.push(Math.max(at, this.now), { kind: 'call', fn });
  }

  /** A host that owns a server's storage and peer traffic takes its Ready here instead. */
  readyHook: ((address: string, r: Ready) => boolean) | null = null;

  private onServerReady(address: string, r: Ready): void {
    if (this.readyHook && this.readyHook(address, r)) {
      this.deliverClientOutput(r);
      return;
    }
    if (r.persist.length > 0) {
      const log = this.logs.get(address)!;
      log.push(...r.persist);
      const last: Zxid = r.persist[r.persist.length - 1].hdr.zxid;
      this.queue.push(this.now + this.options.fsyncDelayMs, { kind: 'toServer', address, input: { type: 'persisted', zxid: last } });
    }
    this.deliverClientOutput(r);
  }

  private deliverClientOutput(r: Ready): void {
    for (const o of r.clientOutput) {
      const conn = this.conns.get(o.connId);
      if (!conn || !conn.open) continue;
      if (o.type === 'packet') this.deliverToClient(conn, o.packet);
      else this.closeFromServer(conn);
    }
  }

  private onClientReady(clientId: number, c: ClientHandle, r: ClientReady): void {
    for (const close of r.close) {
      if (this.currentConnection.get(clientId) === close) this.currentConnection.set(clientId, 0);
      for (const conn of this.conns.values()) {
        if (conn.clientId === clientId && conn.clientConnection === close && conn.open) this.closeFromClient(conn);
      }
    }
    for (const o of r.open) {
      this.currentConnection.set(clientId, o.connection);
      this.openConn(clientId, o.connection, o.address);
    }
    for (const s of r.send) {
      const conn = [...this.conns.values()].find((x) => x.clientId === clientId && x.clientConnection === s.connection);
      if (!conn || !conn.open) continue;
      this.deliverToServer(conn, s.packet);
    }
    for (const e of r.events) c.onEvent(e);
    for (const res of r.results) c.onResult(res.callId, res.result);
  }

  private openConn(clientId: number, clientConnection: number, rawAddress: string): void {
    const address = resolveAddress(rawAddress);
    const at = this.now + this.options.networkDelayMs;
    if (!this.servers.has(address)) {
      this.queue.push(at, { kind: 'toClient', clientId, input: { type: 'transportDown', connection: clientConnection } });
      return;
    }
    const conn: Conn = { connId: this.nextConnId++, clientId, clientConnection, address, open: true };
    this.conns.set(conn.connId, conn);
    this.queue.push(at, { kind: 'toServer', address, input: { type: 'clientConnected', connId: conn.connId, remoteAddress: this.clients.get(clientId)?.remoteAddress ?? this.options.remoteAddress } });
    this.queue.push(at, { kind: 'toClient', clientId, input: { type: 'transportUp', connection: clientConnection } });
  }

  private deliverToServer(conn: Conn, packet: ClientPacket): void {
    this.queue.push(this.now + this.options.networkDelayMs, {
      kind: 'toServer', address: conn.address, input: { type: 'clientPacket', connId: conn.connId, packet, size: packetSize(packet) },
    });
  }

  private deliverToClient(conn: Conn, packet: ServerPacket): void {
    this.queue.push(this.now + this.options.networkDelayMs, {
      kind: 'toClient', clientId: conn.clientId, input: { type: 'packet', connection: conn.clientConnection, packet }, from: { address: conn.address, connId: conn.connId },
    });
  }

  private closeFromClient(conn: Conn): void {
    conn.open = false;
    this.queue.push(this.now + this.options.networkDelayMs, { kind: 'toServer', address: conn.address, input: { type: 'clientClosed', connId: conn.connId } });
    this.conns.delete(conn.connId);
  }

  private closeFromServer(conn: Conn): void {
    conn.open = false;
    this.queue.push(this.now + this.options.networkDelayMs, { kind: 'toClient', clientId: conn.clientId, input: { type: 'transportDown', connection: conn.clientConnection } });
    this.conns.delete(conn.connId);
  }

  private breakConn(conn: Conn): void {
    conn.open = false;
    this.queue.push(this.now, { kind: 'toClient', clientId: conn.clientId, input: { type: 'transportDown', connection: conn.clientConnection } });
    this.conns.delete(conn.connId);
  }
}

/** "localhost" resolves to 127.0.0.1, as on this machine. */
export function resolveAddress(address: string): string {
  return address.replace(/^localhost(?=:|$)/, '127.0.0.1');
}
