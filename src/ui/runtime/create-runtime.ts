/**
 * The one place that picks the runtime the UI talks to: the browser runtime (one Web Worker per
 * server, OPFS dataDirs, the lockstep conductor) — or, with `?runtime=sim`, the in-process
 * adapter over the deterministic simulator (no workers; handy for debugging the UI).
 */
import { BrowserPlayground } from '../../runtime/playground/browser-playground.ts';
import type { Runtime } from '../store/store.ts';
import { InProcessRuntime } from './in-process-runtime.ts';

export function createRuntime(kind: string | null): Runtime {
  if (kind === 'sim') return new InProcessRuntime();
  return new BrowserPlayground();
}
