import { describe, expect, it } from 'vitest';
import { runSeed } from '../src/runtime/sim/fault-sim.ts';

// CI runs a few hundred seeds; `npm run sim -- --seeds 10000` runs many more.
const seeds = Number(process.env.SIM_SEEDS ?? 200);

describe('fault simulator', () => {
  it(`${seeds} seeds run clean (each prints its repro command on failure)`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const r = runSeed({ seed, durationMs: 10_000 });
      if (r.violations.length > 0) failures.push(`seed ${seed}: ${r.violations.join('; ')}\n  reproduce: ${r.repro}`);
    }
    expect(failures.join('\n')).toBe('');
  }, 300_000);

  it('is deterministic: the same seed gives the same history', () => {
    const a = runSeed({ seed: 7, durationMs: 5000 });
    const b = runSeed({ seed: 7, durationMs: 5000 });
    expect(JSON.stringify(a.history)).toBe(JSON.stringify(b.history));
    expect(a.ops).toBeGreaterThan(20);
  });
});
