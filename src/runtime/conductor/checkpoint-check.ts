/**
 * The checkpoint property, for one seed: a lockstep run driven by a seeded script (steps,
 * kills, restarts, partitions, heals, drops, delays, client writes and reads) is checkpointed
 * at a random action k1; the run goes on to the end (trace hash A); then the checkpoint is
 * restored (fresh servers, rebuilt from their images) and the same script goes on from k1 —
 * checkpointed again at k2 along the way — to the end (hash B); then k2's checkpoint is
 * restored and the script finishes once more (hash C). A == B == C, or the seed fails and the
 * result names the command that reproduces it (`npm run checkpoint-check -- --seed N`).
 */
import type { ClientSession } from '../../client/client-session.ts';
import { CreateMode, openAclUnsafe } from '../../engine/protocol/records.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import { checkpointGraph, restoreGraph, type GraphImage, type Node, type Val } from '../../engine/util/checkpoint.ts';
import { utf8Encode } from '../../engine/util/bytes.ts';
import { Rng } from '../../engine/util/rng.ts';
import { checkpointRegistry } from '../host/checkpoint-registry.ts';
import { InProcessSpawner } from './in-process.ts';
import { LockstepConductor, type RunCheckpoint } from './lockstep.ts';

export interface CheckpointCheckResult {
  readonly seed: number;
  readonly ok: boolean;
  readonly steps: number;
  readonly k1: number;
  readonly k2: number;
  readonly hashes: readonly string[];
  /** the checkpoint images at k2 of the uninterrupted and the restored run are equal */
  readonly sameState: boolean;
  readonly events: readonly number[];
  /** the command that runs this seed again */
  readonly repro: string;
}

export interface CheckpointCheckOptions {
  /** script steps (default 400) */
  readonly steps?: number;
  /** tests only: break the restore (the rng is not restored) to see a failure reported */
  readonly sabotage?: boolean;
}

/** restarts that failed, for the report (see drive) */
export const restartFailures: string[] = [];

interface Driver {
  rng: Rng;
  clientId: number | null;
}

export async function checkCheckpointSeed(seed: number, options: CheckpointCheckOptions = {}): Promise<CheckpointCheckResult> {
  const steps = options.steps ?? 400;
  const pick = new Rng(seed ^ 0x5eed);
  const k1 = pick.int(0, steps - 2);
  const k2 = pick.int(k1 + 1, steps - 1);
  const voters = seed % 3 === 0 ? [1, 2, 3, 4, 5] : [1, 2, 3];
  const c = new LockstepConductor({ voters, observers: seed % 4 === 1 ? [9] : [], tickTime: 2000, initLimit: 10, syncLimit: 5, seed, startMs: Date.UTC(2026, 0, 1) }, new InProcessSpawner());
  c.checkpointEvery = 0;
  await c.start();
  const d: Driver = { rng: new Rng(seed), clientId: null };
  const hashes: string[] = [];
  const events: number[] = [];
  let cp1: { run: RunCheckpoint; driver: Driver } | null = null;
  let cp2: { run: RunCheckpoint; driver: Driver } | null = null;
  // the whole state at k2 (every server's image and dataDir, the conductor's): equal in both runs
  const statesAtK2: string[] = [];
  const finish = async (from: number, takeAt: number | null): Promise<void> => {
    for (let i = from; i < steps; i++) {
      if (i === takeAt) {
        const run = await c.takeCheckpoint();
        const driver = copyDriver(d);
        if (takeAt === k1) cp1 = { run, driver };
        else cp2 = { run, driver };
      }
      if (i === k2 && statesAtK2.length < 2) statesAtK2.push(canonical(takeAt === k2 ? cp2!.run : await c.takeCheckpoint()));
      await drive(c, d);
    }
    await c.settled();
    hashes.push(c.traceHash());
    events.push(c.events.length);
  };
  const restore = async (cp: { run: RunCheckpoint; driver: Driver }): Promise<void> => {
    await c.restoreCheckpoint(cp.run);
    const x = copyDriver(cp.driver);
    d.rng = options.sabotage === true ? new Rng(seed + 1) : x.rng;
    d.clientId = x.clientId;
  };
  await finish(0, k1);
  await restore(cp1!);
  await finish(k1, k2);
  await restore(cp2!);
  await finish(k2, null);
  c.shutdown();
  const sameState = statesAtK2.length === 2 && statesAtK2[0] === statesAtK2[1];
  const ok = sameState && hashes.every((h) => h === hashes[0]) && events.every((n) => n === events[0]);
  return { seed, ok, sameState, steps, k1, k2, hashes, events, repro: `npm run -s checkpoint-check -- --seed ${seed} --steps ${steps}` };
}

/**
 * A checkpoint as text, by value: each image expanded from its root (bigints and bytes spelled
 * out, a cycle as a back reference). Which equal values share one object is left out: an
 * in-process run shares a client's ACL list with the server's tree, a restored one has copies.
 */
function canonical(cp: RunCheckpoint): string {
  const parts = [`actions ${cp.actions} events ${cp.events}`, expand(cp.state)];
  for (const x of cp.servers) parts.push(`server ${x.sid}: ${x.server ? expand(x.server.host) : 'down'} files ${JSON.stringify((x.server?.files ?? x.files ?? []).map(([p, b]) => [p, hexOf(b)]))}`);
  return parts.join('\n');
}

function expand(image: GraphImage): string {
  const out: string[] = [];
  const onPath: number[] = [];
  const val = (v: Val): void => {
    if (v === null || typeof v !== 'object') {
      out.push(typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? 'undefined');
      return;
    }
    const depth = onPath.indexOf(v.r);
    if (depth >= 0) {
      out.push(`^${onPath.length - depth}`);
      return;
    }
    onPath.push(v.r);
    node(image.nodes[v.r]);
    onPath.pop();
  };
  const node = (n: Node): void => {
    switch (n.k) {
      case 'o': out.push(`${n.c ?? ''}{`); n.ks.forEach((k, i) => { out.push(`${k}:`); val(n.vs[i]); }); out.push('}'); break;
      case 'a': out.push(`${n.c ?? ''}[`); n.vs.forEach(val); out.push(']'); break;
      case 's': out.push(`${n.c ?? ''}Set(`); n.vs.forEach(val); out.push(')'); break;
      case 'm': out.push(`${n.c ?? ''}Map(`); n.ks.forEach((k, i) => { val(k); out.push('=>'); val(n.vs[i]); }); out.push(')'); break;
      case 'ab': out.push(`buf(${hexOf(new Uint8Array(n.bytes))})`); break;
      case 'ta': out.push(`${n.t}(${n.off},${n.len},`); val(n.buf); out.push(')'); break;
      case 'f': out.push(`fn.${n.m}(`); val(n.t); out.push(')'); break;
      default: out.push(`${n.k}:${n.n}`);
    }
  };
  val(image.root);
  return out.join(' ');
}

function hexOf(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function copyDriver(d: Driver): Driver {
  return restoreGraph<Driver>(checkpointGraph(d, checkpointRegistry()), checkpointRegistry());
}

/** One step of the seeded script: mostly the next delivery or timeout, sometimes a fault or a client call. */
async function drive(c: LockstepConductor, d: Driver): Promise<void> {
  const r = d.rng.next();
  const sids = c.sids();
  const up = sids.filter((s) => c.isUp(s));
  const down = sids.filter((s) => !c.isUp(s));
  const inFlight = c.inFlightMessages();
  if (r < 0.8) await c.step();
  else if (r < 0.82 && up.length > 1) await c.kill(d.rng.pick(up));
  else if (r < 0.85 && down.length > 0) {
    // a dataDir ZooKeeper refuses to load (DataDirError) leaves the server down, in every run alike
    await c.restart(d.rng.pick(down)).catch((e: unknown) => {
      restartFailures.push(e instanceof Error ? e.message : String(e));
    });
  }
  else if (r < 0.865) {
    const shuffled = d.rng.shuffle(sids);
    const cut = d.rng.int(1, sids.length - 1);
    await c.partition([shuffled.slice(0, cut), shuffled.slice(cut)], d.rng.chance(0.3));
  } else if (r < 0.89) await c.heal();
  else if (r < 0.91 && inFlight.length > 0) await c.drop(d.rng.pick(inFlight).msgId);
  else if (r < 0.93 && inFlight.length > 0) await c.delay(d.rng.pick(inFlight).msgId, d.rng.int(1, 3000));
  else if (r < 0.94) await c.advance();
  else await clientStep(c, d, sids);
}

async function clientStep(c: LockstepConductor, d: Driver, sids: readonly Sid[]): Promise<void> {
  const session: ClientSession | null = d.clientId === null ? null : c.clientSession(d.clientId);
  if (session === null || !session.isAlive()) {
    const hosts = d.rng.shuffle(sids).map((s) => `127.0.0.1:${2180 + s}`).join(',');
    const s = c.addClient(hosts, d.rng.pick([4000, 10_000, 30_000]), () => {}, () => {});
    d.clientId = c.clientIdOf(s);
  } else {
    const path = `/k${d.rng.int(0, 4)}`;
    const kind = d.rng.int(0, 3);
    if (kind === 0) c.call(session, { type: 'create', path, data: utf8Encode(`v${d.rng.int(0, 99)}`), acl: openAclUnsafe, mode: d.rng.chance(0.3) ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT, ttl: -1 });
    else if (kind === 1) c.call(session, { type: 'setData', path, data: utf8Encode(`w${d.rng.int(0, 99)}`), version: -1 });
    else if (kind === 2) c.call(session, { type: 'getData', path, watch: d.rng.chance(0.5) });
    else c.call(session, { type: 'delete', path, version: -1 });
  }
  await c.settled();
}
