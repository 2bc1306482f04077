/**
 * What travels on the links of the browser ensemble, as plain data (structured-clone safe):
 *
 *   server <-> server   election notifications (datagram-like, as the simulator treats them)
 *                       and Zab traffic on quorum connections: connect / accept / packet / close,
 *                       every packet tagged with the connection it belongs to, so a packet of a
 *                       broken connection is never taken for one of its successor (TCP).
 *   client <-> server   the client port 127.0.0.1:(2180 + sid): clientConnect / clientPacket /
 *                       clientClose one way, serverPacket / serverClose the other.
 *
 * An `Envelope` is one wire message with its route, the id the trace knows it by, and the one
 * line `describeWire` prints for it (STYLE.md 9).
 */
import type { ClientPacket, ServerPacket } from '../../engine/protocol/client-protocol.ts';
import { describeOp, describeServerPacket, describeTxn } from '../../engine/protocol/describe.ts';
import { hex } from '../../engine/protocol/ids.ts';
import type { QuorumPacket } from '../../engine/protocol/quorum-packets.ts';
import { describeNotification, type Notification } from '../../engine/election/notification.ts';
import { assertNever } from '../../engine/util/assert.ts';
import { endpointName, type LinkKind, type MessageKind } from '../playground/api.ts';

/** Servers are endpoints 1..N; client n (from 1) is endpoint clientEndpointBase + n. */
export { clientEndpointBase, endpointName, isClientEndpoint } from '../playground/api.ts';
export type Endpoint = number;

export type Wire =
  | { readonly type: 'notification'; readonly msg: Notification }
  | { readonly type: 'connect'; readonly conn: number }
  | { readonly type: 'accept'; readonly conn: number }
  | { readonly type: 'packet'; readonly conn: number; readonly packet: QuorumPacket }
  | { readonly type: 'close'; readonly conn: number }
  | { readonly type: 'clientConnect'; readonly conn: number }
  | { readonly type: 'clientPacket'; readonly conn: number; readonly packet: ClientPacket; readonly size: number }
  | { readonly type: 'clientClose'; readonly conn: number }
  | { readonly type: 'serverPacket'; readonly conn: number; readonly packet: ServerPacket }
  | { readonly type: 'serverClose'; readonly conn: number };

export interface Envelope {
  readonly id: number;
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly sentAt: number;
  readonly wire: Wire;
}

export function linkOf(w: Wire): LinkKind {
  switch (w.type) {
    case 'notification': return 'election';
    case 'connect': case 'accept': case 'packet': case 'close': return 'quorum';
    case 'clientConnect': case 'clientPacket': case 'clientClose': case 'serverPacket': case 'serverClose': return 'client';
    default: return assertNever(w, 'wire');
  }
}

export function kindOf(w: Wire): MessageKind {
  if (w.type === 'notification') return 'notification';
  if (w.type !== 'packet') return w.type === 'connect' || w.type === 'accept' || w.type === 'close' ? 'discovery' : 'client';
  return kindOfQuorumPacket(w.packet);
}

/** What kind a Zab packet is, for colours and filters. */
export function kindOfQuorumPacket(p: QuorumPacket): MessageKind {
  switch (p.type) {
    case 'FollowerInfo': case 'ObserverInfo': case 'LeaderInfo': case 'AckEpoch': return 'discovery';
    case 'Diff': case 'Trunc': case 'Snap': case 'NewLeader': case 'UpToDate': return 'sync';
    case 'Proposal': return 'proposal';
    case 'Ack': return 'ack';
    case 'Commit': case 'Inform': return 'commit';
    case 'Ping': return 'ping';
    case 'Request': case 'Revalidate': case 'Sync': return 'request';
    default: return 'sync';
  }
}

/** One line for a Zab packet, in ZooKeeper's packet names. */
export function describeQuorumPacket(p: QuorumPacket): string {
  switch (p.type) {
    case 'Request': return `REQUEST session ${hex(p.sessionId)} cxid ${p.cxid} ${describeOp(p.op)}`;
    case 'Proposal': return `PROPOSAL ${hex(p.zxid)} ${describeTxn(p.entry)}`;
    case 'Ack': return `ACK ${hex(p.zxid)}`;
    case 'Commit': return `COMMIT ${hex(p.zxid)}`;
    case 'Ping': return `PING ${hex(p.zxid)}${p.touches.length > 0 ? ` (${p.touches.length} sessions)` : ''}`;
    case 'Revalidate': return `REVALIDATE session ${hex(p.sessionId)} timeout ${p.timeout}${p.valid === undefined ? '' : p.valid ? ' valid' : ' invalid'}`;
    case 'Sync': return `SYNC session ${hex(p.sessionId)} cxid ${p.cxid}`;
    case 'Inform': return `INFORM ${hex(p.zxid)} ${describeTxn(p.entry)}`;
    case 'NewLeader': return `NEWLEADER ${hex(p.zxid)}`;
    case 'FollowerInfo': return `FOLLOWERINFO sid ${p.sid} acceptedEpoch ${p.acceptedEpoch}`;
    case 'ObserverInfo': return `OBSERVERINFO sid ${p.sid} acceptedEpoch ${p.acceptedEpoch}`;
    case 'UpToDate': return 'UPTODATE';
    case 'Diff': return `DIFF ${hex(p.zxid)}`;
    case 'Trunc': return `TRUNC ${hex(p.zxid)}`;
    case 'Snap': return `SNAP ${hex(p.zxid)}`;
    case 'LeaderInfo': return `LEADERINFO newEpoch ${p.newEpoch}`;
    case 'AckEpoch': return `ACKEPOCH lastLoggedZxid ${hex(p.lastLoggedZxid)} currentEpoch ${p.currentEpoch}`;
    default: return (p as { type: string }).type;
  }
}

export function describeWire(w: Wire): string {
  switch (w.type) {
    case 'notification': return describeNotification(w.msg);
    case 'connect': return `connect (connection ${w.conn})`;
    case 'accept': return `accept (connection ${w.conn})`;
    case 'packet': return describeQuorumPacket(w.packet);
    case 'close': return `close (connection ${w.conn})`;
    case 'clientConnect': return `client connects (connection ${w.conn})`;
    case 'clientPacket': return describeClientPacket(w.packet);
    case 'clientClose': return `client closes (connection ${w.conn})`;
    case 'serverPacket': return describeServerPacket(w.packet);
    case 'serverClose': return `server closes (connection ${w.conn})`;
    default: return assertNever(w, 'wire');
  }
}

function describeClientPacket(p: ClientPacket): string {
  if (p.type === 'connect') return `ConnectRequest session ${hex(p.req.sessionId)} timeout ${p.req.timeOut}`;
  return `xid ${p.xid} ${describeOp(p.op)}`;
}

export function describeEnvelope(e: Envelope): string {
  return `${endpointName(e.from)} -> ${endpointName(e.to)}: ${describeWire(e.wire)}`;
}
