/**
 * ConsoleRegistry: the open zkCli consoles (ConsoleHandle from the runtime) and what each has
 * printed, so a console keeps its transcript while its pane re-renders, and lessons and
 * scenarios can type into a console by name exactly as a person would.
 */
import type { ConsoleHandle } from '../../runtime/playground/api.ts';
import type { Runtime } from '../store/store.ts';

export type LineKind = 'out' | 'err' | 'echo' | 'watch';
export interface ConsoleLine {
  readonly text: string;
  readonly kind: LineKind;
  /** the output it came from (ConsoleHandle's `ord`), or the typed line's place among the console's inputs */
  readonly ord?: number;
  readonly input?: number;
}

export const consoleLinesMax = 2000;

export interface ConsoleRecord {
  readonly id: number;
  readonly name: string;
  readonly connectString: string;
  readonly handle: ConsoleHandle;
  lines: ConsoleLine[];
  readonly history: string[];
  closed: boolean;
  /** the next output and input this pane has not shown (a rewind's replay prints what it showed again) */
  nextOutput: number;
  nextInput: number;
}

export class ConsoleRegistry {
  private readonly records = new Map<number, ConsoleRecord>();
  private readonly listeners = new Set<() => void>();
  private version = 0;
  /** a rewind under way: outputs and inputs a pane has shown already are not shown again */
  private rewinding = false;

  constructor(private readonly runtime: Runtime) {}

  open(id: number, name: string, connectString: string): ConsoleRecord {
    const existing = this.records.get(id);
    if (existing) return existing;
    return this.adopt(id, name, connectString, this.runtime.openConsole(name, connectString));
  }

  /** A pane for a console the runtime opened itself (a replayed run's). */
  adopt(id: number, name: string, connectString: string, handle: ConsoleHandle): ConsoleRecord {
    const rec: ConsoleRecord = { id, name, connectString, handle, lines: [], history: [], closed: false, nextOutput: 0, nextInput: 0 };
    this.records.set(id, rec);
    let watchBlock = false;
    handle.onOutput((text, stream, ord) => {
      if (ord !== undefined) {
        if (this.rewinding && ord < rec.nextOutput) return;
        rec.nextOutput = ord + 1;
      }
      const parts = text.split(/(?<=\n)/);
      for (const p of parts) {
        if (p === '') continue;
        if (p.startsWith('WATCHER::')) watchBlock = true;
        const kind: LineKind = stream === 'err' ? 'err' : watchBlock ? 'watch' : 'out';
        if (watchBlock && p.startsWith('WatchedEvent')) watchBlock = false;
        this.append(rec, p, kind, ord);
      }
    });
    this.changed();
    return rec;
  }

  private append(rec: ConsoleRecord, text: string, kind: LineKind, ord?: number, input?: number): void {
    const last = rec.lines[rec.lines.length - 1];
    // join a partial line (no trailing newline) with what follows it, within one output (a rewind
    // may take back the later one)
    if (last && !last.text.endsWith('\n') && last.kind === kind && last.ord === ord && last.input === input) {
      rec.lines = [...rec.lines.slice(0, -1), { ...last, text: last.text + text }];
    } else {
      rec.lines = [...rec.lines, { text, kind, ord, input }];
    }
    if (rec.lines.length > consoleLinesMax) rec.lines = rec.lines.slice(rec.lines.length - consoleLinesMax);
    this.changed();
  }

  get(id: number): ConsoleRecord | undefined {
    return this.records.get(id);
  }

  byName(name: string): ConsoleRecord | undefined {
    return [...this.records.values()].find((r) => r.name === name && !r.closed);
  }

  all(): ConsoleRecord[] {
    return [...this.records.values()];
  }

  /** Types a line as a person would: echo it after the prompt, then run it. */
  submit(id: number, line: string): void {
    const rec = this.records.get(id);
    if (!rec || rec.closed) return;
    this.echo(rec, line);
    rec.handle.submit(line);
    if (rec.handle.prompt() === '') rec.closed = true;
    this.changed();
  }

  /** A line typed into the console by someone else (a replay): shown after the prompt, into the history. */
  echoed(name: string, line: string): void {
    const rec = this.byName(name);
    if (rec) this.echo(rec, line);
  }

  private echo(rec: ConsoleRecord, line: string): void {
    // the line's place among the inputs: it is taken right after this
    const input = rec.handle.mark?.().inputs;
    if (input !== undefined) {
      if (this.rewinding && input < rec.nextInput) return;
      rec.nextInput = input + 1;
    }
    const last = rec.lines[rec.lines.length - 1];
    const sep = last && !last.text.endsWith('\n') ? '\n' : '';
    this.append(rec, `${sep}${rec.handle.prompt()}${line}\n`, 'echo', undefined, input);
    if (line.trim() !== '') rec.history.push(line);
  }

  /**
   * Around a rewind (lockstep): while the run goes back and replays, what a pane shows already is
   * not printed again; then each pane keeps only what comes before the console's place in the run
   * now (ConsoleHandle.mark), so a transcript never shows what the rewound run has not done.
   */
  async rewind(run: () => Promise<void>): Promise<void> {
    this.rewinding = true;
    try {
      await run();
    } finally {
      this.rewinding = false;
      for (const rec of this.records.values()) {
        const m = rec.handle.mark?.();
        if (!m) continue;
        rec.lines = rec.lines.filter((l) => (l.ord === undefined || l.ord < m.outputs) && (l.input === undefined || l.input < m.inputs));
        rec.nextOutput = m.outputs;
        rec.nextInput = m.inputs;
      }
      this.changed();
    }
  }

  close(id: number): void {
    const rec = this.records.get(id);
    if (!rec) return;
    rec.handle.close();
    rec.closed = true;
    this.records.delete(id);
    this.changed();
  }

  closeAll(): void {
    for (const r of this.records.values()) r.handle.close();
    this.records.clear();
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getVersion(): number {
    return this.version;
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }
}
