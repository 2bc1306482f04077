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

  it('the Watches view follows a watch from registration to fired or removed, with text', async () => {
    h = await new Harness(3).start();
    h.run(3000);
    const out: string[] = [];
    const c = h.runtime.openConsole('c1', '127.0.0.1:2181');
    c.onOutput((t) => out.push(t));
    h.run(2000);
    for (const line of ['create /a x', 'get -w /a', 'ls -w /a', 'addWatch -m PERSISTENT /a']) {
      c.submit(line);
      h.run(500);
    }
    const rows = (): string[] => h!.s.vm.watches.filter((w) => w.sid === 1).map((w) => `${w.table} ${w.mode} ${w.path} ${w.state} ${w.fires}`);
    // 3.8.0: addWatch overwrites the (connection, path) mode in both tables
    expect(rows()).toEqual(['data persistent /a registered 0', 'child persistent /a registered 0']);
    c.submit('removewatches /a -c');
    h.run(500);
    // the client's standard child watch (ls -w) goes; the server's table had it overwritten to persistent
    expect(out.join('')).toContain('WatchedEvent state:SyncConnected type:ChildWatchRemoved path:/a');
    expect(rows()).toEqual(['data persistent /a registered 0', 'child persistent /a removed 0']);
    const removed = h.s.vm.watches.find((w) => w.sid === 1 && w.state === 'removed')!;
    expect(removed.firedText).toBe(`persistent child watch on /a removed: removeWatches by session 0x${removed.sessionId.toString(16)}`);
    c.submit('set /a y');
    h.run(500);
    c.submit('set /a z');
    h.run(500);
    expect(rows()).toEqual(['data persistent /a registered 2', 'child persistent /a removed 0']);
    c.submit('close');
    h.run(500);
    expect(rows()).toEqual(['data persistent /a removed 2', 'child persistent /a removed 0']);
    expect(h.s.vm.watches.find((w) => w.sid === 1 && w.table === 'data')!.firedText).toContain('ended (closeSession)');
  });
});
