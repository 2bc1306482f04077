/**
 * ServerStats and the per-connection figures of ServerCnxn: what `srvr`, `stat`, `cons` and
 * `mntr` print about traffic. ZooKeeper counts a packet received for every request read from a
 * connection (the connect request and a four-letter word included) and a packet sent for every
 * response and notification written; a response's latency is the time from the request's
 * arrival to its response (FinalRequestProcessor.updateStats), in ms.
 */
import type { Op } from '../protocol/client-protocol.ts';
import type { Zxid } from '../protocol/ids.ts';
import { assert } from '../util/assert.ts';

/** AvgMinMaxCounter's raw figures, ms. */
export interface LatencyCounter {
  count: number;
  total: number;
  min: number;
  max: number;
}

export interface ServerStats {
  packetsReceived: number;
  packetsSent: number;
  readonly latency: LatencyCounter;
}

export interface CnxnStats {
  packetsReceived: number;
  packetsSent: number;
  /** FinalRequestProcessor's lastOp: `NA` before the first response */
  lastOp: string;
  /** -1 before the first request */
  lastCxid: number;
  /** -1 before the first response */
  lastZxid: Zxid;
  /** virtual ms of the last response, 0 before any */
  lastResponseTime: number;
  lastLatency: number;
  readonly latency: LatencyCounter;
  /** virtual ms the connection was accepted */
  readonly establishedAt: number;
}

export function newLatencyCounter(): LatencyCounter {
  return { count: 0, total: 0, min: 0, max: 0 };
}

export function newServerStats(): ServerStats {
  return { packetsReceived: 0, packetsSent: 0, latency: newLatencyCounter() };
}

export function newCnxnStats(nowMs: number): CnxnStats {
  return {
    packetsReceived: 0, packetsSent: 0, lastOp: 'NA', lastCxid: -1, lastZxid: -1n, lastResponseTime: 0, lastLatency: 0,
    latency: newLatencyCounter(), establishedAt: nowMs,
  };
}

/** AvgMinMaxCounter.addDataPoint. */
export function addLatency(counter: LatencyCounter, ms: number): void {
  if (!(ms >= 0)) assert(false, `latency ${ms} is negative`);
  counter.min = counter.count === 0 ? ms : Math.min(counter.min, ms);
  counter.max = counter.count === 0 ? ms : Math.max(counter.max, ms);
  counter.count++;
  counter.total += ms;
  assert(counter.min <= counter.max, 'latency min above max');
}

export function resetLatency(counter: LatencyCounter): void {
  counter.count = 0;
  counter.total = 0;
  counter.min = 0;
  counter.max = 0;
}

/** FinalRequestProcessor's lastOp text for each request type. */
export function lastOpOf(op: Op | { readonly type: 'createSession' }): string {
  switch (op.type) {
    case 'ping': return 'PING';
    case 'createSession': return 'SESS';
    case 'closeSession': return 'CLOS';
    case 'multi': return 'MULT';
    case 'create': return 'CREA';
    case 'delete': return 'DELE';
    case 'setData': return 'SETD';
    case 'reconfig': return 'RECO';
    case 'setACL': return 'SETA';
    case 'check': return 'CHEC';
    case 'exists': return 'EXIS';
    case 'getData': return 'GETD';
    case 'getACL': return 'GETA';
    case 'getChildren': return 'GETC';
    case 'getAllChildrenNumber': return 'GETACN';
    case 'getEphemerals': return 'GETE';
    case 'sync': return 'SYNC';
    case 'setWatches': return 'SETW';
    case 'addWatch': return 'ADDW';
    case 'removeWatches': return 'REMW';
    case 'checkWatches': return 'CHKW';
    case 'whoAmI': return 'HOMI';
    default: return 'NA';
  }
}
