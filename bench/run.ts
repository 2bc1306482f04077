/**
 * `npm run bench [-- --quick | --full] [--only <section>[,<section>]] [--out <file>]`
 *
 * Measures the playground (transport ceiling, engine, simulator, memory, page, browser
 * ensemble) and prints one table; writes bench/results/latest.json. Not a test: nothing here
 * asserts a time. See bench/README.md for what each figure means and what was found.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { Figure, Section, SectionOptions } from './lib/figure.ts';
import { failed } from './lib/figure.ts';
import { formatTable } from './lib/table.ts';
import { sections } from './sections/index.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const full = process.argv.includes('--full');
const only = arg('--only')?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
const out = arg('--out') ?? join(import.meta.dirname, 'results', 'latest.json');
const opts: SectionOptions = { quick, full };

const unknown = (only ?? []).filter((n) => !sections.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(', ')}; known: ${sections.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const chosen: Section[] = sections.filter((s) => !only || only.includes(s.name));

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const started = Date.now();
const loadAtStart = loadavg()[0];
const figures: Figure[] = [];
const timings: Record<string, number> = {};
console.log(`bench: ${quick ? 'quick' : full ? 'full' : 'default'} mode, sections ${chosen.map((s) => s.name).join(', ')}; load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores`);
for (const s of chosen) {
  const t0 = Date.now();
  process.stdout.write(`  ${s.name}: ${s.title} ... `);
  try {
    const figs = await s.run(opts);
    figures.push(...figs);
  } catch (err) {
    figures.push(failed(s.name, s.title, '', err));
    console.error(err);
  }
  timings[s.name] = (Date.now() - t0) / 1000;
  console.log(`${timings[s.name].toFixed(1)} s`);
}

console.log('');
console.log(formatTable(figures));
const result = {
  when: new Date(started).toISOString(),
  mode: quick ? 'quick' : full ? 'full' : 'default',
  commit: gitCommit(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  // other engineers share these cores: the 1-minute load average at start and end of the run
  loadAverage: { start: loadAtStart, end: loadavg()[0] },
  sectionSeconds: timings,
  figures,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
console.log(`\nwrote ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
