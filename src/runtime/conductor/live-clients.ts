/**
 * The main thread's client sessions of a live run (consoles, bulk jobs): ClientSessions over
 * the servers' client ports. Pure and synchronous, every input with the virtual time of the
 * step it belongs to, so the live run (LiveEnsemble) and its replay (live-replay.ts) share this
 * code and the replay's client traffic is the live run's, envelope for envelope.
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import { ClientSession, type ClientInput, type ClientReady } from '../../client/client-session.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { WatcherEvent } from '../../engine/protocol/records.ts';
import { methodRef } from '../../engine/util/checkpoint.ts';
import { Rng } from '../../engine/util/rng.ts';
import { packetSize } from '../sim/packet-size.ts';
import { clientPortBase, type EventBody } from '../worker/server-host.ts';
import { clientEndpointBase, describeWire, kindOf, type Envelope, type Wire } from '../worker/wire.ts';
import type { ClientEntry } from './console.ts';

type LiveClient = ClientEntry;

/** Rounds of client pumping in one go. */
const clientRoundsMax = 10_000;

export class LiveClients {
  readonly clients = new Map<number, LiveClient>();
  readonly rng: Rng;
  nextLocalId = 1;
  nextClientId = 1;

  /**
   * `emit` takes the events of this thread's clients (messageSent, and one messageDelivered for each
   * batch that reached them); `isUp` says whether a server's client port is open.
   */
  constructor(seed: number, private readonly emit: (e: EventBody, t: number) => void, private readonly isUp: (sid: Sid) => boolean) {
    this.rng = new Rng(seed);
  }

  add(connectString: string, sessionTimeout: number, onEvent: (e: WatcherEvent) => void, onResult: (callId: number, r: CallResult) => void, t: number): LiveClient {
    const session = new ClientSession(connectString, { sessionTimeout, random: methodRef(this.rng, 'next') }, t);
    const c: LiveClient = { id: this.nextClientId++, session, conns: new Map(), onEvent, onResult };
    this.clients.set(c.id, c);
    return c;
  }

  idOf(session: ClientSession): number {
    for (const c of this.clients.values()) if (c.session === session) return c.id;
    return 0;
  }

  call(session: ClientSession, call: ClientCall, t: number): number {
    session.step({ type: 'tick', nowMs: t });
    return session.call(call);
  }

  close(session: ClientSession): void {
    if (session.isAlive()) session.close();
  }

  private step(c: LiveClient, input: ClientInput, t: number): void {
    if (input.type !== 'tick') c.session.step({ type: 'tick', nowMs: t });
    c.session.step(input);
  }

  /** A batch of envelopes from a server's client port. */
  wires(envs: readonly Envelope[], t: number): void {
    if (envs.length > 0) this.emit({ type: 'messageDelivered', msgIds: envs.map((env) => env.id) }, t);
    for (const env of envs) {
      const c = this.clients.get(env.to - clientEndpointBase);
      if (!c) continue;
      const conn = (env.wire as { conn: number }).conn;
      let connection: number | undefined;
      for (const [k, x] of c.conns) {
        if (x.conn !== conn) continue;
        connection = k;
        break;
      }
      if (connection === undefined) continue;
      if (env.wire.type === 'serverPacket') this.step(c, { type: 'packet', connection, packet: env.wire.packet }, t);
      else if (env.wire.type === 'serverClose') {
        c.conns.delete(connection);
        this.step(c, { type: 'transportDown', connection }, t);
      }
    }
  }

  /** Server `sid` went down: its client connections break. */
  serverDown(sid: Sid, t: number): void {
    for (const c of this.clients.values()) {
      for (const [connection, x] of [...c.conns]) {
        if (x.sid !== sid) continue;
        c.conns.delete(connection);
        this.step(c, { type: 'transportDown', connection }, t);
      }
    }
  }

  /** The client timer: every session whose deadline has come is ticked. */
  timer(t: number): void {
    for (const c of this.clients.values()) if (c.session.nextDeadline() <= t) c.session.step({ type: 'tick', nowMs: t });
  }

  nextDeadline(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const c of this.clients.values()) t = Math.min(t, c.session.nextDeadline());
    return t;
  }

  /** Runs every client's Ready; what they send, by server (the caller posts it to the client ports). */
  pump(t: number): Map<Sid, Envelope[]> {
    const outbox = new Map<Sid, Envelope[]>();
    for (let round = 0; round < clientRoundsMax; round++) {
      let busy = false;
      for (const c of this.clients.values()) {
        if (!c.session.hasReady()) continue;
        busy = true;
        this.onReady(c, c.session.ready(), outbox, t);
      }
      if (!busy) break;
    }
    return outbox;
  }

  private onReady(c: LiveClient, r: ClientReady, outbox: Map<Sid, Envelope[]>, t: number): void {
    const from = clientEndpointBase + c.id;
    const send = (to: Sid, wire: Wire): void => {
      const env: Envelope = { id: this.nextLocalId++, from, to, sentAt: t, wire };
      this.emit({ type: 'messageSent', msgId: env.id, link: 'client', kind: kindOf(wire), from, to, text: describeWire(wire) }, t);
      const list = outbox.get(to) ?? [];
      list.push(env);
      outbox.set(to, list);
    };
    for (const connection of r.close) {
      const x = c.conns.get(connection);
      if (!x) continue;
      c.conns.delete(connection);
      send(x.sid, { type: 'clientClose', conn: x.conn });
    }
    for (const o of r.open) {
      const sid = Number(o.address.split(':')[1]) - clientPortBase;
      if (!this.isUp(sid)) {
        c.session.step({ type: 'transportDown', connection: o.connection });
        continue;
      }
      const conn = this.nextLocalId++;
      c.conns.set(o.connection, { conn, sid });
      send(sid, { type: 'clientConnect', conn });
      c.session.step({ type: 'transportUp', connection: o.connection });
    }
    for (const s of r.send) {
      const x = c.conns.get(s.connection);
      if (x) send(x.sid, { type: 'clientPacket', conn: x.conn, packet: s.packet, size: packetSize(s.packet) });
    }
    for (const e of r.events) c.onEvent(e);
    for (const res of r.results) c.onResult(res.callId, res.result);
  }
}
