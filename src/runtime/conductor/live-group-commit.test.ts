import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/util/rng.ts';
import { BrowserPlayground } from '../playground/browser-playground.ts';
import type { PlaygroundEvent } from '../playground/api.ts';
import { inProcessLiveWorkers } from './in-process-live.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return cond();
}

describe('live trace of pipelined writes (in-process workers)', () => {
  it('batches: one messageDelivered per batch taken in, one persisted per group commit; every message and txn still covered', async () => {
    const rng = new Rng(7);
    const pg = new BrowserPlayground({ liveWorkers: inProcessLiveWorkers(() => rng.next()) });
    const events: PlaygroundEvent[] = [];
    pg.subscribe((evs) => void events.push(...evs));
    await pg.start({ zooCfg, seed: 7, mode: 'live' });
    expect(await waitFor(() => pg.leader() !== null && pg.status().every((s) => s.phase === 'broadcast'), 20_000)).toBe(true);
    const leader = pg.leader()!;
    const follower = leader === 1 ? 2 : 1;
    const c = await pg.bench.client(`127.0.0.1:${2180 + follower}`);
    const n = 400;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => c.call({ type: 'create', path: `/p${i}`, dataBytes: 10 })));
    expect(results.every((r) => r === 'ok')).toBe(true);
    c.close();
    expect(await waitFor(() => new Set(pg.status().map((s) => s.committedZxid)).size === 1, 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    const last = pg.status().find((s) => s.sid === leader)!.committedZxid;
    pg.shutdown();

    // every message sent was reported delivered (none dropped: no fault), most of them in batches
    const sent = new Set(events.filter((e) => e.type === 'messageSent').map((e) => e.msgId));
    const deliveries = events.filter((e) => e.type === 'messageDelivered');
    const delivered = deliveries.flatMap((e) => e.msgIds);
    expect(new Set(delivered).size).toBe(delivered.length);
    for (const id of delivered) expect(sent.has(id)).toBe(true);
    expect(delivered.length).toBeGreaterThan(9 * n);
    expect(deliveries.length).toBeLessThan(delivered.length / 2);

    // each server: persisted txns events in zxid order, fewer than its txns, the last flushed one
    // at the last zxid (every txn logged and synced)
    for (const sid of [1, 2, 3]) {
      const persisted = events.filter((e): e is Extract<PlaygroundEvent, { type: 'persisted' }> => e.type === 'persisted' && e.sid === sid && e.what === 'txns');
      const zxids = persisted.map((e) => e.zxid);
      for (let i = 1; i < zxids.length; i++) expect(zxids[i] >= zxids[i - 1]).toBe(true);
      expect(persisted.length).toBeLessThan(n);
      const flushed = persisted.filter((e) => e.flushed);
      expect(flushed.at(-1)!.zxid).toBe(last);
    }
  }, 60_000);
});
