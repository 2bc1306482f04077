/**
 * Scenario transcripts: test/scenarios/NAME.scn run through the scenario language must print
 * test/scenarios/NAME.out. UPDATE_TRANSCRIPTS=1 rewrites the .out files; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/runtime/scenario/scenario.ts';
import { runScenario } from '../src/runtime/scenario/run-scenario.ts';

const dir = join(import.meta.dirname, 'scenarios');

function run(file: string): string {
  const parsed = parseScenario(readFileSync(join(dir, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return runScenario(parsed.steps);
}

describe('scenario transcripts', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.scn'))) {
    it(file, () => {
      const out = join(dir, file.replace(/\.scn$/, '.out'));
      const actual = run(file);
      if (process.env.UPDATE_TRANSCRIPTS === '1' || !existsSync(out)) writeFileSync(out, actual);
      expect(actual).toBe(readFileSync(out, 'utf8'));
    });
  }

  it('the same scenario and seed print the same transcript every time', () => {
    expect(run('client-failover.scn')).toBe(run('client-failover.scn'));
  });

  it('reports bad lines with their line numbers', () => {
    const parsed = parseScenario('servers 3\nfrobnicate 2\nkill x\npartition 1\n');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors).toEqual([
      'line 2: unknown verb "frobnicate" (verbs: servers, config, zoocfg, seed, start, kill, restart, partition, heal, run, settle, status, client, 4lw, zkstatus, syncs, load, note, or NAME> zkCli command)',
      'line 3: "x" is not a server number',
      'line 4: partition needs two groups, e.g. "partition 1,2 | 3" or "partition 1 -> 2,3"',
    ]);
  });
});
