/**
 * An estimate of a client packet's serialized (jute) length, enough for the jute.maxbuffer
 * check: 4-byte length prefix, headers, strings as 4-byte length + UTF-8 bytes, data bytes.
 */
import type { ClientPacket, Op } from '../../engine/protocol/client-protocol.ts';

function str(s: string | null): number {
  return 4 + (s === null ? 0 : utf8Length(s));
}

/**
 * What `new TextEncoder().encode(s).length` gives (a lone surrogate becomes U+FFFD, 3 bytes),
 * counted without an encoder and a buffer per string: every client request of a live run is
 * sized here on the main thread.
 */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function opSize(op: Op): number {
  switch (op.type) {
    case 'create': return str(op.path) + 4 + (op.data?.length ?? 0) + 4 + op.acl.reduce((n, a) => n + 4 + str(a.id.scheme) + str(a.id.id), 0) + 4;
    case 'setData': return str(op.path) + 4 + (op.data?.length ?? 0) + 4;
    case 'multi': return op.ops.reduce((n, o) => n + 9 + opSize(o), 0) + 9;
    case 'auth': return 4 + str(op.scheme) + 4 + (op.auth?.length ?? 0);
    default: return 'path' in op ? str(op.path) + 8 : 8;
  }
}

export function packetSize(packet: ClientPacket): number {
  if (packet.type === 'connect') return 4 + 4 + 8 + 4 + 8 + 4 + 16 + 1;
  return 8 + opSize(packet.op);
}
