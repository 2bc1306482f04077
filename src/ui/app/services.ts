/** The app's services in one context: runtime, store, consoles, and the scenario driver. */
import { createContext, useContext } from 'react';
import type { StoreApi } from 'zustand';
import type { PlaygroundState, RunOptions, Runtime } from '../store/store.ts';
import { ConsoleRegistry, type ConsoleRecord } from './consoles.ts';

export class Services {
  readonly consoles: ConsoleRegistry;

  constructor(readonly runtime: Runtime, readonly store: StoreApi<PlaygroundState>) {
    this.consoles = new ConsoleRegistry(runtime);
  }

  /** Reset the ensemble (new config/seed/mode) and close every console. */
  async restartRun(opts: RunOptions = {}): Promise<void> {
    this.consoles.closeAll();
    await this.store.getState().startRun(opts);
  }

  /** A fresh run (wiped dataDirs) with every server started and one console open. */
  async freshRun(opts: RunOptions = {}): Promise<void> {
    await this.restartRun({ startAll: true, fresh: true, ...opts });
    if (this.store.getState().error === null) this.openConsole();
  }

  openConsole(connectString?: string, name?: string): ConsoleRecord {
    const entry = this.store.getState().addConsole(connectString, name);
    return this.consoles.open(entry.id, entry.name, entry.connectString);
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
