/** The bench table: one row per figure, with its same-run baseline and its target. */
import type { Figure } from './figure.ts';

export function formatValue(v: number | null, unit: string): string {
  if (v === null) return '-';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`.trim();
}

export function formatTable(figures: readonly Figure[]): string {
  const header = ['section', 'figure', 'value', 'baseline (same run)', 'x baseline', 'target', 'status'];
  const rows = figures.map((f) => [
    f.section,
    f.name,
    f.status === 'pending' ? 'pending' : formatValue(f.value, f.unit),
    f.baseline ? `${f.baseline.name}: ${formatValue(f.baseline.value, f.baseline.unit)}` : '',
    f.baseline && f.value !== null && f.baseline.value > 0 ? ratio(f.value / f.baseline.value) : '',
    f.target ?? '',
    f.status === 'pending' || f.status === 'failed' ? `${f.status}${f.note ? ` (${f.note})` : ''}` : f.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** Three significant digits: 0.00236, 0.544, 2.06. */
export function ratio(r: number): string {
  return r >= 1000 ? r.toFixed(0) : Number(r.toPrecision(3)).toString();
}
