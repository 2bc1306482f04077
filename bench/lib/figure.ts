/**
 * A figure is one row of the bench table and of bench/results/latest.json. It carries its
 * baseline measured in the same run and the target from issue 6, so the table reads on its own.
 */
export type FigureStatus = 'ok' | 'below target' | 'info' | 'pending' | 'failed';

export interface Figure {
  readonly section: string;
  readonly name: string;
  /** null when pending or failed */
  readonly value: number | null;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number; readonly unit: string };
  /** human-readable target, e.g. ">= 200000 ops/s" */
  readonly target?: string;
  readonly status: FigureStatus;
  readonly note?: string;
  /** the raw samples the median came from */
  readonly samples?: readonly number[];
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface SectionOptions {
  readonly quick: boolean;
  readonly full: boolean;
}

export interface Section {
  readonly name: string;
  readonly title: string;
  run(opts: SectionOptions): Promise<Figure[]>;
}

/** Status against a lower bound (higher is better). */
export function atLeast(value: number, min: number): FigureStatus {
  return value >= min ? 'ok' : 'below target';
}

/** Status against an upper bound (lower is better). */
export function atMost(value: number, max: number): FigureStatus {
  return value <= max ? 'ok' : 'below target';
}

export function pending(section: string, name: string, unit: string, target: string | undefined, why: string): Figure {
  return { section, name, value: null, unit, target, status: 'pending', note: why };
}

export function failed(section: string, name: string, unit: string, err: unknown): Figure {
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return { section, name, value: null, unit, status: 'failed', note: message };
}
