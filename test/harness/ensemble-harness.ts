/**
 * A fluent harness over the simulated ensemble for behaviour tests:
 *   h.startAll().settle().expectLeader(3).kill(3).settle().expectLeader(2)
 */
import { expect } from 'vitest';
import type { CallResult, ClientCall } from '../../src/client/api.ts';
import { ClientSession } from '../../src/client/client-session.ts';
import type { Sid } from '../../src/engine/protocol/ids.ts';
import { utf8Encode } from '../../src/engine/util/bytes.ts';
import { Ensemble, type EnsembleOptions } from '../../src/runtime/sim/ensemble.ts';
import { settle } from '../../src/runtime/sim/ensemble-status.ts';

export class EnsembleHarness {
  readonly e: Ensemble;
  readonly logs: string[] = [];
  private readonly results = new Map<number, CallResult>();
  readonly events: string[] = [];

  constructor(opts: Partial<EnsembleOptions> = {}) {
    this.e = new Ensemble({ servers: 3, seed: 1, ...opts });
    this.e.traceListeners.push((_sid, events) => {
      for (const ev of events) if (ev.type === 'log') this.logs.push(ev.text);
    });
  }

  start(...sids: Sid[]): this {
    for (const s of sids) this.e.start(s);
    return this;
  }

  startAll(): this {
    return this.start(...this.e.sids);
  }

  kill(...sids: Sid[]): this {
    for (const s of sids) this.e.kill(s);
    return this;
  }

  run(ms: number): this {
    this.e.run(ms);
    return this;
  }

  settle(): this {
    expect(settle(this.e)).toMatch(/^settled/);
    return this;
  }

  leader(): Sid | null {
    return this.e.leader();
  }

  expectLeader(sid: Sid): this {
    expect(this.e.leader()).toBe(sid);
    return this;
  }

  client(connectString: string, timeout = 30_000): ClientSession {
    const c = new ClientSession(connectString, { sessionTimeout: timeout, random: () => this.e.rng.next(), shuffleHosts: false }, this.e.world.now);
    this.e.world.addClient(c, (ev) => this.events.push(`${ev.state}:${ev.type}:${ev.path}`), (id, r) => this.results.set(id, r));
    this.e.world.run(this.e.world.now + 10_000, () => c.state === 'CONNECTED');
    return c;
  }

  call(c: ClientSession, call: ClientCall, waitMs = 30_000): CallResult {
    const id = c.call(call);
    this.e.world.run(this.e.world.now + waitMs, () => this.results.has(id));
    const r = this.results.get(id);
    expect(r, `no answer to ${call.type} within ${waitMs} ms`).toBeDefined();
    return r!;
  }

  create(c: ClientSession, path: string, data = ''): CallResult {
    return this.call(c, { type: 'create', path, data: utf8Encode(data), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], mode: 0, ttl: -1 });
  }

  syncLogs(): string[] {
    return this.logs.filter((l) => l.includes(' syncs '));
  }
}
