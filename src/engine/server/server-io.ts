/**
 * What goes in and out of a server (DESIGN.md decision 1): every input is a message, and
 * `ready()` hands back plain data for the host to carry out.
 */
import type { ClientPacket, ServerPacket } from '../protocol/client-protocol.ts';
import type { SessionId, Zxid } from '../protocol/ids.ts';
import type { TxnEntry } from '../protocol/txn.ts';
import type { WatcherEvent } from '../protocol/records.ts';
import type { WatcherMode, WatchRemovalCause, WatchTable } from '../watches/watch-manager.ts';

export type ConnId = number;

export type ServerInput =
  /** a client opened a TCP connection to the client port */
  | { readonly type: 'clientConnected'; readonly connId: ConnId; readonly remoteAddress: string }
  /** one packet from that client; `size` is its serialized length in bytes (jute.maxbuffer) */
  | { readonly type: 'clientPacket'; readonly connId: ConnId; readonly packet: ClientPacket; readonly size: number }
  /** the client's connection broke or the client closed it */
  | { readonly type: 'clientClosed'; readonly connId: ConnId }
  /** storage made every logged txn up to this zxid durable (fsync done) */
  | { readonly type: 'persisted'; readonly zxid: Zxid }
  /** time passes; nowMs is the host's virtual clock (ms since the Unix epoch) */
  | { readonly type: 'tick'; readonly nowMs: number };

export type ClientOutput =
  | { readonly type: 'packet'; readonly connId: ConnId; readonly packet: ServerPacket }
  | { readonly type: 'close'; readonly connId: ConnId };

export type TraceEvent =
  /** the txn went to the log (describeTxn(entry) says what it is; no host prints it per txn) */
  | { readonly type: 'txnLogged'; readonly zxid: Zxid; readonly entry: TxnEntry }
  | { readonly type: 'txnApplied'; readonly zxid: Zxid; readonly text: string; readonly entry: TxnEntry }
  | { readonly type: 'sessionCreated'; readonly sessionId: SessionId; readonly timeout: number }
  | { readonly type: 'sessionExpired'; readonly sessionId: SessionId }
  | { readonly type: 'sessionClosed'; readonly sessionId: SessionId }
  /** a watch entered a table (or changed its mode); `kind` is describeWatchKind's text */
  | { readonly type: 'watchRegistered'; readonly connId: ConnId; readonly sessionId: SessionId; readonly path: string; readonly kind: string; readonly table: WatchTable; readonly mode: WatcherMode }
  /** a watch left its table without firing; `text` is describeWatchRemoval's */
  | { readonly type: 'watchRemoved'; readonly connId: ConnId; readonly sessionId: SessionId; readonly path: string; readonly table: WatchTable; readonly mode: WatcherMode; readonly cause: WatchRemovalCause; readonly text: string }
  /** a watch fired; `table` is the table it fired from (absent for SetWatches catch-up events) */
  | { readonly type: 'watchFired'; readonly connId: ConnId; readonly sessionId: SessionId; readonly event: WatcherEvent; readonly table?: WatchTable }
  | { readonly type: 'log'; readonly text: string }
  /** LearnerHandler.syncFollower's decision: how the leader brings a learner up to date */
  | {
      readonly type: 'learnerSync';
      readonly leader: number;
      readonly learner: number;
      readonly mode: 'DIFF' | 'TRUNC' | 'SNAP';
      readonly zxid: Zxid;
      readonly peerLastZxid: Zxid;
    };

export interface Ready {
  /** packets and connection closes for clients, in the order they must be sent */
  readonly clientOutput: ClientOutput[];
  /** txns to append to the txn log and flush; answer with a `persisted` input */
  readonly persist: TxnEntry[];
  readonly trace: TraceEvent[];
}

export function emptyReady(): Ready {
  return { clientOutput: [], persist: [], trace: [] };
}
