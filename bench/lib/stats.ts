/**
 * Small statistics and timing helpers for the benches. Every figure is a median over repeated
 * runs, and is measured next to a baseline in the same run (interleaved), so a figure taken on
 * a noisy, shared 2-core machine still means something: the ratio to the baseline moves much
 * less than the raw number when other processes steal the CPU.
 */
import { performance } from 'node:perf_hooks';

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile, p in [0, 100]. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export function now(): number {
  return performance.now();
}

/** Runs `fn` once and returns ops/s for `ops` operations. */
export function opsPerSecond(ops: number, fn: () => void): number {
  const t0 = now();
  fn();
  const ms = now() - t0;
  return (ops * 1000) / Math.max(ms, 1e-6);
}

export interface Paired {
  readonly figure: number[];
  readonly baseline: number[];
}

/**
 * Interleaves `rounds` runs of the figure and of its baseline (baseline, figure, baseline, …)
 * so both see the same machine load; each function returns one sample.
 */
export function paired(rounds: number, figure: () => number, baseline: () => number): Paired {
  const out: Paired = { figure: [], baseline: [] };
  for (let i = 0; i < rounds; i++) {
    out.baseline.push(baseline());
    out.figure.push(figure());
  }
  return out;
}

export async function pairedAsync(rounds: number, figure: () => Promise<number>, baseline: () => Promise<number>): Promise<Paired> {
  const out: Paired = { figure: [], baseline: [] };
  for (let i = 0; i < rounds; i++) {
    out.baseline.push(await baseline());
    out.figure.push(await figure());
  }
  return out;
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}
