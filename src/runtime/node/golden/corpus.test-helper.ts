/** Test-only: where the golden corpus lives (`ZKG_GOLDEN_DIR`, else the copy of ../shared/golden in test/fixtures/golden). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const GOLDEN_DIR = process.env.ZKG_GOLDEN_DIR ?? resolve(import.meta.dirname, '../../../../test/fixtures/golden');
export const HAVE_CORPUS = existsSync(join(GOLDEN_DIR, 'cases')) && existsSync(join(GOLDEN_DIR, 'expected'));

export function caseNames(): string[] {
  return HAVE_CORPUS ? readdirSync(join(GOLDEN_DIR, 'cases')).filter((f) => f.endsWith('.cli')).map((f) => f.slice(0, -4)).sort() : [];
}

export function readCase(name: string): string {
  return readFileSync(join(GOLDEN_DIR, 'cases', `${name}.cli`), 'utf8');
}

export function readExpected(name: string): string {
  return readFileSync(join(GOLDEN_DIR, 'expected', `${name}.out`), 'utf8');
}

export function fourLetterFiles(): string[] {
  const dir = join(GOLDEN_DIR, 'ensemble', '4lw');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt')).sort() : [];
}

export function read4lw(file: string): string {
  return readFileSync(join(GOLDEN_DIR, 'ensemble', '4lw', file), 'utf8');
}
