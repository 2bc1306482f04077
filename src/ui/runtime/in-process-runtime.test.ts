/** The in-process runtime's parts of the contract the Data view and lessons use (`?runtime=sim`). */
import { afterEach, describe, expect, it } from 'vitest';
import { bulkName } from '../../runtime/playground/bulk-create.ts';
import type { PlaygroundEvent } from '../../runtime/playground/api.ts';
import { emptyViewModel, reduceEvents } from '../store/view-models.ts';
import { InProcessRuntime } from './in-process-runtime.ts';
import { zooCfgFor } from './zoo-cfg-lite.ts';

let rt: InProcessRuntime | null = null;
afterEach(() => {
  rt?.dispose();
  rt = null;
});

async function started(initiallyDown?: number[]): Promise<InProcessRuntime> {
  rt = new InProcessRuntime();
  await rt.start({ zooCfg: zooCfgFor(3), seed: 1, mode: 'lockstep', initiallyDown });
  return rt;
}

const leader = (r: InProcessRuntime): number | undefined => r.status().find((s) => s.role === 'leading')?.sid;

describe('InProcessRuntime', () => {
  it('bulkCreate makes every znode through the ensemble, and every server has them', async () => {
    const r = await started();
    r.runFor(10_000);
    expect(leader(r)).toBeDefined();
    const job = r.bulkCreate({ parent: '/bulk', count: 250, batch: 100, connectString: '127.0.0.1:2181' });
    for (let i = 0; i < 200 && !job.progress().done; i++) {
      await new Promise((res) => setTimeout(res, 0));
      r.runFor(50);
    }
    expect(job.progress()).toMatchObject({ created: 250, multis: 3, done: true, error: null });
    r.runFor(1000);
    for (const sid of [1, 2, 3]) {
      const v = r.znodeSync(sid, '/bulk');
      expect(v?.children.length).toBe(250);
      expect(v?.children.at(-1)).toBe(bulkName(249));
      expect(v?.acl).toBe("'world,'anyone\n: cdrwa\n");
    }
  });

  it('startServers starts servers left down, and runUntil steps until a condition holds', async () => {
    const r = await started([1, 2, 3]);
    expect(r.status().every((s) => s.role === 'down')).toBe(true);
    r.startServers([1, 2]);
    expect(await r.runUntil(() => leader(r) !== undefined, 5000)).toBe(true);
    expect(r.status().find((s) => s.sid === 3)?.role).toBe('down');
  });

  it("a decided server's vote is the leader it follows, also after it joined an established leader", async () => {
    const r = await started([3]);
    expect(await r.runUntil(() => leader(r) !== undefined && r.status().filter((s) => s.phase === 'broadcast').length === 2, 10_000)).toBe(true);
    const l = leader(r)!;
    // server 3 starts late: it never votes for the leader in a round of its own, it learns it
    r.startServers([3]);
    expect(await r.runUntil(() => r.status().find((s) => s.sid === 3)?.phase === 'broadcast', 10_000)).toBe(true);
    for (const s of r.status()) expect(s.vote?.leader).toBe(l);
    const late = r.status().find((s) => s.sid === 3)!;
    expect(late.vote?.peerEpoch).toBe(late.currentEpoch);
  });

  it("reports each log flush, and the Zab view counts the leader's ack at its flush", async () => {
    const r = await started();
    const events: PlaygroundEvent[] = [];
    r.subscribe((batch) => events.push(...batch));
    r.runFor(10_000);
    const l = leader(r)!;
    const job = r.bulkCreate({ parent: '/f', count: 20, batch: 1, connectString: '127.0.0.1:2181' });
    for (let i = 0; i < 200 && !job.progress().done; i++) {
      await new Promise((res) => setTimeout(res, 0));
      r.runFor(50);
    }
    expect(job.progress().done).toBe(true);
    r.runFor(1000);
    const persisted = events.filter((e): e is Extract<PlaygroundEvent, { type: 'persisted' }> => e.type === 'persisted' && e.what === 'txns' && e.sid === l);
    const written = persisted.filter((e) => !e.flushed);
    const flushed = persisted.filter((e) => e.flushed);
    expect(written.length).toBeGreaterThanOrEqual(21);
    expect(flushed.length).toBeGreaterThan(0);
    // every write is flushed, after it was written
    const lastWritten = written[written.length - 1];
    expect(flushed[flushed.length - 1].zxid).toBe(lastWritten.zxid);
    expect(flushed[flushed.length - 1].seq).toBeGreaterThan(lastWritten.seq);
    const vm = reduceEvents(emptyViewModel(), events, r.status());
    const rows = vm.zab.filter((row) => row.leader === l);
    expect(rows.length).toBeGreaterThanOrEqual(21);
    for (const row of rows) {
      expect(row.acks).toContain(l);
      expect(row.quorumT).not.toBeNull();
    }
  });
});
