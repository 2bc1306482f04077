/**
 * describe*: the one canonical text form of protocol data (STYLE.md 9). Transcripts, logs,
 * tooltips and the timeline all print through these.
 */
import type { Data, Op, ServerPacket } from './client-protocol.ts';
import { codeName } from './errors.ts';
import { hex } from './ids.ts';
import type { ACL } from './records.ts';
import { describeWatchedEvent } from './records.ts';
import type { Txn, TxnEntry } from './txn.ts';

/**
 * At most 32 bytes of a znode's data, printable ASCII as is; a longer value ends in "...".
 * ASCII only, on purpose: a single '…' makes V8 store the whole string two bytes a character,
 * and these texts are most of what a long live trace holds (bench/README.md fix 18).
 */
export function describeData(data: Data): string {
  if (data === null) return 'null';
  const n = Math.min(data.length, 32);
  let plain = true;
  for (let i = 0; i < n && plain; i++) plain = printable(data[i]);
  let text = '';
  if (plain) {
    // the usual case in one string (a character at a time made 32 strings: a tenth of what a
    // worker allocates under writes)
    const codes = charCodes;
    codes.length = n;
    for (let i = 0; i < n; i++) codes[i] = data[i];
    text = String.fromCharCode.apply(null, codes);
  } else {
    for (let i = 0; i < n; i++) {
      const b = data[i];
      text += printable(b) ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    }
  }
  return `"${text}${data.length > 32 ? '...' : ''}"`;
}

/** describeData's scratch list of character codes (no subarray view per call). */
const charCodes: number[] = [];

function printable(b: number): boolean {
  return b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c;
}

export function describeAcl(acl: readonly ACL[]): string {
  return acl.map((a) => `${a.id.scheme}:${a.id.id}:${a.perms}`).join(',');
}

/**
 * Sub-operations a multi's text lists; the rest are counted. A bulk multi of 1000 creates would
 * otherwise print ~55 KB into every trace event that shows it (proposal, apply, the request).
 */
export const multiOpsShownMax = 16;

function describeMulti<T>(items: readonly T[], one: (x: T) => string): string {
  const shown = items.slice(0, multiOpsShownMax).map(one).join('; ');
  if (items.length <= multiOpsShownMax) return `multi [${shown}]`;
  return `multi [${shown}; ... ${items.length - multiOpsShownMax} more of ${items.length}]`;
}

export function describeTxnBody(txn: Txn): string {
  switch (txn.type) {
    case 'create': return `create ${txn.path} ${describeData(txn.data)} owner=${hex(txn.ephemeralOwner)} parentCVersion=${txn.parentCVersion}`;
    case 'delete': return `delete ${txn.path}`;
    case 'setData': return `setData ${txn.path} ${describeData(txn.data)} version=${txn.version}`;
    case 'setACL': return `setACL ${txn.path} ${describeAcl(txn.acl)} aversion=${txn.version}`;
    case 'check': return `check ${txn.path} version=${txn.version}`;
    case 'error': return `error ${codeName(txn.err)}`;
    case 'multi': return describeMulti(txn.txns, describeTxnBody);
    case 'createSession': return `createSession timeout=${txn.timeOut}`;
    case 'closeSession': return `closeSession [${txn.paths2Delete.join(', ')}]`;
    case 'reconfig': return `reconfig ${describeData(txn.data)} version=${txn.version}`;
  }
}

export function describeTxn(entry: TxnEntry): string {
  return `${hex(entry.hdr.zxid)} session=${hex(entry.hdr.clientId)} cxid=${entry.hdr.cxid} ${describeTxnBody(entry.txn)}`;
}

export function describeOp(op: Op): string {
  switch (op.type) {
    case 'create': return `create ${op.path} ${describeData(op.data)} mode=${op.mode}${op.ttl > 0 ? ` ttl=${op.ttl}` : ''}`;
    case 'delete': return `delete ${op.path} version=${op.version}`;
    case 'setData': return `setData ${op.path} ${describeData(op.data)} version=${op.version}`;
    case 'setACL': return `setACL ${op.path} ${describeAcl(op.acl)} version=${op.version}`;
    case 'check': return `check ${op.path} version=${op.version}`;
    case 'multi': return describeMulti(op.ops, describeOp);
    case 'getData': case 'exists': case 'getChildren':
      return `${op.type} ${op.path}${op.watch ? ' watch' : ''}`;
    case 'getACL': case 'getAllChildrenNumber': case 'sync': return `${op.type} ${op.path}`;
    case 'getEphemerals': return `getEphemerals ${op.prefixPath}`;
    case 'addWatch': return `addWatch ${op.path} mode=${op.mode}`;
    case 'removeWatches': case 'checkWatches': return `${op.type} ${op.path} type=${op.watcherType}`;
    case 'auth': return `auth ${op.scheme}`;
    case 'setWatches': return `setWatches relativeZxid=${hex(op.relativeZxid)}`;
    case 'reconfig': return `reconfig`;
    case 'whoAmI': case 'ping': case 'closeSession': return op.type;
  }
}

export function describeServerPacket(p: ServerPacket): string {
  switch (p.type) {
    case 'connected': return `ConnectResponse session=${hex(p.resp.sessionId)} timeout=${p.resp.timeOut}`;
    case 'reply': return `Reply xid=${p.xid} zxid=${hex(p.zxid)} err=${codeName(p.err)}`;
    case 'notification': return `Notification ${describeWatchedEvent(p.event)}`;
  }
}
