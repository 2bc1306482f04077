/**
 * `npm run scenario -- FILE [--seed N] [--cfg ZOO.CFG]` (or the scenario on standard input):
 * runs a scenario against the simulated ensemble and prints its transcript. Same scenario +
 * same seed = same transcript. `--cfg` gives the ensemble's complete zoo.cfg, as a `zoocfg`
 * block at the top of the scenario would.
 */
import { readFileSync } from 'node:fs';
import { parseScenario } from '../scenario/scenario.ts';
import { runScenario } from '../scenario/run-scenario.ts';

const args = process.argv.slice(2);
const valueOf = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const seedText = valueOf('--seed');
const cfgFile = valueOf('--cfg');
const flagValues = new Set(['--seed', '--cfg'].map((f) => args.indexOf(f) + 1).filter((i) => i > 0));
const file = args.find((a, i) => !a.startsWith('--') && !flagValues.has(i));
const text = readFileSync(file ?? 0, 'utf8');
const parsed = parseScenario(text);
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(e);
  process.exit(2);
}
const options = {
  ...(seedText === undefined ? {} : { seed: Number(seedText) }),
  ...(cfgFile === undefined ? {} : { zooCfg: readFileSync(cfgFile, 'utf8') }),
};
process.stdout.write(runScenario(parsed.steps, options));
