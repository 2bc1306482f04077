/**
 * `npm run -s golden -- --cases DIR --expected DIR [--only NAME[,NAME]] [--write-actual DIR]`
 *
 * Runs every case of a directory in the golden format against the playground and compares
 * each transcript with the expected one after the documented normalization. Prints a readable
 * diff per failure, lists cases that need what is not built yet as pending (by name), and
 * ends with the line `N passed, N failed`. Exit code 1 when anything failed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compareTranscripts } from './golden/compare.ts';
import { runCase } from './golden/golden-runner.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const casesDir = arg('--cases');
const expectedDir = arg('--expected');
const only = arg('--only')?.split(',');
const writeActual = arg('--write-actual');
if (!casesDir || !expectedDir) {
  console.error('usage: npm run -s golden -- --cases DIR --expected DIR [--only NAME,...] [--write-actual DIR]');
  process.exit(2);
}

let passed = 0;
let failed = 0;
const pending: string[] = [];
const files = readdirSync(casesDir).filter((f) => f.endsWith('.cli')).sort();
for (const file of files) {
  const name = basename(file, '.cli');
  if (only && !only.includes(name)) continue;
  const expectedPath = join(expectedDir, `${name}.out`);
  if (!existsSync(expectedPath)) {
    console.log(`FAIL ${name}: no expected transcript ${expectedPath}`);
    failed++;
    continue;
  }
  let run;
  try {
    run = runCase(readFileSync(join(casesDir, file), 'utf8'));
  } catch (e) {
    console.log(`FAIL ${name}: the runner threw\n${e instanceof Error ? e.stack : String(e)}`);
    failed++;
    continue;
  }
  if (run.kind === 'pending') {
    pending.push(`${name} (${run.reason})`);
    continue;
  }
  if (writeActual) {
    mkdirSync(writeActual, { recursive: true });
    writeFileSync(join(writeActual, `${name}.out`), run.transcript);
  }
  const cmp = compareTranscripts(readFileSync(expectedPath, 'utf8'), run.transcript, { caseName: name });
  if (cmp.equal) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${name}\n${cmp.diff}\n`);
  }
}
for (const p of pending) console.log(`PENDING ${p}`);
if (pending.length > 0) console.log(`${pending.length} pending`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
