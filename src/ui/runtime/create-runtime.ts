/**
 * The one place that picks the runtime the UI talks to. Today: the in-process adapter over
 * the deterministic simulator. When src/runtime/worker + conductor land, construct theirs here.
 */
import type { Runtime } from '../store/store.ts';
import { InProcessRuntime } from './in-process-runtime.ts';

export function createRuntime(): Runtime {
  return new InProcessRuntime();
}
