/**
 * Chromium's memory-infra dump through CDP (Tracing with the memory-infra category and
 * Tracing.requestMemoryDump): per process, the size of every allocator (v8 per isolate kind,
 * malloc, partition_alloc, blink_gc, cc, shared_memory, ...), two levels deep.
 */
import type { CDPSession } from 'playwright-core';

interface DumpEvent { ph: string; pid: number; name?: string; args?: { dumps?: { allocators?: Record<string, { attrs?: Record<string, { value: string; units: string }> }>; process_totals?: Record<string, string> } } }

/** One memory-infra dump: per process, the size of every allocator (top-level and one below). */
export async function memoryDump(cdp: CDPSession): Promise<Map<number, Map<string, number>>> {
  const events: DumpEvent[] = [];
  const onData = (e: { value: object[] }): void => {
    events.push(...(e.value as unknown as DumpEvent[]));
  };
  cdp.on('Tracing.dataCollected', onData);
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], memoryDumpConfig: { triggers: [] } }, transferMode: 'ReportEvents' } as never);
  const r = await cdp.send('Tracing.requestMemoryDump' as never, { levelOfDetail: 'detailed' } as never) as { success: boolean };
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', onData);
  if (!r.success) throw new Error('memory dump failed');
  const out = new Map<number, Map<string, number>>();
  for (const e of events) {
    const allocators = e.args?.dumps?.allocators;
    if (e.ph !== 'v' || !allocators) continue;
    const m = out.get(e.pid) ?? new Map<string, number>();
    for (const [name, a] of Object.entries(allocators)) {
      const size = a.attrs?.size;
      if (!size || name.split('/').length > 3) continue;
      m.set(name, (m.get(name) ?? 0) + parseInt(size.value, 16));
    }
    out.set(e.pid, m);
  }
  return out;
}


/** The renderer's main figures from a dump: the process with the most V8 memory. */
export function rendererAllocators(dump: Map<number, Map<string, number>>): Record<string, number> {
  let best: Map<string, number> | undefined;
  for (const m of dump.values()) if ((m.get('v8') ?? 0) > (best?.get('v8') ?? -1)) best = m;
  const mb = (k: string): number => (best?.get(k) ?? 0) / 2 ** 20;
  return { v8MainMB: mb('v8/main'), v8WorkersMB: mb('v8/workers'), mallocMB: mb('malloc'), sharedMB: mb('shared_memory'), ccMB: mb('cc'), blinkMB: mb('blink_gc'), partitionMB: mb('partition_alloc') };
}
