/**
 * The seeded fault simulator (VOPR-style, STYLE.md 11). One seed = one run:
 *   swarm: ensemble size and every fault rate are drawn from the seed;
 *   safety phase: clients write and read a small key space while servers crash and restart
 *   (losing unflushed writes), links are partitioned and healed; checkers run after every step;
 *   liveness phase: heal everything, restart every server, and require convergence;
 *   then the write history is checked for linearizability (Porcupine).
 * Storage is swarmed too: some seeds take snapshots every few dozen txns (zoo.cfg snapCount)
 * and some crashes tear the unflushed tail of a file. Clients pipeline watching reads besides
 * their tracked operation, for the watch and client-order checkers.
 * A violation carries the command that reproduces it.
 */
import type { CallResult, ClientCall } from '../../client/api.ts';
import { ClientSession } from '../../client/client-session.ts';
import { Code } from '../../engine/protocol/errors.ts';
import { AssertionError } from '../../engine/util/assert.ts';
import { utf8Decode, utf8Encode } from '../../engine/util/bytes.ts';
import { Checkers, type WatchKind } from './checkers.ts';
import { Ensemble } from './ensemble.ts';
import { settle } from './ensemble-status.ts';
import { Rng } from './rng.ts';
import { checkOperations } from './linearizability/checker.ts';
import { zkModel, zkWritesOnly, type ZkInput, type ZkOutput } from './linearizability/zk-model.ts';
import type { Operation } from './linearizability/model.ts';

export interface SimOptions {
  readonly seed: number;
  /** virtual ms of the safety phase */
  readonly durationMs: number;
  /** ensemble size; by default drawn from the seed (3, 3 or 5) */
  readonly servers?: number;
}

export interface SimResult {
  readonly seed: number;
  readonly servers: number;
  readonly violations: string[];
  readonly ops: number;
  readonly history: Operation<ZkInput, ZkOutput>[];
  readonly repro: string;
}

const stepMs = 50;
const keys = ['/k0', '/k1', '/k2', '/k3'];
const openAcl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }] as const;

interface SimClient {
  readonly id: number;
  session: ClientSession;
  /** the current session's bookkeeping; a replaced session keeps its own */
  rec: SessionRec;
  inflight: { callId: number; op: Operation<ZkInput, ZkOutput> } | null;
}

interface SessionRec {
  /** the ClientWorld's id of the session (checkers key on it) */
  worldId: number;
  /** watching reads in flight: a successful answer registers the watch */
  readonly watching: Map<number, { path: string; kind: WatchKind; exists: boolean }>;
}

/** Adds `session` to the world; its answers go to its own SessionRec, even after a reopen. */
function attach(e: Ensemble, session: ClientSession, checkers: Checkers, client: () => SimClient): SessionRec {
  const rec: SessionRec = { worldId: 0, watching: new Map() };
  rec.worldId = e.world.addClient(session, () => {}, (callId, result) => onResult(e, client(), rec, callId, result, checkers));
  return rec;
}

export function runSeed(opts: SimOptions): SimResult {
  const rng = new Rng(opts.seed);
  const drawn = rng.pick([3, 3, 5]);
  const servers = opts.servers ?? drawn;
  const rates = { kill: rng.next() * 0.02, restart: rng.next() * 0.1, partition: rng.next() * 0.01, heal: rng.next() * 0.05, op: 0.3 + rng.next() * 0.6 };
  const ensembleSeed = rng.nextU32();
  // storage swarm from its own generator, so the rest of the run draws as it always did
  const storage = new Rng((opts.seed * 2654435761 + 17) >>> 0);
  const snapCount = storage.pick([100_000, 100_000, 20, 60]);
  const tornWrites = storage.chance(0.5);
  const e = new Ensemble({ servers, seed: ensembleSeed, peerDelayMs: [1, 1 + rng.int(0, 20)], fsyncDelayMs: [0, rng.int(1, 10)], snapCount, tornWrites });
  const checkers = new Checkers(e);
  e.world.notificationHook = (client, from, event) => checkers.onNotification(client, from, event);
  const history: Operation<ZkInput, ZkOutput>[] = [];
  const repro = `npm run sim -- --seed ${opts.seed}${opts.servers === undefined ? '' : ` --servers ${opts.servers}`}`;
  try {
    for (const sid of e.sids) e.start(sid);
    settle(e);
    const clients = openClients(e, rng, history, checkers);
    safetyPhase(e, rng, rates, clients, history, checkers, opts.durationMs);
    e.heal();
    for (const sid of e.sids) if (!e.isUp(sid)) e.start(sid);
    const settled = settle(e);
    if (settled.startsWith('did not')) checkers.fail(`liveness: ${settled} after healing`);
    e.run(2000);
    checkers.checkConverged();
    const lin = checkOperations(zkModel, zkWritesOnly(history), { stepsMax: 2_000_000 });
    if (lin.result === 'illegal') checkers.fail('linearizability: the write history is not linearizable');
  } catch (err) {
    if (!(err instanceof AssertionError) && !(err instanceof Error)) throw err;
    checkers.fail(`crash: ${(err as Error).message}`);
  }
  return { seed: opts.seed, servers, violations: checkers.allViolations(), ops: history.length, history, repro };
}

function openClients(e: Ensemble, rng: Rng, history: Operation<ZkInput, ZkOutput>[], checkers: Checkers): SimClient[] {
  const connect = e.sids.map((s) => e.address(s)).join(',');
  const clients: SimClient[] = [];
  for (let i = 0; i < 3; i++) {
    const session = new ClientSession(connect, { sessionTimeout: 10_000, random: () => rng.next() }, e.world.now);
    const client: SimClient = { id: i, session, rec: { worldId: 0, watching: new Map() }, inflight: null };
    client.rec = attach(e, session, checkers, () => client);
    clients.push(client);
  }
  void history;
  return clients;
}

function safetyPhase(e: Ensemble, rng: Rng, rates: Record<string, number>, clients: SimClient[], history: Operation<ZkInput, ZkOutput>[], checkers: Checkers, durationMs: number): void {
  const end = e.world.now + durationMs;
  for (let i = 0; e.world.now < end && i < 1_000_000; i++) {
    faults(e, rng, rates);
    for (const c of clients) if (c.inflight === null && c.session.state === 'CONNECTED' && rng.chance(rates.op)) issue(e, rng, c, history, checkers);
    // ephemerals and session churn: a client creates ephemerals and now and then closes its
    // session (the closeSession txn must delete them everywhere) and opens a new one
    for (const c of clients) {
      if (c.inflight === null && c.session.state === 'CONNECTED' && rng.chance(0.05)) {
        call(c, checkers, { type: 'create', path: `/e${c.id}-${rng.int(0, 3)}`, data: null, acl: openAcl, mode: 1, ttl: -1 });
      }
      if (c.session.state === 'CONNECTED' && rng.chance(0.1)) watchingRead(c, rng, checkers);
      if (c.inflight === null && rng.chance(0.004)) reopen(e, rng, c, checkers);
    }
    e.run(stepMs);
    checkers.checkStep();
    if (checkers.allViolations().length > 0) return;
  }
}

function reopen(e: Ensemble, rng: Rng, c: SimClient, checkers: Checkers): void {
  c.session.close();
  const connect = e.sids.map((s) => e.address(s)).join(',');
  c.session = new ClientSession(connect, { sessionTimeout: 10_000, random: () => rng.next() }, e.world.now);
  c.rec = attach(e, c.session, checkers, () => c);
}

/** Every call goes through here, so the client-order checker sees the issue order. */
function call(c: SimClient, checkers: Checkers, op: ClientCall): number {
  const callId = c.session.call(op);
  checkers.clientOrder.issued(c.rec.worldId, callId);
  return callId;
}

/** A pipelined read that leaves a watch (not part of the linearizability history). */
function watchingRead(c: SimClient, rng: Rng, checkers: Checkers): void {
  const kind = rng.int(0, 2);
  if (kind === 2) {
    c.rec.watching.set(call(c, checkers, { type: 'getChildren', path: '/', watch: true }), { path: '/', kind: 'child', exists: false });
    return;
  }
  const path = rng.pick(keys);
  const op: ClientCall = kind === 0 ? { type: 'exists', path, watch: true } : { type: 'getData', path, watch: true };
  c.rec.watching.set(call(c, checkers, op), { path, kind: 'data', exists: kind === 0 });
}

function faults(e: Ensemble, rng: Rng, rates: Record<string, number>): void {
  const up = e.sids.filter((s) => e.isUp(s));
  const down = e.sids.filter((s) => !e.isUp(s));
  if (up.length > 0 && rng.chance(rates.kill)) e.kill(rng.pick(up));
  if (down.length > 0 && rng.chance(rates.restart)) e.start(rng.pick(down));
  if (rng.chance(rates.partition)) {
    const shuffled = [...e.sids].sort(() => rng.next() - 0.5);
    const cut = rng.int(1, shuffled.length - 1);
    e.partition([shuffled.slice(0, cut), shuffled.slice(cut)], rng.chance(0.2));
  }
  if (rng.chance(rates.heal)) e.heal();
}

function issue(e: Ensemble, rng: Rng, c: SimClient, history: Operation<ZkInput, ZkOutput>[], checkers: Checkers): void {
  const path = rng.pick(keys);
  const data = `v${rng.int(0, 99)}`;
  const kind = rng.int(0, 3);
  let input: ZkInput;
  let callId: number;
  if (kind === 0) {
    input = { type: 'create', path, data };
    callId = call(c, checkers, { type: 'create', path, data: utf8Encode(data), acl: openAcl, mode: 0, ttl: -1 });
  } else if (kind === 1) {
    input = { type: 'setData', path, data, version: -1 };
    callId = call(c, checkers, { type: 'setData', path, data: utf8Encode(data), version: -1 });
  } else if (kind === 2) {
    input = { type: 'delete', path, version: -1 };
    callId = call(c, checkers, { type: 'delete', path, version: -1 });
  } else {
    input = { type: 'getData', path };
    const watch = rng.chance(0.5);
    callId = call(c, checkers, { type: 'getData', path, watch });
    if (watch) c.rec.watching.set(callId, { path, kind: 'data', exists: false });
  }
  const op: Operation<ZkInput, ZkOutput> = { clientId: c.id, input, call: e.world.now, output: { type: 'unknown' }, return: null };
  history.push(op);
  c.inflight = { callId, op };
}

function onResult(e: Ensemble, c: SimClient, rec: SessionRec, callId: number, r: CallResult, checkers: Checkers): void {
  checkers.clientOrder.completed(rec.worldId, callId);
  const watch = rec.watching.get(callId);
  if (watch) {
    rec.watching.delete(callId);
    // ZooKeeper's client registers on success, and an exists watch on NoNode too
    const nonode = r.kind === 'error' && r.code === Code.NONODE;
    if (r.kind === 'ok' || (nonode && watch.exists)) checkers.watches.registered(rec.worldId, watch.path, watch.kind);
  }
  if (c.rec !== rec || !c.inflight || c.inflight.callId !== callId) return;
  const op = c.inflight.op as { output: ZkOutput; return: number | null };
  c.inflight = null;
  const out = toOutput(r);
  if (out === null) return; // ConnectionLoss: the op may or may not have happened ("info")
  op.output = out;
  op.return = e.world.now;
  if (r.kind === 'ok' && 'stat' in r.result && (r.result.type === 'create' || r.result.type === 'setData')) {
    checkers.ackedWrites.push(r.result.type === 'create' ? r.result.stat.czxid : r.result.stat.mzxid);
  }
}

function toOutput(r: CallResult): ZkOutput | null {
  if (r.kind === 'illegalArgument') return null;
  if (r.kind === 'error') {
    if (r.code === Code.NONODE) return { type: 'error', code: 'NoNode' };
    if (r.code === Code.NODEEXISTS) return { type: 'error', code: 'NodeExists' };
    if (r.code === Code.BADVERSION) return { type: 'error', code: 'BadVersion' };
    if (r.code === Code.NOTEMPTY) return { type: 'error', code: 'NotEmpty' };
    return null;
  }
  const res = r.result;
  switch (res.type) {
    case 'create': return { type: 'created', path: res.path };
    case 'setData': return { type: 'stat', version: res.stat.version };
    case 'delete': return { type: 'deleted' };
    case 'getData': return { type: 'data', data: res.data === null ? null : utf8Decode(res.data), version: res.stat.version };
    default: return null;
  }
}
