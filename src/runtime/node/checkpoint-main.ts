/**
 * `npm run checkpoint-check -- [--seed N] [--seeds COUNT] [--steps S]`: the checkpoint property
 * (conductor/checkpoint-check.ts) for one seed or COUNT seeds from N; prints each seed's
 * result and, for a failure, the command that reproduces it. Exit code 1 when any seed failed.
 */
import { checkCheckpointSeed, restartFailures } from '../conductor/checkpoint-check.ts';

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

async function main(): Promise<void> {
  const first = arg('seed') ?? 1;
  const count = arg('seeds') ?? 1;
  const steps = arg('steps');
  let failed = 0;
  for (let seed = first; seed < first + count; seed++) {
    const failuresBefore = restartFailures.length;
    const r = await checkCheckpointSeed(seed, steps === undefined ? {} : { steps });
    // a restart ZooKeeper would refuse too (DataDirError): the server stays down, in every run alike
    for (const f of new Set(restartFailures.slice(failuresBefore))) console.log(`seed ${seed}: a restart failed: ${f}`);
    if (r.ok) console.log(`seed ${seed}: ok (${r.events[0]} events, checkpoints at actions ${r.k1} and ${r.k2})`);
    else {
      failed++;
      console.log(`seed ${seed}: FAILED (checkpoints at ${r.k1}, ${r.k2}; same state at ${r.k2}: ${r.sameState}): hashes ${r.hashes.join(' ')}, events ${r.events.join(' ')}\n  reproduce: ${r.repro}`);
    }
  }
  console.log(`${count - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

void main();
