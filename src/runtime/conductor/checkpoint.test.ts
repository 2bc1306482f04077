import { describe, expect, it } from 'vitest';
import { checkCheckpointSeed } from './checkpoint-check.ts';

describe('lockstep checkpoints: restore and continue = the uninterrupted run', () => {
  const seeds = Array.from({ length: Number(process.env.CHECKPOINT_SEEDS ?? 12) }, (_, i) => 1000 + i * 7919);
  for (const seed of seeds) {
    it(`seed ${seed}`, async () => {
      const r = await checkCheckpointSeed(seed);
      if (!r.ok) console.log(`seed ${seed} failed (k1 ${r.k1}, k2 ${r.k2}): hashes ${r.hashes.join(' ')} events ${r.events.join(' ')}\n  reproduce: ${r.repro}`);
      expect(r.hashes.length).toBe(3);
      expect(r.events[0]).toBeGreaterThan(100);
      expect(r.ok, r.repro).toBe(true);
    }, 60_000);
  }

  it('a failing seed names the command that reproduces it', async () => {
    const r = await checkCheckpointSeed(4242, { sabotage: true, steps: 200 });
    expect(r.ok).toBe(false);
    expect(r.repro).toBe('npm run -s checkpoint-check -- --seed 4242 --steps 200');
  }, 60_000);
});
