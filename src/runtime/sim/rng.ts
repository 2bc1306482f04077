/** The simulator's seeded PRNG is the engine's (engine/util/rng.ts), so both draw the same way. */
export { Rng } from '../../engine/util/rng.ts';
