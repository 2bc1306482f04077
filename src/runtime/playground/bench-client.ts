/**
 * A bench client: one client session on the ensemble's real client path (the ClientHost the
 * zkCli consoles use: LiveEnsemble or LockstepConductor), without zkCli, so a caller may keep
 * many requests outstanding (pipelining, as the Java client's async API does). Each call
 * resolves with 'ok' or the KeeperException code name; it never rejects.
 *
 * Calls made in the same turn are handed to the session together and the host pumps once for
 * the lot (one postMessage per server instead of one per call): the session still numbers and
 * sends them in call order (ZooKeeper's per-session FIFO), only the host's flush is batched.
 * Used by `npm run bench` (bench/browser/playground-harness.ts); not part of the UI contract.
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import { codeName } from '../../engine/protocol/errors.ts';
import { CreateMode, openAclUnsafe } from '../../engine/protocol/records.ts';
import type { ClientHost } from '../conductor/console.ts';

export interface BenchCall {
  readonly type: 'create' | 'setData' | 'getData' | 'delete' | 'exists';
  readonly path: string;
  /** bytes of data for create/setData (default 0) */
  readonly dataBytes?: number;
}

export interface BenchClient {
  call(c: BenchCall): Promise<string>;
  /** the session's state now ('CONNECTED', ...) */
  state(): string;
  close(): void;
}

export interface BenchHooks {
  client(connectString: string, options?: { sessionTimeout?: number; connectTimeoutMs?: number; batch?: boolean }): Promise<BenchClient>;
}

function resultName(r: CallResult): string {
  if (r.kind === 'ok') return 'ok';
  if (r.kind === 'error') return codeName(r.code);
  return 'illegalArgument';
}

function toClientCall(c: BenchCall, payload: Uint8Array): ClientCall {
  switch (c.type) {
    case 'create': return { type: 'create', path: c.path, data: payload, acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 };
    case 'setData': return { type: 'setData', path: c.path, data: payload, version: -1 };
    case 'getData': return { type: 'getData', path: c.path, watch: false };
    case 'exists': return { type: 'exists', path: c.path, watch: false };
    case 'delete': return { type: 'delete', path: c.path, version: -1 };
  }
}

/**
 * Opens a session on `host` and resolves once it is CONNECTED (rejects after connectTimeoutMs).
 * `batch` (default true): calls of one turn are flushed together.
 */
export async function openBenchClient(host: ClientHost, connectString: string, options: { sessionTimeout?: number; connectTimeoutMs?: number; batch?: boolean } = {}): Promise<BenchClient> {
  const waiters = new Map<number, (r: string) => void>();
  const early = new Map<number, string>();
  const onResult = (id: number, r: CallResult): void => {
    const w = waiters.get(id);
    if (w) {
      waiters.delete(id);
      w(resultName(r));
    } else early.set(id, resultName(r));
  };
  const session = host.addClient(connectString, options.sessionTimeout ?? 30_000, () => undefined, onResult);
  const payloads = new Map<number, Uint8Array>();
  const payload = (n: number): Uint8Array => {
    let p = payloads.get(n);
    if (!p) {
      p = new Uint8Array(n).fill(0x61);
      payloads.set(n, p);
    }
    return p;
  };
  const batch = options.batch ?? true;
  let queue: { call: ClientCall; resolve: (r: string) => void }[] = [];
  const flush = (): void => {
    const q = queue;
    queue = [];
    for (let i = 0; i < q.length; i++) {
      // all but the last go straight into the session (numbered and queued in order); the
      // last goes through the host, which steps time and pumps every ready packet at once
      const id = i === q.length - 1 ? host.call(session, q[i].call) : session.call(q[i].call);
      const done = early.get(id);
      if (done !== undefined) {
        early.delete(id);
        q[i].resolve(done);
      } else waiters.set(id, q[i].resolve);
    }
  };
  const deadline = performance.now() + (options.connectTimeoutMs ?? 30_000);
  while (session.state !== 'CONNECTED') {
    if (!session.isAlive() || performance.now() > deadline) {
      host.closeClient(session);
      throw new Error(`bench client: not connected to ${connectString} (state ${session.state})`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return {
    call(c: BenchCall): Promise<string> {
      const cc = toClientCall(c, payload(c.dataBytes ?? 0));
      return new Promise((resolve) => {
        if (!batch) {
          const id = host.call(session, cc);
          const done = early.get(id);
          if (done !== undefined) {
            early.delete(id);
            resolve(done);
          } else waiters.set(id, resolve);
          return;
        }
        if (queue.length === 0) queueMicrotask(flush);
        queue.push({ call: cc, resolve });
      });
    },
    state: () => session.state,
    close(): void {
      host.closeClient(session);
    },
  };
}
