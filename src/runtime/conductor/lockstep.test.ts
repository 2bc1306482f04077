import { describe, expect, it } from 'vitest';
import { InProcessSpawner } from './in-process.ts';
import { runProof } from './proof-run.ts';

describe('lockstep conductor (in-process servers)', () => {
  it('elects, writes through a follower, survives a broken Zab link and the leader dying', async () => {
    const r = await runProof(new InProcessSpawner());
    expect(r.firstLeader).not.toBeNull();
    expect(r.secondLeader).not.toBeNull();
    expect(r.secondLeader).not.toBe(r.firstLeader);
    expect(r.data).toBe('v1');
    console.log(`proof run: ${r.events} events, ${r.virtualMs} virtual ms, leaders ${r.firstLeader} then ${r.secondLeader}, trace hash ${r.hash}`);
  });

  it('is deterministic: the same run twice gives the same trace hash', async () => {
    const a = await runProof(new InProcessSpawner());
    const b = await runProof(new InProcessSpawner());
    expect(b.hash).toBe(a.hash);
  });
});
