/**
 * The store driven end to end by the in-process runtime (the real simulator): intents in,
 * view state out, no React and no browser (STYLE.md 20's fluent harness).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreApi } from 'zustand';
import type { Sid } from '../../engine/protocol/ids.ts';
import { InProcessRuntime } from '../runtime/in-process-runtime.ts';
import { zooCfgFor } from '../runtime/zoo-cfg-lite.ts';
import { createPlaygroundStore, type PlaygroundState } from './store.ts';
import { leaderOf } from './view-models.ts';

class Harness {
  readonly runtime = new InProcessRuntime();
  readonly store: StoreApi<PlaygroundState>;

  constructor(servers: number) {
    this.store = createPlaygroundStore(this.runtime, { zooCfg: zooCfgFor(servers), seed: 1, mode: 'lockstep' });
  }

  get s(): PlaygroundState {
    return this.store.getState();
  }

  async start(): Promise<this> {
    await this.s.startRun({ play: false });
    return this;
  }

  run(ms: number): this {
    this.runtime.runFor(ms);
    return this;
  }

  kill(sid: Sid): this {
    this.s.kill(sid);
    return this;
  }

  partition(sids: Sid[]): this {
    for (const sid of sids) this.s.togglePick(sid);
    this.s.partitionPicked();
    return this;
  }

  expectLeader(sid: Sid | null): this {
    expect(leaderOf(this.s.status)).toBe(sid);
    return this;
  }

  expectRole(sid: Sid, role: string): this {
    expect(this.s.status.find((x) => x.sid === sid)?.role).toBe(role);
    return this;
  }

  dispose(): void {
    this.runtime.dispose();
  }
}

let h: Harness | null = null;
afterEach(() => {
  h?.dispose();
  h = null;
});

describe('store over the in-process runtime', () => {
  it('elects server 3, re-elects after it dies, and records the election', async () => {
    h = await new Harness(3).start();
    h.run(3000).expectLeader(3).expectRole(1, 'following');
    expect(Object.keys(h.s.vm.election).map(Number).sort()).toEqual([1, 2, 3]);
    expect(h.s.vm.timeline.some((m) => m.kind === 'notification')).toBe(true);
    h.kill(3).run(30_000).expectRole(3, 'down');
    expect([1, 2]).toContain(leaderOf(h.s.status));
    expect(h.s.vm.marks.some((m) => m.kind === 'fault' && m.text.includes('server 3 killed'))).toBe(true);
  });

  it('a partitioned minority loses its leader', async () => {
    h = await new Harness(3).start();
    h.run(3000).expectLeader(3).partition([3]).run(30_000);
    expect(h.s.partitioned).toEqual([[3], [1, 2]]);
    expect(h.s.status.find((x) => x.sid === 3)?.role).toBe('looking');
    expect([1, 2]).toContain(leaderOf(h.s.status));
  });

  it('a console write goes through Zab and is applied everywhere', async () => {
    h = await new Harness(3).start();
    h.run(3000);
    const out: string[] = [];
    const c = h.runtime.openConsole('c1', '127.0.0.1:2181');
    c.onOutput((t) => out.push(t));
    h.run(2000);
    c.submit('create /a x');
    h.run(500);
    expect(out.join('')).toContain('Created /a');
    const row = h.s.vm.zab.at(-1)!;
    expect(row.text).toContain('create /a');
    expect(row.committedT).not.toBeNull();
    expect(Object.keys(row.applied).map(Number).sort()).toEqual([1, 2, 3]);
  });
});
