/**
 * A stand-in for the browser runtime, for the harness self-test only
 * (bench/browser/harness-selftest.ts): it exposes `window.__playground` with the parts of
 * PlaygroundRuntime the harness uses, backed by the deterministic simulator (Ensemble) running
 * on the main thread, with virtual time following the wall clock. Figures taken against it
 * test the harness code paths; they are not measurements of the playground and are never
 * reported by `npm run bench`.
 */
import { ClientSession } from '../../../src/client/client-session.ts';
import type { CallResult, ClientCall } from '../../../src/client/api.ts';
import { Code } from '../../../src/engine/protocol/errors.ts';
import { openAclUnsafe } from '../../../src/engine/protocol/records.ts';
import { Ensemble } from '../../../src/runtime/sim/ensemble.ts';

type Status = { sid: number; role: string; leader: number | null };
type Listener = (events: readonly unknown[], status: readonly Status[]) => void;

let e: Ensemble | null = null;
let last = 0;
const listeners = new Set<Listener>();
const results = new Map<ClientSession, Map<number, (r: CallResult) => void>>();

function status(): Status[] {
  if (!e) return [];
  const ens = e;
  return ens.sids.map((sid) => {
    const p = ens.peers.get(sid);
    if (!p) return { sid, role: 'down', leader: null };
    return { sid, role: p.isServing() ? p.role : 'looking', leader: p.leaderSid ?? null };
  });
}

function loop(): void {
  if (e) {
    const now = performance.now();
    e.run(Math.max(0, Math.round(now - last)));
    last = now;
    const s = status();
    for (const l of [...listeners]) l([], s);
  }
  setTimeout(loop, 2);
}

function codeName(r: CallResult): string {
  if (r.kind === 'ok') return 'ok';
  if (r.kind === 'illegalArgument') return 'IllegalArgument';
  return Object.entries(Code).find(([, v]) => v === r.code)?.[0] ?? String(r.code);
}

function session(connectString: string): ClientSession {
  if (!e) throw new Error('not started');
  const s = new ClientSession(connectString, { sessionTimeout: 30_000, random: () => Math.random() }, e.world.now);
  const pending = new Map<number, (r: CallResult) => void>();
  results.set(s, pending);
  e.world.addClient(s, () => {}, (id, r) => {
    pending.get(id)?.(r);
    pending.delete(id);
  });
  return s;
}

function call(s: ClientSession, c: ClientCall): Promise<CallResult> {
  return new Promise((resolve) => {
    const id = s.call(c);
    results.get(s)!.set(id, resolve);
  });
}

async function connected(s: ClientSession): Promise<void> {
  for (let i = 0; i < 5000 && s.state !== 'CONNECTED'; i++) await new Promise((r) => setTimeout(r, 2));
}

const runtime = {
  async start(config: { zooCfg: string; seed: number }): Promise<void> {
    const servers = (config.zooCfg.match(/^server\.\d+=/gm) ?? []).length;
    e = new Ensemble({ servers, seed: config.seed });
    last = performance.now();
    for (const sid of e.sids) e.start(sid);
  },
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  kill(sid: number): void {
    e?.kill(sid);
  },
  restart(sid: number): void {
    e?.start(sid);
  },
  openConsole(_name: string, connectString: string) {
    const s = session(connectString);
    const outs = new Set<(t: string) => void>();
    return {
      submit(line: string): void {
        const path = line.trim().split(/\s+/)[1] ?? '/';
        void connected(s).then(() => call(s, { type: 'getChildren', path, watch: false })).then((r) => {
          const text = r.kind === 'ok' && r.result.type === 'getChildren' ? `[${r.result.children.join(', ')}]\n` : `${codeName(r)}\n`;
          for (const o of outs) o(text);
        });
      },
      onOutput(l: (t: string) => void): () => void {
        outs.add(l);
        return () => outs.delete(l);
      },
      close(): void {
        s.close();
      },
    };
  },
  bench: {
    async client(connectString: string) {
      const s = session(connectString);
      await connected(s);
      return {
        async call(c: { type: 'create' | 'setData' | 'getData'; path: string; dataBytes?: number }): Promise<string> {
          const data = c.dataBytes === undefined ? null : new Uint8Array(c.dataBytes);
          const cc: ClientCall = c.type === 'create' ? { type: 'create', path: c.path, data, acl: openAclUnsafe, mode: 0, ttl: -1 }
            : c.type === 'setData' ? { type: 'setData', path: c.path, data, version: -1 }
              : { type: 'getData', path: c.path, watch: false };
          return codeName(await call(s, cc));
        },
        close(): void {
          s.close();
        },
      };
    },
  },
};

(window as unknown as { __playground: typeof runtime }).__playground = runtime;
loop();
