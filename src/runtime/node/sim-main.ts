/**
 * `npm run sim -- [--seeds N] [--from S] [--seed S] [--duration MS] [--servers N] [--export DIR]`
 *
 * Runs the fault simulator over many seeds and reports every violation with the command that
 * reproduces it. Exit code 1 when any seed failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSeed } from '../sim/fault-sim.ts';
import { exportJepsenJson, zkJepsenCodec } from '../sim/linearizability/index.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const single = arg('--seed');
const from = Number(arg('--from') ?? 1);
const count = single !== undefined ? 1 : Number(arg('--seeds') ?? 100);
const duration = Number(arg('--duration') ?? 10_000);
const exportDir = arg('--export');
const serversArg = arg('--servers');
const servers = serversArg === undefined ? undefined : Number(serversArg);
let failed = 0;
const started = Date.now();
console.log(`SEED ${single ?? `${from}..${from + count - 1}`} duration=${duration}ms`);
for (let i = 0; i < count; i++) {
  const seed = single !== undefined ? Number(single) : from + i;
  const r = runSeed({ seed, durationMs: duration, servers });
  if (exportDir) {
    mkdirSync(exportDir, { recursive: true });
    writeFileSync(join(exportDir, `seed-${seed}.json`), exportJepsenJson(r.history, zkJepsenCodec));
  }
  if (r.violations.length > 0) {
    failed++;
    console.log(`seed ${seed} (${r.servers} servers, ${r.ops} ops): FAILED\n  ${r.violations.join('\n  ')}\n  reproduce: ${r.repro}`);
  } else if (single !== undefined) {
    console.log(`seed ${seed} (${r.servers} servers, ${r.ops} ops): ok`);
  }
}
const secs = (Date.now() - started) / 1000;
console.log(`${count - failed} of ${count} seeds clean, ${failed} failed (${secs.toFixed(1)} s, ${(count / secs * 60).toFixed(0)} seeds/min)`);
process.exit(failed > 0 ? 1 : 0);
