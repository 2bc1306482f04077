/**
 * `npm run scenario -- FILE [--seed N]` (or the scenario on standard input): runs a scenario
 * against the simulated ensemble and prints its transcript. Same scenario + same seed = same
 * transcript.
 */
import { readFileSync } from 'node:fs';
import { parseScenario } from '../scenario/scenario.ts';
import { runScenario } from '../scenario/run-scenario.ts';

const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : undefined;
const file = args.find((a, i) => !a.startsWith('--') && (seedAt < 0 || i !== seedAt + 1));
const text = readFileSync(file ?? 0, 'utf8');
const parsed = parseScenario(text);
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(e);
  process.exit(2);
}
process.stdout.write(runScenario(parsed.steps, seed === undefined ? {} : { seed }));
