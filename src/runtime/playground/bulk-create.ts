/**
 * Bulk creation: many persistent znodes under one parent, as real ZooKeeper traffic. One client
 * session on the ensemble's client path (the ClientHost the consoles use) sends `multi`
 * requests of `batch` creates each, keeping `window` of them in flight (pipelining, as the Java
 * client's async API does). Each multi is one request, one proposal through Zab and one txn
 * in every server's log; the trace shows them like any other write.
 *
 *   create PARENT (NodeExists is fine) -> exists PARENT (numChildren: where numbering starts)
 *   -> multi [create PARENT/n0000000 ...] x ceil(count / batch), `window` outstanding
 *   -> close the session
 *
 * Names are `n` + 7 digits, numbered on from the parent's child count, so a second bulk under
 * the same parent adds after the first. A multi is atomic: a failed one (NodeExists on a name
 * someone else took) creates nothing and stops the job with the error; the multis already
 * answered stay. After ConnectionLoss (the server died, the client moves to another one from
 * its connect string) the multi may or may not have been applied: the job asks whether its
 * first znode exists and sends it again if not, up to bulkRetriesMax times. Cancel stops
 * sending; the multis in flight finish.
 *
 * Sizes: a create of `n0000000` with 0..16 bytes of data and the open ACL is under 100 bytes of
 * jute, so 1000 creates per multi stay far below jute.maxbuffer (0xfffff bytes) for the request,
 * the proposal and the log entry (bulkBatchMax bounds it).
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import type { ClientSession } from '../../client/client-session.ts';
import type { MultiSubOp } from '../../engine/protocol/client-protocol.ts';
import { Code, keeperErrorMessage } from '../../engine/protocol/errors.ts';
import { CreateMode, openAclUnsafe } from '../../engine/protocol/records.ts';
import { utf8Encode } from '../../engine/util/bytes.ts';
import type { ClientHost } from '../conductor/console.ts';
import type { BulkCreateHandle, BulkCreateOptions, BulkCreateProgress } from './api.ts';

/** Creates in one bulk job (the UI offers up to 100,000). */
export const bulkCountMax = 1_000_000;
/** Creates per multi: 1000 x ~70 bytes of jute is ~70 KB, well inside jute.maxbuffer. */
export const bulkBatchMax = 2000;
export const bulkBatchDefault = 1000;
/** Multis in flight at once. */
export const bulkWindowMax = 16;
export const bulkWindowDefault = 4;
/** Times one request is sent again after ConnectionLoss (the client reconnects meanwhile). */
export const bulkRetriesMax = 8;
/** Digits after the `n` of a bulk name. */
const nameDigits = 7;

/** The name of the bulk znode number `i` (n0000000, n0000001, ...). */
export function bulkName(i: number): string {
  return `n${String(i).padStart(nameDigits, '0')}`;
}

function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

function isConnectionLoss(r: CallResult): boolean {
  return r.kind === 'error' && r.code === Code.CONNECTIONLOSS;
}

function resultText(r: CallResult): string {
  if (r.kind === 'ok') return 'ok';
  if (r.kind === 'error') return keeperErrorMessage(r.code, r.path);
  return r.message;
}

/** Checks options; returns the reason they are unusable, or null. */
export function bulkOptionsProblem(o: BulkCreateOptions): string | null {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > bulkCountMax) return `count must be 1..${bulkCountMax}`;
  if (o.batch !== undefined && (!Number.isInteger(o.batch) || o.batch < 1 || o.batch > bulkBatchMax)) return `batch must be 1..${bulkBatchMax}`;
  if (o.window !== undefined && (!Number.isInteger(o.window) || o.window < 1 || o.window > bulkWindowMax)) return `window must be 1..${bulkWindowMax}`;
  if (!o.parent.startsWith('/') || (o.parent.length > 1 && o.parent.endsWith('/')) || o.parent.includes('//')) return `bad parent path ${o.parent}`;
  return null;
}

/**
 * Starts a bulk job on `host`. Its progress is reported through the handle; it never throws
 * (bad options end the job at once with `error` set).
 */
export function startBulkCreate(host: ClientHost, o: BulkCreateOptions): BulkCreateHandle {
  const listeners = new Set<(p: BulkCreateProgress) => void>();
  let progress: BulkCreateProgress = { count: o.count, created: 0, multis: 0, done: false, cancelled: false, error: null };
  let resolveDone: (p: BulkCreateProgress) => void = () => undefined;
  const done = new Promise<BulkCreateProgress>((r) => (resolveDone = r));
  const report = (p: Partial<BulkCreateProgress>): void => {
    progress = { ...progress, ...p };
    for (const l of listeners) l(progress);
    if (progress.done) resolveDone(progress);
  };
  const problem = bulkOptionsProblem(o);
  const handle: BulkCreateHandle = {
    progress: () => progress,
    onProgress(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    cancel: () => job?.cancel(),
    done,
  };
  let job: BulkJob | null = null;
  if (problem !== null) {
    queueMicrotask(() => report({ done: true, error: problem }));
    return handle;
  }
  job = new BulkJob(host, o, report);
  return handle;
}

class BulkJob {
  private readonly session: ClientSession;
  private readonly pending = new Map<number, (r: CallResult) => void>();
  private readonly early = new Map<number, CallResult>();
  private readonly batch: number;
  private readonly window: number;
  private readonly data: Uint8Array;
  private first = 0;
  private sent = 0;
  private created = 0;
  private multis = 0;
  private inFlight = 0;
  private stopped = false;
  private cancelled = false;

  constructor(private readonly host: ClientHost, private readonly o: BulkCreateOptions, private readonly report: (p: Partial<BulkCreateProgress>) => void) {
    this.batch = o.batch ?? bulkBatchDefault;
    this.window = o.window ?? bulkWindowDefault;
    this.data = utf8Encode(o.data ?? '');
    this.session = host.addClient(o.connectString, o.sessionTimeout ?? 30_000, () => undefined, (id, r) => this.onResult(id, r));
    this.start(0);
  }

  /** create PARENT, then exists PARENT for its child count; again after ConnectionLoss */
  private start(attempt: number): void {
    this.issue({ type: 'create', path: this.o.parent, data: new Uint8Array(0), acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 }, (r) => {
      if (isConnectionLoss(r) && attempt < bulkRetriesMax) return this.start(attempt + 1);
      if (r.kind !== 'ok' && !(r.kind === 'error' && r.code === Code.NODEEXISTS)) return this.finish(resultText(r));
      this.issue({ type: 'exists', path: this.o.parent, watch: false }, (e) => {
        if (isConnectionLoss(e) && attempt < bulkRetriesMax) return this.start(attempt + 1);
        if (e.kind !== 'ok' || e.result.type !== 'exists') return this.finish(resultText(e));
        this.first = e.result.stat.numChildren;
        this.fill();
      });
    });
  }

  cancel(): void {
    if (this.stopped) return;
    this.cancelled = true;
    if (this.inFlight === 0) this.finish(null);
  }

  /** Sends multis until `window` are in flight or every create is sent. */
  private fill(): void {
    for (let k = 0; k < bulkWindowMax && this.inFlight < this.window && this.sent < this.o.count && !this.cancelled && !this.stopped; k++) {
      const from = this.sent;
      const n = Math.min(this.batch, this.o.count - from);
      this.sent += n;
      this.inFlight++;
      this.sendMulti(from, n, 0);
    }
    if (this.inFlight === 0 && !this.stopped) this.finish(null);
  }

  private ops(from: number, n: number): MultiSubOp[] {
    const ops: MultiSubOp[] = [];
    for (let i = from; i < from + n; i++) {
      ops.push({ type: 'create', path: childPath(this.o.parent, bulkName(this.first + i)), data: this.data, acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 });
    }
    return ops;
  }

  private sendMulti(from: number, n: number, attempt: number): void {
    this.issue({ type: 'multi', ops: this.ops(from, n) }, (r) => {
      if (!isConnectionLoss(r) || attempt >= bulkRetriesMax || this.stopped) return this.onMulti(r, n);
      this.recheck(from, n, attempt + 1);
    });
  }

  /**
   * After ConnectionLoss a multi may or may not have been applied (it is atomic): its first
   * znode tells which. Then it counts as done, or is sent again.
   */
  private recheck(from: number, n: number, attempt: number): void {
    this.issue({ type: 'exists', path: childPath(this.o.parent, bulkName(this.first + from)), watch: false }, (e) => {
      if (e.kind === 'ok') return this.onMulti(e, n);
      if (e.kind === 'error' && e.code === Code.NONODE) return this.sendMulti(from, n, attempt);
      if (isConnectionLoss(e) && attempt < bulkRetriesMax) return this.recheck(from, n, attempt + 1);
      this.onMulti(e, n);
    });
  }

  private onMulti(r: CallResult, n: number): void {
    this.inFlight--;
    if (this.stopped) return;
    if (r.kind !== 'ok') {
      this.stopped = true;
      return this.finish(resultText(r));
    }
    this.created += n;
    this.multis++;
    this.report({ created: this.created, multis: this.multis });
    this.fill();
  }

  private issue(call: ClientCall, then: (r: CallResult) => void): void {
    const id = this.host.call(this.session, call);
    const r = this.early.get(id);
    if (r !== undefined) {
      this.early.delete(id);
      queueMicrotask(() => then(r));
    } else this.pending.set(id, then);
  }

  private onResult(id: number, r: CallResult): void {
    const then = this.pending.get(id);
    if (!then) {
      this.early.set(id, r);
      return;
    }
    this.pending.delete(id);
    // the next calls go in after the host's pump that delivered this result (no re-entry)
    queueMicrotask(() => then(r));
  }

  private finish(error: string | null): void {
    this.stopped = true;
    this.host.closeClient(this.session);
    this.report({ created: this.created, multis: this.multis, done: true, cancelled: this.cancelled, error });
  }
}
