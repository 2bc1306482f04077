/** The app's services in one context: runtime, store, consoles, and the scenario driver. */
import { createContext, useContext } from 'react';
import type { StoreApi } from 'zustand';
import type { PlaygroundState, RunOptions, Runtime } from '../store/store.ts';
import { ConsoleRegistry, type ConsoleRecord } from './consoles.ts';

export class Services {
  readonly consoles: ConsoleRegistry;

  constructor(readonly runtime: Runtime, readonly store: StoreApi<PlaygroundState>) {
    this.consoles = new ConsoleRegistry(runtime);
    // a shared or exported run's consoles, opened by its replay: a pane each, with what is typed
    runtime.onReplayConsole?.((e) => {
      if (e.type === 'line') {
        this.consoles.echoed(e.name, e.line);
        return;
      }
      const entry = this.store.getState().addConsole(e.connectString, e.handle.name);
      this.consoles.adopt(entry.id, entry.name, entry.connectString, e.handle);
    });
  }

  /** Restarts one after another: a second (a key pressed twice) waits for the first to finish. */
  private queue: Promise<unknown> = Promise.resolve();

  private serial(f: () => Promise<void>): Promise<void> {
    const run = this.queue.then(f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async restart(opts: RunOptions): Promise<void> {
    this.consoles.closeAll();
    await this.store.getState().startRun(opts);
  }

  /** Reset the ensemble (new config/seed/mode) and close every console. */
  restartRun(opts: RunOptions = {}): Promise<void> {
    return this.serial(() => this.restart(opts));
  }

  /** A fresh run (wiped dataDirs) with every server started and one console open. */
  freshRun(opts: RunOptions = {}): Promise<void> {
    return this.serial(async () => {
      await this.restart({ startAll: true, fresh: true, ...opts });
      if (this.store.getState().error === null) this.openConsole();
    });
  }

  openConsole(connectString?: string, name?: string): ConsoleRecord {
    const entry = this.store.getState().addConsole(connectString, name);
    return this.consoles.open(entry.id, entry.name, entry.connectString);
  }

  /** Lockstep: the run goes back to just after event `seq`, and the consoles' transcripts with it. */
  rewind(seq: number): Promise<void> {
    return this.consoles.rewind(() => this.runtime.rewind(seq));
  }

  closeConsole(id: number): void {
    this.consoles.close(id);
    this.store.getState().removeConsole(id);
  }
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('no services');
  return s;
}
