/**
 * The whole tab over a long live run, on its own (the browser section's measureAppUi, with a
 * short fps phase): the built app, 5 servers in workers, 100,000 znodes, the cluster view
 * animating, a writer keeping 50 setData in flight, for `--minutes` (default 60). Prints every
 * sample (JS heaps after GC, ArrayBuffer stores, the renderer's and the browser's resident
 * memory, OPFS usage, the trace's length, writes) and the figures.
 *
 *   npx vite build --outDir /tmp/app && npx tsx bench/browser/tab-memory.ts --dist /tmp/app [--minutes 60] [--znodes 100000] [--pace writes/s] [--allocators]
 */
import { serveStatic } from '../lib/static-server.ts';
import { measureAppUi } from './app-harness.ts';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const server = await serveStatic(arg('dist', 'dist'));
  try {
    const minutes = Number(arg('minutes', '60'));
    const figs = await measureAppUi(`${server.url}/`, { fpsMs: 2000, treeNodes: Number(arg('znodes', '100000')), longRunMs: minutes * 60_000, sampleEveryMs: Number(arg('every', '60')) * 1000,
      ...(arg('pace', '') !== '' ? { writesPerSec: Number(arg('pace', '')) } : {}),
      ...(process.argv.includes('--allocators') ? { allocators: true } : {}),
      onSample: (x) => console.log(`sample ${JSON.stringify(Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Math.round(v * 10) / 10])))}`),
    });
    for (const f of figs) {
      console.log(`${f.name}: ${typeof f.value === 'number' ? f.value.toFixed(1) : String(f.value)} ${f.unit} [${f.status}] ${f.note ?? ''}`);
    }
  } finally {
    await server.close();
  }
}

void main();
