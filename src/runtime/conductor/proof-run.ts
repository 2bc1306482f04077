/**
 * The determinism proof's run: one fixed lockstep scenario (elect, a client writes through a
 * follower, a drop that breaks a Zab connection, the leader is killed, re-election, restart,
 * a one-way partition, a delayed message, heal) driven message by message. Node runs it with in-process servers, the browser with servers
 * in Web Workers; the trace hashes must be equal.
 */
import type { CallResult } from '../../client/api.ts';
import type { Sid } from '../../engine/protocol/ids.ts';
import { CreateMode, openAclUnsafe } from '../../engine/protocol/records.ts';
import { utf8Decode, utf8Encode } from '../../engine/util/bytes.ts';
import type { HostSpawner } from './host-link.ts';
import { LockstepConductor, type ConductorOptions } from './lockstep.ts';

export const proofOptions: ConductorOptions = {
  voters: [1, 2, 3], observers: [], tickTime: 2000, initLimit: 10, syncLimit: 5, seed: 42, startMs: Date.UTC(2026, 0, 1),
};

export interface ProofResult {
  readonly hash: string;
  readonly events: number;
  readonly firstLeader: Sid | null;
  readonly secondLeader: Sid | null;
  readonly data: string | null;
  readonly virtualMs: number;
}

const stepsMax = 20_000;

export async function runProof(spawner: HostSpawner, options: ConductorOptions = proofOptions): Promise<ProofResult> {
  await spawner.wipe();
  const c = new LockstepConductor(options, spawner);
  await c.start();
  const serving = (): boolean => c.leader() !== null && [...c.status.values()].every((s) => s.role === 'down' || s.phase === 'broadcast');
  await c.runUntil(serving, stepsMax);
  const firstLeader = c.leader();
  const follower = c.sids().find((s) => s !== firstLeader && c.isUp(s))!;
  const results = new Map<number, CallResult>();
  const session = c.addClient(`127.0.0.1:${2180 + follower}`, 30_000, () => {}, (id, r) => results.set(id, r));
  await c.settled();
  await c.runUntil(() => session.state === 'CONNECTED', stepsMax);
  const create = c.call(session, { type: 'create', path: '/proof', data: utf8Encode('v1'), acl: openAclUnsafe, mode: CreateMode.PERSISTENT, ttl: -1 });
  await c.settled();
  await c.runUntil(() => results.has(create), stepsMax);
  // drop a ping on a Zab link: the connection breaks and the follower rejoins
  await c.runUntil(() => c.inFlightMessages().some((m) => m.kind === 'ping'), stepsMax);
  const ping = c.inFlightMessages().find((m) => m.kind === 'ping');
  if (ping) await c.drop(ping.msgId);
  await c.runUntil(serving, stepsMax);
  await c.kill(firstLeader!);
  await c.runUntil(() => c.leader() !== null && c.leader() !== firstLeader, stepsMax);
  const secondLeader = c.leader();
  await c.restart(firstLeader!);
  await c.runUntil(serving, stepsMax);
  // a one-way partition from the leader, a delayed message, heal
  const leaderNow = c.leader()!;
  await c.partition([[leaderNow], c.sids().filter((s) => s !== leaderNow)], true);
  for (let i = 0; i < 40; i++) await c.step();
  const waiting = c.inFlightMessages()[0];
  if (waiting) await c.delay(waiting.msgId, 300);
  await c.heal();
  await c.runUntil(serving, stepsMax);
  const get = c.call(session, { type: 'getData', path: '/proof', watch: false });
  await c.settled();
  await c.runUntil(() => results.has(get), stepsMax);
  const r = results.get(get);
  const data = r && r.kind === 'ok' && r.result.type === 'getData' && r.result.data ? utf8Decode(r.result.data) : null;
  c.shutdown();
  return { hash: c.traceHash(), events: c.events.length, firstLeader, secondLeader, data, virtualMs: c.now - options.startMs };
}
